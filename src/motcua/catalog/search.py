"""Finding procedures by what a citizen types: each word of the query is looked for at the start
of a word of the procedure's code, name or field, without diacritics; a procedure matching at least
half of the words is found (so "cho" and "con" alone bring in no labour permit), and the list is
ranked — the whole phrase first, then by how many of the words match a whole word, then how many
start one ("con" starts "cong"), then the shorter name (the closer one) — so "khai sinh cho con"
puts the birth registrations on top.

The keys (``Procedure.search_text``) are folded words between single spaces, written on import
and save: " 1.001193 dang ky khai sinh ho tich ". A word starts a key word where " word" occurs,
which both SQLite and PostgreSQL answer with ``LIKE``; on PostgreSQL a trigram index serves it.
"""

from __future__ import annotations

import re

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Length

from motcua.core.text import fold

MAX_WORDS = 12  # words of a query that count; the rest are ignored
_NOT_WORD = re.compile(r"[^\w.]+")


def words_of(text: str) -> list[str]:
    """The folded words of ``text`` (a code's dots kept): "Đăng ký khai sinh, con" → [dang, ky, khai, sinh, con]."""
    return [w.strip(".") for w in _NOT_WORD.sub(" ", fold(text)).split() if w.strip(".")]


def search_text(code: str, name: str, field_name: str) -> str:
    """The key a search reads: the folded words of the code, the name and the field."""
    return " " + " ".join(words_of(f"{code} {name} {field_name}")) + " "


def _has(word: str) -> Q:
    return Q(search_text__contains=f" {word}") | Q(code__startswith=word)


def ranked(procedures: QuerySet, query: str) -> QuerySet:
    """``procedures`` matching at least half the words of ``query``, best first (no query: all, in
    catalog order)."""
    words = list(dict.fromkeys(words_of(query)))[:MAX_WORDS]
    if not words:
        return procedures
    anywhere = Q()
    for word in words:
        anywhere |= _has(word)
    whole = sum((_one(Q(search_text__contains=f" {word} ")) for word in words), Value(0))
    starts = sum((_one(_has(word)) for word in words), Value(0))
    phrase = Case(
        When(search_text__contains=f" {' '.join(words)}", then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return (
        procedures.filter(anywhere)
        .annotate(phrase_match=phrase, word_hits=whole, start_hits=starts, name_length=Length("name"))
        .filter(start_hits__gte=(len(words) + 1) // 2)
        .order_by("-phrase_match", "-word_hits", "-start_hits", "name_length", "code")
    )


def _one(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())
