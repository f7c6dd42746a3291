"""The PAR index (chỉ số cải cách hành chính) arithmetic: points, percent, ranks with ties, groups,
changes against last year, averages, streaks and what lifts a unit to the next group. Pure: plain
values in, plain values out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from motcua.core import ranking

CENT = Decimal("0.01")


def two(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Band:
    """A group (xếp loại) by percent of the maximum: ``code`` from ``min_percent`` up."""

    code: str
    min_percent: Decimal
    label: str = ""


@dataclass(frozen=True)
class Lost:
    """Points a unit did not get on one criterion."""

    code: str
    title: str
    lost: Decimal


@dataclass(frozen=True)
class UnitPoints:
    unit_code: str
    unit_name: str
    points: Decimal
    max_points: Decimal
    areas: dict[str, Decimal] = field(default_factory=dict)  # area code → points
    has_data: bool = True  # False: not a single score for the unit, so it is not ranked


@dataclass(frozen=True)
class Previous:
    points: Decimal
    rank: int


@dataclass(frozen=True)
class ResultRow:
    unit_code: str
    unit_name: str
    points: Decimal
    max_points: Decimal
    percent: Decimal
    rank: int
    rank_change: int | None  # places up (positive) or down against last year
    points_change: Decimal | None
    group: str
    areas: dict[str, Decimal]

    def as_dict(self) -> dict:
        return {
            "unit_code": self.unit_code,
            "unit_name": self.unit_name,
            "points": str(self.points),
            "max_points": str(self.max_points),
            "percent": str(self.percent),
            "rank": self.rank,
            "rank_change": self.rank_change,
            "points_change": None if self.points_change is None else str(self.points_change),
            "group": self.group,
        }


@dataclass(frozen=True)
class Summary:
    count: int
    average: Decimal | None
    average_change: Decimal | None
    groups: dict[str, int]

    def as_dict(self) -> dict:
        return {
            "count": self.count,
            "average": None if self.average is None else str(self.average),
            "average_change": None if self.average_change is None else str(self.average_change),
            "groups": self.groups,
        }


def percent(points: Decimal, max_points: Decimal) -> Decimal:
    """The points as a percent of the maximum, to two decimals (half up)."""
    if not max_points:
        return Decimal("0.00")
    return two(Decimal(points) * 100 / Decimal(max_points))


def group_of(value: Decimal, bands: Sequence[Band]) -> str:
    """The highest band whose floor the percent reaches ("" below every band)."""
    for band in sorted(bands, key=lambda b: b.min_percent, reverse=True):
        if value >= band.min_percent:
            return band.code
    return ""


def competition_ranks(values: Iterable[tuple[str, Decimal]]) -> dict[str, int]:
    """Standard competition ranking, highest first: equal values share a rank and the next rank
    skips as many places (1, 2, 2, 4)."""
    return ranking.competition(values)


def results(
    units: Sequence[UnitPoints], bands: Sequence[Band], previous: dict[str, Previous] | None = None
) -> list[ResultRow]:
    """One row per unit with data, best first: rank among them by percent of the unit's maximum
    (which differs where criteria do not apply to a unit), change against last year, group. Units
    without data get no row (``without_data`` lists them)."""
    previous = previous or {}
    units = [u for u in units if u.has_data]
    ranks = competition_ranks((u.unit_code, percent(u.points, u.max_points)) for u in units)
    rows = []
    for unit in units:
        share = percent(unit.points, unit.max_points)
        before = previous.get(unit.unit_code)
        rows.append(
            ResultRow(
                unit_code=unit.unit_code,
                unit_name=unit.unit_name,
                points=two(unit.points),
                max_points=two(unit.max_points),
                percent=share,
                rank=ranks[unit.unit_code],
                rank_change=None if before is None else before.rank - ranks[unit.unit_code],
                points_change=None if before is None else two(unit.points - before.points),
                group=group_of(share, bands),
                areas=dict(unit.areas),
            )
        )
    return sorted(rows, key=lambda r: (r.rank, r.unit_code))


def without_data(units: Sequence[UnitPoints]) -> list[UnitPoints]:
    """The units with not a single score: listed apart, with no rank, and not counted."""
    return sorted((u for u in units if not u.has_data), key=lambda u: u.unit_code)


def summary(rows: Sequence[ResultRow], bands: Sequence[Band], previous_points: Sequence[Decimal] = ()) -> Summary:
    """The average points of the units and its change, and how many units fall in each group."""
    average = two(sum((r.points for r in rows), Decimal(0)) / len(rows)) if rows else None
    before = two(sum(previous_points, Decimal(0)) / len(previous_points)) if previous_points else None
    groups = {band.code: 0 for band in sorted(bands, key=lambda b: b.min_percent, reverse=True)}
    for row in rows:
        if row.group:
            groups[row.group] = groups.get(row.group, 0) + 1
    change = None if average is None or before is None else average - before
    return Summary(len(rows), average, change, groups)


def streak(ranks_by_year: Sequence[int | None], rank: int = 1) -> int:
    """How many years running, ending with the last, the unit held ``rank`` (default first)."""
    count = 0
    for value in reversed(ranks_by_year):
        if value != rank:
            break
        count += 1
    return count


def lift_to_next_group(
    points: Decimal, max_points: Decimal, bands: Sequence[Band], lost: Sequence[Lost]
) -> tuple[str, Decimal, list[Lost]] | None:
    """The next group up, the points still missing for it, and the fewest criteria (largest losses
    first) whose lost points would cover them. None when the unit is in the top group or no
    criterion could lift it."""
    current = percent(points, max_points)
    higher = sorted((b for b in bands if b.min_percent > current), key=lambda b: b.min_percent)
    if not higher:
        return None
    target = higher[0]
    needed = two(Decimal(max_points) * target.min_percent / 100 - Decimal(points))
    chosen, covered = [], Decimal(0)
    for item in sorted(lost, key=lambda item: (-item.lost, item.code)):
        if covered >= needed:
            break
        if item.lost > 0:
            chosen.append(item)
            covered += item.lost
    if covered < needed:
        return None
    return target.code, needed, chosen


# ---------------------------------------------------------------------------------------------
# Self-assessment progress: what a framework shows before scores are appraised, instead of ranks.


class Progress(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    APPRAISED = "appraised"


APPRAISED_STATUSES = frozenset({"appraised", "responded", "final"})


def progress_of(status: str | None, self_scored: int) -> Progress:
    """Where a unit stands: its assessment's status (None: none yet) and how many criteria it has
    scored itself."""
    if status in APPRAISED_STATUSES:
        return Progress.APPRAISED
    if status == "submitted":
        return Progress.SUBMITTED
    return Progress.IN_PROGRESS if self_scored else Progress.NOT_STARTED


@dataclass(frozen=True)
class ProgressSummary:
    total: int
    counts: dict[Progress, int]
    submitted: int  # submitted or further on
    submitted_percent: Decimal | None

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "counts": {str(k): v for k, v in self.counts.items()},
            "submitted": self.submitted,
            "submitted_percent": None if self.submitted_percent is None else str(self.submitted_percent),
        }


def progress_summary(states: Iterable[Progress]) -> ProgressSummary:
    counts = {state: 0 for state in Progress}
    for state in states:
        counts[state] += 1
    total = sum(counts.values())
    submitted = counts[Progress.SUBMITTED] + counts[Progress.APPRAISED]
    return ProgressSummary(total, counts, submitted, ranking.share(Decimal(submitted), Decimal(total)))
