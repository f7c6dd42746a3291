"""Where a reform task stands at a cut-off, and the yearly task-completion rating. Pure."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal


class Standing(enum.StrEnum):
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    IN_PROGRESS = "in_progress"
    OVERDUE = "overdue"
    NOT_STARTED = "not_started"


ORDER = (Standing.DONE_ON_TIME, Standing.DONE_LATE, Standing.IN_PROGRESS, Standing.OVERDUE, Standing.NOT_STARTED)


def standing(deadline: date, status: str, done_on: date | None, as_of: date, closed: bool = False) -> Standing:
    """A task done by the cut-off is done on time or late by its deadline; one not done is overdue
    once its deadline has passed, else in progress or not started (a task done after the cut-off
    was in progress at it). ``closed``: the cut-off is the end of ``as_of`` (a period's last day),
    so a task due that day and not done is overdue; otherwise it is today, and such a task still
    has the rest of the day."""
    if done_on is not None and done_on <= as_of:
        return Standing.DONE_ON_TIME if done_on <= deadline else Standing.DONE_LATE
    if deadline < as_of or (closed and deadline == as_of):
        return Standing.OVERDUE
    if status == "not_started" and done_on is None:
        return Standing.NOT_STARTED
    return Standing.IN_PROGRESS


@dataclass(frozen=True)
class Band:
    code: str
    label: str
    min: Decimal


@dataclass(frozen=True)
class Rating:
    score: Decimal
    band: Band | None
    tasks: int
    on_time: int
    late: int
    fixes_missed: int


def rate(
    standings: Sequence[Standing],
    fixes_missed: int,
    on_time_weight: Decimal,
    late_weight: Decimal,
    fix_penalty: Decimal,
    bands: Sequence[Band],
) -> Rating:
    """Score out of 100: the tasks' weighted completion share, less a penalty per inspection fix
    not made by its deadline, kept within 0–100; the band is the highest whose floor it reaches.
    A unit with no task is scored on its fixes alone (100 less the penalties)."""
    on_time = sum(1 for s in standings if s is Standing.DONE_ON_TIME)
    late = sum(1 for s in standings if s is Standing.DONE_LATE)
    total = len(standings)
    base = (on_time_weight * on_time + late_weight * late) * 100 / total if total else Decimal(100)
    score = min(max(base - fix_penalty * fixes_missed, Decimal(0)), Decimal(100))
    score = score.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    band = next((b for b in sorted(bands, key=lambda b: b.min, reverse=True) if score >= b.min), None)
    return Rating(score, band, total, on_time, late, fixes_missed)
