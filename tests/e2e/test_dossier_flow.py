"""A dossier's whole life in Chromium: received at the desk, processed through its steps with a
supplement and a transfer, each step by its holder and the leader's approval at the signing step,
returned, rated, its receipt read and its history checked."""

import io
import re
from datetime import date

import pypdf
import pytest
from django.utils import translation

from motcua.dossiers.models import Dossier
from motcua.dossiers.rules import ACTION_LABELS, STATUS_LABELS, Status
from motcua.dossiers.rules import Action as A
from motcua.people.models import Role, User
from motcua.people.services import assign_role
from motcua.units.services import unit_on

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "mật-khẩu-dài-123"
DAY = date(2026, 1, 1)
PEOPLE = {
    "motcua.maison": (Role.DESK_OFFICER, "04105.TTPVHCC", "Lò Thị Mai"),
    "lanhdao.maison": (Role.UNIT_LEADER, "04105", "Cầm Văn Hùng"),
    "xuly.kinhte": (Role.PROCESSING_OFFICER, "04105.PKT", "Quàng Văn Tú"),
    "xuly.vanhoa": (Role.PROCESSING_OFFICER, "04105.PVHXH", "Lường Thị Hoa"),
}
SCAN = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def officials(demo):
    for username, (role, unit, name) in PEOPLE.items():
        user = User.objects.create_user(username, password=PASSWORD, full_name=name)
        assign_role(user, role, unit_on(unit, DAY))


@pytest.fixture
def sign_in(browser, live_server, officials):
    """A browser context per official, signed in through the login page."""
    contexts = []

    def open_as(username):
        context = browser.new_context(locale="vi-VN")
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server.url}/dang-nhap/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]:not(.link)")
        assert PEOPLE[username][2] in page.locator("h1").inner_text()
        return page

    yield open_as
    for context in contexts:
        context.close()


def vi(label) -> str:
    with translation.override("vi"):
        return str(label)


def act(page, action, button, **fields):
    """Fill and submit the action form ``action`` on the dossier page; return the flash message."""
    form = page.locator(f"form[action$='/thao-tac/{action}/']")
    for selector, value in fields.items():
        target = form.locator(f"[name={selector}]")
        if target.evaluate("e => e.tagName") == "SELECT":
            target.select_option(label=value)
        else:
            target.fill(value)
    form.get_by_role("button", name=button).click()
    page.wait_for_load_state()
    flash = page.locator(".messages li").first
    assert "success" in flash.get_attribute("class"), flash.inner_text()
    return flash.inner_text()


