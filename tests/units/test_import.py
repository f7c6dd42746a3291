from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation
from openpyxl import Workbook

from motcua.core.tabular import ImportRejected, read_table
from motcua.units.models import Unit
from motcua.units.services import import_units

HEADER = "code,name,kind,parent_code,valid_from,valid_to,successor_codes\n"


def write(tmp_path, body: str, name="units.csv"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def run_import(path):
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("import", "units", str(path), stdout=out, stderr=err)
    return exit_info.value.code, err.getvalue()


@pytest.mark.django_db
def test_a_good_file_creates_units_with_succession(tmp_path):
    path = write(
        tmp_path,
        "99,Tỉnh Thử,province,,2008-01-01,,\n"
        "990,Huyện A,district,99,2008-01-01,2025-06-30,99001\n"
        "99001,Xã Cũ,commune,990,2008-01-01,2025-06-30,99001\n"
        "99001,Xã Mới,commune,99,2025-07-01,,\n",
    )
    out = StringIO()
    call_command("import", "units", str(path), stdout=out)
    assert "4 tạo mới / created" in out.getvalue()
    old = Unit.objects.get(code="99001", valid_from=date(2008, 1, 1))
    assert [u.name for u in old.successors.all()] == ["Xã Mới"]
    # Importing again changes nothing.
    out = StringIO()
    call_command("import", "units", str(path), stdout=out)
    assert "0 tạo mới / created, 0 cập nhật / updated, 4 không đổi / unchanged" in out.getvalue()


@pytest.mark.django_db
def test_an_xlsx_file_is_read_like_csv(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(["99", "Tỉnh Thử", "province", None, date(2008, 1, 1), None, None])
    sheet.append(["99002", "Xã Thử", "commune", "99", "2008-01-01", None, None])
    path = tmp_path / "units.xlsx"
    book.save(path)
    header, rows = read_table(path)
    assert rows[0].get("valid_from") == "2008-01-01"
    result = import_units(header, rows)
    assert result.created == 2
    assert Unit.objects.get(code="99002").parent.code == "99"


@pytest.mark.django_db
def test_a_broken_file_is_refused_whole_with_every_problem_by_line(demo, tmp_path):
    before = Unit.objects.count()
    path = write(
        tmp_path,
        "99,Tỉnh Thử,province,,2008-01-01,,\n"  # line 2: fine on its own
        "99003,Xã Lạc,commune,777,2008-01-01,,\n"  # line 3: unknown parent
        "99004,Xã Ngày,commune,99,2008-13-01,,\n"  # line 4: bad date
        "99005,Xã Trùng,commune,99,2008-01-01,,\n"  # line 5
        "99005,Xã Trùng Lặp,commune,99,2008-01-01,,\n"  # line 6: duplicate of line 5
        "14.STP,Sở Tư pháp bis,agency,14,2020-01-01,,\n"  # line 7: the code is already in force
        "99006,Xã Sai,hamlet,99,2008-01-01,,\n"  # line 8: unknown kind
        "99007,Xã Mất,commune,99,2008-01-01,2020-01-01,88888\n",  # line 9: unknown successor
    )
    code, err = run_import(path)
    assert code == 1
    assert "nothing was written" in err
    assert "Dòng 3: không có mã đơn vị cha 777" in err and "Line 3: unknown parent code 777" in err
    assert "Dòng 4:" in err and "“2008-13-01”" in err and "Line 4:" in err
    assert "Line 6: duplicate unit code 99005 from 2008-01-01 (already on line 5)" in err
    assert "Line 7: duplicate unit code 14.STP" in err
    assert "Line 8: unknown kind “hamlet”" in err
    assert "Line 9: unknown successor code 88888" in err
    assert Unit.objects.count() == before


@pytest.mark.django_db
def test_a_missing_column_is_refused(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("code,name,kind,valid_from\n99,Tỉnh Thử,province,2008-01-01\n", encoding="utf-8")
    code, err = run_import(path)
    assert code == 1
    assert "Line 1: missing column “parent_code”" in err
    assert "Dòng 1: thiếu cột “parent_code”" in err
    assert not Unit.objects.filter(code="99").exists()


def test_problem_messages_follow_the_active_language(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("code\n", encoding="utf-8")
    header, rows = read_table(path)
    with pytest.raises(ImportRejected) as rejected:
        import_units(header, rows)
    problem = rejected.value.problems[0]
    with translation.override("vi"):
        assert problem.render("vi").startswith("Dòng 1: thiếu cột")
    assert problem.render("en").startswith("Line 1: missing column")


@pytest.mark.django_db
def test_problems_are_listed_in_line_order(tmp_path):
    path = write(tmp_path, "99001,Xã Lạc,commune,777,2024-01-01,,\n99002,Xã Ngày,commune,14,2024-02-30,,\n")
    code, err = run_import(path)
    assert code == 1
    assert err.index("Line 2:") < err.index("Line 3:")
