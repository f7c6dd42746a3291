"""A year's reform plan in Chromium: the reform officer enters the plan and its tasks, a commune
reports progress, the officer reads the quarter's review and records an inspection."""

from datetime import date

import pytest
from django.utils import timezone

from motcua.people.models import Role, User
from motcua.people.services import assign_role
from motcua.plans.models import Task, TaskStatus
from motcua.units.services import unit_on
from tests.e2e.test_portal import PHONE, accessible, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "mật-khẩu-dài-123"


def test_a_plan_entered_run_and_reviewed(browser, live_server, demo):
    today = timezone.localdate()
    province = unit_on("14", today)
    commune = unit_on("04105", today)
    officer = User.objects.create_user("cchc.snv", password=PASSWORD, full_name="Hà Thị Thu")
    assign_role(officer, Role.REFORM_STAFF, province)
    clerk = User.objects.create_user("vanphong.maison", password=PASSWORD, full_name="Lò Văn Hải")
    assign_role(clerk, Role.PROCESSING_OFFICER, commune)

    page = sign_in(browser, live_server, "cchc.snv")
    page.goto(f"{live_server.url}/cai-cach/")
    accessible(page)
    page.fill("#title", f"Kế hoạch cải cách hành chính năm {today.year}")
    page.fill("#number", "12/KH-UBND")
    page.get_by_role("button", name="Tạo").click()
    page.select_option("#area", index=2)
    page.fill("#task_title", "Rà soát, đơn giản hóa thủ tục hành chính cấp xã")
    page.select_option("#lead_unit", label="Xã Mai Sơn")
    page.fill("#output", "Báo cáo rà soát")
    page.fill("#deadline", date(today.year, 12, 31).isoformat())
    page.get_by_role("button", name="Thêm", exact=True).first.click()
    assert "Rà soát, đơn giản hóa thủ tục hành chính cấp xã" in page.content()
    accessible(page)

    unit_page = sign_in(browser, live_server, "vanphong.maison", device=PHONE)
    unit_page.goto(f"{live_server.url}/cai-cach/nhiem-vu/")
    unit_page.get_by_role("link", name="Rà soát, đơn giản hóa thủ tục hành chính cấp xã").click()
    accessible(unit_page)
    unit_page.fill("#text", "Đã rà soát 45 thủ tục, đề xuất đơn giản hóa 6 thủ tục")
    unit_page.select_option("#status", label="Đã hoàn thành")
    unit_page.locator("#file").set_input_files(
        {"name": "bao-cao.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
    )
    unit_page.get_by_role("button", name="Báo cáo tiến độ").click()
    task = Task.objects.get()
    assert task.status == TaskStatus.DONE and task.done_on == today

    page.goto(f"{live_server.url}/cai-cach/so-ket/?unit={province.pk}&period=year")
    assert "Xã Mai Sơn" in page.content()
    accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    page.goto(f"{live_server.url}/cai-cach/kiem-tra/")
    page.select_option("#kind", label="Đột xuất")
    page.fill("#visited_on", today.isoformat())
    page.fill("#team", "Đoàn kiểm tra công vụ tỉnh")
    page.select_option("#units_visited", label="Xã Mai Sơn")
    page.get_by_role("button", name="Ghi nhận").click()
    page.fill("#description", "Niêm yết đủ thủ tục hành chính tại Trung tâm")
    page.fill("#fix_deadline", today.isoformat())
    page.get_by_role("button", name="Thêm").click()
    assert "Niêm yết đủ thủ tục hành chính tại Trung tâm" in page.content()
    accessible(page)
