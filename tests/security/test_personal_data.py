import io

import pytest
from openpyxl import load_workbook

from motcua.dossiers.privacy import masked_id, masked_phone

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("number", "shown"),
    [("014095001234", "*********234"), ("B1234567", "*****567"), ("123", "***"), ("", "")],
)
def test_identity_numbers_keep_their_last_three_characters(number, shown):
    assert masked_id(number) == shown


@pytest.mark.parametrize(
    ("phone", "shown"), [("0912345678", "091****678"), ("+84912345678", "+84******678"), ("113", "***"), ("", "")]
)
def test_phones_keep_their_first_and_last_three_digits(phone, shown):
    assert masked_phone(phone) == shown


@pytest.mark.parametrize(
    ("role", "whole"),
    [("desk", True), ("processor", True), ("leader", False), ("reform", False), ("admin", False)],
)
def test_the_dossier_page_shows_the_numbers_whole_only_to_those_who_work_with_the_applicant(client, world, role, whole):
    world.client_for(client, role)
    page = client.get(f"/ho-so/{world.dossier.pk}/").content.decode()
    assert ("014095001234" in page) is whole and ("0912345678" in page) is whole
    assert ("*********234" in page) is not whole and ("091****678" in page) is not whole


@pytest.mark.parametrize(("role", "phone"), [("desk", "0912345678"), ("leader", "091****678")])
def test_the_register_export_masks_phones_for_readers_who_oversee(client, world, role, phone):
    world.client_for(client, role)
    response = client.get("/ho-so/so-theo-doi/", {"unit": world.dossier.receiving_unit_id, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    contacts = [row[5] for row in sheet.iter_rows(min_row=6, values_only=True)]
    assert contacts == [phone]
