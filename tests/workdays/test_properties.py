from datetime import datetime, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from motcua.workdays import rules
from motcua.workdays.rules import Duration, DurationUnit

from .test_rules import CAL

moments = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2026, 12, 31)).map(
    lambda d: d.replace(second=0, microsecond=0, tzinfo=rules.VIETNAM)
)


@given(moments, st.integers(min_value=0, max_value=30 * 8 * 4).map(lambda q: Decimal(q) / 4))
def test_due_is_exactly_the_working_hours_after_the_clock_starts(received, hours):
    due = rules.due_at(CAL, received, Duration(hours, DurationUnit.WORKING_HOURS))
    start = rules.clock_start(CAL, received)
    assert rules.working_hours_between(CAL, start, due) == hours
    assert rules.working_hours_between(CAL, received, due) == hours
    # It lands inside office hours or exactly on a session's closing time, never in a gap.
    closings = {closing for _, closing in CAL.sessions_on(due.date())}
    assert rules.is_working_time(CAL, due) or due in closings or (hours == 0 and due == start)


@given(moments, st.integers(min_value=1, max_value=60))
def test_calendar_day_due_is_a_working_day_closing_not_before_n_days(received, days):
    due = rules.due_at(CAL, received, Duration(days, DurationUnit.CALENDAR_DAYS))
    assert CAL.is_working_day(due.date())
    assert due.time() == CAL.closing_time
    assert due.date() >= received.date() + timedelta(days=days)
    # …and only the days off in between push it later.
    day = received.date() + timedelta(days=days)
    while day < due.date():
        assert not CAL.is_working_day(day)
        day += timedelta(days=1)


@given(moments)
def test_in_day_due_is_the_closing_of_a_working_day_at_most_one_working_day_ahead(received):
    due = rules.due_at(CAL, received, Duration(0, DurationUnit.IN_DAY))
    assert due.time() == CAL.closing_time and CAL.is_working_day(due.date())
    assert due > received
    assert due.date() in {received.date(), CAL.next_working_day(received.date())}
