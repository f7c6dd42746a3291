"""The application form in a browser: filled in from the account, the desk of the citizen's
commune chosen and the list narrowed as one types, problems listed on top and read by screen
readers (axe-core), and a double click on Submit making one dossier."""

import re
from datetime import date

import pytest

from motcua.dossiers.models import Dossier
from motcua.people.models import CitizenProfile, User
from motcua.units.services import unit_on

from .test_portal import PASSWORD, SCAN, accessible, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
TODAY = date(2026, 11, 30)


@pytest.fixture
def citizen(demo):
    user = User.objects.create_user("0912345678", password=PASSWORD, full_name="Lò Văn Minh", phone="0912345678")
    CitizenProfile.objects.create(
        user=user, id_number="014095001234", address="Tiểu khu 5", commune=unit_on("04105", TODAY)
    )
    return user


def visible_options(page, select: str) -> list[str]:
    return page.eval_on_selector(
        select, "s => Array.from(s.options).filter(o => o.value && !o.hidden).map(o => o.text)"
    )


def test_the_form_in_a_browser(browser, live_server, citizen):
    page = sign_in(browser, live_server, "0912345678")
    page.goto(f"{live_server.url}/thu-tuc/1.001193/")
    page.get_by_role("button", name="Nộp hồ sơ trực tuyến").click()
    assert page.locator("#applicant_id").input_value() == "014095001234"
    assert page.locator("#applicant_address").input_value() == "Tiểu khu 5"
    chosen = page.eval_on_selector("#receiving_unit", "s => s.options[s.selectedIndex].text")
    assert chosen == "Trung tâm Phục vụ hành chính công Xã Mai Sơn"
    # The list narrows as one types, without diacritics; the chosen desk stays.
    assert page.get_by_role("button", name="Tìm", exact=True).count() == 0  # the no-script button is hidden
    page.fill("#desk_q", "chieng mung")
    assert sorted(visible_options(page, "#receiving_unit")) == [
        "Trung tâm Phục vụ hành chính công Xã Chiềng Mung",
        "Trung tâm Phục vụ hành chính công Xã Mai Sơn",
    ]
    # Problems: listed on top, focused, each link leading to its field.
    page.fill("#applicant_name", "")
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    summary = page.get_by_role("alert")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    links = summary.get_by_role("link")
    assert links.count() == 3  # the name and the two documents
    links.first.click()
    assert page.evaluate("location.hash") == "#applicant_name"
    accessible(page)
    # Corrected, both documents attached, and Submit clicked twice: one dossier.
    page.fill("#applicant_name", "Lò Văn Minh")
    files = page.locator("input[type=file]")
    files.nth(0).set_input_files({"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": SCAN})
    files.nth(1).set_input_files({"name": "giay-chung-sinh.pdf", "mimeType": "application/pdf", "buffer": SCAN})
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).dblclick()
    page.wait_for_url(re.compile(r"/ca-nhan/ho-so/\d+/"))
    assert Dossier.objects.filter(applicant_user=citizen).count() == 1
