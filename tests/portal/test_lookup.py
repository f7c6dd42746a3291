import re
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from motcua.dossiers import services as dossiers
from motcua.dossiers.models import DossierFile
from motcua.dossiers.rules import Action, Channel, Status
from motcua.units.services import unit_on
from tests.factories import settle

from .conftest import pdf

pytestmark = pytest.mark.django_db


DESK = "Trung tâm Phục vụ hành chính công Xã Mai Sơn"
OFFICE = "Văn phòng HĐND và UBND Xã Mai Sơn"


def progress_of(page: str) -> tuple[str, str, str]:
    """The office holding the dossier, the step line and the progress bar, as the page shows them."""
    holder = re.search(r'<dd class="holder">([^<]*)</dd>', page)
    step = re.search(r'<dd class="step">([^<]*)', page)
    bar = re.search(r"<progress [^>]*>", page)
    return (holder[1] if holder else "", step[1].strip() if step else "", bar[0] if bar else "")


@pytest.fixture
def at_desk(birth, desk_officer):
    """A birth registration accepted at the Mai Sơn desk, brought in person (no account)."""
    intake = dossiers.Intake(
        procedure=birth,
        receiving_unit=unit_on("04105.TTPVHCC", date(2026, 11, 30)),
        processing_unit=unit_on("04105.VP", date(2026, 11, 30)),  # civil status: the commune office
        channel=Channel.IN_PERSON,
        applicant=dossiers.Applicant(name="Lò Văn Minh", id_number="014095001234"),
        components=[dossiers.ComponentInput(order=c.order) for c in birth.components.all()],
    )
    return dossiers.receive(desk_officer, intake, Action.ACCEPT)


def test_the_code_and_secret_posted_show_the_status_and_public_timeline(client, at_desk):
    response = client.post("/tra-cuu/", {"code": at_desk.code, "secret": at_desk.secret.lower()})
    page = response.content.decode()
    assert response.status_code == 200 and "Đã tiếp nhận" in page and "Lò Văn Minh" in page
    assert client.post("/tra-cuu/", {"code": at_desk.code, "secret": "WRONG123"}).status_code == 404
    assert client.post("/tra-cuu/", {"code": at_desk.code}).status_code == 422


def test_a_secret_in_the_address_reveals_nothing(client, at_desk):
    """A GET never reveals a dossier, whatever its address carries: the form, with the code only."""
    response = client.get("/tra-cuu/", {"code": at_desk.code, "secret": at_desk.secret}, follow=True)
    page = response.content.decode()
    # The address is cleaned of the secret: the form is served at the code alone.
    assert response.redirect_chain == [(f"/tra-cuu/?code={at_desk.code}", 302)] and response.status_code == 200
    assert "Lò Văn Minh" not in page and "Đã tiếp nhận" not in page and at_desk.secret not in page
    assert f'name="code" value="{at_desk.code}"' in page and 'method="post"' in page


def test_a_lookup_puts_the_secret_in_no_address(client, at_desk, desk_officer):
    """The result page and what follows it (answering a supplement) never redirect, and no link
    or form address on them carries the secret."""
    dossier = dossiers.request_supplement(desk_officer, at_desk, "Giấy chứng sinh bị mờ.")
    where = {"code": dossier.code, "secret": dossier.secret}
    response = client.post("/tra-cuu/", where)
    assert response.status_code == 200
    page = response.content.decode()
    addresses = re.findall(r'(?:href|action|src)="([^"]*)"', page)
    assert addresses and not [a for a in addresses if dossier.secret in a or "secret=" in a]
    answered = client.post("/tra-cuu/", {**where, "action": "supplement", "file_2": pdf(), "note": "Bản rõ."})
    assert answered.status_code == 200 and "Location" not in answered


def test_misses_are_throttled_so_codes_cannot_be_enumerated(client, at_desk):
    for n in range(10):
        assert client.post("/tra-cuu/", {"code": f"{at_desk.code[:-1]}{n}", "secret": "AAAAAAAA"}).status_code == 404
    response = client.post("/tra-cuu/", {"code": at_desk.code, "secret": at_desk.secret})
    assert response.status_code == 429  # even the right pair waits now
    assert "Quá nhiều lần thử" in response.content.decode()


def test_the_holder_answers_a_supplement_request_online(client, at_desk, desk_officer):
    dossier = dossiers.request_supplement(desk_officer, at_desk, "Giấy chứng sinh bị mờ, nộp lại bản rõ.")
    where = {"code": dossier.code, "secret": dossier.secret}
    page = client.post("/tra-cuu/", where).content.decode()
    assert "Giấy chứng sinh bị mờ" in page and "Gửi bổ sung" in page
    response = client.post(
        "/tra-cuu/", {**where, "action": "supplement", "file_2": pdf("chung-sinh-ro.pdf"), "note": "Đã gửi bản rõ."}
    )
    assert response.status_code == 200
    assert "Đã gửi bổ sung; bộ phận một cửa đang kiểm tra." in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.WAITING_SUPPLEMENT and dossiers.supplement_sent(dossier)
    assert DossierFile.objects.filter(component__dossier=dossier, original_name="chung-sinh-ro.pdf").exists()
    assert "Đã gửi bổ sung; bộ phận một cửa đang kiểm tra." in client.post("/tra-cuu/", where).content.decode()
    # The desk resumes it; a stranger without the secret could not have sent anything.
    dossiers.resume(desk_officer, dossier)
    stranger = client.post("/tra-cuu/", {"code": dossier.code, "secret": "AAAAAAAA", "action": "supplement"})
    assert stranger.status_code == 404


