import pytest

from motcua.people.models import User

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def admin_client(client, db):
    user = User.objects.create_superuser("root", password="mật-khẩu-dài-123")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/quan-tri/",
        "/quan-tri/units/unit/?q=Mai+S%C6%A1n",
        "/quan-tri/catalog/procedure/?level=commune",
        "/quan-tri/catalog/field/",
        "/quan-tri/catalog/processtemplate/",
        "/quan-tri/workdays/calendaroverride/add/",
        "/quan-tri/people/user/",
        "/quan-tri/people/roleassignment/",
        "/quan-tri/quality/indicatorset/",
    ],
)
def test_reference_data_pages_open(admin_client, path):
    response = admin_client.get(path)
    assert response.status_code == 200


def test_admin_is_in_vietnamese(admin_client):
    assert "Danh mục thủ tục hành chính" in admin_client.get("/quan-tri/").text


def test_an_edited_procedure_is_found_without_diacritics(admin_client):
    from motcua.catalog.models import Procedure
    from motcua.catalog.services import search_procedures

    procedure = Procedure.objects.get(code="1.001193")
    procedure.name = "Đăng ký khai sinh lưu động"
    data = {
        "code": procedure.code,
        "name": procedure.name,
        "field": procedure.field_id,
        "level": procedure.level,
        "duration_value": "0",
        "duration_unit": procedure.duration_unit,
        "result_type": procedure.result_type,
        "online_kind": procedure.online_kind,
        "is_active": "on",
        "components-TOTAL_FORMS": "0",
        "components-INITIAL_FORMS": "0",
        "fees-TOTAL_FORMS": "0",
        "fees-INITIAL_FORMS": "0",
        "ways-TOTAL_FORMS": "0",
        "ways-INITIAL_FORMS": "0",
    }
    response = admin_client.post(f"/quan-tri/catalog/procedure/{procedure.pk}/change/", data)
    assert response.status_code == 302, response.text[:2000]
    assert search_procedures("luu dong")[0].code == "1.001193"  # the whole phrase ranks first


def test_an_administrator_copies_the_indicator_set_to_a_new_year_and_edits_a_weight(admin_client):
    from motcua.quality.models import IndicatorSet

    source = IndicatorSet.objects.get(year=2022)
    response = admin_client.post(
        "/quan-tri/quality/indicatorset/", {"action": "copy_to_next_year", "_selected_action": [source.pk]}
    )
    assert response.status_code == 302
    copied = IndicatorSet.objects.get(year=2023)
    assert copied.indicators.count() == 20
    page = admin_client.get(f"/quan-tri/quality/indicatorset/{copied.pk}/change/")
    assert page.status_code == 200 and "2.1" in page.text
