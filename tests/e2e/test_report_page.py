"""A commune leader reads the settlement report in Chromium: picks the official month, groups by
unit, follows a figure to its dossiers, reads the trend chart, exports and signs the month off;
the page also works at a phone's width."""

import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from motcua.demo.generator import generate_bulk
from motcua.people.models import Role, User
from motcua.people.services import assign_role
from motcua.reports import services
from motcua.reports.models import SignedReport
from motcua.reports.rules import PeriodKind, period
from motcua.units.services import unit_on

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "mật-khẩu-dài-123"


@pytest.fixture
def leader_page(demo, browser, live_server):
    today = timezone.localdate()
    generate_bulk(900, seed=4, days=120, communes=3, now=timezone.now())
    user = User.objects.create_user("lanhdao.maison", password=PASSWORD, full_name="Lường Văn Sơn")
    assign_role(user, Role.UNIT_LEADER, unit_on("04105", today))
    context = browser.new_context(locale="vi-VN", accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", "lanhdao.maison")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]:not(.link)")
    yield page
    context.close()


def last_official_month():
    today = timezone.localdate()
    year, month = (today.year, today.month) if today.day < 15 else (today.year + today.month // 12,
                                                                      today.month % 12 + 1)  # fmt: skip
    year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return year, month


def test_a_leader_reads_drills_down_exports_and_signs_off(leader_page, live_server):
    page = leader_page
    page.click("nav >> text=Báo cáo")
    assert page.locator("h1").inner_text().startswith("Báo cáo")
    year, month = last_official_month()
    page.select_option("#period", "official_month")
    page.fill("#number", str(month))
    page.fill("#year", str(year))
    page.select_option("#by", "unit")
    page.click("form.report-form button[type=submit]")
    first, last = period(PeriodKind.OFFICIAL_MONTH, year, month)
    assert f"{first:%d/%m/%Y}" in page.locator(".report-head").inner_text()
    total_row = page.locator("table.report tr.total").first
    assert "Tổng cộng" in total_row.inner_text()
    rows = services.settlement(unit_on("04105", timezone.localdate()), first, last, "unit")
    expected = rows[-1].counts
    cells = total_row.locator("td.n")
    assert int(cells.nth(0).inner_text().replace(".", "")) == expected.total
    # The trend chart is drawn from the vendored Chart.js, with twelve months.
    page.wait_for_function("() => window.Chart && Chart.getChart('trend-chart')")
    assert page.evaluate("() => Chart.getChart('trend-chart').data.labels.length") == 12
    # The finished figure of the total row opens the list of its dossiers.
    cells.nth(4).locator("a").click()
    assert page.locator("h1").inner_text() == "Các hồ sơ của số liệu"
    assert re.search(rf"\b{expected.finished}\b", page.locator("main p").first.inner_text().replace(".", ""))
    page.go_back()
    with page.expect_download() as download:
        page.click("text=Excel")
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as handle:
        book = load_workbook(handle)
    assert book.active.title == "II.06a"
    page.fill("#note", "Báo cáo tháng")
    page.click("form.sign-form button[type=submit]")
    assert page.locator("h1").inner_text() == "Công bố báo cáo này?"  # asked first
    assert not SignedReport.objects.exists()
    page.get_by_role("button", name="Đồng ý ký chốt và công bố").click()
    assert "Đã ký chốt bởi Lường Văn Sơn" in page.locator(".notice").inner_text()
    assert "Số liệu vẫn đúng như khi ký chốt." in page.locator(".notice").inner_text()
    assert SignedReport.objects.get().rows[-1]["total"] == expected.total


def test_the_report_fits_a_phone(leader_page):
    page = leader_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.click("header .menu > summary")  # on a phone the menu opens first
    page.click("nav >> text=Báo cáo")
    page.wait_for_function("() => window.Chart && Chart.getChart('trend-chart')")
    assert page.locator("table.report").first.is_visible()
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert page.evaluate("() => Chart.getChart('trend-chart').canvas.clientWidth") <= 390
