import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.people.models import User

from .test_login import PASSWORD, officer  # noqa: F401  (the fixture)

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture(autouse=True)
def no_wait_after_a_wrong_code(settings):
    """django-otp makes each wrong code double the wait before the next try; the flows below try
    right after a wrong code on purpose (the wait itself is tested last)."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def code(device, drift=0):
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):06d}"


def sign_in(client):
    response = client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    assert response.status_code == 302
    return response


def turn_on(client):
    client.post("/tai-khoan/xac-thuc-hai-buoc/", {"action": "start"})
    device = TOTPDevice.objects.get(user__username="officer", confirmed=False)
    page = client.get("/tai-khoan/xac-thuc-hai-buoc/").text
    assert "<svg" in page and "Quét mã" in page
    wrong = client.post("/tai-khoan/xac-thuc-hai-buoc/", {"action": "confirm", "code": "000000"})
    assert wrong.status_code == 400 and not TOTPDevice.objects.filter(confirmed=True).exists()
    client.post("/tai-khoan/xac-thuc-hai-buoc/", {"action": "confirm", "code": code(device)})
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_an_official_turns_the_second_step_on_and_is_then_asked_for_a_code(client, officer):  # noqa: F811
    sign_in(client)
    device = turn_on(client)
    assert "Đang bật" in client.get("/tai-khoan/xac-thuc-hai-buoc/").text
    client.post(reverse("logout"))

    sign_in(client)
    held = client.get("/lam-viec/")
    assert held.status_code == 302 and held["Location"].startswith("/dang-nhap/ma-xac-thuc/?next=")
    assert client.get("/api/dossiers").status_code == 401
    assert client.get("/quan-tri/").status_code == 302
    assert client.post("/dang-nhap/ma-xac-thuc/", {"code": "123456", "next": "/lam-viec/"}).status_code == 400
    passed = client.post("/dang-nhap/ma-xac-thuc/", {"code": code(device, drift=1), "next": "/lam-viec/"})
    assert passed["Location"] == "/lam-viec/"
    assert client.get("/lam-viec/").status_code == 200
    assert client.get("/api/dossiers").status_code == 200


def test_a_password_alone_cannot_replace_the_authenticator(client, officer):  # noqa: F811
    sign_in(client)
    device = turn_on(client)
    client.post(reverse("logout"))
    sign_in(client)  # someone who knows the password, without the phone
    for action in ("start", "off"):
        reply = client.post("/tai-khoan/xac-thuc-hai-buoc/", {"action": action})
        assert reply["Location"] == "/dang-nhap/ma-xac-thuc/"
    assert list(TOTPDevice.objects.filter(user__username="officer")) == [device]


def test_a_used_code_cannot_be_used_again(client, officer):  # noqa: F811
    sign_in(client)
    device = turn_on(client)
    first = code(device)  # the code just used to confirm
    client.post(reverse("logout"))
    sign_in(client)
    assert client.post("/dang-nhap/ma-xac-thuc/", {"code": first}).status_code == 400


def test_the_province_can_require_it_of_every_official(client, officer, settings):  # noqa: F811
    settings.TWO_FACTOR = "required"
    sign_in(client)
    held = client.get("/ho-so/")
    assert held["Location"].startswith("/tai-khoan/xac-thuc-hai-buoc/?next=")
    assert "yêu cầu" in client.get(held["Location"]).text
    turn_on(client)
    assert client.get("/ho-so/").status_code == 200
    off = client.post("/tai-khoan/xac-thuc-hai-buoc/", {"action": "off"})
    assert off.status_code == 200 and TOTPDevice.objects.filter(confirmed=True).exists()  # cannot be turned off


def test_citizens_sign_in_without_it(client, settings):
    settings.TWO_FACTOR = "required"
    User.objects.create_user("0912345678", password=PASSWORD)
    client.post(reverse("login"), {"username": "0912345678", "password": PASSWORD})
    assert client.get("/ca-nhan/").status_code == 200
    assert client.get("/tai-khoan/xac-thuc-hai-buoc/").status_code == 403


def test_logging_out_ends_the_session_on_the_server(officer):  # noqa: F811
    browser = Client()
    browser.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    stolen = browser.cookies["sessionid"].value
    browser.post(reverse("logout"))
    thief = Client()
    thief.cookies["sessionid"] = stolen
    assert thief.get("/lam-viec/")["Location"].startswith(reverse("login"))


def test_wrong_codes_make_the_next_try_wait(client, officer, settings):  # noqa: F811
    sign_in(client)
    device = turn_on(client)
    client.post(reverse("logout"))
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    sign_in(client)
    assert client.post("/dang-nhap/ma-xac-thuc/", {"code": "000000"}).status_code == 400
    assert client.post("/dang-nhap/ma-xac-thuc/", {"code": code(device, drift=1)}).status_code == 400  # too soon
    device.refresh_from_db()
    assert device.throttling_failure_count >= 1
