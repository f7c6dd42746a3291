"""The real-time service index (Decision 766/QĐ-TTg): what each dossier adds to the index's
counters, how an indicator is scored, and the per-dossier evaluation of Circular 01/2018.

Pure rules: no database. The indicators' weights and targets are data (``models.IndicatorSet``);
what each indicator measures is one of the ``Measure`` values below.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from motcua.dossiers.rules import Channel, Outcome, Rating
from motcua.workdays.rules import VIETNAM, Timeliness, classify_finished

TWO_PLACES = Decimal("0.01")
HUNDRED = Decimal(100)

# ---------------------------------------------------------------------------------------------
# Counters. Per unit, procedure and day, as each dossier now stands:
#   on the day of receipt: received; online (counted by the index: an online dossier of a
#   procedure with a paper result counts only once it has an e-result); digitized (documents
#   digitized and, where the result is paper, an e-result); reused; fee_bearing; paid_online;
#   on the day it finished: finished; late; with_result (approved or refused: a result was
#   issued); paper_result (of those, for procedures whose result is a paper document);
#   e_result (of those, issued electronically); disliked (rated "not satisfied").

RECEIPT_COUNTERS = ("received", "online", "digitized", "reused", "fee_bearing", "paid_online")
FINISH_COUNTERS = ("finished", "late", "with_result", "paper_result", "e_result", "disliked")
COUNTERS = RECEIPT_COUNTERS + FINISH_COUNTERS

Key = tuple[int, int, date, str]  # unit, procedure, day, counter

# The fields of a dossier that its place in the service index depends on.
INDEX_FIELDS = (
    "province_id", "procedure_id", "processing_unit_id", "channel", "status", "received_at", "due_at",
    "finished_at", "digitized", "outcome", "result_electronic", "reused", "fee_bearing", "paid_online", "rating",
)  # fmt: skip


@dataclass(frozen=True)
class Standing:
    """What the index needs of one received dossier."""

    unit: int
    procedure: int
    received_at: datetime
    online: bool
    digitized: bool
    reused: bool
    fee_bearing: bool
    paid_online: bool
    paper_result: bool  # the procedure's result is a paper document
    finished_at: datetime | None = None
    due_at: datetime | None = None
    outcome: str = ""
    result_electronic: bool = False
    rating: str = ""

    @classmethod
    def of(cls, row: dict, paper_result: bool) -> Standing | None:
        """From a dossier's fields (``INDEX_FIELDS``); None before receipt."""
        if row["received_at"] is None:
            return None
        return cls(
            unit=row["processing_unit_id"], procedure=row["procedure_id"], received_at=row["received_at"],
            online=row["channel"] == Channel.ONLINE, digitized=bool(row["digitized"]), reused=bool(row["reused"]),
            fee_bearing=bool(row["fee_bearing"]), paid_online=bool(row["paid_online"]), paper_result=paper_result,
            finished_at=row["finished_at"], due_at=row["due_at"], outcome=row["outcome"] or "",
            result_electronic=bool(row["result_electronic"]), rating=row["rating"] or "",
        )  # fmt: skip

    @property
    def has_result(self) -> bool:
        return self.outcome in (Outcome.APPROVED, Outcome.REFUSED)

    def counted_online(self) -> bool:
        return self.online and (not self.paper_result or self.result_electronic)

    def counted_digitized(self) -> bool:
        return self.digitized and (not self.paper_result or self.result_electronic)


def local_day(moment: datetime) -> date:
    return moment.astimezone(VIETNAM).date()


def counters(standing: Standing | None) -> dict[Key, int]:
    """The counters one dossier adds, as it stands."""
    if standing is None:
        return {}
    group = (standing.unit, standing.procedure)
    received = (*group, local_day(standing.received_at))
    flags = {
        "received": True,
        "online": standing.counted_online(),
        "digitized": standing.counted_digitized(),
        "reused": standing.reused,
        "fee_bearing": standing.fee_bearing,
        "paid_online": standing.fee_bearing and standing.paid_online,
    }
    found = {(*received, name): 1 for name, on in flags.items() if on}
    if standing.finished_at is not None:
        finished = (*group, local_day(standing.finished_at))
        with_result = standing.has_result
        flags = {
            "finished": True,
            "late": standing.due_at is not None and standing.finished_at > standing.due_at,
            "with_result": with_result,
            "paper_result": with_result and standing.paper_result,
            "e_result": with_result and standing.paper_result and standing.result_electronic,
            "disliked": standing.rating == Rating.NOT_SATISFIED,
        }
        found.update({(*finished, name): 1 for name, on in flags.items() if on})
    return found


