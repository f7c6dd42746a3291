"""The officers' search box: one text, read as a dossier code (whole or its tail), an ID number, a
phone number or an applicant's name, and looked up within the user's scope, newest first.

    classify("04105.TTPVHCC-261116-0012")  code        the whole code
    classify("261116-0012"), ("0012")      code tail   the day and number, or the number alone
    classify("012345678901")               ID          12 digits (personal identification number)
    classify("0912 345 678"), ("+84 …")    phone       any usual writing of a number
    classify("123456789")                  ID or phone 9 digits: an old ID card, or a phone without its 0
    classify("lo van minh")                name        words in order, each the start of a word of the
                                                       name, with or without diacritics

Each kind reads one indexed key (migration 0008): the code, ``code_number``, ``applicant_id``,
``phone_digits``, or the folded name (trigrams on PostgreSQL).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.functional import cached_property

from motcua.core.text import fold
from motcua.people.models import User

from . import partitions
from .access import OFFICIAL_ROLES, units_in_scope, visible_dossiers
from .folding import PHONE_NOISE, phone_digits
from .models import Consultation, Dossier

CAP = 1000  # results counted and listed at most; past it the page says so and asks for more text
NARROW = 60  # units in scope up to which the scope is read through the units' indexes (a commune, an agency)
CONSULTED = 5000  # dossiers consulted with a narrow scope's units that are named one by one
_DAY_NUMBER = re.compile(r"(\d{6})-(\d{1,6})")
_WORD = re.compile(r"[a-z0-9]+")


class Kind(enum.StrEnum):
    EMPTY = "empty"
    CODE = "code"
    CODE_TAIL = "code_tail"
    ID = "id"
    PHONE = "phone"
    ID_OR_PHONE = "id_or_phone"
    CODE_OR_ID = "code_or_id"
    NAME = "name"


@dataclass(frozen=True)
class Query:
    kind: Kind
    value: str = ""  # the code, number, ID or phone digits; the folded name's words joined by spaces
    day: str = ""  # the code tail's day (yymmdd), when given


def classify(text: str) -> Query:
    """What the text searched is: a pure reading, no database."""
    text = " ".join((text or "").split())
    if not text:
        return Query(Kind.EMPTY)
    if match := _DAY_NUMBER.fullmatch(text):
        return Query(Kind.CODE_TAIL, match[2].zfill(4), day=match[1])
    compact = "".join(c for c in text if c not in PHONE_NOISE)
    if compact.isascii() and compact.isdigit():
        if compact == text and len(compact) <= 6:
            return Query(Kind.CODE_TAIL, compact.zfill(4))
        if text.startswith("+") or (compact.startswith("0") and len(compact) in (10, 11)):
            return Query(Kind.PHONE, phone_digits(compact))
        if compact.startswith("84") and len(compact) == 11:
            return Query(Kind.PHONE, phone_digits(compact))
        if len(compact) == 9:
            return Query(Kind.ID_OR_PHONE, compact)
        return Query(Kind.ID, compact)
    if " " not in text and any(c.isdigit() for c in text):
        return Query(Kind.CODE if "-" in text else Kind.CODE_OR_ID, text)
    words = _WORD.findall(fold(text))
    return Query(Kind.NAME, " ".join(words)) if words else Query(Kind.EMPTY)


def name_pattern(words: list[str]) -> str:
    """A regular expression for the folded name: each word the start of one of the name's words, in
    order, other words between allowed (``lo minh`` finds ``lo van minh``; ``minh lo`` does not)."""
    return "(^| )" + "[^ ]*( .*)? ".join(re.escape(word) for word in words)


def condition(query: Query) -> Q | None:
    """The filter on the dossier table for a classified text (None: nothing is looked for)."""
    value = query.value
    match query.kind:
        case Kind.CODE:
            return Q(code__in=sorted({value, value.upper()}))
        case Kind.CODE_OR_ID:
            both = sorted({value, value.upper()})
            return Q(code__in=both) | Q(applicant_id__in=both)
        case Kind.CODE_TAIL:
            found = Q(code_number=value)
            return found & Q(code__endswith=f"-{query.day}-{value}") if query.day else found
        case Kind.ID:
            return Q(applicant_id=value)
        case Kind.PHONE:
            return Q(phone_digits=value)
        case Kind.ID_OR_PHONE:
            return Q(applicant_id=value) | Q(phone_digits="0" + value)
        case Kind.NAME:
            return Q(applicant_folded__regex=name_pattern(value.split()))
    return None


def months(query: Query) -> Q | None:
    """Where a code naming its day of receipt can be, on monthly partitions: that month, the month
    before (submitted online then, received after), and the rows from before partitioning (as
    ``partitions.codes_taken``). The database then plans and reads two partitions, not every one;
    where they hold nothing, every partition is read."""
    if query.kind is Kind.CODE:
        day = partitions.code_day(query.value)
    elif query.kind is Kind.CODE_TAIL and query.day:
        day = partitions.code_day(f"-{query.day}-{query.value}")
    else:
        return None
    if day is None or not partitions.partitioned():
        return None
    key = partitions.month_key(day)
    low, high = partitions.bounds(partitions.shift(key, -1))[0], partitions.bounds(key)[1]
    return Q(pk__lt=partitions.FIRST_MONTH * partitions.SPAN) | Q(pk__gte=low, pk__lt=high)


def scope(user: User) -> Q | Exists:
    """The user's scope (as ``visible_dossiers``) as a condition the database can combine with a key.

    A narrow scope (a commune's or an agency's few units) is named outright, units and consulted
    dossiers as lists: the database then intersects the key's index with the units' indexes, and a
    common name is read only where the user may see it. A wide one is a correlated EXISTS over
    ``visible_dossiers``, not that queryset itself: its DISTINCT (a dossier seen through several
    consultations) would make the database gather and sort every match before the first page; this
    way it walks the newest rows and stops at a page."""
    units = list(units_in_scope(user, OFFICIAL_ROLES).values_list("pk", flat=True)[: NARROW + 1])
    if len(units) <= NARROW:
        consulted = list(
            Consultation.objects.filter(unit__in=units).values_list("dossier_id", flat=True).distinct()[: CONSULTED + 1]
        )
        if len(consulted) <= CONSULTED:
            mine = Q(assignee=user) | Q(applicant_user=user)
            return Q(receiving_unit__in=units) | Q(processing_unit__in=units) | Q(pk__in=consulted) | mine
    return Exists(visible_dossiers(user).filter(pk=OuterRef("pk")))


def search(user: User, text: str) -> QuerySet[Dossier]:
    """The dossiers within the user's scope that the text names, newest first."""
    query = classify(text)
    found = condition(query)
    if found is None:
        return Dossier.objects.none()
    queryset = Dossier.objects.filter(found).filter(scope(user)).order_by("-pk")
    within = months(query)
    if within is not None and queryset.filter(within).exists():
        return queryset.filter(within)
    return queryset  # a dossier made in another month than its code says (as partitions.by_code reads)


class CappedPaginator(Paginator):
    """Pages over at most ``CAP`` results, counted with a query that stops there: a common name in a
    province's millions is neither counted nor listed whole; ``capped`` tells the page to say so."""

    def __init__(self, object_list, per_page, cap: int = CAP, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def found(self) -> int:
        # Unordered: the database may then find the matches by their key, not walk the newest rows.
        return self.object_list.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.found, self.cap)

    @property
    def capped(self) -> bool:
        return self.found > self.cap
