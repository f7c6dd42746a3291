from datetime import date

import pytest

from motcua.units import services
from motcua.units.models import Level, Unit, UnitKind

pytestmark = pytest.mark.usefixtures("demo")


def test_the_demo_province_has_all_three_periods():
    assert Unit.objects.filter(kind=UnitKind.PROVINCE).count() == 1
    assert services.units_on(date(2024, 6, 1)).filter(kind=UnitKind.DISTRICT).count() == 12
    assert services.units_on(date(2024, 6, 1)).filter(kind=UnitKind.COMMUNE).count() == 204
    assert services.units_on(date(2025, 3, 1)).filter(kind=UnitKind.COMMUNE).count() == 200
    assert services.units_on(date(2025, 7, 1)).filter(kind=UnitKind.DISTRICT).count() == 0
    assert services.units_on(date(2025, 7, 1)).filter(kind=UnitKind.COMMUNE).count() == 75


def test_a_reused_code_means_the_unit_valid_that_day():
    assert services.unit_on("03979", date(2024, 12, 31)).name == "Thị trấn Mộc Châu"
    assert services.unit_on("03979", date(2025, 3, 1)).name == "Phường Mộc Sơn"
    new = services.unit_on("03979", date(2025, 7, 1))
    assert new.name == "Phường Mộc Sơn" and new.valid_from == date(2025, 7, 1)
    assert services.unit_on("03979", date(2007, 1, 1)) is None


def test_succession_is_followed_to_the_units_in_force():
    old_town = services.unit_on("03979", date(2024, 1, 1))
    # The town was split on 1/2/2025 into two wards, each carried into the 2025 map.
    assert {u.name for u in old_town.successors.all()} == {"Phường Mộc Sơn", "Phường Mộc Lỵ"}
    now = services.successors_on(old_town, date(2026, 1, 1))
    assert [(u.code, u.name) for u in now] == [("03979", "Phường Mộc Sơn"), ("03980", "Phường Mộc Châu")]
    assert services.successors_on(old_town, date(2024, 1, 1)) == [old_town]


def test_merged_departments_roll_up():
    planning = services.unit_on("14.SKHDT", date(2024, 1, 1))
    assert [u.name for u in services.successors_on(planning, date(2025, 3, 1))] == ["Sở Tài chính"]


def test_the_tree_places_levels_paths_and_province():
    province = services.unit_on("14", date(2026, 1, 1))
    van_ho_commune = services.unit_on("04048", date(2024, 1, 1))  # a commune of Vân Hồ (founded 2013)
    assert van_ho_commune.parent.code == "128"
    agency = services.unit_on("125.PTP", date(2024, 1, 1))
    assert agency.level == Level.DISTRICT and agency.province == province
    centre = services.unit_on("04105.TTPVHCC", date(2026, 1, 1))
    assert centre.level == Level.COMMUNE and centre.path.startswith(province.path)


def test_subtree_of_a_district_on_a_day():
    mai_son = services.unit_on("125", date(2024, 1, 1))
    units = services.subtree(mai_son, date(2024, 1, 1))
    kinds = {kind: units.filter(kind=kind).count() for kind in UnitKind.values}
    assert kinds == {"province": 0, "district": 1, "commune": 22, "agency": 9, "service_center": 1}


def test_ancestors_of_an_agency_are_the_units_above_it_and_itself():
    agency = services.unit_on("125.PTP", date(2024, 1, 1))
    ancestors = Unit.objects.ancestors_of(agency)
    assert [u.code for u in ancestors.order_by("path")] == ["14", "125", "125.PTP"]
    assert agency.ancestor_paths() == [ancestors.get(code="14").path, agency.parent.path, agency.path]