def counter_change(before: Standing | None, after: Standing | None) -> dict[Key, int]:
    """What one change of a dossier adds to the counters: the new standing's less the old one's."""
    change = dict(counters(after))
    for key, n in counters(before).items():
        change[key] = change.get(key, 0) - n
    return {key: n for key, n in change.items() if n}


# ---------------------------------------------------------------------------------------------
# Indicators


class Measure(StrEnum):
    """What an indicator's rate is made of. Those marked "no data" need data this system does not
    hold yet; they are shown as such and left out of the total."""

    PUBLISHED_ON_TIME = "published_on_time"  # 1.1 no data: publication decisions' dates
    NATIONAL_DATABASE = "national_database"  # 1.2 no data: the national procedure database
    PROCEDURES_COMPLETE = "procedures_complete"  # 1.3
    SYNCED = "synced"  # 1.4 data only while synchronisation with the national portal is on
    ON_TIME = "on_time"  # 2.1
    PROCEDURES_ONLINE = "procedures_online"  # 3.1
    ONLINE_SERVICES_USED = "online_services_used"  # 3.2
    ONLINE_DOSSIERS = "online_dossiers"  # 3.3
    PROCEDURES_PAID_ONLINE = "procedures_paid_online"  # 3.4
    FEES_INTEGRATED = "fees_integrated"  # 3.5 no data: fees set up on the national portal
    PAID_ONLINE = "paid_online"  # 3.6
    E_RESULTS = "e_results"  # 4.1
    DIGITIZED = "digitized"  # 4.2
    REUSED = "reused"  # 4.3
    NATIONAL_STORE = "national_store"  # 4.4 no data: the citizens' data store on the national portal
    POPULATION_DATA = "population_data"  # 4.5 no data: VNeID and the population database
    FEEDBACK_HANDLED = "feedback_handled"  # 5.1–5.3 no data: feedback and complaints (PAKN)
    FEEDBACK_ON_TIME = "feedback_on_time"
    FEEDBACK_SATISFACTION = "feedback_satisfaction"
    SATISFACTION = "satisfaction"  # 5.4


NO_DATA = frozenset({
    Measure.PUBLISHED_ON_TIME, Measure.NATIONAL_DATABASE, Measure.SYNCED, Measure.FEES_INTEGRATED,
    Measure.NATIONAL_STORE, Measure.POPULATION_DATA, Measure.FEEDBACK_HANDLED, Measure.FEEDBACK_ON_TIME,
    Measure.FEEDBACK_SATISFACTION,
})  # fmt: skip


@dataclass(frozen=True)
class Ratio:
    """An indicator's rate as counted: ``part`` of ``whole`` (``rate`` overrides part ÷ whole
    where the formula is not a plain share, as satisfaction's)."""

    part: int
    whole: int
    rate: Decimal | None = None

    @property
    def percent(self) -> Decimal:
        if self.rate is not None:
            return self.rate
        return _share(self.part, self.whole)


@functools.lru_cache(maxsize=65536)  # a ranking scores thousands of units, many with the same shares
def _share(part: int, whole: int) -> Decimal:
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(TWO_PLACES, ROUND_HALF_UP)


@functools.lru_cache(maxsize=65536)
def score(rate: Decimal, target: Decimal, maximum: Decimal) -> Decimal:
    """min(max, max × rate ÷ target), to two decimals; a target of 0 gives full marks."""
    if target <= 0:
        return maximum
    points = min(maximum, maximum * rate / target)
    return max(points, Decimal(0)).quantize(TWO_PLACES, ROUND_HALF_UP)


