"""A province leader opens the service index dashboard in Chromium: the total and the five groups,
the charts, an indicator followed to the dossiers that pull it down, the ranking of communes, the
Excel export; and the dashboard at a phone's width."""

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from motcua.demo.generator import generate_bulk
from motcua.people.models import Role, User
from motcua.people.services import assign_role
from motcua.quality import services
from motcua.units.services import unit_on

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "mật-khẩu-dài-456"


@pytest.fixture
def leader_page(demo, browser, live_server):
    generate_bulk(900, seed=7, days=120, communes=4, now=timezone.now())
    user = User.objects.create_user("lanhdao.tinh", password=PASSWORD, full_name="Cầm Thị Hoa")
    assign_role(user, Role.UNIT_LEADER, unit_on("14", timezone.localdate()))
    context = browser.new_context(locale="vi-VN", accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", "lanhdao.tinh")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]:not(.link)")
    yield page
    context.close()


def number(text: str) -> str:
    """The page's Vietnamese number, read back: 1.234,56 → 1234.56."""
    return text.strip().replace(".", "").replace(",", ".")


def test_a_leader_reads_the_index_and_follows_an_indicator(leader_page):
    page = leader_page
    page.click("nav >> text=Chỉ số chất lượng phục vụ")
    assert page.locator("h1").inner_text().startswith("Chỉ số chất lượng phục vụ")
    page.click("text=Năm nay")
    today = timezone.localdate()
    expected = services.index(unit_on("14", today), today.replace(month=1, day=1), today.replace(month=12, day=31))
    shown = page.locator("#index-total .score-big strong").inner_text()
    assert number(shown) == f"{expected.total:.2f}"
    assert page.locator(".score-group").count() == 5
    page.wait_for_function("() => window.Chart && Chart.getChart('group-chart') && Chart.getChart('index-trend')")
    assert page.evaluate("() => Chart.getChart('index-trend').data.labels.length") == 12
    assert page.evaluate("() => Chart.getChart('group-chart').data.datasets[0].data.length") == 5
    # Indicator 2.1 leads to the late and overdue dossiers behind it.
    row = page.locator("table.index-table tr", has_text="2.1")
    on_time = next(s for s in expected.scored if s.indicator.code == "2.1")
    assert number(row.locator("td.n").nth(0).inner_text().split("/")[1]) == str(on_time.ratio.whole)
    row.locator("a").click()
    assert page.locator("h1").inner_text() == "Hồ sơ giải quyết quá hạn hoặc đang quá hạn"
    assert str(on_time.ratio.whole - on_time.ratio.part) in page.locator("main p").first.inner_text().replace(".", "")
    page.go_back()
    # Communes ranked among communes, each name leading to its own dashboard.
    communes = page.locator("#ranking table").last
    assert communes.locator("tbody tr").count() >= 4
    assert communes.locator("tbody tr").first.locator("td").first.inner_text() == "1"
    assert "%)" in communes.locator("tbody tr").first.locator("td.n").nth(1).inner_text()  # points and share
    # The communes without a dossier in the period are listed apart, with no rank.
    apart = page.locator("#ranking .no-data").first
    assert "Chưa có dữ liệu trong kỳ" in apart.locator("h4").inner_text()
    assert apart.locator("li").count() >= 1
    with page.expect_download() as download:
        page.click(".report-head >> text=Excel")
    with open(download.value.path(), "rb") as handle:
        book = load_workbook(handle)
    assert book.sheetnames == ["Chỉ số", "Xếp hạng"]
    assert "Cảnh báo sớm" in page.locator("#warnings h2").inner_text()


def test_the_dashboard_fits_a_phone(leader_page):
    page = leader_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.click("header .menu > summary")  # on a phone the menu opens first
    page.click("nav >> text=Chỉ số chất lượng phục vụ")
    page.wait_for_function("() => window.Chart && Chart.getChart('index-trend')")
    assert page.locator("#index-total").is_visible()
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert page.evaluate("() => Chart.getChart('group-chart').canvas.clientWidth") <= 390
