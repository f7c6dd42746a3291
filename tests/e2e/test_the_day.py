"""An ordinary day at a one-stop desk, replayed in Chromium at 1366 and at 390 px: a citizen applies
online and gets the code and a message at once; the desk accepts; the deciding office's officer
finds the dossier by the applicant's ID number and by the name typed without diacritics and handles
it; the leader approves; the desk returns the result. Every message reaches the outbox, and no page
on the way scrolls sideways or has a serious accessibility problem."""

import re
from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.rules import Status
from motcua.notifications.models import Delivery
from motcua.people import sms
from motcua.people.models import Role, User
from motcua.people.services import assign_role
from motcua.units.services import unit_on

from .test_phones import DESKTOP, PASSWORD, PHONE, SCAN, problems_on, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
DAY = date(2026, 11, 30)
STAFF = {
    "motcua.maison": (Role.DESK_OFFICER, "04105.TTPVHCC", "Lò Thị Mai"),
    "vanphong.maison": (Role.PROCESSING_OFFICER, "04105.VP", "Hà Văn Toàn"),  # decides civil status
    "xuly.kinhte": (Role.PROCESSING_OFFICER, "04105.PKT", "Quàng Văn Tú"),  # an office that does not
    "lanhdao.maison": (Role.UNIT_LEADER, "04105", "Cầm Văn Hùng"),
}


@pytest.fixture
def people(demo):
    for username, (role, unit, name) in STAFF.items():
        assign_role(User.objects.create_user(username, password=PASSWORD, full_name=name), role, unit_on(unit, DAY))
    User.objects.create_user(
        "minh@example.vn", password=PASSWORD, full_name="Lò Văn Minh", email="minh@example.vn", phone="0912345678"
    )


def checked(page, device, seen: list[str]) -> None:
    """The page as it stands fits the screen and axe finds nothing serious; noted for the end."""
    seen += [f"{page.url}: {p}" for p in problems_on(page, device)]


def act(page, action: str, button: str, **fields) -> None:
    form = page.locator(f"form[action$='/thao-tac/{action}/']")
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    form.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()


def search(page, live_server, text: str) -> list[str]:
    page.goto(f"{live_server.url}/ho-so/tim-kiem/?q={text}")
    return [link.inner_text() for link in page.locator("main table a[href^='/ho-so/']").all()]


@pytest.mark.parametrize("device", [DESKTOP, PHONE], ids=["1366", "390"])
def test_the_day_of_a_dossier(browser, live_server, people, device, settings):
    settings.MOTCUA_SMS_BACKEND = "motcua.people.sms.MemoryBackend"
    sms.outbox.clear()
    seen: list[str] = []

    # The citizen applies online from the procedure's page, the form filled in from the account.
    citizen = sign_in(browser, live_server, "minh@example.vn", device)
    citizen.goto(f"{live_server.url}/thu-tuc/1.001193/")
    checked(citizen, device, seen)
    citizen.get_by_role("button", name="Nộp hồ sơ trực tuyến").click()
    assert citizen.locator("#applicant_name").input_value() == "Lò Văn Minh"
    assert citizen.locator("#applicant_phone").input_value() == "0912345678"
    citizen.fill("#applicant_id", "014095001234")
    citizen.select_option("#receiving_unit", label="Trung tâm Phục vụ hành chính công Xã Mai Sơn")
    for n, box in enumerate(citizen.locator("input[type=file]").all()):
        box.set_input_files({"name": f"giay-to-{n}.pdf", "mimeType": "application/pdf", "buffer": SCAN})
    checked(citizen, device, seen)
    citizen.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    dossier = Dossier.objects.get(applicant_user__username="minh@example.vn")
    assert dossier.code and dossier.code in citizen.content()  # the code at once, before acceptance
    assert citizen.locator(".status").inner_text() == "Mới đăng ký trực tuyến"
    checked(citizen, device, seen)
    submitted = Delivery.objects.filter(event="submitted").values_list("channel", "recipient")
    assert sorted(submitted) == [("email", "minh@example.vn"), ("sms", "0912345678")]

    # The desk accepts it; the processing office offered is the one that decides civil status.
    desk = sign_in(browser, live_server, "motcua.maison", device)
    desk.goto(f"{live_server.url}/ho-so/?tab=intake")
    checked(desk, device, seen)
    desk.get_by_role("link", name=dossier.code, exact=True).click()
    checked(desk, device, seen)
    chosen = desk.locator("#processing-accept option:checked").inner_text()
    assert chosen == unit_on("04105.VP", DAY).name
    desk.locator("form[action$='/thao-tac/accept/']").get_by_role("button", name="Tiếp nhận").click()
    dossier.refresh_from_db()
    assert dossier.status == Status.ACCEPTED and dossier.processing_unit.code == "04105.VP"
    detail = f"{live_server.url}/ho-so/{dossier.pk}/"

    # The deciding office finds it by the ID number and by the name without diacritics; another
    # office does not.
    officer = sign_in(browser, live_server, "vanphong.maison", device)
    assert search(officer, live_server, "014095001234") == [dossier.code]
    assert search(officer, live_server, "lo van minh") == [dossier.code]
    checked(officer, device, seen)
    other = sign_in(browser, live_server, "xuly.kinhte", device)
    assert search(other, live_server, "014095001234") == []

    # Each step by its holder: the desk passes it on, the office appraises, the leader approves (the
    # only decision the leader's page offers), the office records and issues the result.
    holders = {"desk": desk, "processor": officer, "clerk": officer, "signer": sign_in(
        browser, live_server, "lanhdao.maison", device)}  # fmt: skip
    for _ in range(10):
        dossier.refresh_from_db()
        if dossier.status == Status.RESULT_READY:
            break
        role = next(s.role for s in services.template_steps(dossier) if s.order == dossier.current_step)
        page = holders[role]
        page.goto(detail)
        checked(page, device, seen)
        if role == "signer":
            assert page.locator("form[action$='/thao-tac/issue_result/']").count() == 0
            act(page, "leader_approve", "Phê duyệt")
        elif services.next_step(dossier) is not None:
            act(page, "forward", "Chuyển bước tiếp theo")
        else:
            act(page, "issue_result", "Ban hành kết quả", result_number="125/KS")
    assert dossier.status == Status.RESULT_READY and dossier.outcome == "approved"

    # The desk hands the result over at the desk.
    desk.goto(detail)
    act(desk, "hand_over", "Trả kết quả")
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED
    checked(desk, device, seen)

    # The citizen sees it returned, with where it is and its last step.
    citizen.goto(f"{live_server.url}/ca-nhan/ho-so/{dossier.pk}/")
    assert citizen.locator(".status").inner_text() == "Đã trả kết quả"
    assert re.search(r"Bước 4/4", citizen.content())
    checked(citizen, device, seen)

    # Every message of the day reaches the outbox once the task worker has run.
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    events = sorted(Delivery.objects.values_list("event", "channel", "status"))
    assert events == [
        (event, channel, "sent")
        for event in ("receipt", "result", "returned", "submitted")  # sorted, as read
        for channel in ("email", "sms")
    ]
    assert [number for number, _text in sms.outbox] == ["0912345678"] * len(sms.outbox) and sms.outbox
    assert all(dossier.code in message.subject for message in mail.outbox) and mail.outbox
    assert seen == []