def satisfaction(finished: int, late: int, disliked: int) -> Ratio | None:
    """100% − (% of finished dossiers that were late + % rated "not satisfied"), not below 0."""
    if not finished:
        return None
    late_share = Decimal(late) * HUNDRED / Decimal(finished)
    disliked_share = Decimal(disliked) * HUNDRED / Decimal(finished)
    rate = max(HUNDRED - late_share - disliked_share, Decimal(0)).quantize(TWO_PLACES, ROUND_HALF_UP)
    return Ratio(finished - late - disliked, finished, rate)


def ratio(part: int, whole: int) -> Ratio | None:
    """A share, or None ("no data") when there is nothing to share out."""
    return Ratio(part, whole) if whole else None


@dataclass
class Figures:
    """What a unit's (or a group's) indicators are computed from, for one period."""

    # From the settlement report: finished early or on time, open within the deadline, all handled.
    handled: int = 0
    in_time: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # COUNTERS summed over the period
    procedures: set[int] = field(default_factory=set)  # under the unit's authority (active)
    complete: set[int] = field(default_factory=set)  # of all procedures, those published with every element
    offered_online: set[int] = field(default_factory=set)  # of all procedures, those offered online
    fee_bearing: set[int] = field(default_factory=set)  # of all procedures, those that charge a fee
    used_online: set[int] = field(default_factory=set)  # procedures with an online dossier received in the period
    paid_online: set[int] = field(default_factory=set)  # procedures with a dossier paid online in the period

    def has_dossiers(self) -> bool:
        """Whether any dossier was handled (received, carried over or finished) in the period: a
        unit with none has no data to be ranked on, only the catalogue's standing facts."""
        return self.handled > 0 or any(self.counts.get(name, 0) for name in COUNTERS)

    def add(self, other: Figures) -> None:
        self.handled += other.handled
        self.in_time += other.in_time
        for name, n in other.counts.items():
            self.counts[name] = self.counts.get(name, 0) + n
        for name in ("procedures", "complete", "offered_online", "fee_bearing", "used_online", "paid_online"):
            getattr(self, name).update(getattr(other, name))


def measured(measure: Measure | str, f: Figures) -> Ratio | None:
    """An indicator's rate from the figures; None when there is no data for it."""
    measure = Measure(measure)
    c = f.counts.get
    if measure is Measure.SYNCED and "synced" in f.counts:  # counted while synchronisation is on
        return ratio(c("synced", 0), c("received", 0))
    if measure in NO_DATA:
        return None
    match measure:
        case Measure.PROCEDURES_COMPLETE:
            return ratio(len(f.complete & f.procedures), len(f.procedures))
        case Measure.ON_TIME:
            return ratio(f.in_time, f.handled)
        case Measure.PROCEDURES_ONLINE:
            return ratio(len(f.offered_online & f.procedures), len(f.procedures))
        case Measure.ONLINE_SERVICES_USED:
            online = f.offered_online & f.procedures
            return ratio(len(f.used_online & online), len(online))
        case Measure.ONLINE_DOSSIERS:
            return ratio(c("online", 0), c("received", 0))
        case Measure.PROCEDURES_PAID_ONLINE:
            charging = f.fee_bearing & f.procedures
            return ratio(len(f.paid_online & charging), len(charging))
        case Measure.PAID_ONLINE:
            return ratio(c("paid_online", 0), c("fee_bearing", 0))
        case Measure.E_RESULTS:
            return ratio(c("e_result", 0), c("paper_result", 0))
        case Measure.DIGITIZED:
            return ratio(c("digitized", 0), c("received", 0))
        case Measure.REUSED:
            return ratio(c("reused", 0), c("received", 0))
        case Measure.SATISFACTION:
            return satisfaction(c("finished", 0), c("late", 0), c("disliked", 0))
    raise ValueError(measure)


# ---------------------------------------------------------------------------------------------
# Circular 01/2018/TT-VPCP, Art. 13–15: nine evaluation indices scored 0, 1 or 2. Indices 1, 2,
# 3, 4 and 7 are scored per dossier, 5, 6, 8 and 9 per agency; an index without data is left out.
# We hold no complaints register, so a "not satisfied" rating stands for a complaint (index 7).

