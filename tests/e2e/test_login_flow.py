from datetime import date

import pytest

from motcua.people.models import Role, User
from motcua.people.services import assign_role
from motcua.units.services import unit_on

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "mật-khẩu-dài-123"


@pytest.fixture
def officer(demo):
    user = User.objects.create_user("motcua.thu", password=PASSWORD, full_name="Lò Thị Mai")
    assign_role(user, Role.DESK_OFFICER, unit_on("14.TTPVHCC", date(2026, 1, 1)))
    return user


def test_an_officer_logs_in_sees_their_unit_switches_language_and_logs_out(page, live_server, officer):
    page.goto(f"{live_server.url}/lam-viec/")
    assert page.locator("h1").inner_text() == "Đăng nhập"
    page.fill("#id_username", "motcua.thu")
    page.fill("#id_password", "sai mật khẩu")
    page.click("button[type=submit]:not(.link)")
    assert "Sai tên đăng nhập hoặc mật khẩu" in page.locator("[role=alert]").inner_text()

    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]:not(.link)")
    assert page.locator("h1").inner_text() == "Xin chào, Lò Thị Mai"
    assert "Trung tâm Phục vụ hành chính công tỉnh Sơn La" in page.content()
    assert "Cán bộ một cửa" in page.content()

    page.click("button[value=en]")
    assert page.locator("h1").inner_text() == "Welcome, Lò Thị Mai"
    assert "Desk officer" in page.content()
    page.click("button[value=vi]")

    page.click("text=Đăng xuất")
    assert page.locator("h1").inner_text() == "Đăng nhập"
    page.goto(f"{live_server.url}/lam-viec/")
    assert "/dang-nhap/" in page.url


def test_the_api_docs_render_in_the_browser(page, live_server, demo):
    page.goto(f"{live_server.url}/api/docs")
    page.get_by_text("/api/calendar/due", exact=True).wait_for()
    assert "motcua API" in page.content()
