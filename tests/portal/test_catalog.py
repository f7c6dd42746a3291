import re

import pytest
from django.core.files.base import ContentFile

from motcua.catalog.models import Field, Procedure

pytestmark = pytest.mark.django_db


def test_a_search_without_diacritics_finds_the_field_and_names(client, demo):
    civil_status = set(Procedure.objects.filter(field__name="Hộ tịch", is_active=True).values_list("code", flat=True))
    response = client.get("/thu-tuc/", {"q": "ho tich"})
    assert response.status_code == 200
    # The whole phrase (the field's name) first; names merely sharing a word ("hộ", "học") after them.
    ranked = [p.code for p in response.context["page"].paginator.object_list]
    assert set(ranked[: len(civil_status)]) == civil_status and len(civil_status) == 14
    assert len(ranked) > 14
    response = client.get("/thu-tuc/", {"q": "khai sinh", "online": "full"})
    names = [p.name for p in response.context["page"]]
    assert names == ["Đăng ký khai sinh", "Đăng ký khai tử"]  # the phrase first, then one word of it
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


def section(page: str, name: str) -> str:
    """The text of the part of the page with id ``name``, tags dropped and spaces squeezed."""
    found = re.search(rf'<(section|dd)[^>]* id="{name}"[^>]*>(.*?)</\1>', page, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found[2]).split()) if found else ""


def test_the_procedure_page_shows_every_published_element(client, demo, birth):
    page = client.get(f"/thu-tuc/{birth.code}/").content.decode()
    assert section(page, "level") == "Cấp xã"
    assert section(page, "duration") == "Trong ngày"
    assert section(page, "applicants") == (
        "Cha, mẹ, ông, bà hoặc người thân thích khác; cá nhân, tổ chức đang nuôi dưỡng trẻ em"
    )
    assert section(page, "agency") == "Ủy ban nhân dân cấp xã"
    assert section(page, "result") == "Giấy khai sinh (bản chính); bản sao Giấy khai sinh nếu có yêu cầu · Bản giấy"
    assert section(page, "legal-basis") == "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP"
    steps = section(page, "sequence")
    assert steps.startswith("Trình tự thực hiện Người có yêu cầu nộp hồ sơ tại Bộ phận một cửa")
    assert steps.endswith("Người đi đăng ký khai sinh kiểm tra nội dung, ký vào Sổ hộ tịch và nhận Giấy khai sinh")
    assert steps.count("Công chức tư pháp - hộ tịch") == 2
    assert section(page, "ways") == (
        "Cách thức thực hiện Cách thức thực hiện, với thời hạn giải quyết và phí, lệ phí của từng cách "
        "Hình thức nộp Thời hạn giải quyết Phí, lệ phí Ghi chú "
        "Trực tiếp Trong ngày Miễn lệ phí (đăng ký đúng hạn) "
        "Nhận hồ sơ sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo "
        "Dịch vụ bưu chính công ích Trong ngày Miễn lệ phí (đăng ký đúng hạn), cước bưu chính theo giá dịch vụ "
        "Trực tuyến Trong ngày Miễn lệ phí (đăng ký đúng hạn) "
        "Nhận Giấy khai sinh tại Bộ phận một cửa hoặc qua dịch vụ bưu chính công ích"
    )
    assert section(page, "documents") == (
        "Thành phần hồ sơ Thành phần hồ sơ, với số lượng bản chính và bản sao "
        "Giấy tờ Bản chính Bản sao Mẫu đơn, tờ khai "
        "1. Tờ khai đăng ký khai sinh 1 — "
        "2. Giấy chứng sinh hoặc văn bản của người làm chứng 1 —"
    )
    assert section(page, "fees") == "Phí, lệ phí Không mất phí."


def test_a_district_procedure_is_shown_at_the_level_handling_it_on_the_two_level_map(client, demo):
    page = client.get("/thu-tuc/1.001695/").content.decode()
    assert section(page, "level") == (
        "Cấp xã (công bố là thủ tục cấp huyện; do cấp xã thực hiện từ ngày 01/7/2025 khi không còn cấp huyện)"
    )
    detail = client.get("/api/procedures/1.001695").json()
    assert (detail["level"], detail["level_today"]) == ("district", "commune")
    assert [c["originals"] for c in detail["components"]] == [1, 1, 1]
    assert [w["channel"] for w in detail["ways"]] == ["in_person", "postal", "online"]
    assert detail["sequence"][-1] == "Trả Giấy khai sinh cho người có yêu cầu"
    assert detail["result"] == "Giấy khai sinh (bản chính)"
