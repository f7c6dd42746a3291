import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.dossiers import services as dossiers
from motcua.dossiers.models import Dossier, DossierEvent, DossierFile
from motcua.dossiers.rules import Channel, Status
from motcua.portal.models import Application, ApplicationFile
from motcua.units.services import unit_on

from .conftest import pdf

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def fields(desk, **extra):
    return {
        "applicant_name": "Lò Văn Minh",
        "applicant_id": "014095001234",
        "applicant_phone": "0912345678",
        "applicant_address": "Bản Nà Sản, xã Mai Sơn",
        "receiving_unit": desk.pk,
        **extra,
    }


@pytest.fixture
def desk_unit(demo):
    from datetime import date

    return unit_on("04105.TTPVHCC", date(2026, 11, 30))


def test_a_citizen_saves_a_draft_with_files_then_submits_it_into_the_desk_queue(client, citizen, birth, desk_unit):
    login(client, citizen)
    response = client.post(f"/thu-tuc/{birth.code}/nop/")
    application = Application.objects.get(user=citizen)
    assert response["Location"] == f"/ca-nhan/ho-so-nhap/{application.pk}/"
    assert application.applicant_name == "Lò Văn Minh"  # from the account
    first, second = birth.components.all()
    response = client.post(
        f"/ca-nhan/ho-so-nhap/{application.pk}/",
        {**fields(desk_unit), f"file_{first.pk}": pdf("to-khai.pdf"), "save": "1"},
    )
    assert response.status_code == 302
    assert list(application.files.values_list("original_name", flat=True)) == ["to-khai.pdf"]
    # Submitting without the second required document is refused, and the draft stays whole.
    response = client.post(f"/ca-nhan/ho-so-nhap/{application.pk}/", {**fields(desk_unit), "submit": "1"})
    assert response.status_code == 422
    assert "Giấy chứng sinh" in response.content.decode()
    assert not Dossier.objects.filter(applicant_user=citizen).exists()
    response = client.post(
        f"/ca-nhan/ho-so-nhap/{application.pk}/",
        {**fields(desk_unit), f"file_{second.pk}": pdf("giay-chung-sinh.pdf"), "submit": "1"},
    )
    dossier = Dossier.objects.get(applicant_user=citizen)
    assert response["Location"] == f"/ca-nhan/ho-so/{dossier.pk}/"
    assert (dossier.status, dossier.channel, dossier.receiving_unit, dossier.processing_unit.code) == (
        Status.SUBMITTED,
        Channel.ONLINE,
        desk_unit,
        "04105.VP",  # civil status is decided by the commune's office, where its civil-status officer sits
    )
    assert dossier.applicant_id == "014095001234" and dossier.code.startswith("04105.TTPVHCC-")
    names = sorted(DossierFile.objects.filter(component__dossier=dossier).values_list("original_name", flat=True))
    assert names == ["giay-chung-sinh.pdf", "to-khai.pdf"]
    assert all(c.provided and c.digitized for c in dossier.components.all())
    assert not ApplicationFile.objects.exists()  # the draft's copies went with it
    assert [e.action for e in DossierEvent.objects.filter(dossier=dossier)] == ["submit", "upload", "upload"]
    page = client.get("/ca-nhan/").content.decode()
    assert "Đăng ký khai sinh" in page and "Mới đăng ký trực tuyến" in page


def test_an_upload_that_is_not_a_scan_is_refused_and_nothing_of_the_form_is_lost(client, citizen, birth, desk_unit):
    login(client, citizen)
    client.post(f"/thu-tuc/{birth.code}/nop/")
    application = Application.objects.get(user=citizen)
    first = birth.components.first()
    client.post(f"/ca-nhan/ho-so-nhap/{application.pk}/", {**fields(desk_unit), f"file_{first.pk}": pdf(), "save": "1"})
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(
        f"/ca-nhan/ho-so-nhap/{application.pk}/",
        {**fields(desk_unit, applicant_name="Đổi Tên"), f"file_{first.pk}": fake, "save": "1"},
    )
    assert response.status_code == 422
    assert "không phải bản quét PDF, JPEG, PNG hoặc TIFF" in response.content.decode()
    application.refresh_from_db()  # what was typed is kept in the draft, with the file accepted before
    assert application.applicant_name == "Đổi Tên" and application.files.count() == 1


def test_a_procedure_offered_only_at_the_desk_cannot_be_applied_for(client, citizen, demo):
    login(client, citizen)
    response = client.post("/thu-tuc/2.000906/nop/")
    assert response.status_code == 302 and not Application.objects.exists()


def test_citizens_see_only_their_own_drafts_and_dossiers(client, citizen, birth, desk_unit, django_user_model):
    application = Application.objects.create(user=citizen, procedure=birth, receiving_unit=desk_unit)
    other = django_user_model.objects.create_user("0987654321", password="another-long-password-9")
    login(client, other)
    assert client.get(f"/ca-nhan/ho-so-nhap/{application.pk}/").status_code == 404
    login(client, citizen)
    assert client.get(f"/ca-nhan/ho-so-nhap/{application.pk}/").status_code == 200
    assert client.get("/ca-nhan/ho-so/999999/").status_code == 404
    client.logout()
    assert client.get("/ca-nhan/")["Location"].startswith("/dang-nhap/")


def test_the_desk_accepts_an_online_dossier_and_the_citizen_follows_it(client, citizen, birth, desk_unit, desk_officer):
    from motcua.portal import services

    application = Application.objects.create(
        user=citizen,
        procedure=birth,
        receiving_unit=desk_unit,
        applicant_name="Lò Văn Minh",
        applicant_phone="0912345678",
    )
    for component in birth.components.all():
        services.save_draft(
            application,
            services.ApplicationInput(desk_unit, "Lò Văn Minh", "014095001234", "0912345678"),
            {component.pk: [pdf()]},
        )
    dossier = services.submit(application)
    dossier = dossiers.accept(desk_officer, dossier)
    login(client, citizen)
    page = client.get(f"/ca-nhan/ho-so/{dossier.pk}/").content.decode()
    assert dossier.code in page and "Đã tiếp nhận" in page
    assert "upload" not in page  # internal steps stay internal


def test_a_citizen_withdraws_their_own_submitted_dossier(client, citizen, birth, desk_unit):
    from motcua.portal import services

    application = Application.objects.create(
        user=citizen,
        procedure=birth,
        receiving_unit=desk_unit,
        applicant_name="Lò Văn Minh",
        applicant_phone="0912345678",
    )
    for component in birth.components.all():
        services.save_draft(
            application,
            services.ApplicationInput(desk_unit, "Lò Văn Minh", "014095001234", "0912345678"),
            {component.pk: [pdf()]},
        )
    dossier = services.submit(application)
    login(client, citizen)
    assert "Rút hồ sơ" in client.get(f"/ca-nhan/ho-so/{dossier.pk}/").content.decode()
    client.post(f"/ca-nhan/ho-so/{dossier.pk}/", {"action": "withdraw", "reason": "Nộp nhầm thủ tục."})
    dossier.refresh_from_db()
    assert dossier.status == Status.WITHDRAWN and dossier.reasons == "Nộp nhầm thủ tục."
    assert dossier.events.last().actor == citizen
