"""`motcua import plan FILE` (a year's reform plan with its tasks) and `motcua import quotas FILE`."""

from collections import Counter
from datetime import date, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from motcua.people.models import Role, User
from motcua.people.services import assign_role
from motcua.plans import services
from motcua.plans.models import Plan, Quota, QuotaChange, StaffKind, Task, TaskStatus
from motcua.units.services import unit_on
from motcua.workdays.rules import VIETNAM

DATA = Path(__file__).parent / "data"
PLAN = DATA / "plan-2026.csv"
QUOTAS = DATA / "quotas-2026.csv"

pytestmark = pytest.mark.django_db


def run(kind, path):
    out = StringIO()
    call_command("import", kind, str(path), stdout=out, stderr=StringIO())
    return out.getvalue().splitlines()


def refused(kind, path):
    err = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("import", kind, str(path), stdout=StringIO(), stderr=err)
    assert exit_.value.code == 1
    return err.getvalue().splitlines()[1:]


def edited(tmp_path, source, *changes, name="file.csv"):
    text = source.read_text()
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text)
    return path


# ---------------------------------------------------------------------------------------------
# Plans


def test_a_provinces_plan_of_68_tasks_is_imported_whole():
    assert run("plan", PLAN) == [
        "plan: 68 tạo mới / created, 0 cập nhật / updated, 0 không đổi / unchanged",
        "  Kế hoạch mới / new plan: 245/KH-UBND (2026)",
        "  0 nhiệm vụ bị bỏ / tasks removed",
    ]
    plan = Plan.objects.get(number="245/KH-UBND")
    assert (plan.unit.code, plan.year, plan.issued_on) == ("14", 2026, date(2025, 12, 26))
    assert plan.title == "Kế hoạch cải cách hành chính năm 2026 của tỉnh Sơn La"
    assert plan.legal_basis == "Nghị quyết 76/NQ-CP; Quyết định 876/QĐ-BNV"
    assert dict(Counter(plan.tasks.values_list("area__code", flat=True))) == {
        "1": 9, "2": 7, "3": 12, "4": 7, "5": 9, "6": 6, "7": 12, "8": 6
    }  # fmt: skip
    task = plan.tasks.get(code="1.4")
    assert task.title == "Kiểm tra công tác cải cách hành chính tại các sở, ban, ngành và UBND các xã, phường"
    assert (task.lead_unit.code, task.deadline, task.output) == (
        "14.SNV",
        date(2026, 11, 30),
        "Thông báo kết luận kiểm tra",
    )
    assert task.remarks == "Ít nhất 30% số cơ quan, đơn vị"
    assert sorted(task.partners.values_list("code", flat=True)) == ["14.STP", "14.VPUBND"]
    assert task.status == TaskStatus.NOT_STARTED
    assert Counter(plan.tasks.values_list("lead_unit__code", flat=True)).most_common(1) == [("14.SNV", 28)]


def test_a_re_import_updates_tasks_by_code_and_keeps_their_progress(tmp_path):
    run("plan", PLAN)
    assert run("plan", PLAN)[0] == "plan: 0 tạo mới / created, 0 cập nhật / updated, 68 không đổi / unchanged"
    staff = User.objects.create_user("cchc.tinh", password="not-used-here-1")
    assign_role(staff, Role.REFORM_STAFF, unit_on("14", date(2026, 1, 1)))
    digitised = Task.objects.get(code="3.5")
    services.report_progress(
        staff, digitised, "Đã số hóa 62% kết quả", TaskStatus.IN_PROGRESS, at=datetime(2026, 6, 1, 9, tzinfo=VIETNAM)
    )
    changed = edited(
        tmp_path,
        PLAN,
        ("Kết quả số hóa trên Hệ thống thông tin giải quyết TTHC,Đạt 100% hồ sơ tiếp nhận mới",
         "Kết quả số hóa trên Hệ thống thông tin giải quyết TTHC,Đạt 100% hồ sơ; 80% kết quả còn hiệu lực"),
        ('8.6,8,"Tiếp công dân, giải quyết khiếu nại, tố cáo liên quan đến thủ tục hành chính",14.TTT,14.VPUBND,'
         "2026-12-31,Báo cáo kết quả tiếp công dân,\n",
         "8.7,8,Đo lường sự hài lòng tại Trung tâm phục vụ hành chính công các xã,14.TTPVHCC,,2026-12-15,Báo cáo,\n"),
    )  # fmt: skip
    assert run("plan", changed) == [
        "plan: 1 tạo mới / created, 1 cập nhật / updated, 66 không đổi / unchanged",
        "  1 nhiệm vụ bị bỏ / tasks removed",
    ]
    digitised.refresh_from_db()
    assert digitised.remarks == "Đạt 100% hồ sơ; 80% kết quả còn hiệu lực"
    assert digitised.status == TaskStatus.IN_PROGRESS
    assert list(digitised.notes.values_list("text", flat=True)) == ["Đã số hóa 62% kết quả"]
    assert sorted(Task.objects.filter(plan__number="245/KH-UBND", area__code="8").values_list("code", flat=True)) == [
        "8.1", "8.2", "8.3", "8.4", "8.5", "8.7"
    ]  # fmt: skip
    assert Plan.objects.count() == 1


