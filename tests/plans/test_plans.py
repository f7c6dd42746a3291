import json
from datetime import date, datetime
from decimal import Decimal as D

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.people.models import Role, User
from motcua.people.services import assign_role
from motcua.plans import exports, services
from motcua.plans.models import ReformArea, TaskStatus
from motcua.plans.reminders import send_task_reminders
from motcua.plans.rules import Standing
from motcua.units.models import Unit
from motcua.units.services import unit_on
from motcua.workdays.rules import VIETNAM

pytestmark = pytest.mark.django_db
DAY = date(2018, 12, 31)


def at(*args):
    return datetime(*args, 10, tzinfo=VIETNAM)


@pytest.fixture
def moc_chau(demo):
    """Huyện Mộc Châu's 2018 plan: seven tasks across areas, led by the district and two communes."""
    district = unit_on("123", DAY)
    staff = User.objects.create_user("cchc.mocchau", password="x-not-used-1", email="mc@example.vn")
    assign_role(staff, Role.REFORM_STAFF, district)
    leader = User.objects.create_user("lanhdao.mocchau", password="x-not-used-1", email="ld@example.vn")
    assign_role(leader, Role.UNIT_LEADER, district)
    communes = list(Unit.objects.filter(parent=district).valid_on(DAY).order_by("code")[:2])
    plan = services.create_plan(
        staff,
        district,
        2018,
        "Kế hoạch cải cách hành chính năm 2018",
        "05/KH-UBND",
        date(2018, 1, 10),
        "Quyết định 225/QĐ-TTg",
    )
    area = {a.code: a for a in ReformArea.objects.all()}
    specs = [  # area, lead, deadline, finished
        ("1", district, date(2018, 1, 31), at(2018, 1, 30)),  # on time
        ("3", district, date(2018, 3, 31), at(2018, 4, 5)),  # late, within the quarter after
        ("3", communes[0], date(2018, 3, 31), None),  # overdue at the end of Q1
        ("5", communes[1], date(2018, 6, 30), None),  # in progress (reported)
        ("7", district, date(2018, 6, 30), None),  # not started
        ("7", communes[0], date(2018, 3, 15), at(2018, 3, 10)),  # on time
        ("8", district, date(2018, 12, 31), None),  # not started, due at year end
    ]
    tasks = []
    for n, (code, lead, deadline, finished) in enumerate(specs, start=1):
        task = services.add_task(
            staff,
            plan,
            area=area[code],
            title=f"Nhiệm vụ {n}",
            lead_unit=lead,
            deadline=deadline,
            output=f"Sản phẩm {n}",
        )
        if finished:
            services.report_progress(staff, task, "Đã hoàn thành", TaskStatus.DONE, at=finished)
        tasks.append(task)
    services.report_progress(staff, tasks[3], "Đang xây dựng đề án", TaskStatus.IN_PROGRESS, at=at(2018, 2, 1))
    return {"district": district, "communes": communes, "staff": staff, "leader": leader, "plan": plan, "tasks": tasks}


def test_the_first_quarter_review_counts_each_task_where_it_stood(moc_chau):
    found = services.review(moc_chau["district"], 2018, date(2018, 1, 1), date(2018, 3, 31), today=DAY)
    total = found.total.counts
    # At 31/3: tasks 1 and 6 done on time; 2 and 3 overdue (2 was done only on 5/4); 4 in progress;
    # 5 and 7 not started.
    assert (
        total[Standing.DONE_ON_TIME],
        total[Standing.DONE_LATE],
        total[Standing.OVERDUE],
        total[Standing.IN_PROGRESS],
        total[Standing.NOT_STARTED],
    ) == (2, 0, 2, 1, 2)
    assert [t.title for t, _s in found.unfinished] == ["Nhiệm vụ 2", "Nhiệm vụ 3"]
    by_area = {r.key: r.total for r in found.by_area}
    assert by_area == {"1": 1, "3": 2, "5": 1, "7": 2, "8": 1}
    assert sum(r.total for r in found.by_unit) == 7
    laggards = services.units_with_unfinished(found)
    assert [(u.code, n) for u, n in laggards] == [("123", 1), (moc_chau["communes"][0].code, 1)]
    # The half year: task 2 now done late, 3 still overdue, 4 and 5 overdue at 30/6.
    half = services.review(moc_chau["district"], 2018, date(2018, 4, 1), date(2018, 6, 30), today=DAY).total.counts
    assert (
        half[Standing.DONE_ON_TIME],
        half[Standing.DONE_LATE],
        half[Standing.OVERDUE],
        half[Standing.NOT_STARTED],
    ) == (2, 1, 3, 1)