def test_a_dossier_from_the_desk_to_the_rating(sign_in, live_server):
    desk = sign_in("motcua.maison")

    # Intake: find the procedure without diacritics, tick the documents, attach a scan, accept.
    desk.goto(f"{live_server.url}/ho-so/tiep-nhan/")
    desk.fill("#q", "dang ky dat dai lan dau")
    desk.get_by_role("button", name="Tìm").click()
    desk.get_by_role("link", name=re.compile(r"^1\.012994")).click()
    desk.select_option("#processing_unit", label=unit_on("04105.PKT", DAY).name)
    desk.fill("#applicant_name", "Lò Văn Minh")
    desk.fill("#applicant_id", "014090001234")
    desk.fill("#applicant_phone", "0912345678")
    for box in desk.locator("input[name^=provided_]").all():
        box.check()
    desk.locator("input[name=file_1]").set_input_files(
        {"name": "don-dang-ky.pdf", "mimeType": "application/pdf", "buffer": SCAN}
    )
    desk.get_by_role("button", name="Tiếp nhận và in giấy hẹn").click()
    dossier = Dossier.objects.get()
    assert re.fullmatch(r"04105\.TTPVHCC-\d{6}-0001", dossier.code)
    assert dossier.code in desk.locator("h1").inner_text()
    assert "don-dang-ky.pdf" in desk.content()
    detail = desk.url

    # The receipt (form 01) as the applicant gets it.
    href = desk.get_by_role("link", name="In giấy tiếp nhận (01)").get_attribute("href")  # offered on top
    receipt = desk.request.get(live_server.url + href)
    assert receipt.headers["content-type"] == "application/pdf"
    text = pypdf.PdfReader(io.BytesIO(receipt.body())).pages[0].extract_text()
    assert dossier.code in text and dossier.secret in text and "Lò Văn Minh" in text

    # The desk routes it on; the leader moves on from the assignment step and assigns; the officer
    # asks for a supplement.
    act(desk, "forward", "Chuyển bước tiếp theo")
    leader = sign_in("lanhdao.maison")
    leader.goto(detail)
    act(leader, "forward", "Chuyển bước tiếp theo")
    act(leader, "assign", "Phân công", assignee="Quàng Văn Tú")
    officer = sign_in("xuly.kinhte")
    officer.goto(f"{live_server.url}/ho-so/")
    assert officer.get_by_role("link", name="Giao cho tôi (1)", exact=True).count() == 1  # the queue's count
    officer.fill("#q", "lo van minh")  # the workspace search, without diacritics
    officer.get_by_role("button", name="Tìm", exact=True).click()
    assert "1 hồ sơ được tìm thấy." in officer.content()
    officer.get_by_role("link", name=dossier.code).click()
    act(officer, "request_supplement", "Yêu cầu bổ sung", note="Thiếu bản vẽ sơ đồ thửa đất")
    assert officer.locator(".status").inner_text() == vi(STATUS_LABELS[Status.WAITING_SUPPLEMENT])

    desk.goto(detail)
    act(desk, "resume", "Đã nhận bổ sung: tiếp tục xử lý")
    officer.goto(detail)
    act(officer, "transfer", "Chuyển", unit=unit_on("04105.PVHXH", DAY).name, note="Xác minh nguồn gốc đất")
    assert officer.url == f"{live_server.url}/ho-so/"  # out of the officer's hands: back to the inbox
    assert dossier.code not in officer.content()

    # The other agency's officer appraises; the review and the signature are the leader's.
    partner = sign_in("xuly.vanhoa")
    partner.goto(detail)
    act(partner, "forward", "Chuyển bước tiếp theo")
    assert partner.locator("form.action").count() == 1  # only the apology letter is left to an officer
    leader.goto(detail)
    act(leader, "forward", "Chuyển bước tiếp theo")
    assert leader.locator("form[action$='/thao-tac/issue_result/']").count() == 0
    assert leader.locator("form[action$='/thao-tac/forward/']").count() == 0
    act(leader, "leader_approve", "Phê duyệt")
    partner.goto(detail)
    act(partner, "issue_result", "Ban hành kết quả", result_number="GCN CS 123456")
    assert partner.locator(".status").inner_text() == vi(STATUS_LABELS[Status.RESULT_READY])

    desk.goto(detail)
    act(desk, "hand_over", "Trả kết quả", method="Qua bưu chính", tracking_number="EB123456789VN")
    desk.get_by_label("Rất hài lòng").check()
    desk.get_by_role("button", name="Ghi nhận đánh giá").click()
    assert desk.locator(".status").inner_text() == vi(STATUS_LABELS[Status.RETURNED])

    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED and dossier.rating == "very_satisfied"
    assert dossier.tracking_number == "EB123456789VN" and dossier.processing_unit.code == "04105.PVHXH"
    history = [li.locator("b").inner_text() for li in desk.locator("ol.history li").all()]
    expected = [A.ACCEPT, A.UPLOAD, A.FORWARD, A.FORWARD, A.ASSIGN, A.REQUEST_SUPPLEMENT, A.RESUME, A.TRANSFER,
                A.FORWARD, A.FORWARD, A.LEADER_APPROVE, A.ISSUE_RESULT, A.HAND_OVER, A.RATE]  # fmt: skip
    assert history == [vi(ACTION_LABELS[a]) for a in expected]
    names = desk.locator("ol.history").inner_text()
    assert all(name in names for name in ("Lò Thị Mai", "Cầm Văn Hùng", "Quàng Văn Tú", "Lường Thị Hoa"))
    slip = desk.locator("section:has(h2:text('Phiếu kiểm soát')) tbody tr")
    assert slip.count() == dossier.steps.count() >= 7

    # The applicant looks it up with the code and the secret from the receipt.
    public = desk.context.browser.new_page(locale="vi-VN")
    public.goto(f"{live_server.url}/tra-cuu/?code={dossier.code}")  # the receipt's QR code
    public.fill("#secret", dossier.secret)
    public.get_by_role("button", name="Tra cứu").click()
    assert vi(STATUS_LABELS[Status.RETURNED]) in public.content()
    public.close()
