"""Every page of the citizen's path and of the desk's path on a 390 px phone and on a desktop: the
page never scrolls sideways, the menu folds into one button on the phone, and axe-core finds no
serious or critical problem."""

import os
from datetime import date
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.timezone import localtime

from motcua.catalog.models import Procedure
from motcua.dossiers import services as dossiers
from motcua.people.models import Role, User
from motcua.people.services import assign_role
from motcua.portal import services as portal
from motcua.units.services import unit_on

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "mật-khẩu-dài-123"
DAY = date(2026, 11, 30)
SCAN = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
SHOTS = Path(os.environ.get("MOTCUA_SHOTS", "")) if os.environ.get("MOTCUA_SHOTS") else None
axe = Axe()


def sign_in(browser, live_server, username, device):
    context = browser.new_context(locale="vi-VN", **device)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]:not(.link)")
    page.wait_for_load_state()
    return page


def menu_problems(page, summary, links) -> list[str]:
    """On a phone the header is one line with the menu's button; the button opens and closes it."""
    header = page.locator("header").bounding_box()
    found = [f"the header takes {header['height']} px"] if header["height"] > 64 else []
    if not summary.is_visible() or links.first.is_visible():
        return [*found, "the menu is not folded"]
    summary.click()
    if not links.first.is_visible() or page.locator("header nav").bounding_box()["width"] > 390:
        found.append("the menu does not open")
    if SHOTS and page.url.endswith(("/ca-nhan/", "/ho-so/")):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / f"390-menu-open-{page.url.rstrip('/').rsplit('/', 1)[1]}.png")
    summary.click()
    if links.first.is_visible():
        found.append("the menu does not close")
    return found


def problems_on(page, device) -> list[str]:
    """What is wrong with the page as it stands: sideways scrolling, the menu, axe's serious finds."""
    found = []
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    if width[0] > width[1]:
        wide = page.evaluate(
            """() => [...document.querySelectorAll('main *, header *')]
                .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                .slice(0, 3).map(e => e.tagName + '.' + e.className)"""
        )
        found.append(f"scrolls sideways: {width[0]} > {width[1]} ({wide})")
    summary = page.locator("header .menu > summary")
    links = page.locator("header nav a")
    if device is PHONE:
        found += menu_problems(page, summary, links)
    elif summary.is_visible() or not links.first.is_visible():
        found.append("the menu is folded on a desktop")
    results = axe.run(page)
    for v in results.response["violations"]:
        if v["impact"] in ("serious", "critical"):
            found.append(f"axe {v['impact']} {v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:3]}")
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        name = page.url.split("//", 1)[1].split("/", 1)[1].strip("/").replace("/", "_").replace("?", "_") or "home"
        page.screenshot(path=SHOTS / f"{device['viewport']['width']}-{name[:60]}.png", full_page=True)
    return found


@pytest.fixture
def path_data(demo):
    """A desk officer of Mai Sơn, a citizen with a draft, two online dossiers (one accepted) and a
    question about the accepted one."""
    desk = User.objects.create_user("motcua.maison", password=PASSWORD, full_name="Lò Thị Mai")
    assign_role(desk, Role.DESK_OFFICER, unit_on("04105.TTPVHCC", DAY))
    assign_role(desk, Role.PROCESSING_OFFICER, unit_on("04105", DAY))
    citizen = User.objects.create_user("0912345678", password=PASSWORD, full_name="Lò Văn Minh", phone="0912345678")
    birth = Procedure.objects.get(code="1.001193")
    documents = list(birth.components.all())
    made = []
    for _ in range(2):
        application = portal.start_application(citizen, birth)
        data = portal.ApplicationInput(
            receiving_unit=unit_on("04105.TTPVHCC", DAY),
            applicant_name="Lò Văn Minh",
            applicant_id="014095001234",
            applicant_phone="0912345678",
            applicant_email="",
            applicant_address="Bản Nà Sản, xã Mai Sơn, tỉnh Sơn La",
            note="",
        )
        uploads = {c.pk: [SimpleUploadedFile(f"{c.order}.pdf", SCAN, "application/pdf")] for c in documents}
        assert portal.save_draft(application, data, uploads) == []  # no problem
        made.append(portal.submit(application))
    accepted = dossiers.accept(desk, made[0])
    draft = portal.start_application(citizen, birth)
    question = portal.FeedbackInput(
        unit=None,
        name="Lò Văn Minh",
        contact="0912345678",
        title="Hỏi về ngày trả kết quả của hồ sơ đăng ký khai sinh",
        content="Bao giờ có kết quả?",
        dossier_code=accepted.code,
    )
    portal.send_feedback(question)
    return {"desk": desk, "citizen": citizen, "dossier": accepted, "draft": draft}


def citizen_pages(data):
    d = data["dossier"]
    return [
        "/",
        "/thu-tuc/",
        "/thu-tuc/1.001193/",
        f"/ca-nhan/ho-so-nhap/{data['draft'].pk}/",
        "/ca-nhan/",
        f"/ca-nhan/ho-so/{d.pk}/",
        f"/tra-cuu/?code={d.code}&secret={d.secret}",
        "/phan-anh-kien-nghi/",
    ]


def desk_pages(data):
    return [
        "/lam-viec/",
        "/ho-so/tiep-nhan/",
        "/ho-so/tiep-nhan/?procedure=1.001193",
        "/ho-so/",
        "/ho-so/tim-kiem/?q=Minh",
        f"/ho-so/{data['dossier'].pk}/",
        "/ho-so/so-theo-doi/",
        "/phan-anh-kien-nghi/xu-ly/",
    ]


@pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_citizens_and_the_desks_pages_fit_a_phone(browser, live_server, path_data, device):
    found = {}
    for username, pages in (("0912345678", citizen_pages), ("motcua.maison", desk_pages)):
        page = sign_in(browser, live_server, username, device)
        for path in pages(path_data):
            page.goto(f"{live_server.url}{path}")
            assert page.locator("h1").count() >= 1, path
            problems = problems_on(page, device)
            if problems:
                found[path] = problems
        page.context.close()
    assert not found, "\n".join(f"{path}: {p}" for path, ps in found.items() for p in ps)


def test_my_dossiers_on_a_phone_show_the_appointment_without_scrolling(browser, live_server, path_data):
    page = sign_in(browser, live_server, "0912345678", PHONE)
    page.goto(f"{live_server.url}/ca-nhan/")
    accepted = page.locator("table.stack tbody tr").filter(has_text=path_data["dossier"].code)
    appointment = accepted.locator("td[data-label='Ngày hẹn trả']")
    assert appointment.inner_text() == f"{localtime(path_data['dossier'].appointment_at):%H:%M %d/%m/%Y}"
    box = appointment.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390


def test_english_pages_on_a_phone_fit_and_name_their_columns_in_english(browser, live_server, path_data):
    context = browser.new_context(locale="en-GB", **PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", "motcua.maison")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]:not(.link)")
    for path in ("/ho-so/", "/ho-so/so-theo-doi/", f"/ho-so/{path_data['dossier'].pk}/"):
        page.goto(f"{live_server.url}{path}")
        assert page.locator("header .menu > summary").inner_text() == "Menu"
        assert problems_on(page, PHONE) == [], path
    page.goto(f"{live_server.url}/ho-so/")
    card = page.locator("table.stack tbody tr").first
    assert card.locator("td").nth(1).evaluate("e => getComputedStyle(e, '::before').content") == '"Procedure"'
    context.close()
