import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from motcua.people import accounts, sms
from motcua.people.models import User

from .conftest import captcha_answer

pytestmark = pytest.mark.django_db
PASSWORD = "mật-khẩu-dài-123"


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("An.Nguyen@Example.vn", "email", "an.nguyen@example.vn"),
        ("0912 345 678", "phone", "0912345678"),
        ("+84 912-345-678", "phone", "0912345678"),
        ("84912345678", "phone", "0912345678"),
    ],
)
def test_a_contact_is_an_email_or_a_mobile_number(text, kind, value):
    assert accounts.parse_contact(text) == accounts.Contact(kind, value)


@pytest.mark.parametrize("text", ["", "091234567", "0212345678", "an@", "abc"])
def test_anything_else_is_refused(text):
    with pytest.raises(accounts.AccountError):
        accounts.parse_contact(text)


def test_sign_up_by_email_sends_a_code_that_activates_the_account(demo):
    user = accounts.register_citizen("an@example.vn", "Nguyễn Văn An", PASSWORD)
    assert not user.is_active and user.email == "an@example.vn" and user.check_password(PASSWORD)
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    with pytest.raises(accounts.AccountError):
        accounts.verify_contact("an@example.vn", "000000" if code != "000000" else "111111")
    assert accounts.verify_contact("an@example.vn", code).is_active
    with pytest.raises(accounts.AccountError, match="Đã có tài khoản"):
        accounts.register_citizen("an@example.vn", "Kẻ Khác", "another-long-password-9")
    assert User.objects.get(username="an@example.vn").full_name == "Nguyễn Văn An"


def test_sign_up_by_phone_texts_the_code_and_five_wrong_tries_spend_it(demo, settings):
    settings.MOTCUA_SMS_BACKEND = "motcua.people.sms.MemoryBackend"
    sms.outbox.clear()
    accounts.register_citizen("0987 654 321", "Lò Thị Hoa", PASSWORD)
    phone, text = sms.outbox[-1]
    code = re.search(r"\b(\d{6})\b", text).group(1)
    assert phone == "0987654321"
    wrong = "123456" if code != "123456" else "654321"
    for _ in range(accounts.CODE_ATTEMPTS):
        with pytest.raises(accounts.AccountError):
            accounts.verify_contact("0987654321", wrong)
    with pytest.raises(accounts.AccountError):
        accounts.verify_contact("0987654321", code)  # spent
    assert not User.objects.get(username="0987654321").is_active


def test_an_expired_code_does_not_work_and_a_weak_password_is_refused(demo):
    start = timezone.now()
    accounts.register_citizen("hoa@example.vn", "Lò Thị Hoa", PASSWORD, at=start)
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    with pytest.raises(accounts.AccountError):
        accounts.verify_contact("hoa@example.vn", code, at=start + timedelta(minutes=16))
    with pytest.raises(accounts.AccountError):
        accounts.register_citizen("minh@example.vn", "Minh", "12345678901")


def test_the_sign_up_page_needs_the_captcha_then_verifies_and_logs_in(client, demo):
    page = client.get("/dang-ky/")
    form = {"full_name": "Nguyễn Văn An", "contact": "an@example.vn", "password": PASSWORD}
    refused = client.post("/dang-ky/", {**form, "captcha_0": captcha_answer(page)["captcha_0"], "captcha_1": "XXXXX"})
    assert refused.status_code == 422 and not User.objects.filter(username="an@example.vn").exists()
    assert "Các ký tự đã gõ không khớp với hình" in refused.content.decode()
    response = client.post("/dang-ky/", {**form, **captcha_answer(refused)})
    assert response.status_code == 302 and response["Location"] == "/xac-minh/?contact=an%40example.vn"
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    response = client.post("/xac-minh/", {"contact": "an@example.vn", "code": code})
    assert response.status_code == 302 and response["Location"] == "/ca-nhan/"
    assert client.get("/ca-nhan/").status_code == 200


def test_a_sign_up_from_a_procedure_comes_back_to_it(client, demo):
    procedure_page = client.get("/thu-tuc/1.001193/").content.decode()
    assert 'href="/dang-ky/?next=/thu-tuc/1.001193/"' in procedure_page
    page = client.get("/dang-ky/?next=/thu-tuc/1.001193/")
    assert '<input type="hidden" name="next" value="/thu-tuc/1.001193/">' in page.content.decode()
    form = {"full_name": "Nguyễn Văn An", "contact": "an@example.vn", "password": PASSWORD}
    response = client.post("/dang-ky/", {**form, **captcha_answer(page), "next": "/thu-tuc/1.001193/"})
    assert response["Location"] == "/xac-minh/?contact=an%40example.vn&next=%2Fthu-tuc%2F1.001193%2F"
    verify = client.get(response["Location"]).content.decode()
    assert 'inputmode="numeric"' in verify and 'autocomplete="one-time-code"' in verify
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    response = client.post("/xac-minh/", {"contact": "an@example.vn", "code": code, "next": "/thu-tuc/1.001193/"})
    assert response.status_code == 302 and response["Location"] == "/thu-tuc/1.001193/"