def test_a_task_with_progress_is_not_removed(tmp_path):
    run("plan", PLAN)
    staff = User.objects.create_user("cchc.tinh", password="not-used-here-1")
    assign_role(staff, Role.REFORM_STAFF, unit_on("14", date(2026, 1, 1)))
    services.report_progress(staff, Task.objects.get(code="8.6"), "Đã tiếp 120 lượt công dân", TaskStatus.IN_PROGRESS)
    without = tmp_path / "plan.csv"
    without.write_text("".join(line for line in PLAN.read_text().splitlines(True) if not line.startswith(",,,,,,8.6,")))
    assert refused("plan", without) == [
        "  nhiệm vụ 8.6 “Tiếp công dân, giải quyết khiếu nại, tố cáo liên quan đến thủ tục hành chính” đã có báo cáo"
        " tiến độ nên không thể bỏ: hãy giữ nhiệm vụ này trong tệp | task 8.6 “Tiếp công dân, giải quyết khiếu nại,"
        " tố cáo liên quan đến thủ tục hành chính” has progress reported and cannot be removed: keep it in the file"
    ]
    assert Task.objects.filter(plan__number="245/KH-UBND").count() == 68


def test_a_bad_row_refuses_the_plan_naming_row_and_column(tmp_path):
    bad = edited(
        tmp_path,
        PLAN,
        (",,,,,,1.2,1,", ",,2027,,,,1.2,1,"),  # line 3: another year
        (
            "Kế hoạch kiểm tra,",
            "Kế hoạch kiểm tra,\n,,,,,,1.3,1,Trùng số,14.SNV,,2026-03-01,,\n",
        ),  # a second 1.3, line 5
        (",,,,,,2.1,2,", ",,,,,,2.1,9,"),  # line 13 (one more line above)
        ("14.STP,14.VPUBND,2026-06-30", "14.XYZ,14.VPUBND,2026-31-06"),  # line 14
    )
    assert refused("plan", bad) == [
        "  Dòng 3, cột “year”: khác với “2026” ở dòng đầu: mỗi tệp chỉ một kế hoạch"
        " | Line 3, column “year”: differs from the first row’s “2026”: one file, one plan",
        "  Dòng 5, cột “code”: nhiệm vụ 1.3 đã có ở dòng 4 | Line 5, column “code”: task 1.3 is already on line 4",
        "  Dòng 13, cột “area”: “9” không phải là lĩnh vực cải cách hành chính (1 đến 8)"
        " | Line 13, column “area”: “9” is not a reform area (1 to 8)",
        "  Dòng 14, cột “lead_unit”: không có đơn vị nào mang mã “14.XYZ” vào ngày 2025-12-26"
        " | Line 14, column “lead_unit”: no unit has the code “14.XYZ” on 2025-12-26",
        "  Dòng 14, cột “deadline”: “2026-31-06” không phải là ngày (YYYY-MM-DD)"
        " | Line 14, column “deadline”: “2026-31-06” is not a date (YYYY-MM-DD)",
    ]
    assert not Plan.objects.exists() and not Task.objects.exists()


# ---------------------------------------------------------------------------------------------
# Staffing quotas


def test_quotas_are_set_with_their_decision():
    assert run("quotas", QUOTAS) == ["quotas: 12 tạo mới / created, 0 cập nhật / updated, 0 không đổi / unchanged"]
    health = unit_on("14.SYT", date(2026, 1, 1))
    quotas = {q.kind: (q.approved, q.actual) for q in Quota.objects.filter(unit=health, year=2026)}
    assert quotas == {"civil_servant": (71, 69), "public_employee": (4870, 4712), "contract": (112, 108)}
    change = QuotaChange.objects.get(quota__unit=health, quota__kind=StaffKind.CONTRACT)
    assert (change.decision, change.decided_on, change.issuer) == (
        "2458/QĐ-UBND",
        date(2025, 12, 20),
        "UBND tỉnh Sơn La",
    )
    assert (change.approved_before, change.approved_after) == (None, 112)
    totals = {
        (t.level, t.kind): (t.approved, t.actual) for t in services.quota_totals(unit_on("14", date(2026, 1, 1)), 2026)
    }
    assert totals[("total", "civil_servant")] == (261, 249)
    assert totals[("province", "contract")] == (118, 114)
    assert totals[("commune", "public_employee")] == (12, 11)


