from datetime import date
from decimal import Decimal as D

import pytest

from motcua.plans import rules
from motcua.plans.rules import Standing

DEADLINE = date(2026, 3, 31)


@pytest.mark.parametrize(
    ("status", "done_on", "as_of", "expected"),
    [
        ("done", date(2026, 3, 31), date(2026, 6, 30), Standing.DONE_ON_TIME),  # on the deadline itself
        ("done", date(2026, 4, 1), date(2026, 6, 30), Standing.DONE_LATE),
        ("done", date(2026, 4, 1), date(2026, 3, 31), Standing.IN_PROGRESS),  # done after the cut-off
        ("done", date(2026, 4, 15), date(2026, 4, 10), Standing.OVERDUE),  # not done yet at the cut-off, past due
        ("in_progress", None, date(2026, 3, 31), Standing.IN_PROGRESS),  # due today: the rest of the day
        ("in_progress", None, date(2026, 4, 1), Standing.OVERDUE),
        ("not_started", None, date(2026, 2, 1), Standing.NOT_STARTED),
        ("not_started", None, date(2026, 4, 1), Standing.OVERDUE),
    ],
)
def test_where_a_task_stands(status, done_on, as_of, expected):
    assert rules.standing(DEADLINE, status, done_on, as_of) is expected


def test_at_the_end_of_a_period_a_task_due_that_day_and_not_done_is_overdue():
    assert rules.standing(DEADLINE, "in_progress", None, DEADLINE, closed=True) is Standing.OVERDUE
    assert rules.standing(DEADLINE, "done", DEADLINE, DEADLINE, closed=True) is Standing.DONE_ON_TIME


BANDS = [
    rules.Band("excellent", "Xuất sắc", D(90)),
    rules.Band("good", "Tốt", D(70)),
    rules.Band("completed", "Hoàn thành", D(50)),
    rules.Band("not", "Không hoàn thành", D(0)),
]


def test_a_rating_weighs_late_tasks_and_takes_off_missed_fixes():
    s = [Standing.DONE_ON_TIME] * 7 + [Standing.DONE_LATE] * 2 + [Standing.OVERDUE]
    found = rules.rate(s, 1, D(1), D("0.5"), D(5), BANDS)
    assert (found.score, found.band.code, found.on_time, found.late) == (D("75.00"), "good", 7, 2)  # 80 − 5
    assert rules.rate(s, 0, D(1), D("0.5"), D(5), BANDS).score == D("80.00")
    assert rules.rate(s, 20, D(1), D("0.5"), D(5), BANDS).score == D("0.00")  # never below zero
    assert rules.rate([], 0, D(1), D("0.5"), D(5), BANDS).score == D("100.00")  # no task due
    assert (
        rules.rate([Standing.DONE_ON_TIME] * 9 + [Standing.DONE_LATE], 0, D(1), D("0.5"), D(5), BANDS).band.code
        == "excellent"
    )  # 95
