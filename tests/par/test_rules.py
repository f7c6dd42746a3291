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
