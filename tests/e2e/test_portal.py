"""The portal as a citizen uses it, on a phone and on a desktop: find a procedure without
diacritics, sign up, apply online with uploads, watch the desk accept it, answer a supplement
request, download the result, rate it, send feedback; every page scanned with axe-core."""

import re
from datetime import date

import pytest
from axe_playwright_python.sync_playwright import Axe
from captcha.models import CaptchaStore
from django.core import mail
from django.core.files.base import ContentFile

from motcua.dossiers import services as dossiers
from motcua.dossiers.models import Dossier
from motcua.dossiers.rules import Status
from motcua.people.models import Role, User
from motcua.people.services import assign_role
from motcua.portal.models import Feedback
from motcua.units.services import unit_on
from tests.factories import settle

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "mật-khẩu-dài-123"
SCAN = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}
axe = Axe()


def sign_in(browser, live_server, username, password="mật-khẩu-dài-123", device=DESKTOP):
    """A new browser context signed in through the login page; its page."""
    context = browser.new_context(locale="vi-VN", **device)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]:not(.link)")
    return page


def accessible(page) -> None:
    """No WCAG 2.2 A/AA violation on the page as it stands."""
    results = axe.run(page, options=WCAG_AA)
    problems = [
        f"{v['id']}: {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in results.response["violations"]
    ]
    assert not problems, f"{page.url}\n" + "\n".join(problems)


def solve_captcha(page) -> None:
    key = page.locator("input[name=captcha_0]").input_value()
    page.fill("#id_captcha_1", CaptchaStore.objects.get(hashkey=key).response)


@pytest.fixture
def desk_officer(demo):
    user = User.objects.create_user("motcua.maison", password=PASSWORD, full_name="Lò Thị Mai")
    assign_role(user, Role.DESK_OFFICER, unit_on("04105.TTPVHCC", date(2026, 11, 30)))
    assign_role(user, Role.PROCESSING_OFFICER, unit_on("04105", date(2026, 11, 30)))
    assign_role(user, Role.UNIT_LEADER, unit_on("04105", date(2026, 11, 30)))  # decides at the signing step
    return user


@pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_citizen_applies_online_follows_answers_rates_and_gives_feedback(browser, live_server, desk_officer, device):
    context = browser.new_context(locale="vi-VN", **device)
    context.set_default_timeout(10_000)
    page = context.new_page()

    # Find the procedure from the home page, without diacritics.
    page.goto(f"{live_server.url}/")
    accessible(page)
    page.fill("#q", "khai sinh ho tich")
    page.keyboard.press("Enter")
    assert "Tìm thấy" in page.get_by_role("status").inner_text()
    accessible(page)
    page.get_by_role("link", name="Đăng ký khai sinh", exact=True).click()
    assert page.locator("h1").inner_text() == "Đăng ký khai sinh"
    accessible(page)

    # Sign up with an e-mail address, verify it, come back to the procedure.
    page.get_by_role("link", name="hoặc đăng ký tài khoản").click()
    page.fill("#id_full_name", "Lò Văn Minh")
    page.fill("#id_contact", "minh@example.vn")
    page.fill("#id_password", PASSWORD)
    accessible(page)
    solve_captcha(page)
    page.get_by_role("button", name="Đăng ký tài khoản").click()
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    assert page.locator("#id_contact").input_value() == "minh@example.vn"
    accessible(page)
    page.fill("#id_code", code)
    page.get_by_role("button", name="Xác minh").click()
    assert page.locator("h1").inner_text() == "Đăng ký khai sinh"  # back on the procedure signed up from
    accessible(page)

    # Apply: a draft with one scan, saved; then the second scan, and submit.
    page.goto(f"{live_server.url}/thu-tuc/1.001193/")
    page.get_by_role("button", name="Nộp hồ sơ trực tuyến").click()
    page.fill("#applicant_id", "014095001234")
    page.fill("#applicant_phone", "0912345678")
    page.select_option("#receiving_unit", label="Trung tâm Phục vụ hành chính công Xã Mai Sơn")
    files = page.locator("input[type=file]")
    files.nth(0).set_input_files({"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": SCAN})
    page.get_by_role("button", name="Lưu nháp").click()
    assert "Đã lưu nháp." in page.locator(".messages").inner_text()
    assert "to-khai.pdf" in page.content()
    accessible(page)
    page.locator("input[type=file]").nth(1).set_input_files(
        {"name": "giay-chung-sinh.pdf", "mimeType": "application/pdf", "buffer": SCAN}
    )
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    assert "Đã nộp." in page.locator(".messages").inner_text()
    assert page.locator(".status").inner_text() == "Mới đăng ký trực tuyến"
    accessible(page)
    dossier = Dossier.objects.get(applicant_user__username="minh@example.vn")

    # The desk finds it in the intake queue and accepts it.
    desk_context = browser.new_context(locale="vi-VN", **DESKTOP)
    desk = desk_context.new_page()
    desk.goto(f"{live_server.url}/dang-nhap/")
    desk.fill("#id_username", "motcua.maison")
    desk.fill("#id_password", PASSWORD)
    desk.click("button[type=submit]:not(.link)")
    desk.goto(f"{live_server.url}/ho-so/?tab=intake")
    desk.get_by_role("link", name=dossier.code, exact=True).click()  # its code from submission
    desk.locator("form[action$='/thao-tac/accept/']").get_by_role("button", name="Tiếp nhận").click()
    dossier.refresh_from_db()
    assert dossier.code and dossier.status == Status.ACCEPTED

    # The citizen sees it accepted, with its code.
    page.goto(f"{live_server.url}/ca-nhan/")
    page.get_by_role("link", name=dossier.code).click()
    assert page.locator(".status").inner_text() == "Đã tiếp nhận"

    # The desk asks for a clearer scan; the citizen answers online.
    desk.reload()
    form = desk.locator("form[action$='/thao-tac/request_supplement/']")
    form.locator("[name=note]").fill("Giấy chứng sinh mờ, gửi lại bản rõ.")
    form.get_by_role("button", name="Yêu cầu bổ sung").click()
    page.reload()
    assert "Giấy chứng sinh mờ" in page.content()
    accessible(page)
    page.locator("#file_2").set_input_files(
        {"name": "chung-sinh-ro.pdf", "mimeType": "application/pdf", "buffer": SCAN}
    )
    page.fill("#note", "Đã gửi bản rõ.")
    page.get_by_role("button", name="Gửi bổ sung").click()
    assert "Đã gửi bổ sung; bộ phận một cửa đang kiểm tra." in page.content()
    desk.goto(f"{live_server.url}/ho-so/?tab=supplement")
    assert "đã gửi bổ sung trực tuyến" in desk.locator(f"tr:has(a:text-is('{dossier.code}'))").inner_text()
    desk.get_by_role("link", name=dossier.code, exact=True).click()

    # The desk resumes it, the commune settles it with an electronic result and returns it online.
    desk.locator("form[action$='/thao-tac/resume/']").get_by_role("button").click()
    dossier.refresh_from_db()
    dossier = settle(
        dossier,
        None,
        desk=desk_officer,
        officer=desk_officer,
        leader=desk_officer,
        approved=True,
        result_number="15/TLKS",
        electronic=True,
        result_file=ContentFile(SCAN, name="trich-luc-khai-sinh.pdf"),
    )
    page.reload()
    assert "Tải kết quả điện tử" in page.content()
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải kết quả điện tử").click()
    assert download.value.suggested_filename.startswith("trich-luc-khai-sinh")
    dossiers.hand_over(desk_officer, dossier, "online")

    # Rate it, from the lookup page as anyone holding the receipt would.
    public = browser.new_context(locale="vi-VN", **device).new_page()
    public.goto(f"{live_server.url}/tra-cuu/")
    accessible(public)
    public.fill("#code", dossier.code)
    public.fill("#secret", dossier.secret.lower())
    public.get_by_role("button", name="Tra cứu").click()
    assert public.locator(".status").inner_text() == "Đã trả kết quả"
    accessible(public)
    public.get_by_label("Rất hài lòng").check()
    public.get_by_role("button", name="Gửi đánh giá").click()
    dossier.refresh_from_db()
    assert dossier.rating == "very_satisfied"

    # Feedback about the dossier goes to the unit that handled it.
    public.get_by_role("link", name="Phản ánh, kiến nghị về hồ sơ này").click()
    assert public.locator("#id_dossier_code").input_value() == dossier.code
    public.fill("#id_name", "Lò Văn Minh")
    public.fill("#id_contact", "0912345678")
    public.fill("#id_title", "Cảm ơn cán bộ xã")
    public.fill("#id_content", "Hồ sơ được giải quyết nhanh.")
    accessible(public)
    solve_captcha(public)
    public.get_by_role("button", name="Gửi", exact=True).click()
    assert "Đã tiếp nhận với mã PAKN-" in public.locator(".messages").inner_text()
    assert Feedback.objects.get().unit == dossier.processing_unit

    for other in ("/tin-tuc/", "/ket-qua/", "/thu-tuc/?online=full"):
        public.goto(f"{live_server.url}{other}")
        accessible(public)
    desk_context.close()
    context.close()