def test_the_review_exports_as_the_steering_committee_reads_it(moc_chau):
    from io import BytesIO

    import pypdf
    from openpyxl import load_workbook

    leader = User.objects.get(username="lanhdao.mocchau")
    leader.full_name = "Vi Văn Chiến"
    leader.save()
    assign_role(leader, Role.UNIT_LEADER, moc_chau["district"], position="Chủ tịch")
    found = services.review(moc_chau["district"], 2018, date(2018, 1, 1), date(2018, 3, 31), today=DAY)
    reader = pypdf.PdfReader(BytesIO(exports.render(found, "pdf")))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    parts = ["ỦY BAN NHÂN DÂN TỈNH SƠN LA", "ỦY BAN NHÂN DÂN HUYỆN MỘC CHÂU", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
             "Độc lập - Tự do - Hạnh phúc", "Số: /BC-UBND", "Sơn La, ngày 31 tháng 3 năm 2018",
             "BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH QUÝ I NĂM 2018", "Tổng cộng", "Nơi nhận:",
             "Ủy ban nhân dân tỉnh Sơn La", "Lưu: VT", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Vi Văn Chiến"]  # fmt: skip
    at = 0
    for part in parts:
        at = text.find(part, at)
        assert at >= 0, f"{part!r} missing in order: {text}"
    book = load_workbook(BytesIO(exports.render(found, "xlsx")))
    rows = list(book["tong-hop"].iter_rows(values_only=True))
    assert rows[0][0].startswith("BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH QUÝ I NĂM 2018")
    assert rows[2][:3] == ("Theo đơn vị chủ trì", "Tổng số", "Hoàn thành đúng hạn")
    total = next(r for r in rows if r[0] == "Tổng cộng")
    assert total[1:7] == (7, 2, 0, 1, 2, 2)
    assert [r[1] for r in list(book["chua-hoan-thanh"].iter_rows(values_only=True))[1:]] == ["Nhiệm vụ 2", "Nhiệm vụ 3"]


def test_the_yearly_rating_and_the_par_criterion_it_feeds(moc_chau, tmp_path):
    district = moc_chau["district"]
    inspection = services.record_inspection(
        moc_chau["staff"],
        district,
        "surprise",
        date(2018, 5, 10),
        "Đoàn kiểm tra công vụ huyện",
        [moc_chau["communes"][0]],
        "Niêm yết thiếu",
    )
    fix = services.require_fix(
        moc_chau["staff"], inspection, moc_chau["communes"][0], "Niêm yết đủ TTHC", date(2018, 5, 31)
    )
    services.follow_up(moc_chau["staff"], fix, "Đã niêm yết", date(2018, 6, 5))  # late: counts as missed
    found = services.rating(district, 2018, today=DAY)
    # Seven tasks due by year end: 1, 6 on time; 2 late (half); the rest not done → (2 + 0.5) / 7.
    assert (found.tasks, found.on_time, found.late, found.fixes_missed) == (7, 2, 1, 1)
    assert found.score == D("30.71")  # 35.71 − 5
    assert found.band.code == "not_completed"
    commune = services.rating(moc_chau["communes"][1], 2018, today=DAY)
    assert (commune.score, commune.band.code) == (D("0.00"), "not_completed")  # task 4 never finished

    from motcua.par import services as par
    from tests.par.conftest import sheets

    criteria = [
        ("1", "", "Nhiệm vụ CCHC", "10", "self", ""),
        ("1.1", "", "Mức độ hoàn thành", "10", "computed", "tasks"),
    ]
    framework = par.import_framework(
        sheets(tmp_path, ["123"], criteria=criteria), code="MC-2018", name="x", year=2018, owner=unit_on("14", DAY)
    )
    par.compute(framework, now=at(2019, 1, 15))
    score = par.assessment_for(framework, district).scores.get()
    assert score.computed_score == D("3.07") and score.computed_figures["rating"] == "30.71"


def test_staffing_totals_per_level_with_last_years_change(demo, django_user_model):
    """Sơn La's quotas cut from 2,619 to 2,579 (−40), as seed 001 reports."""
    staff = django_user_model.objects.create_user("snv", password="x-not-used-1")
    province = unit_on("14", date(2020, 12, 31))
    assign_role(staff, Role.REFORM_STAFF, province)
    department = Unit.objects.filter(parent=province, kind="agency").valid_on(date(2020, 12, 31)).first()
    districts = [unit_on(code, date(2020, 12, 31)) for code in ("116", "123", "124")]
    plan = {
        2019: {department: 1619, districts[0]: 400, districts[1]: 350, districts[2]: 250},
        2020: {department: 1604, districts[0]: 392, districts[1]: 340, districts[2]: 243},
    }
    for year, quotas in plan.items():
        for unit, approved in quotas.items():
            services.set_quota(
                staff, unit, year, "civil_servant", approved, approved - 10, f"QĐ {year}", date(year, 1, 5)
            )
    totals = {(t.level, t.kind): t for t in services.quota_totals(province, 2020)}
    total = totals[("total", "civil_servant")]
    assert (total.approved, total.previous, total.change) == (2579, 2619, -40)
    assert (totals[("province", "civil_servant")].change, totals[("district", "civil_servant")].change) == (-15, -25)
    quota = services.set_quota(staff, districts[0], 2020, "civil_servant", 390, 385, "QĐ 15/QĐ-UBND", date(2020, 6, 1))
    assert [(c.approved_before, c.approved_after, c.decision) for c in quota.changes.all()] == [
        (None, 392, "QĐ 2020"),
        (392, 390, "QĐ 15/QĐ-UBND"),
    ]
    with pytest.raises(services.PlanError):
        services.set_quota(staff, districts[0], 2020, "civil_servant", -1, 0, "x", date(2020, 6, 1))


def test_a_unit_sees_and_reports_only_its_own_tasks(client, moc_chau):
    commune = moc_chau["communes"][1]
    officer = User.objects.create_user("xa.officer", password="x-not-used-1")
    assign_role(officer, Role.PROCESSING_OFFICER, commune)
    client.force_login(officer)
    listed = client.get("/cai-cach/nhiem-vu/").context["tasks"]
    assert [t.title for t in listed] == ["Nhiệm vụ 4"]
    other = moc_chau["tasks"][0]
    assert client.get(f"/cai-cach/nhiem-vu/{other.pk}/").status_code == 404
    assert client.get(f"/cai-cach/ke-hoach/{moc_chau['plan'].pk}/").status_code == 200  # it has a task there
    mine = moc_chau["tasks"][3]
    evidence = SimpleUploadedFile("de-an.pdf", b"%PDF-1.4\n%%EOF", content_type="application/pdf")
    client.post(f"/cai-cach/nhiem-vu/{mine.pk}/", {"text": "Đã trình đề án", "status": "done", "file": evidence})
    mine.refresh_from_db()
    assert mine.status == TaskStatus.DONE and mine.notes.last().file
    bad = SimpleUploadedFile("x.pdf", b"not a pdf", content_type="application/pdf")
    client.post(f"/cai-cach/nhiem-vu/{mine.pk}/", {"text": "Lần hai", "status": "done", "file": bad})
    assert mine.notes.count() == 2  # the bad upload left nothing behind
    assert client.get("/api/plans/tasks").json()[0]["title"] == "Nhiệm vụ 4"


def test_the_pages_of_the_programme(client, moc_chau):
    client.force_login(moc_chau["staff"])
    unit = moc_chau["district"].pk
    plan = moc_chau["plan"]
    page = client.get(f"/cai-cach/ke-hoach/{plan.pk}/").content.decode()
    assert "Nhiệm vụ 3" in page and "urgency-overdue" in page
    client.post(
        f"/cai-cach/ke-hoach/{plan.pk}/",
        {
            "step": "directive",
            "number": "12/CT-UBND",
            "issued_on": "2018-02-01",
            "issuer": "UBND huyện Mộc Châu",
            "title": "Chỉ thị về tăng cường kỷ luật, kỷ cương",
        },
    )
    assert plan.directives.get().number == "12/CT-UBND"
    review = client.get("/cai-cach/so-ket/", {"unit": unit, "year": 2018, "period": "quarter", "number": 1})
    assert review.context["r"].total.total == 7
    assert (
        client.get("/cai-cach/so-ket/", {"unit": unit, "year": 2018, "number": 1, "format": "pdf"})["Content-Type"]
        == "application/pdf"
    )
    ratings = client.get("/cai-cach/xep-loai/", {"unit": unit, "year": 2018}).context["rows"]
    assert ratings[0][0] == moc_chau["district"]
    data = client.get(
        "/api/plans/review", {"unit": "123", "year": 2018, "date_from": "2018-01-01", "date_to": "2018-03-31"}
    ).json()
    assert data["total"]["overdue"] == 2 and data["total"]["done_on_time"] == 2
    assert (
        client.get(
            "/api/plans/review", {"unit": "124", "year": 2018, "date_from": "2018-01-01", "date_to": "2018-03-31"}
        ).status_code
        == 404
    )  # not in scope


def test_reminders_go_to_the_leaders_of_units_with_tasks_falling_due(moc_chau):
    assert send_task_reminders.call("2018-06-28") == 1  # district tasks 2? done; 5 due 30/6; 7 not yet
    assert mail.outbox[-1].to == ["ld@example.vn"] and "Nhiệm vụ 5" in mail.outbox[-1].body
    assert send_task_reminders.call("2018-06-28") == 0  # once a day


def test_only_planners_create_plans_and_tasks(moc_chau, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", password="x-not-used-1")
    assign_role(clerk, Role.DESK_OFFICER, moc_chau["district"])
    with pytest.raises(services.PlanError):
        services.create_plan(clerk, moc_chau["district"], 2018, "Kế hoạch khác")
    with pytest.raises(services.PlanError):
        services.add_task(
            moc_chau["staff"],
            moc_chau["plan"],
            area=ReformArea.objects.first(),
            title="x",
            lead_unit=unit_on("124", DAY),
            deadline=DAY,
        )  # Yên Châu is not Mộc Châu's
    assert json.dumps({"ok": True})


def test_the_demo_plan_inspection_and_quotas_are_made_once(demo):
    from django.utils import timezone

    from motcua.demo.plans_content import ensure_plans_content
    from motcua.demo.services import ensure_accounts

    now = timezone.now()
    ensure_accounts(timezone.localdate(now))
    assert ensure_plans_content(now) == 1
    assert ensure_plans_content(now) == 0
    province = unit_on("14", timezone.localdate(now))
    total = next(t for t in services.quota_totals(province, now.year) if t.level == "total")
    assert (total.approved, total.previous, total.change) == (2579, 2619, -40)
    assert services.review(province, now.year, date(now.year, 1, 1), timezone.localdate(now)).total.total == 10


def test_the_cli_prints_the_review(moc_chau, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "so-ket.xlsx"
    call_command(
        "plans",
        "review",
        "--unit",
        "123",
        "--from",
        "2018-01-01",
        "--to",
        "2018-03-31",
        "--format",
        "xlsx",
        "--output",
        str(out),
    )
    assert out.stat().st_size > 1000
