"""Due-time rules against hand-computed cases, one commented row per case (Vietnam time).

Office hours 07:30–11:30 and 13:30–17:30. Days off and make-up days are the `holidays`
package's for Vietnam:
2024: Tết 08/02 (Thu)–14/02 (Wed); Giỗ Tổ 18/04 (Thu); 29/04 (Mon) off, made up Sat 04/05;
      30/04, 01/05; 02/09 (Mon) + 03/09 (Tue).
2025: Tết 27/01 (Mon)–01/02 (Sat); Giỗ Tổ 07/04 (Mon); 30/04, 01/05, 02/05 (Fri) off, made up
      Sat 26/04; 01/09 (Mon) + 02/09 (Tue).
2026: Tết 16/02 (Mon)–20/02 (Fri); Giỗ Tổ 26/04 (Sun) → 27/04 (Mon) off; 30/04, 01/05;
      31/08 (Mon) off, made up Sat 22/08; 01/09, 02/09; 24/11 (Tue) Ngày Văn hóa Việt Nam.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import holidays
import pytest

from motcua.workdays import rules
from motcua.workdays.rules import Duration, DurationUnit, OfficeCalendar, Timeliness

VN = rules.VIETNAM


def build_calendar(extra_off=(), extra_working=()) -> OfficeCalendar:
    national = holidays.Vietnam(years=range(2023, 2029), language="vi")
    return OfficeCalendar(
        sessions=((time(7, 30), time(11, 30)), (time(13, 30), time(17, 30))),
        days_off=frozenset(set(national) | set(extra_off)),
        make_up_days=frozenset(set(national.weekend_workdays) | set(extra_working)),
        first_year=2023,
        last_year=2028,
    )


CAL = build_calendar()


def at(text: str) -> datetime:
    """'2024-02-07 16:00' in Vietnam time."""
    return datetime.fromisoformat(text).replace(tzinfo=VN)


WD, CD, WH, IN_DAY = (
    DurationUnit.WORKING_DAYS,
    DurationUnit.CALENDAR_DAYS,
    DurationUnit.WORKING_HOURS,
    DurationUnit.IN_DAY,
)

DUE_CASES = [
    # received,            value, unit,  due                  # why
    ("2026-11-23 08:00", 1, WD, "2026-11-25 08:00"),  # Mon + 8 h; Tue 24/11 is Ngày Văn hóa Việt Nam
    ("2026-11-20 10:00", 3, WD, "2026-11-26 10:00"),  # Fri → Mon, (Tue off), Wed, Thu 10:00
    ("2024-03-04 07:30", 1, WD, "2024-03-04 17:30"),  # at opening: 8 h end exactly at closing, same day
    ("2024-03-04 07:00", 1, WD, "2024-03-04 17:30"),  # before opening: clock starts 07:30
    ("2024-03-04 12:15", 1, WD, "2024-03-05 11:30"),  # at lunch: starts 13:30; 4 h Mon + 4 h Tue → 11:30 bell
    ("2024-03-04 18:00", 1, WD, "2024-03-05 17:30"),  # after closing: starts Tue 07:30
    ("2024-03-09 09:00", 2, WD, "2024-03-12 17:30"),  # Saturday: starts Mon 07:30, two full days
    ("2024-03-04 16:30", Decimal("0.5"), WD, "2024-03-05 10:30"),  # half day = 4 h: 1 h Mon + 3 h Tue
    ("2024-03-04 10:00", 4, WH, "2024-03-04 16:00"),  # 1.5 h morning + 2.5 h from 13:30
    ("2024-03-04 11:30", 2, WH, "2024-03-04 15:30"),  # received at the lunch bell
    ("2024-03-04 15:30", 2, WH, "2024-03-04 17:30"),  # ends exactly at closing: stays at 17:30
    # Tết 2024: off Thu 08/02 – Wed 14/02 (and the weekend inside it)
    ("2024-02-07 16:00", 1, WD, "2024-02-15 16:00"),  # 1.5 h Wed, Tết, then 4 h + 2.5 h Thu 15/02
    ("2024-02-07 08:00", 5, WD, "2024-02-21 08:00"),  # 5th working day after Wed: 15, 16, 19, 20, 21
    ("2024-02-10 09:00", 1, WD, "2024-02-15 17:30"),  # received on Tết day: starts Thu 15/02
    # Tết 2026: off Mon 16/02 – Fri 20/02
    ("2026-02-13 14:00", 3, WD, "2026-02-25 14:00"),  # Fri → skips the Tết week
    ("2026-02-12 08:00", 1, WD, "2026-02-13 08:00"),  # plain Thursday before Tết
    ("2026-02-13 08:00", 2, WD, "2026-02-24 08:00"),  # 2nd working day after Fri 13/02: Mon 23, Tue 24
    # 30/4 – 1/5
    ("2024-04-26 09:00", 2, WD, "2024-05-03 09:00"),  # Fri; 29/04, 30/04, 01/05 off → Thu 2/5, Fri 3/5
    ("2024-04-26 09:00", 5, WD, "2024-05-07 09:00"),  # … Thu 2, Fri 3, make-up Sat 4/5, Mon 6 → Tue 7
    ("2025-04-25 09:00", 1, WD, "2025-04-26 09:00"),  # Sat 26/04/2025 is a make-up working day
    ("2025-04-29 09:00", 1, WD, "2025-05-05 09:00"),  # Tue; 30/4, 1/5, 2/5 (substituted) off, weekend
    ("2026-04-24 10:00", 2, WD, "2026-04-29 10:00"),  # Fri; Mon 27/04 is the substituted Giỗ Tổ day
    # 2/9 with its adjacent day
    ("2024-08-30 10:00", 1, WD, "2024-09-04 10:00"),  # Fri; Mon 2/9 and Tue 3/9 off
    ("2025-08-29 10:00", 1, WD, "2025-09-03 10:00"),  # Fri; Mon 1/9 and Tue 2/9 off
    ("2026-08-21 10:00", 1, WD, "2026-08-22 10:00"),  # Fri; Sat 22/08/2026 is a make-up working day
    ("2026-08-28 10:00", 1, WD, "2026-09-03 10:00"),  # Fri; Mon 31/08 (substituted), 1/9, 2/9 off
    # Year ends
    ("2024-12-31 14:00", 1, WD, "2025-01-02 14:00"),  # New Year's Day off
    ("2025-12-31 17:29", 1, WD, "2026-01-02 17:29"),  # 1 min on Wed 31/12, 1/1 off, 7 h 59 min Fri 2/1
    ("2026-12-31 17:30", 1, WD, "2027-01-04 17:30"),  # received at closing: starts Mon 4/1 (1/1 is Fri)
    # "In the day": closing the same working day, or the next one after 15:00
    ("2024-03-04 09:00", 0, IN_DAY, "2024-03-04 17:30"),
    ("2024-03-04 15:00", 0, IN_DAY, "2024-03-04 17:30"),  # 15:00 sharp is not after 15:00
    ("2024-03-04 15:01", 0, IN_DAY, "2024-03-05 17:30"),
    ("2024-03-08 16:00", 0, IN_DAY, "2024-03-11 17:30"),  # Friday after 15:00 → Monday
    ("2024-03-09 09:00", 0, IN_DAY, "2024-03-11 17:30"),  # Saturday → Monday
    ("2024-02-07 16:00", 0, IN_DAY, "2024-02-15 17:30"),  # eve of Tết 2024 after 15:00 → after Tết
    ("2024-03-04 06:45", 0, IN_DAY, "2024-03-04 17:30"),  # before opening: still the same day
    # Calendar days: closing of the Nth day after receipt; a day off moves it to the next working day
    ("2024-03-04 10:00", 15, CD, "2024-03-19 17:30"),  # Mon 4/3 + 15 days = Tue 19/3
    ("2024-03-01 10:00", 15, CD, "2024-03-18 17:30"),  # Fri 1/3 + 15 = Sat 16/3 → Mon 18/3
    ("2024-01-30 10:00", 10, CD, "2024-02-15 17:30"),  # + 10 = Fri 9/2, in Tết → Thu 15/2
    ("2024-04-20 10:00", 10, CD, "2024-05-02 17:30"),  # + 10 = Tue 30/4 → 1/5 off → Thu 2/5
    ("2024-12-22 10:00", 10, CD, "2025-01-02 17:30"),  # + 10 = Wed 1/1/2025 → Thu 2/1
    ("2026-04-24 17:00", 45, CD, "2026-06-08 17:30"),  # + 45 = Mon 8/6
    ("2026-11-14 09:00", 10, CD, "2026-11-25 17:30"),  # + 10 = Tue 24/11 (off) → Wed 25/11
    # Long working-day durations over a holiday season
    ("2024-01-22 08:00", 15, WD, "2024-02-19 08:00"),  # 12 working days to Wed 7/2, Tết, 15, 16, 19/2
    ("2026-03-02 07:30", 21, WD, "2026-03-30 17:30"),  # 168 h from an opening: Mon 30/3 at closing
]


@pytest.mark.parametrize(("received", "value", "unit", "expected"), DUE_CASES)
def test_due_at(received, value, unit, expected):
    assert rules.due_at(CAL, at(received), Duration(Decimal(value), unit)) == at(expected)


def test_due_at_converts_utc_input_and_returns_vietnam_time():
    received = at("2024-03-04 10:00").astimezone(rules.ZoneInfo("UTC"))
    due = rules.due_at(CAL, received, Duration(4, WH))
    assert due == at("2024-03-04 16:00")
    assert due.utcoffset() == timedelta(hours=7)


@pytest.mark.parametrize(
    ("moment", "working"),
    [
        ("2024-03-04 07:29", False),
        ("2024-03-04 07:30", True),
        ("2024-03-04 11:29", True),
        ("2024-03-04 11:30", False),  # lunch starts
        ("2024-03-04 13:30", True),
        ("2024-03-04 17:30", False),  # closed
        ("2024-03-09 09:00", False),  # Saturday
        ("2024-05-04 09:00", True),  # make-up Saturday
        ("2024-04-29 09:00", False),  # substituted day off
        ("2026-11-24 09:00", False),  # Ngày Văn hóa Việt Nam
    ],
)
def test_is_working_time(moment, working):
    assert rules.is_working_time(CAL, at(moment)) is working


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        ("2024-03-04 07:30", "2024-03-04 17:30", 8),
        ("2024-03-04 10:00", "2024-03-04 14:00", Decimal("2")),  # 1.5 h + 0.5 h
        ("2024-03-08 16:30", "2024-03-11 08:30", 2),  # Friday evening to Monday morning
        ("2024-02-07 07:30", "2024-02-15 17:30", 16),  # Tết in between counts nothing
        ("2024-03-04 12:00", "2024-03-04 13:00", 0),  # all in the lunch break
        ("2024-03-04 14:00", "2024-03-04 10:00", Decimal("-2")),  # reversed
    ],
)
def test_working_hours_between(start, end, hours):
    assert rules.working_hours_between(CAL, at(start), at(end)) == Decimal(hours)


def test_clock_start():
    assert rules.clock_start(CAL, at("2024-03-04 12:00")) == at("2024-03-04 13:30")
    assert rules.clock_start(CAL, at("2024-03-04 09:10")) == at("2024-03-04 09:10")
    assert rules.clock_start(CAL, at("2024-02-07 17:45")) == at("2024-02-15 07:30")


def test_overrides_win_over_the_package():
    # A province declares Monday 4/3/2024 off and Saturday 9/3/2024 a working day:
    # 0.5 h on Friday, then 7.5 h on the next working day ends at 17:00.
    calendar = build_calendar(extra_off=[date(2024, 3, 4)], extra_working=[date(2024, 3, 9)])
    assert rules.due_at(calendar, at("2024-03-01 17:00"), Duration(1, WD)) == at("2024-03-05 17:00")
    assert rules.due_at(calendar, at("2024-03-08 17:00"), Duration(1, WD)) == at("2024-03-09 17:00")
    assert rules.due_at(CAL, at("2024-03-01 17:00"), Duration(1, WD)) == at("2024-03-04 17:00")


@pytest.mark.parametrize(
    ("due", "finished", "expected"),
    [
        ("2024-03-05 17:30", "2024-03-04 16:00", Timeliness.EARLY),
        ("2024-03-05 17:30", "2024-03-05 08:00", Timeliness.ON_TIME),  # same day as the due date
        ("2024-03-05 17:30", "2024-03-05 17:30", Timeliness.ON_TIME),  # exactly at the due time
        ("2024-03-05 10:00", "2024-03-05 10:01", Timeliness.LATE),
        ("2024-03-05 17:30", "2024-03-06 07:30", Timeliness.LATE),
    ],
)
def test_classify_finished(due, finished, expected):
    assert rules.classify_finished(at(due), at(finished)) is expected


def test_classify_open():
    assert rules.classify_open(at("2024-03-05 17:30"), at("2024-03-06 00:00")) is Timeliness.OVERDUE
    assert rules.classify_open(at("2024-03-06 00:00"), at("2024-03-06 00:00")) is Timeliness.WITHIN_DEADLINE


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError):
        rules.due_at(CAL, datetime(2024, 3, 4, 9), Duration(1, WD))  # naive
    with pytest.raises(ValueError):
        Duration(-1, WD)
    with pytest.raises(ValueError):
        rules.due_at(CAL, at("2024-03-04 09:00"), Duration(Decimal("1.5"), CD))
    with pytest.raises(rules.CalendarRangeError):
        rules.due_at(CAL, at("2028-12-20 09:00"), Duration(30, WD))
    with pytest.raises(ValueError):
        OfficeCalendar(((time(13), time(17)), (time(8), time(12))), frozenset(), frozenset(), 2024, 2024)


def test_period_bounds_are_vietnam_midnights():
    start, end = rules.period_bounds(date(2023, 11, 1), date(2023, 11, 30))
    assert (start, end) == (datetime(2023, 11, 1, tzinfo=rules.VIETNAM), datetime(2023, 12, 1, tzinfo=rules.VIETNAM))
    with pytest.raises(ValueError):
        rules.period_bounds(date(2023, 11, 2), date(2023, 11, 1))
