import pytest
from django.core.files.base import ContentFile

from motcua.catalog.models import Field, Procedure

pytestmark = pytest.mark.django_db


def test_a_search_without_diacritics_finds_the_field_and_names(client, demo):
    civil_status = Procedure.objects.filter(field__name="Hộ tịch", is_active=True).count()
    response = client.get("/thu-tuc/", {"q": "ho tich"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == civil_status > 0
    response = client.get("/thu-tuc/", {"q": "khai sinh", "online": "full"})
    names = [p.name for p in response.context["page"]]
    assert names == ["Đăng ký khai sinh"]
    response = client.get("/thu-tuc/", {"q": "1.001193"})
    assert [p.code for p in response.context["page"]] == ["1.001193"]


def test_filters_by_level_and_field(client, demo):
    field = Field.objects.get(name="Hộ tịch")
    response = client.get("/thu-tuc/", {"field": field.code, "level": "district"})
    codes = {p.code for p in response.context["page"]}
    assert codes == set(Procedure.objects.filter(field=field, level="district").values_list("code", flat=True))
    assert "1.000893" in codes  # kết hôn có yếu tố nước ngoài


def test_the_procedure_page_shows_what_to_bring_fees_steps_desks_and_the_apply_button(client, demo, birth):
    component = birth.components.get(order=1)
    component.form_file.save("to-khai-khai-sinh.pdf", ContentFile(b"%PDF-1.4 form"))
    response = client.get(f"/thu-tuc/{birth.code}/")
    page = response.content.decode()
    assert "Tờ khai đăng ký khai sinh" in page and "Tải mẫu đơn" in page
    assert "Đăng nhập để nộp trực tuyến" in page
    assert "Trung tâm Phục vụ hành chính công Xã Mai Sơn" in page
    assert len(response.context["desks"]) == 75  # the commune desks in force since July 2025
    download = client.get(f"/mau-don/{component.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 form"
    assert client.get(f"/mau-don/{birth.components.get(order=2).pk}/").status_code == 404


def test_a_procedure_handled_only_at_the_desk_has_no_apply_button(client, demo):
    response = client.get("/thu-tuc/2.000906/")
    assert "Thủ tục này được giải quyết tại bộ phận một cửa." in response.content.decode()
    assert client.get("/thu-tuc/khong-co/").status_code == 404


def test_the_portal_speaks_english_on_request(client, demo):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Public services portal" in page and "Online now" in page
    page = client.get("/thu-tuc/1.001193/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Documents to submit" in page and "Log in to apply online" in page
