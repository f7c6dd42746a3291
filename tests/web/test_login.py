import pytest
from django.urls import reverse

from motcua.people.models import Role, User
from motcua.people.services import assign_role
from motcua.units.services import unit_on

PASSWORD = "mật-khẩu-dài-123"
pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def officer(db):
    from datetime import date

    user = User.objects.create_user("officer", password=PASSWORD, full_name="Cầm Văn Thắng")
    assign_role(user, Role.DESK_OFFICER, unit_on("04105.TTPVHCC", date(2026, 1, 1)))
    return user


def test_the_workspace_requires_login_and_the_public_home_does_not(client, officer):
    response = client.get("/lam-viec/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "Cổng dịch vụ công" in client.get("/").text
    client.force_login(officer)
    assert client.get("/")["Location"] == "/lam-viec/"  # officials start at their workspace


def test_login_page_is_vietnamese_by_default_and_english_on_request(client):
    assert "Đăng nhập" in client.get(reverse("login")).text
    assert "Log in" in client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").text


def test_login_and_logout(client, officer):
    wrong = client.post(reverse("login"), {"username": "officer", "password": "sai"})
    assert "Sai tên đăng nhập hoặc mật khẩu" in wrong.text
    response = client.post(reverse("login"), {"username": "officer", "password": PASSWORD}, follow=True)
    assert "Xin chào, Cầm Văn Thắng" in response.text
    assert "Trung tâm Phục vụ hành chính công Xã Mai Sơn" in response.text
    assert client.get(reverse("logout")).status_code == 405  # logging out takes a POST (CSRF-protected)
    client.post(reverse("logout"))
    assert client.get("/lam-viec/").status_code == 302


def test_login_is_throttled(client, officer):
    for _ in range(5):
        client.post(reverse("login"), {"username": "officer", "password": "sai"})
    locked = client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    assert locked.status_code == 429
    assert "tạm khóa" in locked.text


def test_csrf_is_enforced(officer):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    assert response.status_code == 403


def test_vietnamese_formats():
    from datetime import date

    from django import forms
    from django.utils import formats, translation

    with translation.override("vi"):
        assert forms.DateField().clean("05/04/2024") == date(2024, 4, 5)
        assert forms.DateField().clean("22/11/2026") == date(2026, 11, 22)
        assert formats.number_format(1234567.5, 1, force_grouping=True) == "1.234.567,5"
        assert formats.date_format(date(2026, 11, 22), "SHORT_DATE_FORMAT") == "22/11/2026"


def test_home_on_a_leap_day(client, officer, monkeypatch):
    from datetime import date

    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2028, 2, 29))
    client.force_login(officer)
    response = client.get("/lam-viec/")
    assert response.status_code == 200
    assert "Ngày Giỗ Tổ Hùng Vương" in response.text
