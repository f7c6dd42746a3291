from decimal import Decimal as D

import pytest

from motcua.par import rules

BANDS = [rules.Band("A", D(90)), rules.Band("B", D(80)), rules.Band("C", D(70)), rules.Band("D", D(0))]


@pytest.mark.parametrize(
    ("points", "maximum", "expected"),
    [
        (D("91.9"), D(100), D("91.90")),
        (D("45.675"), D(50), D("91.35")),  # 91.35 exactly
        (D("1"), D(3), D("33.33")),
        (D("2"), D(3), D("66.67")),  # half up
        (D("0.005"), D(1), D("0.50")),
        (D(5), D(0), D("0.00")),
    ],
)
def test_percent_to_two_decimals_half_up(points, maximum, expected):
    assert rules.percent(points, maximum) == expected


@pytest.mark.parametrize(
    ("value", "group"),
    [(D("90.00"), "A"), (D("89.99"), "B"), (D("80"), "B"), (D("79.99"), "C"), (D("0"), "D"), (D("100"), "A")],
)
def test_group_bands_include_their_floor(value, group):
    assert rules.group_of(value, BANDS) == group


def test_below_every_band_there_is_no_group():
    assert rules.group_of(D("59.99"), [rules.Band("Đạt", D(60))]) == ""


def test_ties_share_a_rank_and_the_next_skips():
    ranks = rules.competition_ranks([("a", D(90)), ("b", D(95)), ("c", D(90)), ("d", D(80)), ("e", D(95))])
    assert ranks == {"b": 1, "e": 1, "a": 3, "c": 3, "d": 5}


def test_results_with_changes_against_last_year():
    units = [
        rules.UnitPoints("123", "Mộc Châu", D("91.9"), D(100)),
        rules.UnitPoints("124", "Yên Châu", D("90.2"), D(100)),
        rules.UnitPoints("125", "Mai Sơn", D("90.2"), D(100)),
        rules.UnitPoints("127", "Sốp Cộp", D("79.5"), D(100)),
    ]
    previous = {"123": rules.Previous(D("90.5"), 1), "124": rules.Previous(D("85"), 4), "127": rules.Previous(D(80), 2)}
    rows = rules.results(units, BANDS, previous)
    table = [(r.unit_code, r.rank, r.rank_change, r.points_change, r.group) for r in rows]
    assert table == [
        ("123", 1, 0, D("1.40"), "A"),
        ("124", 2, 2, D("5.20"), "A"),
        ("125", 2, None, None, "A"),  # new this year: no change to show
        ("127", 4, -2, D("-0.50"), "C"),
    ]
    summary = rules.summary(rows, BANDS, [D("90.5"), D(85), D(80)])
    assert summary.average == D("87.95")  # 351.8 / 4
    assert summary.average_change == D("2.78")  # 87.95 − 85.17
    assert summary.groups == {"A": 3, "B": 0, "C": 1, "D": 0}


def test_a_streak_counts_the_years_running_up_to_the_last():
    assert rules.streak([2, 1, 1, 1, 1]) == 4
    assert rules.streak([1, 1, 2]) == 0
    assert rules.streak([None, 1]) == 1
    assert rules.streak([3, 3], rank=3) == 2


def test_what_lifts_a_unit_to_the_next_group():
    lost = [rules.Lost("1.1", "Kế hoạch", D("0.5")), rules.Lost("2.2", "TTHC", D(3)), rules.Lost("3.1", "CNTT", D(2))]
    # 87.2 of 100 is group B; group A needs 2.8 more: the 3 points lost on 2.2 cover it.
    assert rules.lift_to_next_group(D("87.2"), D(100), BANDS, lost) == ("A", D("2.80"), [lost[1]])
    # 85 needs 5: 2.2 and 3.1 together.
    assert rules.lift_to_next_group(D(85), D(100), BANDS, lost) == ("A", D("5.00"), [lost[1], lost[2]])
    # 80 needs 10 but only 5.5 were lost: no criterion set lifts it.
    assert rules.lift_to_next_group(D(80), D(100), BANDS, lost) is None
    assert rules.lift_to_next_group(D(95), D(100), BANDS, lost) is None  # already at the top


def test_units_whose_maximums_differ_rank_on_their_share():
    """A criterion that does not apply to a unit lowers its maximum: 8.5 of 10 is 85%, as 17 of 20."""
    units = [
        rules.UnitPoints("1", "A", D("8.5"), D(10)),
        rules.UnitPoints("2", "B", D(17), D(20)),
        rules.UnitPoints("3", "C", D(9), D(10)),
        rules.UnitPoints("4", "D", D("18.5"), D(25)),  # more points than A and B, a lower share: 74%
        rules.UnitPoints("5", "E", D(0), D(20), has_data=False),  # not a single score
    ]
    rows = rules.results(units, BANDS)
    shown = [(r.unit_code, f"{r.points}/{r.max_points}", r.percent, r.rank, r.group) for r in rows]
    assert shown == [
        ("3", "9.00/10.00", D("90.00"), 1, "A"),
        ("1", "8.50/10.00", D("85.00"), 2, "B"),
        ("2", "17.00/20.00", D("85.00"), 2, "B"),
        ("4", "18.50/25.00", D("74.00"), 4, "C"),
    ]
    assert [u.unit_code for u in rules.without_data(units)] == ["5"]
    assert rules.summary(rows, BANDS).count == 4  # the unit without data is not counted


def test_self_assessment_progress():
    assert rules.progress_of(None, 0) is rules.Progress.NOT_STARTED
    assert rules.progress_of("draft", 0) is rules.Progress.NOT_STARTED
    assert rules.progress_of("draft", 2) is rules.Progress.IN_PROGRESS
    assert rules.progress_of("submitted", 5) is rules.Progress.SUBMITTED
    for status in ("appraised", "responded", "final"):
        assert rules.progress_of(status, 5) is rules.Progress.APPRAISED
    P = rules.Progress
    found = rules.progress_summary([P.NOT_STARTED, P.IN_PROGRESS, P.SUBMITTED, P.APPRAISED, P.NOT_STARTED, P.SUBMITTED])
    assert found.counts == {P.NOT_STARTED: 2, P.IN_PROGRESS: 1, P.SUBMITTED: 2, P.APPRAISED: 1}
    assert (found.total, found.submitted, found.submitted_percent) == (6, 3, D("50.00"))
    assert rules.progress_summary([P.SUBMITTED, P.NOT_STARTED, P.NOT_STARTED]).submitted_percent == D("33.33")
    assert rules.progress_summary([]).submitted_percent is None