def test_the_holder_downloads_an_electronic_result_and_rates_once(client, at_desk, desk_officer, demo):
    from motcua.people.models import Role
    from motcua.people.services import assign_role

    assign_role(desk_officer, Role.PROCESSING_OFFICER, unit_on("04105", date(2026, 11, 30)))
    assign_role(desk_officer, Role.UNIT_LEADER, unit_on("04105", date(2026, 11, 30)))
    dossier = settle(
        at_desk,
        timezone.now(),
        desk=desk_officer,
        officer=desk_officer,
        leader=desk_officer,
        approved=True,
        result_number="123/TLKS",
        electronic=True,
        result_file=ContentFile(b"%PDF-1.4 giay khai sinh", name="ks.pdf"),
    )
    where = {"code": dossier.code, "secret": dossier.secret}
    assert "Tải kết quả điện tử" in client.post("/tra-cuu/", where).content.decode()
    assert client.get("/tra-cuu/", {**where, "result": "1"}).get("Content-Disposition") is None
    download = client.post("/tra-cuu/", {**where, "action": "result"})
    assert b"".join(download.streaming_content) == b"%PDF-1.4 giay khai sinh"
    dossiers.hand_over(desk_officer, dossier, "online")
    client.post("/tra-cuu/", {**where, "action": "rate", "rating": "very_satisfied", "comment": "Nhanh."})
    dossier.refresh_from_db()
    assert dossier.rating == "very_satisfied"
    client.post("/tra-cuu/", {**where, "action": "rate", "rating": "not_satisfied"})
    dossier.refresh_from_db()
    assert dossier.rating == "very_satisfied"


def test_the_lookup_api_is_throttled_too(client, at_desk):
    for _ in range(10):
        assert api_lookup(client, at_desk.code, "AAAAAAAA").status_code == 404
    assert api_lookup(client, at_desk.code, at_desk.secret).status_code == 429


def api_lookup(client, code, secret):
    return client.post("/api/lookup", {"code": code, "secret": secret}, content_type="application/json")


def test_the_lookup_api_takes_the_secret_in_the_body_only(client, at_desk):
    found = api_lookup(client, at_desk.code, at_desk.secret.lower())
    assert found.status_code == 200
    body = found.json()
    assert (body["code"], body["status"], body["held_by"], body["step"], body["steps"]) == (
        at_desk.code, 2, DESK, 1, 4,
    )  # fmt: skip
    assert client.get("/api/lookup", {"code": at_desk.code, "secret": at_desk.secret}).status_code == 405


def test_the_timeline_names_the_office_holding_the_dossier_and_its_step(client, at_desk, desk_officer, citizen):
    from motcua.people.models import Role
    from motcua.people.services import assign_role
    from motcua.portal import services as portal
    from tests.factories import step_on

    where = {"code": at_desk.code, "secret": at_desk.secret}
    assert progress_of(client.post("/tra-cuu/", where).content.decode()) == (
        DESK,
        "Bước 1/4: Tiếp nhận, kiểm tra, số hóa hồ sơ",
        '<progress value="1" max="4" aria-label="Bước 1 trên 4 của quy trình giải quyết">',
    )
    assign_role(desk_officer, Role.PROCESSING_OFFICER, unit_on("04105", date(2026, 11, 30)))
    dossier = dossiers.forward(desk_officer, at_desk)
    assert progress_of(client.post("/tra-cuu/", where).content.decode()) == (
        OFFICE,
        "Bước 2/4: Thẩm định, dự thảo kết quả",
        '<progress value="2" max="4" aria-label="Bước 2 trên 4 của quy trình giải quyết">',
    )
    # The citizen's own online dossier: the desk holds it before it is accepted, with no process yet.
    desk = unit_on("04105.TTPVHCC", date(2026, 11, 30))
    application = portal.start_application(citizen, dossier.procedure)
    for component in dossier.procedure.components.all():
        portal.save_draft(
            application, portal.ApplicationInput(desk, "Lò Văn Minh", "014095001234", "0912345678"),
            {component.pk: [pdf()]},
        )  # fmt: skip
    online = portal.submit(application)
    client.force_login(citizen)
    assert progress_of(client.get(f"/ca-nhan/ho-so/{online.pk}/").content.decode()) == (DESK, "", "")
    dossiers.accept(desk_officer, online)
    assign_role(desk_officer, Role.UNIT_LEADER, unit_on("04105", date(2026, 11, 30)))  # who decides at signing
    for _ in range(3):
        online = step_on(online, None, desk=desk_officer, officer=desk_officer, leader=desk_officer)
    assert progress_of(client.get(f"/ca-nhan/ho-so/{online.pk}/").content.decode())[:2] == (
        OFFICE,
        "Bước 4/4: Vào sổ, đóng dấu, chuyển Bộ phận một cửa",
    )
    online = dossiers.issue_result(desk_officer, online, approved=True, result_number="12/TLKS")
    assert progress_of(client.get(f"/ca-nhan/ho-so/{online.pk}/").content.decode()) == (
        DESK,
        "Bước 4/4",
        '<progress value="4" max="4" aria-label="Bước 4 trên 4 của quy trình giải quyết">',
    )


def test_the_receipts_qr_code_opens_the_form_with_the_code_and_the_secret_beside_it_opens_the_dossier(client, at_desk):
    from motcua.dossiers import documents

    receipt = documents.context_for("01", at_desk)
    url = receipt["lookup_url"]
    assert url == f"/tra-cuu/?code={at_desk.code}" and receipt["qr_svg"].startswith("<svg")
    assert at_desk.secret in documents.render_html("01", at_desk)  # printed beside the QR code
    form = client.get(url)
    assert form.status_code == 200 and f'name="code" value="{at_desk.code}"' in form.content.decode()
    found = client.post(url, {"code": at_desk.code, "secret": at_desk.secret})
    assert found.status_code == 200 and "Lò Văn Minh" in found.content.decode()
