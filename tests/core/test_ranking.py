"""Ranking on the share of the points within reach: percent to two decimals half up, ties share a
rank and the next skips (1, 2, 2, 4)."""

from decimal import Decimal as D

import pytest

from motcua.core.ranking import competition, share


@pytest.mark.parametrize(
    ("points", "reachable", "expected"),
    [
        (D("8.5"), D(10), D("85.00")),  # 8,5/10 điểm (85,00%)
        (D("52.70"), D(62), D("85.00")),  # 84.9999…: half up to two places
        (D("50.00"), D(62), D("80.65")),  # 80.645…
        (D("3.91"), D(10), D("39.10")),
        (D(0), D(22), D("0.00")),
        (D(5), D(0), None),  # nothing within reach: no share at all, not 0%
    ],
)
def test_share_of_the_reachable_points(points, reachable, expected):
    assert share(points, reachable) == expected


def test_competition_ranking_skips_after_ties():
    ranks = competition([("a", D("85.00")), ("b", D("88.71")), ("c", D("85.00")), ("d", D("80.65"))])
    assert ranks == {"b": 1, "a": 2, "c": 2, "d": 4}
    assert competition([]) == {}
