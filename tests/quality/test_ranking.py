"""The service index ranking on units whose reachable points differ: ranked on the share, equal
shares sharing a rank, units without dossiers apart with no rank."""

from datetime import date
from decimal import Decimal as D

from motcua.quality.rules import Figures
from motcua.quality.services import GroupScore, Ranked, UnitIndex, rank


def unit(key: int, name: str, total: str, reachable: int, dossiers: bool = True) -> UnitIndex:
    groups = [GroupScore(1, "Công khai", D(18), D(total), D(reachable))]
    figures = Figures(handled=3 if dossiers else 0)
    day = date(2026, 11, 30)
    return UnitIndex(key, f"0{key}", name, "commune", day, day, None, [], groups, figures, D(total), D(reachable))


def test_ranked_on_the_share_of_the_reachable_points_not_on_points():
    units = [
        unit(1, "Xã An", "42.50", 50),  # 85.00%
        unit(2, "Xã Bình", "52.70", 62),  # 84.9999… → 85.00%: shares the rank of Xã An
        unit(3, "Xã Chiềng", "55.00", 62),  # 88.71%
        unit(4, "Xã Dồn", "50.00", 62),  # 80.65%: more points than Xã An, a lower share
        unit(5, "Xã Én", "3.91", 10, dossiers=False),  # catalogue points only: no dossier
        unit(6, "Xã Đông", "3.91", 10, dossiers=False),
    ]
    placed, apart = rank(units)
    # Equal shares share a rank (1, 2, 2, 4); within a tie, more points first.
    assert [(place, i.name) for place, i in placed] == [(1, "Xã Chiềng"), (2, "Xã Bình"), (2, "Xã An"), (4, "Xã Dồn")]
    assert [Ranked(place, i).share for place, i in placed] == [D("88.71"), D("85.00"), D("85.00"), D("80.65")]
    assert [i.name for i in apart] == ["Xã Đông", "Xã Én"]  # by name (Đ before E), with no rank, not counted


def test_a_group_ranking_leaves_apart_the_units_with_nothing_within_reach_in_it():
    units = [unit(1, "Xã An", "8.50", 10), unit(2, "Xã Bình", "17.00", 20), unit(3, "Xã Chiềng", "0", 0)]
    placed, apart = rank(units, group=1)
    assert [(place, i.name) for place, i in placed] == [(1, "Xã Bình"), (1, "Xã An")]
    shown = Ranked(1, units[0], group=1)
    assert (shown.points, shown.reachable, shown.share) == (D("8.50"), D(10), D("85.00"))
    assert [i.name for i in apart] == ["Xã Chiềng"]
