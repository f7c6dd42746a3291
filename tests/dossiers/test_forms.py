"""The desk's forms keep the officer's work: a refused intake comes back with what was typed and
the scans accepted (held against the form's key), each problem beside its field and listed on
top; removing a held scan asks first; the same intake sent twice makes one dossier; a refused
action on the dossier page comes back filled in."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.dossiers.models import Dossier, HeldScan, SubmissionKey

from .test_pages import intake_post

pytestmark = pytest.mark.django_db

KEY = "k" * 32


def scan(name="don.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 scan", content_type="application/pdf")


@pytest.fixture
def desk_client(people):
    client = Client(headers={"accept-language": "vi"})
    client.force_login(people.desk)
    return client


def summary_links(page: str) -> list[str]:
    block = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert block is not None and 'role="alert"' in block.group(0)
    return re.findall(r'<a href="#([^"]+)">', block.group(0))


def test_a_refused_intake_keeps_what_was_typed_and_the_scan_it_accepted(desk_client, land_procedure):
    data = intake_post(land_procedure, applicant_id="123", applicant_phone="0912345678", form_key=KEY)
    response = desk_client.post("/ho-so/tiep-nhan/", {**data, "file_1": scan("don-dang-ky.pdf")})
    assert response.status_code == 422
    page = response.content.decode()
    assert summary_links(page) == ["applicant_id"]
    assert re.search(r'id="applicant_id"[^>]*aria-invalid="true" aria-describedby="applicant_id-error"', page)
    assert 'id="applicant_id-error"' in page and 'value="0912345678"' in page and 'value="123"' in page
    assert f'name="form_key" value="{KEY}"' in page
    assert "don-dang-ky.pdf" in page and 'name="drop"' in page  # held, with its remove button
    assert re.search(r'name="provided_1"[^>]*checked', page)
    assert not Dossier.objects.exists() and HeldScan.objects.get().original_name == "don-dang-ky.pdf"
    # Corrected, without choosing the scan again: it goes to the dossier.
    response = desk_client.post("/ho-so/tiep-nhan/", {**data, "applicant_id": "014090001111"})
    dossier = Dossier.objects.get()
    assert response["Location"] == f"/ho-so/{dossier.pk}/?in=01"
    assert list(dossier.components.get(order=1).files.values_list("original_name", flat=True)) == ["don-dang-ky.pdf"]


def test_a_refused_scan_is_named_beside_its_field_and_the_others_are_kept(desk_client, land_procedure):
    bad = SimpleUploadedFile("anh.pdf", b"MZ not a scan", content_type="application/pdf")
    data = {**intake_post(land_procedure, form_key=KEY), "file_1": scan("don.pdf"), "file_2": bad}
    response = desk_client.post("/ho-so/tiep-nhan/", data)
    assert response.status_code == 422
    page = response.content.decode()
    assert summary_links(page) == ["file_2"]
    assert re.search(r'id="file_2"[^>]*aria-invalid="true" aria-describedby="file_2-error"', page)
    assert not Dossier.objects.exists()
    assert list(HeldScan.objects.values_list("order", "original_name")) == [(1, "don.pdf")]


def test_removing_a_held_scan_asks_first(desk_client, land_procedure):
    data = intake_post(land_procedure, applicant_id="123", form_key=KEY)
    desk_client.post("/ho-so/tiep-nhan/", {**data, "file_1": scan()})
    held = HeldScan.objects.get()
    asked = desk_client.post("/ho-so/tiep-nhan/", {**data, "drop": held.pk})
    page = asked.content.decode()
    assert asked.status_code == 200 and f'name="confirm_drop" value="{held.pk}"' in page
    assert 'value="Lò Văn Minh"' in page and HeldScan.objects.filter(pk=held.pk).exists()
    assert not Dossier.objects.exists()  # asking is not deciding
    desk_client.post("/ho-so/tiep-nhan/", {**data, "confirm_drop": held.pk})
    assert not HeldScan.objects.exists()


def test_the_same_intake_sent_twice_makes_one_dossier(desk_client, land_procedure):
    data = intake_post(land_procedure, form_key=KEY)
    first = desk_client.post("/ho-so/tiep-nhan/", data)
    second = desk_client.post("/ho-so/tiep-nhan/", data, follow=True)
    dossier = Dossier.objects.get()
    assert first["Location"] == f"/ho-so/{dossier.pk}/?in=01"
    assert second.redirect_chain == [(f"/ho-so/{dossier.pk}/", 302)]
    assert "Biểu mẫu này đã được gửi" in second.content.decode()
    assert SubmissionKey.objects.get(key=KEY).dossier_id == dossier.pk
    # A new form (a new key) makes a new dossier.
    desk_client.post("/ho-so/tiep-nhan/", intake_post(land_procedure, form_key="n" * 32))
    assert Dossier.objects.count() == 2


def test_the_intake_page_gives_each_form_its_own_key(desk_client, land_procedure):
    one = desk_client.get("/ho-so/tiep-nhan/", {"procedure": land_procedure.code}).content.decode()
    two = desk_client.get("/ho-so/tiep-nhan/", {"procedure": land_procedure.code}).content.decode()
    keys = [re.search(r'name="form_key" value="([^"]+)"', page).group(1) for page in (one, two)]
    assert keys[0] != keys[1] and all(len(k) >= 20 for k in keys)


def test_a_refused_action_comes_back_with_what_was_typed(desk_client, land_procedure):
    desk_client.post("/ho-so/tiep-nhan/", intake_post(land_procedure))
    dossier = Dossier.objects.get()
    response = desk_client.post(
        f"/ho-so/{dossier.pk}/thao-tac/forward/", {"version": dossier.version + 5, "note": "Đã kiểm tra đủ giấy tờ"}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert summary_links(page) == ["act-forward"]
    assert 'id="act-forward"' in page and 'id="act-forward-error"' in page
    assert 'name="note" value="Đã kiểm tra đủ giấy tờ"' in page
    dossier.refresh_from_db()
    assert dossier.current_step == 1
