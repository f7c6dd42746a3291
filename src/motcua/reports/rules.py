"""The settlement report's rules (form II.06a): periods, columns, identities and rates. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from motcua.workdays.rules import VIETNAM, classify_finished


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    NINE_MONTHS = "nine_months"
    YEAR = "year"
    OFFICIAL_MONTH = "official_month"  # Decree 09/2019: the 15th of the previous month to the 14th
    OFFICIAL_YEAR = "official_year"  # 15/12 of the previous year to 14/12


def period(kind: PeriodKind | str, year: int, number: int = 1) -> tuple[date, date]:
    """The first and last day of a reporting period. ``number``: the month, quarter or half."""
    kind = PeriodKind(kind)
    if kind is PeriodKind.MONTH:
        return date(year, number, 1), _month_end(year, number)
    if kind is PeriodKind.QUARTER:
        if not 1 <= number <= 4:
            raise ValueError("a quarter is 1 to 4")
        return date(year, 3 * number - 2, 1), _month_end(year, 3 * number)
    if kind is PeriodKind.HALF:
        if number not in (1, 2):
            raise ValueError("a half is 1 or 2")
        return date(year, 6 * number - 5, 1), _month_end(year, 6 * number)
    if kind is PeriodKind.NINE_MONTHS:
        return date(year, 1, 1), date(year, 9, 30)
    if kind is PeriodKind.YEAR:
        return date(year, 1, 1), date(year, 12, 31)
    if kind is PeriodKind.OFFICIAL_MONTH:
        first = date(year - 1, 12, 15) if number == 1 else date(year, number - 1, 15)
        return first, date(year, number, 14)
    return date(year - 1, 12, 15), date(year, 12, 14)


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """[first 00:00, last 24:00) in Vietnam time."""
    if last < first:
        raise ValueError("the period ends before it starts")
    return datetime.combine(first, time(), VIETNAM), datetime.combine(last + timedelta(days=1), time(), VIETNAM)


COLUMNS = ("total", "new_online", "new_offline", "carried_over", "finished", "early", "on_time", "late", "open",
           "open_within", "open_overdue", "digitized")  # fmt: skip
# The columns counted directly; the others are sums of them (total, finished, open).
BASE = ("new_online", "new_offline", "carried_over", "early", "on_time", "late", "open_within", "open_overdue",
        "digitized")  # fmt: skip


@dataclass
class Counts:
    """One row of the report. Only the base columns are stored; the sums are derived, so the
    identities (3 = 4 + 5 + 6 = 7 + 11, 7 = 8 + 9 + 10, 11 = 12 + 13) hold by construction."""

    new_online: int = 0
    new_offline: int = 0
    carried_over: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    open_within: int = 0
    open_overdue: int = 0
    digitized: int = 0

    @property
    def total(self) -> int:
        return self.new_online + self.new_offline + self.carried_over

    @property
    def finished(self) -> int:
        return self.early + self.on_time + self.late

    @property
    def open(self) -> int:
        return self.open_within + self.open_overdue

    @property
    def digitization_rate(self) -> Decimal:
        return percent(self.digitized, self.total)

    @property
    def online_rate(self) -> Decimal:
        return percent(self.new_online, self.new_online + self.new_offline)

    def add(self, other: Counts) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def as_dict(self) -> dict:
        counts = {name: getattr(self, name) for name in COLUMNS}
        return {**counts, "digitization_rate": self.digitization_rate, "online_rate": self.online_rate}

    def balanced(self) -> bool:
        """Received = finished + open: each dossier handled in the period ends in exactly one."""
        return self.total == self.finished + self.open


def percent(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal("0.00")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class Row:
    key: str
    label: str
    counts: Counts = field(default_factory=Counts)
    kind: str = "group"  # group, subtotal, total
    level: str = ""

    def as_dict(self) -> dict:
        return {"key": self.key, "label": self.label, **self.counts.as_dict()}

    @property
    def values(self) -> list:
        """The row's numbers in the form's column order, then its digitization rate."""
        return [getattr(self.counts, name) for name in COLUMNS] + [self.counts.digitization_rate]


@dataclass(frozen=True)
class Facts:
    """What the report needs to know of one dossier."""

    received_at: datetime
    finished_at: datetime | None
    due_at: datetime
    online: bool
    digitized: bool
    waiting_supplement_since: datetime | None = None


def classify(facts: Facts, start: datetime, end: datetime, now: datetime) -> dict[str, int]:
    """The base columns one dossier adds to its row for [start, end) (empty when it is outside).

    Open dossiers are judged at the cut-off, the period's end or now if that is earlier: overdue
    when their due time has passed; a dossier waiting for a supplement is within its deadline.
    """
    if facts.received_at >= end or (facts.finished_at is not None and facts.finished_at < start):
        return {}
    found = {}
    if facts.received_at >= start:
        found["new_online" if facts.online else "new_offline"] = 1
    else:
        found["carried_over"] = 1
    if facts.finished_at is not None and facts.finished_at < end:
        found[str(classify_finished(facts.due_at, facts.finished_at))] = 1
    else:
        cutoff = min(end, now)
        waiting = facts.waiting_supplement_since is not None and facts.waiting_supplement_since < cutoff
        found["open_overdue" if facts.due_at < cutoff and not waiting else "open_within"] = 1
    if facts.digitized:
        found["digitized"] = 1
    return found
