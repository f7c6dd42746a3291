"""Who decides a procedure received at a desk: the agency types a procedure names per level,
turned into the units of the desk's authority in force on the day."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from motcua.catalog.competence import authority_for, deciding_units
from motcua.catalog.models import Procedure
from motcua.units.services import agency_type_of, unit_on

pytestmark = pytest.mark.usefixtures("demo")
DAY = date(2026, 11, 16)


def codes(units) -> list[str]:
    return [u.code for u in units]


@pytest.mark.parametrize(
    ("procedure", "desk", "expected"),
    [
        ("1.012994", "04105.TTPVHCC", ["04105.PKT"]),  # land, commune level: the economic division
        ("1.001193", "04105.TTPVHCC", ["04105.VP"]),  # birth registration: the commune office
        ("2.000908", "04105.TTPVHCC", ["04105.VP"]),  # certified copies (chứng thực): the commune office
        ("1.001612", "04105.TTPVHCC", ["04105.PKT"]),  # business household: the economic division
    ],
)
def test_a_commune_procedure_goes_to_the_division_it_names(procedure, desk, expected):
    assert codes(deciding_units(Procedure.objects.get(code=procedure), unit_on(desk, DAY), DAY)) == expected


def test_a_province_procedure_received_at_a_commune_desk_goes_to_the_province_department():
    procedure = Procedure.objects.filter(level="province", deciders__province=["STP"]).first()
    desk = unit_on("04105.TTPVHCC", DAY)
    assert authority_for(procedure, desk).code == "14"
    assert codes(deciding_units(procedure, desk, DAY)) == ["14.STP"]


def test_no_agency_of_the_type_leaves_the_authority_and_no_type_leaves_every_choice():
    procedure = Procedure.objects.get(code="1.012994")
    desk = unit_on("04105.TTPVHCC", DAY)
    procedure.deciders = {"commune": ["PXX"]}
    assert codes(deciding_units(procedure, desk, DAY)) == ["04105"]
    procedure.deciders = {}
    assert codes(deciding_units(procedure, desk, DAY)) == ["04105", "04105.VP", "04105.PKT", "04105.PVHXH"]
    procedure.deciders = {"commune": ["PVHXH", "PKT"]}  # in the order named
    assert codes(deciding_units(procedure, desk, DAY)) == ["04105.PVHXH", "04105.PKT"]


@pytest.mark.parametrize(
    ("code", "parent", "kind", "expected"),
    [
        ("04105.PKT", "04105", "agency", "PKT"),
        ("14.stp", "14", "agency", "STP"),
        ("04105.TTPVHCC", "04105", "service_center", "TTPVHCC"),
        ("PKT-04105", "04105", "agency", ""),  # another system's code: the file must name the type
        ("04105", "125", "commune", ""),
        ("125.PKT", "04105", "agency", ""),  # the abbreviation of another parent
    ],
)
def test_an_agency_type_is_read_from_the_code_when_the_file_names_none(code, parent, kind, expected):
    assert agency_type_of(code, parent, kind) == expected


def test_imported_units_and_procedures_carry_their_competence(tmp_path):
    assert unit_on("04105.PKT", DAY).agency_type == "PKT" and unit_on("14.STP", DAY).agency_type == "STP"
    path = tmp_path / "procedures.csv"
    path.write_text(
        "code,name,field,level,duration_value,duration_unit,deciders\n"
        "9.000101,Thủ tục thử,HT,commune,0,in_day,commune=VP|PVHXH\n"
        "9.000102,Thủ tục sai,HT,commune,0,in_day,xã=VP\n",
        encoding="utf-8",
    )
    err = StringIO()
    with pytest.raises(SystemExit):
        call_command("import", "procedures", str(path), stdout=StringIO(), stderr=err)
    assert "Line 3: “xã=VP” in column deciders is not level=TYPE" in err.getvalue()
    path.write_text("\n".join(path.read_text(encoding="utf-8").splitlines()[:2]) + "\n", encoding="utf-8")
    call_command("import", "procedures", str(path), stdout=StringIO())
    assert Procedure.objects.get(code="9.000101").deciders == {"commune": ["VP", "PVHXH"]}
