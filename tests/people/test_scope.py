from datetime import date

import pytest
from django.contrib.auth.hashers import identify_hasher

from motcua.people.models import Role, User
from motcua.people.services import assign_role, covers, units_in_scope
from motcua.units.services import unit_on

pytestmark = pytest.mark.usefixtures("demo")
TODAY = date(2026, 1, 15)


def test_a_role_on_a_unit_covers_its_subtree_only():
    leader = User.objects.create_user("leader", password="mật-khẩu-dài-123")
    assign_role(leader, Role.UNIT_LEADER, unit_on("04105", TODAY))
    scope = units_in_scope(leader).valid_on(TODAY)
    assert set(scope.values_list("code", flat=True)) == {
        "04105",
        "04105.TTPVHCC",
        "04105.VP",
        "04105.PKT",
        "04105.PVHXH",
    }
    assert covers(leader, unit_on("04105.PKT", TODAY))
    assert not covers(leader, unit_on("04075", TODAY))
    assert not covers(leader, unit_on("04105.PKT", TODAY), roles=[Role.DESK_OFFICER])


def test_a_province_role_covers_every_period():
    staff = User.objects.create_user("reform", password="mật-khẩu-dài-123")
    assign_role(staff, Role.REFORM_STAFF, unit_on("14", TODAY))
    assert covers(staff, unit_on("125.PTP", date(2024, 1, 1)))
    assert units_in_scope(staff, roles=[Role.REFORM_STAFF]).count() == 463
    assert not units_in_scope(staff, roles=[Role.DESK_OFFICER]).exists()


def test_passwords_are_hashed_with_argon2():
    user = User.objects.create_user("someone", password="mật-khẩu-dài-123")
    assert identify_hasher(user.password).algorithm == "argon2"
