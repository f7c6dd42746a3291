"""Working time and due-time arithmetic for one-stop dossiers: pure functions over plain values.

The rules (see domain.md, "Time"):
- Working time is the office sessions of working days. A working day is a weekday that is not a
  day off, or a make-up working day (usually a Saturday).
- A dossier received during office hours starts its clock at once; otherwise at the next opening.
- Due = start + duration in working hours (1 working day = 8 h) along the sessions. A due time
  that lands exactly on a closing time stays there; it does not roll to the next opening.
- "In the day": closing time of the day of receipt, or of the next working day when received
  after the cut-off (15:00) or on a day off.
- Calendar days: closing time of the Nth calendar day after the day of receipt (that day not
  counted, Civil Code Art. 147); when that day is off, closing time of the next working day.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
HOURS_PER_WORKING_DAY = 8


class DurationUnit(enum.StrEnum):
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    WORKING_HOURS = "working_hours"
    IN_DAY = "in_day"


class Timeliness(enum.StrEnum):
    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"
    WITHIN_DEADLINE = "within_deadline"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Duration:
    value: Decimal
    unit: DurationUnit

    def __post_init__(self):
        object.__setattr__(self, "value", Decimal(self.value))
        object.__setattr__(self, "unit", DurationUnit(self.unit))
        if self.value < 0:
            raise ValueError("a duration cannot be negative")

    @property
    def working_hours(self) -> Decimal | None:
        """The duration in working hours, for the units measured in working time."""
        if self.unit is DurationUnit.WORKING_DAYS:
            return self.value * HOURS_PER_WORKING_DAY
        if self.unit is DurationUnit.WORKING_HOURS:
            return self.value
        return None


class CalendarRangeError(ValueError):
    """A computation ran past the years the calendar was built for."""


@dataclass(frozen=True)
class OfficeCalendar:
    sessions: tuple[tuple[time, time], ...]
    days_off: frozenset[date]
    make_up_days: frozenset[date]
    first_year: int
    last_year: int
    weekend: frozenset[int] = frozenset({5, 6})
    same_day_cutoff: time = time(15, 0)
    tz: ZoneInfo = VIETNAM

    def __post_init__(self):
        if not self.sessions:
            raise ValueError("office hours need at least one session")
        previous_close = None
        for opening, closing in self.sessions:
            if not opening < closing or (previous_close and opening < previous_close):
                raise ValueError("office sessions must be ordered and not overlap")
            previous_close = closing

    @property
    def closing_time(self) -> time:
        return self.sessions[-1][1]

    def is_working_day(self, day: date) -> bool:
        if not self.first_year <= day.year <= self.last_year:
            raise CalendarRangeError(f"{day} is outside the calendar ({self.first_year}–{self.last_year})")
        if day in self.make_up_days:
            return True
        return day not in self.days_off and day.weekday() not in self.weekend

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def sessions_on(self, day: date) -> list[tuple[datetime, datetime]]:
        if not self.is_working_day(day):
            return []
        return [
            (datetime.combine(day, opening, self.tz), datetime.combine(day, closing, self.tz))
            for opening, closing in self.sessions
        ]

    def closing_on(self, day: date) -> datetime:
        return datetime.combine(day, self.closing_time, self.tz)


def to_local(calendar: OfficeCalendar, moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("a moment must carry its time zone")
    return moment.astimezone(calendar.tz)


def is_working_time(calendar: OfficeCalendar, moment: datetime) -> bool:
    moment = to_local(calendar, moment)
    return any(opening <= moment < closing for opening, closing in calendar.sessions_on(moment.date()))


def clock_start(calendar: OfficeCalendar, received_at: datetime) -> datetime:
    """When the clock starts: at once during office hours, otherwise at the next opening."""
    return add_working_time(calendar, received_at, timedelta(0))


def add_working_time(calendar: OfficeCalendar, start: datetime, amount: timedelta) -> datetime:
    """``start`` moved forward by ``amount`` of working time.

    Lands on a closing time rather than the next opening when the amount runs out exactly there.
    """
    if amount < timedelta(0):
        raise ValueError("cannot add negative working time")
    cursor = to_local(calendar, start)
    remaining = amount
    day = cursor.date()
    while True:
        for opening, closing in calendar.sessions_on(day):
            if cursor >= closing:
                continue
            segment_start = max(cursor, opening)
            available = closing - segment_start
            if remaining <= available:
                return segment_start + remaining
            remaining -= available
        day += timedelta(days=1)


def add_working_hours(calendar: OfficeCalendar, start: datetime, hours: Decimal | int | float) -> datetime:
    return add_working_time(calendar, start, _hours(hours))


def working_time_between(calendar: OfficeCalendar, start: datetime, end: datetime) -> timedelta:
    """Working time from ``start`` to ``end``; negative when ``end`` comes first."""
    if end < start:
        return -working_time_between(calendar, end, start)
    start, end = to_local(calendar, start), to_local(calendar, end)
    total = timedelta(0)
    day = start.date()
    while day <= end.date():
        for opening, closing in calendar.sessions_on(day):
            overlap = min(closing, end) - max(opening, start)
            if overlap > timedelta(0):
                total += overlap
        day += timedelta(days=1)
    return total


def working_hours_between(calendar: OfficeCalendar, start: datetime, end: datetime) -> Decimal:
    return Decimal(working_time_between(calendar, start, end).total_seconds()) / 3600


def due_at(calendar: OfficeCalendar, received_at: datetime, duration: Duration) -> datetime:
    """The appointment (ngày hẹn trả) of a dossier received at ``received_at``."""
    received = to_local(calendar, received_at)
    if duration.unit is DurationUnit.IN_DAY:
        day = received.date()
        if calendar.is_working_day(day) and received.time() <= calendar.same_day_cutoff:
            return calendar.closing_on(day)
        return calendar.closing_on(calendar.next_working_day(day))
    if duration.unit is DurationUnit.CALENDAR_DAYS:
        if duration.value != int(duration.value):
            raise ValueError("calendar-day durations are whole days")
        last_day = received.date() + timedelta(days=int(duration.value))
        if not calendar.is_working_day(last_day):
            last_day = calendar.next_working_day(last_day)
        return calendar.closing_on(last_day)
    return add_working_time(calendar, received, _hours(duration.working_hours))


def classify_finished(due: datetime, finished: datetime, tz: ZoneInfo = VIETNAM) -> Timeliness:
    """Late after the due time; on time on the due date's day; early on an earlier day."""
    if finished > due:
        return Timeliness.LATE
    if finished.astimezone(tz).date() == due.astimezone(tz).date():
        return Timeliness.ON_TIME
    return Timeliness.EARLY


def classify_open(due: datetime, cutoff: datetime) -> Timeliness:
    """An open dossier at a cut-off: overdue once its due time has passed."""
    return Timeliness.OVERDUE if due < cutoff else Timeliness.WITHIN_DEADLINE


def _hours(hours: Decimal | int | float) -> timedelta:
    seconds = Decimal(str(hours)) * 3600
    if seconds < 0:
        raise ValueError("hours cannot be negative")
    return timedelta(seconds=int(seconds))


def period_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """[first 00:00, last 24:00) in Vietnam time."""
    if last < first:
        raise ValueError("the period ends before it starts")
    return datetime.combine(first, time(), VIETNAM), datetime.combine(last + timedelta(days=1), time(), VIETNAM)
