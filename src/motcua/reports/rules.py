"""The settlement report's rules (form II.06a): periods, columns, identities and rates. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from motcua.dossiers.rules import Channel, Status
from motcua.workdays.rules import VIETNAM, classify_finished


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    NINE_MONTHS = "nine_months"
    YEAR = "year"
    # Decree 09/2019/NĐ-CP Art. 12: figures close on the 14th; each period starts on the 15th of the
    # month before its first month.
    OFFICIAL_MONTH = "official_month"
    OFFICIAL_QUARTER = "official_quarter"
    OFFICIAL_HALF = "official_half"
    OFFICIAL_NINE_MONTHS = "official_nine_months"
    OFFICIAL_YEAR = "official_year"  # 15/12 of the previous year to 14/12


# Each kind as (its months in a year, how many there are): the calendar kinds run from the 1st of
# their first month to the end of their last; the official ones from the 15th of the month before
# to the 14th of their last month.
_SPANS = {
    PeriodKind.MONTH: (1, 12), PeriodKind.QUARTER: (3, 4), PeriodKind.HALF: (6, 2), PeriodKind.NINE_MONTHS: (9, 1),
    PeriodKind.YEAR: (12, 1), PeriodKind.OFFICIAL_MONTH: (1, 12), PeriodKind.OFFICIAL_QUARTER: (3, 4),
    PeriodKind.OFFICIAL_HALF: (6, 2), PeriodKind.OFFICIAL_NINE_MONTHS: (9, 1), PeriodKind.OFFICIAL_YEAR: (12, 1),
}  # fmt: skip


def period(kind: PeriodKind | str, year: int, number: int = 1) -> tuple[date, date]:
    """The first and last day of a reporting period. ``number``: the month, quarter or half (1 for
    the nine months and the year)."""
    kind = PeriodKind(kind)
    months, count = _SPANS[kind]
    if not 1 <= number <= count:
        raise ValueError(f"{kind} {number}: the number runs from 1 to {count}")
    first_month = months * (number - 1) + 1
    last_month = first_month + months - 1
    if kind.value.startswith("official_"):
        before = date(year, first_month, 1) - timedelta(days=1)
        return before.replace(day=15), date(year, last_month, 14)
    return date(year, first_month, 1), _month_end(year, last_month)


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


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
        self.new_online += other.new_online
        self.new_offline += other.new_offline
        self.carried_over += other.carried_over
        self.early += other.early
        self.on_time += other.on_time
        self.late += other.late
        self.open_within += other.open_within
        self.open_overdue += other.open_overdue
        self.digitized += other.digitized

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
    """What the report needs to know of one dossier, as it stood at the cut-off."""

    received_at: datetime
    finished_at: datetime | None
    due_at: datetime
    online: bool
    digitized: bool
    waiting: bool = False  # waiting for a supplement asked after receipt


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
        overdue = facts.due_at < min(end, now) and not facts.waiting
        found["open_overdue" if overdue else "open_within"] = 1
    if facts.digitized:
        found["digitized"] = 1
    return found


# ---------------------------------------------------------------------------------------------
# The ledger: what each change of a dossier adds to the report, as signed counts per day.
#
# A report over [start, end) counts each dossier as it stood at the cut-off (the end, or now),
# in the row of the unit that processed it then. The ledger holds, per unit, procedure and day:
#   flows    new_online, new_offline (on the day of receipt), early, on_time, late and
#            finished_digitized (on the day it finished): a period sums the days in it;
#   balances open, overdue, open_digitized as changes: the sum of the days before a midnight is
#            what was open (overdue, digitized and open) at that midnight.
# The other columns follow: carried over = finished + open - new; digitized = finished_digitized
# + open_digitized. A transfer moves a dossier's receipt to its new unit for cut-offs after it:
# those moves are kept apart, with the day they became known.

FLOWS = ("new_online", "new_offline", "early", "on_time", "late", "finished_digitized")
BALANCES = ("open", "overdue", "open_digitized")
LEDGER = FLOWS + BALANCES


# The fields of a dossier that its place in the settlement report depends on.
LEDGER_FIELDS = (
    "province_id", "procedure_id", "processing_unit_id", "channel", "status", "received_at", "due_at",
    "finished_at", "digitized",
)  # fmt: skip


def reshaped(before: dict, after: dict) -> bool:
    """Whether a change moves the dossier in the reports: another unit, due time or digitization,
    or into or out of waiting for a supplement."""
    waiting = Status.WAITING_SUPPLEMENT
    return any(before[name] != after[name] for name in ("processing_unit_id", "due_at", "digitized")) or (
        before["status"] == waiting
    ) != (after["status"] == waiting)


@dataclass(frozen=True)
class Standing:
    """Where a received dossier stands in the reports from one of its events to the next."""

    unit: int  # the processing unit
    procedure: int
    received_at: datetime
    online: bool
    due_at: datetime
    digitized: bool
    waiting: bool = False
    finished_at: datetime | None = None

    @classmethod
    def of(cls, row: dict) -> Standing | None:
        """From a dossier's fields (``LEDGER_FIELDS``); None before receipt."""
        if row["received_at"] is None:
            return None
        return cls(
            unit=row["processing_unit_id"], procedure=row["procedure_id"], received_at=row["received_at"],
            online=row["channel"] == Channel.ONLINE, due_at=row["due_at"], digitized=bool(row["digitized"]),
            waiting=row["status"] == Status.WAITING_SUPPLEMENT, finished_at=row["finished_at"],
        )  # fmt: skip

    def facts(self) -> Facts:
        return Facts(self.received_at, self.finished_at, self.due_at, self.online, self.digitized, self.waiting)


