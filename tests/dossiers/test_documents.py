"""The printed forms in the layout of Decree 30/2020, and the apology letter's number and signer."""

import io
from datetime import timedelta

import pypdf
import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from motcua.core.counters import next_number
from motcua.dossiers import services
from motcua.dossiers.models import Letter, LetterCounter
from motcua.dossiers.rules import Action
from motcua.people.models import Role, User
from motcua.people.services import assign_role
from motcua.units.services import unit_on
from tests.factories import DossierFactory

from .conftest import DAY, intake_for, vn

ORGAN = ["ỦY BAN NHÂN DÂN XÃ MAI SƠN", "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"]
MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]


def pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = pypdf.PdfReader(io.BytesIO(response.content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())  # lines wrap anywhere


def assert_in_order(text: str, parts: list[str]) -> None:
    at = 0
    for part in parts:
        found = text.find(part, at)
        assert found >= 0, f"{part!r} missing after position {at} in:\n{text}"
        at = found + len(part)


def client_of(user) -> Client:
    client = Client(headers={"accept-language": "en"})  # official forms print in Vietnamese anyway
    client.force_login(user)
    return client


@pytest.fixture
def head(db):
    """The head of Mai Sơn's economic office, the unit that processes land dossiers."""
    user = User.objects.create_user("truongphong", password="not-used-here-1", full_name="Cầm Thị Hoa")
    assign_role(user, Role.UNIT_LEADER, unit_on("04105.PKT", DAY), position="Trưởng phòng")
    return user


def _recent_dossier(people):
    """Accepted an hour ago and forwarded to the processing office, its appointment weeks away."""
    now = timezone.now()
    dossier = DossierFactory(actor=people.desk, at=now - timedelta(hours=1))
    return services.forward(people.desk, dossier, at=now - timedelta(minutes=30))


def _apologize_on_the_page(client, dossier, reason):
    new = (dossier.appointment_at + timedelta(days=7)).astimezone(timezone.get_current_timezone())
    response = client.post(f"/ho-so/{dossier.pk}/thao-tac/apologize/", {
        "version": dossier.version, "note": reason, "new_appointment": new.strftime("%Y-%m-%dT%H:%M")})  # fmt: skip
    assert response.status_code == 302
    assert type(dossier).objects.get(pk=dossier.pk).apology_count == dossier.apology_count + 1


def test_the_apology_is_numbered_in_the_year_and_signed_by_the_head_not_the_officer(people, head):
    officer = client_of(people.processor)
    first, second = _recent_dossier(people), _recent_dossier(people)
    _apologize_on_the_page(officer, first, "Chờ kết quả đo đạc")
    _apologize_on_the_page(officer, second, "Chờ ý kiến cơ quan thuế")
    year = timezone.localdate().year
    letters = list(Letter.objects.order_by("number").values_list("dossier", "number", "notation", "signer",
                                                                 "signer_name", "signer_position", "year"))  # fmt: skip
    assert letters == [
        (first.pk, 1, "XL-PKT", head.pk, "Cầm Thị Hoa", "Trưởng phòng", year),
        (second.pk, 2, "XL-PKT", head.pk, "Cầm Thị Hoa", "Trưởng phòng", year),
    ]
    text = pdf_text(officer.get(f"/ho-so/{second.pk}/mau/04.pdf"))
    assert_in_order(text, [
        "ỦY BAN NHÂN DÂN XÃ MAI SƠN", "PHÒNG KINH TẾ", *MOTTO, "Số: 2/XL-PKT", "Sơn La, ngày",
        "VĂN BẢN XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "Chờ ý kiến cơ quan thuế", "Nơi nhận:",
        "Ông/Bà Lò Văn Minh", "TRƯỞNG PHÒNG", "Cầm Thị Hoa",
    ])  # fmt: skip
    assert str(people.processor) not in text  # the officer who clicked does not sign
    # Printing again reads the same number and signer.
    assert "Số: 2/XL-PKT" in pdf_text(officer.get(f"/ho-so/{second.pk}/mau/04.pdf"))


def test_without_a_head_the_letter_leaves_the_name_to_be_signed_by_hand(people):
    dossier = _recent_dossier(people)
    _apologize_on_the_page(client_of(people.processor), dossier, "Chờ kết quả đo đạc")
    letter = Letter.objects.get()
    assert (letter.signer, letter.signer_name, letter.signer_position) == (None, "", "Thủ trưởng cơ quan")
    text = pdf_text(client_of(people.processor).get(f"/ho-so/{dossier.pk}/mau/04.pdf"))
    assert_in_order(text, ["Số: 1/XL-PKT", "Nơi nhận:", "THỦ TRƯỞNG CƠ QUAN"])


def test_a_rolled_back_number_is_given_again(people):
    unit = unit_on("04105.PKT", DAY)
    assert next_number(LetterCounter, unit=unit.pk, year=2026) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_number(LetterCounter, unit=unit.pk, year=2026) == 2
        raise RuntimeError("the action failed after numbering")
    assert next_number(LetterCounter, unit=unit.pk, year=2026) == 2
    assert next_number(LetterCounter, unit=unit.pk, year=2027) == 1  # each year starts again


def test_a_failed_apology_takes_no_number(people, head):
    dossier = _recent_dossier(people)
    officer = client_of(people.processor)
    response = officer.post(f"/ho-so/{dossier.pk}/thao-tac/apologize/", {
        "version": dossier.version, "note": "Trễ", "new_appointment": "2020-01-01T08:00"})  # fmt: skip
    assert response.status_code == 422  # the page again, the form as filled in and the refusal beside it
    dossier.refresh_from_db()
    assert (Letter.objects.count(), dossier.apology_count) == (0, 0)
    _apologize_on_the_page(officer, dossier, "Chờ kết quả đo đạc")
    assert Letter.objects.get().number == 1


def test_receipt_and_control_slip_in_the_decree_layout(people, accepted):
    desk = client_of(people.desk)
    text = pdf_text(desk.get(f"/ho-so/{accepted.pk}/mau/01.pdf"))
    assert_in_order(text, [*ORGAN, "Mẫu số 01", *MOTTO, f"Mã hồ sơ: {accepted.code}",
                           "Sơn La, ngày 16 tháng 11 năm 2026", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
                           "Lò Văn Minh", "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ"])  # fmt: skip
    slip = pdf_text(desk.get(f"/ho-so/{accepted.pk}/mau/06.pdf"))
    assert_in_order(slip, [*ORGAN, *MOTTO, f"Mã hồ sơ: {accepted.code}", "PHIẾU KIỂM SOÁT QUÁ TRÌNH",
                           "Nơi nhận:", "Lưu: kèm hồ sơ"])  # fmt: skip


def test_supplement_refusal_and_stop_in_the_decree_layout(people, land_procedure):
    desk = client_of(people.desk)
    asked = services.receive(people.desk, intake_for(land_procedure, provided=[]), Action.REQUEST_SUPPLEMENT,
                             "Thiếu đơn đăng ký", at=vn(2026, 11, 17, 9))  # fmt: skip
    refused = services.receive(people.desk, intake_for(land_procedure), Action.REFUSE, "Không thuộc thẩm quyền",
                               at=vn(2026, 11, 18, 9))  # fmt: skip
    stopped = DossierFactory(actor=people.desk, at=vn(2026, 11, 16, 9))
    services.stop(people.desk, stopped, "Người nộp đề nghị dừng", at=vn(2027, 2, 3, 9))
    cases = [
        (asked, "02", "Sơn La, ngày 17 tháng 11 năm 2026", "PHIẾU YÊU CẦU BỔ SUNG", "Thiếu đơn đăng ký",
         "NGƯỜI HƯỚNG DẪN"),
        (refused, "03", "Sơn La, ngày 18 tháng 11 năm 2026", "PHIẾU TỪ CHỐI TIẾP NHẬN", "Không thuộc thẩm quyền",
         "NGƯỜI TIẾP NHẬN"),
        (stopped, "05", "Sơn La, ngày 03 tháng 02 năm 2027", "THÔNG BÁO DỪNG GIẢI QUYẾT", "Người nộp đề nghị dừng",
         "NGƯỜI THÔNG BÁO"),
    ]  # fmt: skip
    for dossier, form, dated, title, body, signer in cases:
        text = pdf_text(desk.get(f"/ho-so/{dossier.pk}/mau/{form}.pdf"))
        assert_in_order(text, [*ORGAN, f"Mẫu số {form}", *MOTTO, dated, title, body, "Nơi nhận:",
                               "Ông/Bà Lò Văn Minh", signer, "Desk"])  # fmt: skip


def test_the_receipt_writes_fees_with_thousands_grouped_in_either_language(people, accepted):
    accepted.fees.create(name="Lệ phí cấp giấy chứng nhận", amount=1_230_000)
    for language in ("vi", "en"):
        desk = client_of(people.desk)
        text = pdf_text(desk.get(f"/ho-so/{accepted.pk}/mau/01.pdf", HTTP_ACCEPT_LANGUAGE=language))
        assert "Lệ phí cấp giấy chứng nhận 1.230.000 đồng" in " ".join(text.split()), language


def test_the_receipt_gives_the_applicants_commune_with_the_address(people, accepted):
    commune = unit_on("04105", DAY)
    type(accepted).objects.filter(pk=accepted.pk).update(applicant_address="Tiểu khu 3", address_unit=commune)
    text = " ".join(pdf_text(client_of(people.desk).get(f"/ho-so/{accepted.pk}/mau/01.pdf")).split())
    assert f"Địa chỉ: Tiểu khu 3, {commune.name}" in text
    type(accepted).objects.filter(pk=accepted.pk).update(applicant_address=f"Tiểu khu 3, {commune.name}")
    text = " ".join(pdf_text(client_of(people.desk).get(f"/ho-so/{accepted.pk}/mau/01.pdf")).split())
    assert f"Địa chỉ: Tiểu khu 3, {commune.name}" in text and f"{commune.name}, {commune.name}" not in text