def test_a_re_import_records_only_what_a_decision_changed(tmp_path):
    run("quotas", QUOTAS)
    assert run("quotas", QUOTAS) == ["quotas: 0 tạo mới / created, 0 cập nhật / updated, 12 không đổi / unchanged"]
    assert QuotaChange.objects.count() == 12
    cut = edited(
        tmp_path,
        QUOTAS,
        ("14.SNV,2026,civil_servant,62,58,2456/QĐ-UBND,2025-12-20,UBND tỉnh Sơn La",
         "14.SNV,2026,civil_servant,60,58,1020/QĐ-UBND,2026-06-15,UBND tỉnh Sơn La"),
    )  # fmt: skip
    assert run("quotas", cut) == ["quotas: 0 tạo mới / created, 1 cập nhật / updated, 11 không đổi / unchanged"]
    changes = QuotaChange.objects.filter(quota__unit__code="14.SNV", quota__kind="civil_servant").order_by("id")
    assert [(c.decision, c.approved_before, c.approved_after) for c in changes] == [
        ("2456/QĐ-UBND", None, 62),
        ("1020/QĐ-UBND", 62, 60),
    ]


def test_a_bad_quota_row_refuses_the_file(tmp_path):
    bad = edited(
        tmp_path,
        QUOTAS,
        ("14.SNV,2026,contract,6,", "14.SNV,2026,lao động,6,"),  # line 4
        ("14.STP,2026,civil_servant,38,36", "14.STP,2026,civil_servant,ba mươi,36"),  # line 5
        ("04108,2026", "04199,2026"),  # line 13
        ("14.TTPVHCC,2026,civil_servant", "14.SNV,2026,civil_servant"),  # line 10 repeats line 2
    )
    assert refused("quotas", bad) == [
        "  Dòng 4, cột “kind”: “lao động” không phải là loại biên chế (civil_servant, public_employee, contract)"
        " | Line 4, column “kind”: “lao động” is not a kind of staff (civil_servant, public_employee, contract)",
        "  Dòng 5, cột “approved”: “ba mươi” không phải là số nguyên"
        " | Line 5, column “approved”: “ba mươi” is not a whole number",
        "  Dòng 10, cột “unit_code”: trùng đơn vị, năm và loại biên chế với dòng 2"
        " | Line 10, column “unit_code”: the same unit, year and kind as line 2",
        "  Dòng 13, cột “unit_code”: không có đơn vị nào mang mã “04199” vào ngày 2025-12-20"
        " | Line 13, column “unit_code”: no unit has the code “04199” on 2025-12-20",
    ]
    assert not Quota.objects.exists() and not QuotaChange.objects.exists()


# ---------------------------------------------------------------------------------------------
# Uploads in the pages


def post_file(client, address, path, **extra):
    with path.open("rb") as handle:
        return client.post(address, {"file": handle, "step": "import", **extra}, follow=True)


def test_reform_staff_upload_the_plan_and_quotas_of_their_province(client):
    staff = User.objects.create_user("cchc.tinh", password="not-used-here-1")
    assign_role(staff, Role.REFORM_STAFF, unit_on("14", date(2026, 1, 1)))
    client.force_login(staff)
    page = post_file(client, "/cai-cach/", PLAN)
    assert "Đã nhập tệp: 68 tạo mới, 0 cập nhật, 0 không đổi." in page.text
    assert "Kế hoạch cải cách hành chính năm 2026 của tỉnh Sơn La" in page.text
    plan = Plan.objects.get(number="245/KH-UBND")
    assert plan.created_by == staff
    assert (
        "3.5. Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực"
        in client.get(f"/cai-cach/ke-hoach/{plan.pk}/").text
    )
    unit = unit_on("14", date(2026, 1, 1))
    page = post_file(client, f"/cai-cach/bien-che/?unit={unit.pk}&year=2026", QUOTAS, unit=unit.pk, year=2026)
    assert "Đã nhập tệp: 12 tạo mới, 0 cập nhật, 0 không đổi." in page.text
    assert "Hợp đồng lao động (Nghị định 111/2022)" in page.text
    assert "2458/QĐ-UBND (20/12/2025, UBND tỉnh Sơn La)" in page.text
    assert set(QuotaChange.objects.values_list("by__username", flat=True)) == {"cchc.tinh"}


def test_a_communes_staff_cannot_upload_the_provinces_plan_or_quotas(client):
    staff = User.objects.create_user("cchc.maison", password="not-used-here-1")
    assign_role(staff, Role.REFORM_STAFF, unit_on("04105", date(2026, 1, 1)))
    client.force_login(staff)
    page = post_file(client, "/cai-cach/", PLAN)
    assert "Tệp bị từ chối, không có gì được lưu:" in page.text
    assert "Dòng 2, cột “unit_code”: Vai trò của bạn không bao gồm đơn vị này." in page.text
    page = post_file(client, "/cai-cach/bien-che/", QUOTAS)
    assert page.text.count("Vai trò của bạn không bao gồm đơn vị này.") == 10  # all but Mai Sơn's two rows
    assert not Plan.objects.exists() and not Quota.objects.exists()
