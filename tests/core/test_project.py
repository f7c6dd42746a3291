"""Project-wide checks: migrations and translation catalogues kept in step with the code."""

import gettext
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

LOCALE = Path(__file__).resolve().parents[2] / "src" / "motcua" / "locale"


@pytest.mark.django_db
def test_migrations_match_the_models():
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


def _msgids(po_text: str) -> list[tuple[str | None, str]]:
    """The (context, msgid) of every active entry."""
    ids = []
    for block in po_text.split("\n\n"):
        if block.lstrip().startswith("#~"):
            continue
        match = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        context = re.search(r'^msgctxt "(.*)"', block, re.M)
        if match:
            msgid = "".join(re.findall(r'"(.*)"', match.group(1))).replace('\\"', '"')
            ids.append((context.group(1) if context else None, msgid))
    return [(c, i) for c, i in ids if i]


def test_every_interface_string_has_a_compiled_vietnamese_translation():
    po = (LOCALE / "vi" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in po
    with open(LOCALE / "vi" / "LC_MESSAGES" / "django.mo", "rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    msgids = _msgids(po)
    assert len(msgids) > 100
    untranslated = [m for c, m in msgids if (catalogue.pgettext(c, m) if c else catalogue.gettext(m)) == m]
    assert untranslated == ["Tiếng Việt"]  # the only string already in Vietnamese
