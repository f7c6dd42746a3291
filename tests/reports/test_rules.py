"""The report's pure rules: periods, the classification of one dossier, the identities."""

from datetime import date, datetime

import pytest

from motcua.reports import rules
from motcua.reports.rules import Counts, Facts, PeriodKind
from motcua.workdays.rules import VIETNAM


def vn(*args):
    return datetime(*args, tzinfo=VIETNAM)


@pytest.mark.parametrize(
    ("kind", "year", "number", "first", "last"),
    [
        (PeriodKind.MONTH, 2024, 2, date(2024, 2, 1), date(2024, 2, 29)),
        (PeriodKind.MONTH, 2023, 12, date(2023, 12, 1), date(2023, 12, 31)),
        (PeriodKind.QUARTER, 2023, 4, date(2023, 10, 1), date(2023, 12, 31)),
        (PeriodKind.HALF, 2023, 2, date(2023, 7, 1), date(2023, 12, 31)),
        (PeriodKind.NINE_MONTHS, 2023, 1, date(2023, 1, 1), date(2023, 9, 30)),
        (PeriodKind.YEAR, 2023, 1, date(2023, 1, 1), date(2023, 12, 31)),
        (PeriodKind.OFFICIAL_MONTH, 2023, 11, date(2023, 10, 15), date(2023, 11, 14)),
        (PeriodKind.OFFICIAL_MONTH, 2024, 1, date(2023, 12, 15), date(2024, 1, 14)),
        (PeriodKind.OFFICIAL_YEAR, 2023, 1, date(2022, 12, 15), date(2023, 12, 14)),
    ],
)
def test_periods(kind, year, number, first, last):
    assert rules.period(kind, year, number) == (first, last)


START, END, NOW = vn(2023, 11, 1), vn(2023, 12, 1), vn(2024, 1, 10)
DUE = vn(2023, 11, 20, 17, 30)


@pytest.mark.parametrize(
    ("received", "finished", "due", "online", "expected"),
    [
        (vn(2023, 11, 2, 8), vn(2023, 11, 10, 9), DUE, True, {"new_online", "early"}),
        (vn(2023, 11, 2, 8), vn(2023, 11, 20, 17, 30), DUE, False, {"new_offline", "on_time"}),  # the due minute
        (vn(2023, 11, 2, 8), vn(2023, 11, 20, 7, 45), DUE, False, {"new_offline", "on_time"}),  # the due day
        (vn(2023, 11, 2, 8), vn(2023, 11, 20, 17, 31), DUE, False, {"new_offline", "late"}),
        (vn(2023, 10, 20, 8), vn(2023, 11, 1, 0, 0), DUE, False, {"carried_over", "early"}),  # at the start
        (vn(2023, 10, 20, 8), vn(2023, 10, 31, 23, 59), DUE, False, set()),  # finished before the period
        (vn(2023, 10, 20, 8), None, vn(2023, 12, 5, 17, 30), False, {"carried_over", "open_within"}),
        (vn(2023, 11, 2, 8), vn(2023, 12, 1, 0, 0), DUE, False, {"new_offline", "open_overdue"}),  # after the end
        (vn(2023, 12, 1, 0, 0), None, DUE, False, set()),  # received after the end
    ],
)
def test_classify(received, finished, due, online, expected):
    facts = Facts(received, finished, due, online, digitized=False)
    assert set(rules.classify(facts, START, END, NOW)) == expected


def test_open_dossiers_are_judged_at_the_cut_off_and_waiting_ones_are_within():
    facts = Facts(vn(2023, 11, 2, 8), None, vn(2023, 11, 25, 17, 30), False, True)
    assert set(rules.classify(facts, START, END, NOW)) == {"new_offline", "open_overdue", "digitized"}
    # Before the due time passes (now on 24/11), the same dossier is within its deadline.
    assert "open_within" in rules.classify(facts, START, END, vn(2023, 11, 24))
    waiting = Facts(vn(2023, 11, 2, 8), None, vn(2023, 11, 25, 17, 30), False, True, vn(2023, 11, 10))
    assert "open_within" in rules.classify(waiting, START, END, NOW)


def test_counts_hold_the_identities_and_rates():
    counts = Counts(new_online=3, new_offline=5, carried_over=2, early=4, on_time=2, late=1, open_within=2,
                    open_overdue=1, digitized=9)  # fmt: skip
    assert (counts.total, counts.finished, counts.open) == (10, 7, 3)
    assert counts.balanced()
    assert str(counts.digitization_rate) == "90.00" and str(counts.online_rate) == "37.50"
    assert str(Counts().online_rate) == "0.00"
    # The seed's Mai Sơn figures for 11/2023: 1,931 of 2,168 digitized is 89.07 %, not the 90.26 % printed.
    assert str(rules.percent(1931, 2168)) == "89.07"


def test_only_group_rows_are_numbered():
    from motcua.reports.exports import numbered
    from motcua.reports.rules import Row

    rows = [
        Row("level:commune", "Cấp xã", kind="subtotal"),
        Row("a", "A"),
        Row("b", "B"),
        Row("total", "T", kind="total"),
    ]
    assert [n for n, _row in numbered(rows)] == ["", 1, 2, ""]