Key = tuple[int, int, date, str]  # unit, procedure, day, column
MoveKey = tuple[int, int, date, date, str]  # unit, procedure, day of receipt, day known, column


@dataclass
class LedgerChange:
    counts: dict[Key, int] = field(default_factory=dict)
    moves: dict[MoveKey, int] = field(default_factory=dict)

    def add(self, other: LedgerChange) -> None:
        for mine, theirs in ((self.counts, other.counts), (self.moves, other.moves)):
            for key, n in theirs.items():
                mine[key] = mine.get(key, 0) + n

    def pruned(self) -> LedgerChange:
        return LedgerChange({k: n for k, n in self.counts.items() if n}, {k: n for k, n in self.moves.items() if n})


def local_day(moment: datetime) -> date:
    return moment.astimezone(VIETNAM).date()


def ledger_change(before: Standing | None, after: Standing | None, at: datetime) -> LedgerChange:
    """What one event at ``at`` that took a dossier from ``before`` to ``after`` adds to the ledger.

    Events must come in time order. The balances are written as the difference between what the
    new standing and the old would each give at every midnight after ``at`` if nothing else
    happened; so no midnight before the event moves, and the sum up to any midnight is exact.
    """
    change = LedgerChange()
    counts, moves = change.counts, change.moves

    def bump(table, key, n):
        table[key] = table.get(key, 0) + n

    if after is not None and before is None:
        bump(counts, (after.unit, after.procedure, local_day(after.received_at), _intake(after)), 1)
    if after is not None and before is not None and (before.unit, before.procedure) != (after.unit, after.procedure):
        received, known = local_day(after.received_at), local_day(at)
        bump(moves, (before.unit, before.procedure, received, known, _intake(before)), -1)
        bump(moves, (after.unit, after.procedure, received, known, _intake(after)), 1)
    if after is not None and after.finished_at is not None and (before is None or before.finished_at is None):
        day = local_day(after.finished_at)
        bump(counts, (after.unit, after.procedure, day, str(classify_finished(after.due_at, after.finished_at))), 1)
        if after.digitized:
            bump(counts, (after.unit, after.procedure, day, "finished_digitized"), 1)
    day = local_day(at)
    for standing, sign in ((after, 1), (before, -1)):
        for key in _balance_tail(standing, day):
            bump(counts, key, sign)
    return change.pruned()


def _intake(standing: Standing) -> str:
    return "new_online" if standing.online else "new_offline"


def _balance_tail(standing: Standing | None, day: date) -> list[Key]:
    """The balance changes, from ``day`` on, of a standing that would last for ever: open (and
    digitized) from the next midnight; overdue from the midnight after its due time, unless it
    waits for a supplement."""
    if standing is None or standing.finished_at is not None:
        return []
    group = (standing.unit, standing.procedure)
    keys = [(*group, day, "open")]
    if standing.digitized:
        keys.append((*group, day, "open_digitized"))
    if not standing.waiting:
        keys.append((*group, max(day, local_day(standing.due_at)), "overdue"))
    return keys


def migrated_change(standing: Standing) -> LedgerChange:
    """A dossier brought over whole: its receipt, then its finish if it has one."""
    opened = Standing(**{**standing.__dict__, "finished_at": None})
    change = ledger_change(None, opened, standing.received_at)
    if standing.finished_at is not None:
        change.add(ledger_change(opened, standing, standing.finished_at))
    return change.pruned()


# ---------------------------------------------------------------------------------------------
# Half months: the ledger also keeps each half month (1st to 14th, 15th to the end) whole, so that
# calendar and official periods read a few rows per unit and procedure, not one per day.


def half_month(day: date) -> date:
    """The first day of the half month ``day`` is in."""
    return day.replace(day=1 if day.day < 15 else 15)


def next_half_month(start: date) -> date:
    if start.day == 1:
        return start.replace(day=15)
    return _month_end(start.year, start.month) + timedelta(days=1)


def cover(first: date, end: date) -> tuple[list[tuple[date, date]], list[tuple[date, date]]]:
    """[first, end) as whole half months and the days left over at either edge, each a [from, to)."""
    halves, days = [], []
    start = half_month(first)
    if start < first:
        start = next_half_month(start)
    if start >= end:
        return [], [(first, end)]
    if first < start:
        days.append((first, start))
    while next_half_month(start) <= end:
        halves.append((start, next_half_month(start)))
        start = next_half_month(start)
    if start < end:
        days.append((start, end))
    return halves, days