CIRCULAR_01_DOSSIER_INDICES = (1, 2, 3, 4, 7)
CIRCULAR_01_INDICES = tuple(range(1, 10))


@dataclass(frozen=True)
class StepTime:
    due_at: datetime
    finished_at: datetime


@dataclass(frozen=True)
class Evaluated:
    """What Circular 01/2018 looks at in one finished dossier."""

    due_at: datetime
    finished_at: datetime
    steps: tuple[StepTime, ...]
    supplements: int
    online: bool
    returned_online: bool
    disliked: bool


def dossier_indices(d: Evaluated) -> dict[int, int]:
    """Indices 1, 2, 3, 4 and 7 of one finished dossier."""
    timeliness = classify_finished(d.due_at, d.finished_at)
    by_time = {Timeliness.EARLY: 2, Timeliness.ON_TIME: 1}.get(timeliness, 0)
    if not d.steps:
        steps = by_time
    elif any(s.finished_at > s.due_at for s in d.steps):
        steps = 0
    elif all(classify_finished(s.due_at, s.finished_at) is Timeliness.EARLY for s in d.steps):
        steps = 2
    else:
        steps = 1
    contacts = 2 if d.supplements == 0 else 1 if d.supplements == 1 else 0
    bodies = 2 if d.online and d.returned_online else 1
    conduct = 0 if d.disliked else by_time
    return {1: by_time, 2: steps, 3: contacts, 4: bodies, 7: conduct}


def online_service_index(procedures_online: Decimal | None, online_share: Decimal | None, online_late: int) -> int:
    """Index 9: at least 20% of eligible procedures online, 30% of dossiers online and no online
    dossier late or left unresolved → 2; 15% to under 30% of dossiers online → 1; else 0."""
    if online_share is None:
        return 0
    if (procedures_online or 0) >= 20 and online_share >= 30 and online_late == 0:
        return 2
    return 1 if online_share >= 15 else 0


class Band(StrEnum):
    EXCELLENT = "excellent"
    GOOD = "good"
    FAIR = "fair"
    AVERAGE = "average"
    WEAK = "weak"


AGENCY_BANDS = ((Decimal(15), Band.EXCELLENT), (Decimal(12), Band.GOOD), (Decimal(9), Band.FAIR),
                (Decimal(6), Band.AVERAGE))  # fmt: skip
FULL_POINTS = Decimal(18)  # nine indices of two points


def agency_band(points: Decimal, available: int) -> tuple[Decimal, Band]:
    """The agency's band from the sum of its index scores. The bands are set on all nine indices
    (18 points); with ``available`` indices scored, the sum is first brought to that scale."""
    scaled = (points * FULL_POINTS / Decimal(2 * available)).quantize(Decimal("0.1"), ROUND_HALF_UP) if available else 0
    for floor, band in AGENCY_BANDS:
        if scaled >= floor:
            return Decimal(scaled), band
    return Decimal(scaled), Band.WEAK


def mean_index(scores: list[int]) -> Decimal:
    """An index over many dossiers: the mean of their scores, to one decimal."""
    return (Decimal(sum(scores)) / Decimal(len(scores))).quantize(Decimal("0.1"), ROUND_HALF_UP)


# ---------------------------------------------------------------------------------------------
# Months: the counters also keep each calendar month whole, so that a period reads one row per
# unit and procedure for each whole month in it and day rows only at its edges.


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(start: date) -> date:
    return date(start.year + start.month // 12, start.month % 12 + 1, 1)


def settled_before(today: date) -> date:
    """Months before this one (the first of last month) change rarely: their figures are kept."""
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def month_cover(first: date, end: date) -> tuple[list[date], list[tuple[date, date]]]:
    """[first, end) as the whole months in it (their first days) and the days left at either
    edge, each a [from, to)."""
    start = month_start(first)
    if start < first:
        start = next_month(start)
    if start >= end or next_month(start) > end:
        return [], [(first, end)]
    months, days = [], []
    if first < start:
        days.append((first, start))
    while next_month(start) <= end:
        months.append(start)
        start = next_month(start)
    if start < end:
        days.append((start, end))
    return months, days
