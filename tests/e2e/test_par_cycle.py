"""A year's PAR index in Chromium: the council opens the framework, a district scores itself with
evidence, the council adjusts a score, the district responds, the council finalises and publishes,
and anyone reads the public page with its charts."""

from datetime import date

import pytest

from motcua.par.models import AssessmentStatus, Stage
from motcua.people.models import Role, User
from motcua.people.services import assign_role
from motcua.units.services import unit_on
from tests.e2e.test_portal import DESKTOP, accessible, sign_in
from tests.par.conftest import make_framework

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "mật-khẩu-dài-123"
DAY = date(2022, 12, 31)
SCAN = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def people(demo):
    council = User.objects.create_user("cchc.snv", password=PASSWORD, full_name="Hà Thị Thu")
    assign_role(council, Role.REFORM_STAFF, unit_on("14", DAY))
    district = User.objects.create_user("lanhdao.mocchau", password=PASSWORD, full_name="Đinh Văn Tâm")
    assign_role(district, Role.UNIT_LEADER, unit_on("123", DAY))


def test_the_council_and_a_district_run_a_year(browser, live_server, people, tmp_path):
    framework = make_framework(tmp_path, "SL-2022", 2022, units=["123", "124"])
    moc_chau = unit_on("123", DAY)
    council = sign_in(browser, live_server, "cchc.snv")
    council.goto(f"{live_server.url}/chi-so-cchc/")
    council.get_by_role("link", name="SL-2022").click()
    accessible(council)
    council.fill("#self_deadline", "2022-11-30")
    council.get_by_role("button", name="Mở tự đánh giá").click()
    assert "Tự đánh giá" in council.locator(".status").first.inner_text()

    district = sign_in(browser, live_server, "lanhdao.mocchau")
    district.goto(f"{live_server.url}/chi-so-cchc/SL-2022/")
    district.get_by_role("link", name="Huyện Mộc Châu").click()
    accessible(district)
    for code, value in {"1.1": "6", "1.2": "4", "2.1": "9", "2.2": "19", "3.1": "18"}.items():
        district.get_by_label(f"Điểm tự chấm {code}").fill(value)
    district.locator("textarea[id^=explain_]").first.fill("Kế hoạch số 12/KH-UBND ngày 10/01/2022")
    district.locator("input[type=file]").first.set_input_files(
        {"name": "ke-hoach.pdf", "mimeType": "application/pdf", "buffer": SCAN}
    )
    district.get_by_role("button", name="Gửi thẩm định").click()
    assert "Đã gửi thẩm định." in district.locator(".messages").inner_text()

    council.goto(f"{live_server.url}/chi-so-cchc/SL-2022/")
    council.get_by_role("button", name="Mở thẩm định").click()
    council.goto(f"{live_server.url}/chi-so-cchc/SL-2022/don-vi/{moc_chau.pk}/")
    accessible(council)
    council.get_by_label("Điểm thẩm định 2.2").fill("17")
    council.locator("input[id^=reason_]").nth(3).fill("Thiếu báo cáo quý IV")
    council.get_by_role("button", name="Gửi kết quả thẩm định cho đơn vị").click()
    assert "Đã lưu." in council.locator(".messages").inner_text()

    district.reload()
    assert "Thiếu báo cáo quý IV" in district.content()
    district.locator("textarea[id^=response_]").fill("Báo cáo quý IV đã gửi ngày 20/12/2022")
    district.get_by_role("button", name="Gửi giải trình (một lần)").click()
    assert "Đã gửi giải trình đến Hội đồng." in district.locator(".messages").inner_text()

    council.reload()
    council.get_by_role("button", name="Chốt kết quả").click()
    assessment = framework.assessments.get(unit=moc_chau)
    assert assessment.status == AssessmentStatus.FINAL
    council.goto(f"{live_server.url}/chi-so-cchc/SL-2022/")
    council.fill("#decision", "94/QĐ-UBND ngày 12/01/2023")
    council.get_by_role("button", name="Công bố kết quả").click()
    # Asked first: nothing is public until the council confirms.
    assert council.locator("h1").inner_text() == "Công bố kết quả này?"
    assert "Sau khi công bố, người dân sẽ xem được." in council.locator("main").inner_text()
    framework.refresh_from_db()
    assert framework.stage == Stage.APPRAISAL
    accessible(council)
    council.get_by_role("button", name="Đồng ý công bố").click()
    assert "Đã thực hiện." in council.locator(".messages").inner_text()
    framework.refresh_from_db()
    assert framework.stage == Stage.PUBLISHED

    public = browser.new_context(locale="vi-VN", **DESKTOP).new_page()
    public.goto(f"{live_server.url}/ket-qua/")
    public.get_by_role("link", name="Chỉ số CCHC các huyện năm 2022").click()
    public.wait_for_function("() => document.querySelector('#par-ranking').width > 0")
    public.select_option("#unit", label="Huyện Mộc Châu")
    public.get_by_role("button", name="Xem").click()
    public.wait_for_function("() => document.querySelector('#par-radar').width > 0")
    first = public.locator("table.report tbody tr").first.inner_text()
    assert "Huyện Mộc Châu" in first and "54,00/100,00" in first  # 6 + 4 + 9 + 17 + 18, no survey yet
    accessible(public)
