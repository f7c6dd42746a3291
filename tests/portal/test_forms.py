"""The citizen's application form keeps the person's work: typed values and accepted files survive
a refused upload, every problem is shown beside its field and listed on top, the form is filled
in from the account, the desk follows the citizen's commune, deleting asks first, and the same
submission sent twice makes one dossier."""

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier
from motcua.people.models import CitizenProfile
from motcua.portal.models import Application, ApplicationFile
from motcua.units.models import Level, Unit, UnitKind
from motcua.units.services import unit_on

from .conftest import pdf

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 30)


def not_a_scan(name="virus.pdf"):
    return SimpleUploadedFile(name, b"MZ\x90\x00 not a pdf", content_type="application/pdf")


@pytest.fixture
def desk_unit(demo):
    return unit_on("04105.TTPVHCC", TODAY)


@pytest.fixture
def draft(client, citizen, birth):
    client.force_login(citizen)
    client.post(f"/thu-tuc/{birth.code}/nop/")
    return Application.objects.get(user=citizen)


def fields(desk, **extra):
    return {
        "applicant_name": "Lò Văn Minh",
        "applicant_id": "014095001234",
        "applicant_phone": "0912345678",
        "applicant_address": "Bản Nà Sản",
        "receiving_unit": desk.pk,
        "remember": "1",
        **extra,
    }


def options(page: str, select_id: str) -> list[str]:
    block = re.search(rf'<select id="{select_id}".*?</select>', page, re.S).group(0)
    return [name for value, name in re.findall(r'<option value="(\d*)"[^>]*>([^<]*)</option>', block) if value]


def summary_links(page: str) -> list[str]:
    block = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert block is not None and 'role="alert"' in block.group(0)
    return re.findall(r'<a href="#([^"]+)">', block.group(0))