def test_a_sign_up_never_sends_the_citizen_to_another_site(client, demo):
    page = client.get("/dang-ky/?next=https://evil.example/")
    assert '<input type="hidden" name="next"' not in page.content.decode()  # none carried on
    form = {"full_name": "Nguyễn Văn An", "contact": "an@example.vn", "password": PASSWORD}
    response = client.post("/dang-ky/", {**form, **captcha_answer(page), "next": "//evil.example/"})
    assert response["Location"] == "/xac-minh/?contact=an%40example.vn"


def test_sign_ups_from_one_address_are_throttled(client, demo):
    for n in range(5):
        page = client.get("/dang-ky/")
        form = {"full_name": "Người Thử", "contact": f"thu{n}@example.vn", "password": PASSWORD}
        assert client.post("/dang-ky/", {**form, **captcha_answer(page)}).status_code == 302
    page = client.get("/dang-ky/")
    form = {"full_name": "Người Thử", "contact": "thu9@example.vn", "password": PASSWORD}
    assert client.post("/dang-ky/", {**form, **captcha_answer(page)}).status_code == 429
    assert not User.objects.filter(username="thu9@example.vn").exists()


def test_a_citizen_logs_in_with_the_contact_and_lands_on_their_dossiers(client, citizen):
    response = client.post("/dang-nhap/", {"username": "0912345678", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/sau-dang-nhap/"
    assert client.get("/sau-dang-nhap/")["Location"] == "/ca-nhan/"
    assert client.get("/").status_code == 200  # citizens stay on the portal


def test_the_openid_login_is_off_until_configured_then_redirects_to_the_provider(client, demo, settings):
    assert client.get("/oidc/dang-nhap/").status_code == 404
    settings.OIDC_RP_CLIENT_ID = "motcua-sonla"
    settings.OIDC_RP_CLIENT_SECRET = "s"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://id.example.vn/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://id.example.vn/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://id.example.vn/userinfo"
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    response = client.get("/oidc/dang-nhap/")
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("https://id.example.vn/authorize?")
    assert "client_id=motcua-sonla" in location and "state=" in location and "nonce=" in location
    assert "redirect_uri=http%3A%2F%2Ftestserver%2Foidc%2Fcallback%2F" in location


def test_the_openid_backend_matches_by_identification_number_and_creates_citizens(demo, settings):
    from motcua.people.oidc import CitizenOIDCBackend

    settings.OIDC_RP_CLIENT_ID = "motcua-sonla"
    settings.OIDC_RP_CLIENT_SECRET = "s"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://id.example.vn/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://id.example.vn/userinfo"
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    backend = CitizenOIDCBackend()
    claims = {"citizen_id": "014095001234", "name": "Lò Văn Minh", "email": "Minh@Example.vn"}
    assert backend.verify_claims(claims) and not backend.verify_claims({"name": "x"})
    assert not backend.filter_users_by_claims(claims).exists()
    user = backend.create_user(claims)
    assert (user.username, user.email, user.full_name, user.has_usable_password()) == (
        "id:014095001234",
        "minh@example.vn",
        "Lò Văn Minh",
        False,
    )
    assert list(backend.filter_users_by_claims(claims)) == [user]
    assert not accounts.is_official(user)


def test_a_citizen_resets_a_forgotten_password_with_a_code(client, citizen, settings):
    settings.MOTCUA_SMS_BACKEND = "motcua.people.sms.MemoryBackend"
    sms.outbox.clear()
    page = client.get("/quen-mat-khau/")
    response = client.post("/quen-mat-khau/", {"contact": "0912 345 678", **captcha_answer(page)})
    assert response["Location"] == "/quen-mat-khau/dat-lai/?contact=0912345678"
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1][1]).group(1)
    weak = client.post("/quen-mat-khau/dat-lai/", {"contact": "0912345678", "code": code, "password": "123"})
    citizen.refresh_from_db()
    assert weak.status_code == 422 and citizen.check_password(PASSWORD)
    new = "một-mật-khẩu-mới-456"
    response = client.post("/quen-mat-khau/dat-lai/", {"contact": "0912345678", "code": code, "password": new})
    assert response["Location"] == "/dang-nhap/"
    citizen.refresh_from_db()
    assert citizen.check_password(new)
    again = client.post("/quen-mat-khau/dat-lai/", {"contact": "0912345678", "code": code, "password": PASSWORD})
    assert again.status_code == 422  # a code works once


def test_asking_a_reset_for_an_unknown_contact_looks_the_same_and_sends_nothing(client, demo, settings):
    settings.MOTCUA_SMS_BACKEND = "motcua.people.sms.MemoryBackend"
    sms.outbox.clear()
    page = client.get("/quen-mat-khau/")
    response = client.post("/quen-mat-khau/", {"contact": "0999999999", **captcha_answer(page)})
    assert response["Location"] == "/quen-mat-khau/dat-lai/?contact=0999999999" and not sms.outbox


def test_the_login_page_offers_the_identity_provider_only_when_configured(client, demo, settings):
    assert "VNeID" not in client.get("/dang-nhap/").content.decode()
    settings.OIDC_RP_CLIENT_ID = "motcua-sonla"
    assert "/oidc/dang-nhap/" in client.get("/dang-nhap/").content.decode()
