"""The search keys of a dossier, computed by the database from the row itself (generated columns),
so that every writer (intake, import, the demo generator, raw SQL) leaves them right.

Each key is one SQL expression with functions the engine calls immutable (``replace``, ``rtrim``,
``lower``, ``translate``, ``substr``), no extension. The one exception is the folding on SQLite,
which has no ``translate``: there it is ``core.text.fold`` itself, registered as a deterministic
function on each connection. A test holds the database's keys equal to Python's.
"""

import unicodedata

from django.db.backends.signals import connection_created
from django.db.models import Func

from motcua.core.text import fold

# The marks of Vietnamese letters, when a name arrives decomposed (NFD): dropped.
MARKS = "\u0300\u0301\u0303\u0309\u0323\u0306\u0302\u031b"


def _letters() -> str:
    """Every precomposed Latin letter whose decomposition is an ASCII letter with Vietnamese marks only."""
    found = ["đ", "Đ"]
    for point in range(0xC0, 0x1EFA):
        char = chr(point)
        parts = unicodedata.normalize("NFD", char)
        if len(parts) > 1 and parts[0].isascii() and parts[0].isalpha() and all(m in MARKS for m in parts[1:]):
            found.append(char)
    return "".join(found)


LETTERS = _letters()
PLAIN = "".join(fold(c) for c in LETTERS)  # one ASCII letter each, lower case
PHONE_NOISE = " .-()+/"
SQLITE_FOLD = "motcua_fold"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class Fold(Func):
    """The text in lower-case ASCII: ``Lò Văn Minh`` → ``lo van minh`` (as ``core.text.fold``)."""

    function = "LOWER"
    arity = 1

    def as_postgresql(self, compiler, connection, **extra_context):
        template = f"LOWER(TRANSLATE(%(expressions)s, {_literal(LETTERS + MARKS)}, {_literal(PLAIN.upper())}))"
        return self.as_sql(compiler, connection, template=template, **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite has no TRANSLATE, and a REPLACE a letter nests deeper than its parser goes: the
        # Python folding, registered as a deterministic function on each connection (below).
        return self.as_sql(compiler, connection, function=SQLITE_FOLD, **extra_context)


class PhoneDigits(Func):
    """A phone number as the digits dialled at home: ``+84 912.345.678`` → ``0912345678``."""

    arity = 1

    def as_sql(self, compiler, connection, **extra_context):
        digits = "%(expressions)s"
        for char in PHONE_NOISE:
            digits = f"REPLACE({digits}, {_literal(char)}, '')"
        template = (
            f"(CASE WHEN SUBSTR({digits}, 1, 2) = '84' AND LENGTH({digits}) >= 11 "
            f"THEN '0' || SUBSTR({digits}, 3) ELSE {digits} END)"
        )
        return super().as_sql(compiler, connection, template=template, **extra_context)


class CodeNumber(Func):
    """What follows the code's last dash (the number of the day): ``…-261116-0012`` → ``0012``;
    the whole code where it has no dash. Trimming from the right every character that is not a
    dash leaves the code up to its last dash; removing that leaves the number."""

    arity = 1

    def as_sql(self, compiler, connection, **extra_context):
        code = "%(expressions)s"
        template = f"REPLACE({code}, RTRIM({code}, REPLACE({code}, '-', '')), '')"
        return super().as_sql(compiler, connection, template=template, **extra_context)


def phone_digits(text: str) -> str:
    """``PhoneDigits`` in Python, for the text searched."""
    digits = "".join(c for c in text if c not in PHONE_NOISE)
    return "0" + digits[2:] if digits.startswith("84") and len(digits) >= 11 else digits


def _register_fold(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FOLD, 1, _fold_or_null, deterministic=True)


def _fold_or_null(text):
    return None if text is None else fold(text)


connection_created.connect(_register_fold, dispatch_uid="motcua.dossiers.folding")