def test_a_refused_upload_keeps_what_was_typed_and_the_files_accepted(client, draft, birth, desk_unit):
    first, second = birth.components.all()
    response = client.post(
        f"/ca-nhan/ho-so-nhap/{draft.pk}/",
        {
            **fields(desk_unit, applicant_name="Lò Thị Hoa", note="Xin nhận kết quả qua bưu điện"),
            f"file_{first.pk}": pdf("to-khai.pdf"),
            f"file_{second.pk}": not_a_scan(),
            "submit": "1",
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'value="Lò Thị Hoa"' in page and "Xin nhận kết quả qua bưu điện</textarea>" in page
    assert 'value="014095001234"' in page
    # The good file is kept and shown with its remove button; the refused one is named beside its field.
    assert list(ApplicationFile.objects.values_list("original_name", flat=True)) == ["to-khai.pdf"]
    assert "to-khai.pdf" in page and 'name="remove"' in page
    assert summary_links(page) == [f"file_{second.pk}"]
    assert f'id="file_{second.pk}-error"' in page
    assert re.search(rf'id="file_{second.pk}"[^>]*aria-invalid="true" aria-describedby="file_{second.pk}-error"', page)
    assert not Dossier.objects.exists()
    # Only the refused document is chosen again.
    response = client.post(
        f"/ca-nhan/ho-so-nhap/{draft.pk}/",
        {**fields(desk_unit, applicant_name="Lò Thị Hoa"), f"file_{second.pk}": pdf("chung-sinh.pdf"), "submit": "1"},
    )
    dossier = Dossier.objects.get()
    assert response["Location"] == f"/ca-nhan/ho-so/{dossier.pk}/"
    assert dossier.applicant_name == "Lò Thị Hoa"
    assert sorted(f.original_name for c in dossier.components.all() for f in c.files.all()) == [
        "chung-sinh.pdf",
        "to-khai.pdf",
    ]


def test_every_problem_is_shown_beside_its_field_and_listed_with_links(client, draft, birth, desk_unit):
    first, second = birth.components.all()
    data = fields(desk_unit, applicant_name="", applicant_id="123", applicant_phone="", submit="1")
    response = client.post(f"/ca-nhan/ho-so-nhap/{draft.pk}/", data)
    assert response.status_code == 422
    page = response.content.decode()
    assert summary_links(page) == [
        "applicant_name",
        "applicant_id",
        "applicant_phone",
        f"file_{first.pk}",
        f"file_{second.pk}",
    ]
    for name in ("applicant_name", "applicant_id", "applicant_phone"):
        assert re.search(rf'id="{name}"[^>]*aria-invalid="true" aria-describedby="{name}-error"', page), name
    assert re.search(r'<p class="error field-error" id="applicant_id-error"><span>[^<]*12[^<]*</span>', page)
    assert not Dossier.objects.exists()


def test_the_form_is_filled_in_from_the_account(client, citizen, birth, desk_unit):
    citizen.email = "minh@example.vn"
    citizen.save()
    old_commune = Unit.objects.get(code="04138", valid_to=date(2025, 6, 30))  # Xã Cò Nòi, now part of Xã Mai Sơn
    CitizenProfile.objects.create(user=citizen, id_number="014095001234", address="Bản Cò Nòi", commune=old_commune)
    client.force_login(citizen)
    client.post(f"/thu-tuc/{birth.code}/nop/")
    application = Application.objects.get(user=citizen)
    assert (
        application.applicant_name,
        application.applicant_id,
        application.applicant_phone,
        application.applicant_email,
        application.applicant_address,
        application.address_unit,
        application.receiving_unit,
    ) == ("Lò Văn Minh", "014095001234", "0912345678", "minh@example.vn", "Bản Cò Nòi", old_commune, desk_unit)
    page = client.get(f"/ca-nhan/ho-so-nhap/{application.pk}/").content.decode()
    for value in ("Lò Văn Minh", "014095001234", "0912345678", "minh@example.vn", "Bản Cò Nòi"):
        assert f'value="{value}"' in page
    assert re.search(rf'<option value="{desk_unit.pk}" selected>', page)


def test_what_the_citizen_asks_to_remember_fills_the_next_application(client, draft, citizen, birth, desk_unit):
    commune = unit_on("04105", TODAY)
    client.post(
        f"/ca-nhan/ho-so-nhap/{draft.pk}/",
        fields(desk_unit, applicant_id="014095009999", applicant_address="Tiểu khu 5", address_unit=commune.pk),
    )
    profile = CitizenProfile.objects.get(user=citizen)
    assert (profile.id_number, profile.address, profile.commune) == ("014095009999", "Tiểu khu 5", commune)
    client.post(f"/thu-tuc/{birth.code}/nop/")
    second = Application.objects.filter(user=citizen).exclude(pk=draft.pk).get()
    assert (second.applicant_id, second.applicant_address, second.receiving_unit) == (
        "014095009999",
        "Tiểu khu 5",
        desk_unit,
    )


def test_the_desk_list_holds_the_desks_of_the_procedures_level_and_can_be_narrowed(client, draft, desk_unit):
    commune_desks = Unit.objects.valid_on(TODAY).filter(kind=UnitKind.SERVICE_CENTER, level=Level.COMMUNE)
    page = client.get(f"/ca-nhan/ho-so-nhap/{draft.pk}/").content.decode()
    listed = options(page, "receiving_unit")
    assert sorted(listed) == sorted(commune_desks.values_list("name", flat=True))
    assert "Trung tâm Phục vụ hành chính công tỉnh Sơn La" not in listed  # a commune-level procedure
    assert 'data-filter="receiving_unit"' in page  # narrowed as one types, with a script
    # Without a script: the Find button saves the draft and shows the desks whose name matches.
    response = client.post(
        f"/ca-nhan/ho-so-nhap/{draft.pk}/",
        {**fields(desk_unit, applicant_name="Lò Thị Hoa"), "desk_q": "mai son", "find": "receiving_unit"},
    )
    assert response.status_code == 302 and "desk_q=mai+son" in response["Location"]
    draft.refresh_from_db()
    assert draft.applicant_name == "Lò Thị Hoa"
    narrowed = options(client.get(response["Location"]).content.decode(), "receiving_unit")
    expected = [d.name for d in commune_desks.order_by("path") if "Mai Sơn" in d.name]
    assert narrowed == expected and desk_unit.name in narrowed


def test_a_province_level_procedure_goes_to_the_province_centre(client, citizen, demo):
    procedure = Procedure.objects.get(code="2.000488")  # judicial record certificate: province level, online
    CitizenProfile.objects.create(user=citizen, commune=unit_on("04105", TODAY))
    client.force_login(citizen)
    client.post(f"/thu-tuc/{procedure.code}/nop/")
    application = Application.objects.get(user=citizen)
    assert application.receiving_unit == unit_on("14.TTPVHCC", TODAY)
    page = client.get(f"/ca-nhan/ho-so-nhap/{application.pk}/").content.decode()
    assert options(page, "receiving_unit") == ["Trung tâm Phục vụ hành chính công tỉnh Sơn La"]


def test_deleting_a_draft_asks_first(client, draft):
    url = f"/ca-nhan/ho-so-nhap/{draft.pk}/xoa/"
    assert f'href="{url}"' in client.get(f"/ca-nhan/ho-so-nhap/{draft.pk}/").content.decode()
    assert f'href="{url}"' in client.get("/ca-nhan/").content.decode()  # the list of drafts links there too
    page = client.get(url)
    assert page.status_code == 200 and 'name="confirm" value="1"' in page.content.decode()
    assert client.post(url).status_code == 200  # a bare POST only asks
    assert Application.objects.filter(pk=draft.pk).exists()
    response = client.post(url, {"confirm": "1"})
    assert response["Location"] == "/ca-nhan/" and not Application.objects.filter(pk=draft.pk).exists()


def test_removing_a_file_asks_first_and_keeps_what_was_typed(client, draft, birth, desk_unit):
    first = birth.components.first()
    client.post(f"/ca-nhan/ho-so-nhap/{draft.pk}/", {**fields(desk_unit), f"file_{first.pk}": pdf("to-khai.pdf")})
    stored = ApplicationFile.objects.get()
    response = client.post(
        f"/ca-nhan/ho-so-nhap/{draft.pk}/", {**fields(desk_unit, applicant_name="Lò Thị Hoa"), "remove": stored.pk}
    )
    url = f"/ca-nhan/ho-so-nhap/{draft.pk}/tep/{stored.pk}/xoa/"
    assert response["Location"] == url
    draft.refresh_from_db()
    assert draft.applicant_name == "Lò Thị Hoa" and ApplicationFile.objects.filter(pk=stored.pk).exists()
    assert "to-khai.pdf" in client.get(url).content.decode()
    client.post(url, {"confirm": "1"})
    assert not ApplicationFile.objects.filter(pk=stored.pk).exists()


def test_the_same_submission_sent_twice_makes_one_dossier(client, draft, birth, desk_unit):
    first, second = birth.components.all()
    client.post(f"/ca-nhan/ho-so-nhap/{draft.pk}/", {**fields(desk_unit), f"file_{first.pk}": pdf()})
    client.post(f"/ca-nhan/ho-so-nhap/{draft.pk}/", {**fields(desk_unit), f"file_{second.pk}": pdf()})
    one = client.post(f"/ca-nhan/ho-so-nhap/{draft.pk}/", {**fields(desk_unit), "submit": "1"})
    two = client.post(f"/ca-nhan/ho-so-nhap/{draft.pk}/", {**fields(desk_unit), "submit": "1"}, follow=True)
    dossier = Dossier.objects.get()
    assert one["Location"] == f"/ca-nhan/ho-so/{dossier.pk}/"
    assert two.redirect_chain == [(f"/ca-nhan/ho-so/{dossier.pk}/", 302)]
    assert "đã được nộp" in two.content.decode()


def test_the_feedback_form_keeps_what_was_typed_and_lists_its_problems(client, demo):
    response = client.post(
        "/phan-anh-kien-nghi/",
        {"name": "Lò Văn Minh", "contact": "0912345678", "title": "", "content": "Chờ lâu ở bộ phận một cửa"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'value="Lò Văn Minh"' in page and "Chờ lâu ở bộ phận một cửa</textarea>" in page
    assert summary_links(page) == ["id_title", "id_captcha_1"]
    assert 'aria-invalid="true" aria-describedby="id_title_error" id="id_title"' in page
    assert re.search(r'<p class="error field-error" id="id_title_error">', page)


def test_naming_another_commune_moves_the_default_desk_but_not_a_desk_chosen(client, citizen, birth, desk_unit):
    CitizenProfile.objects.create(user=citizen, commune=unit_on("04105", TODAY))
    client.force_login(citizen)
    client.post(f"/thu-tuc/{birth.code}/nop/")
    application = Application.objects.get(user=citizen)
    assert application.receiving_unit == desk_unit
    chieng_mung = unit_on("04123", TODAY)
    client.post(f"/ca-nhan/ho-so-nhap/{application.pk}/", fields(desk_unit, address_unit=chieng_mung.pk))
    application.refresh_from_db()
    assert application.receiving_unit == unit_on("04123.TTPVHCC", TODAY)
    # A desk the citizen picked themselves stays when the commune changes again.
    picked = (
        Unit.objects.valid_on(TODAY)
        .filter(kind=UnitKind.SERVICE_CENTER, level=Level.COMMUNE)
        .exclude(pk__in=[desk_unit.pk, application.receiving_unit_id])
        .order_by("path")
        .first()
    )
    client.post(
        f"/ca-nhan/ho-so-nhap/{application.pk}/",
        fields(picked, address_unit=unit_on("04105", TODAY).pk),
    )
    application.refresh_from_db()
    assert application.receiving_unit == picked
