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


def test_the_code_and_secret_show_the_status_and_public_timeline(client, at_desk):
    response = client.get("/tra-cuu/", {"code": at_desk.code, "secret": at_desk.secret.lower()})
    page = response.content.decode()
    assert response.status_code == 200 and "Đã tiếp nhận" in page and "Lò Văn Minh" in page
    assert client.get("/tra-cuu/", {"code": at_desk.code, "secret": "WRONG123"}).status_code == 404
    assert client.get("/tra-cuu/", {"code": at_desk.code}).status_code == 404


def test_misses_are_throttled_so_codes_cannot_be_enumerated(client, at_desk):
    for n in range(10):
        assert client.get("/tra-cuu/", {"code": f"{at_desk.code[:-1]}{n}", "secret": "AAAAAAAA"}).status_code == 404
    response = client.get("/tra-cuu/", {"code": at_desk.code, "secret": at_desk.secret})
    assert response.status_code == 429  # even the right pair waits now
    assert "Quá nhiều lần thử" in response.content.decode()


def test_the_holder_answers_a_supplement_request_online(client, at_desk, desk_officer):
    dossier = dossiers.request_supplement(desk_officer, at_desk, "Giấy chứng sinh bị mờ, nộp lại bản rõ.")
    where = {"code": dossier.code, "secret": dossier.secret}
    page = client.get("/tra-cuu/", where).content.decode()
    assert "Giấy chứng sinh bị mờ" in page and "Gửi bổ sung" in page
    response = client.post(
        f"/tra-cuu/?code={dossier.code}&secret={dossier.secret}",
        {**where, "action": "supplement", "file_2": pdf("chung-sinh-ro.pdf"), "note": "Đã gửi bản rõ."},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.WAITING_SUPPLEMENT and dossiers.supplement_sent(dossier)
    assert DossierFile.objects.filter(component__dossier=dossier, original_name="chung-sinh-ro.pdf").exists()
    assert "Đã gửi bổ sung; bộ phận một cửa đang kiểm tra." in client.get("/tra-cuu/", where).content.decode()
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
    assert "Tải kết quả điện tử" in client.get("/tra-cuu/", where).content.decode()
    download = client.get("/tra-cuu/", {**where, "result": "1"})
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
        assert client.get("/api/lookup", {"code": at_desk.code, "secret": "AAAAAAAA"}).status_code == 404
    assert client.get("/api/lookup", {"code": at_desk.code, "secret": at_desk.secret}).status_code == 429
