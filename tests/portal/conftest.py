import pytest
from captcha.models import CaptchaStore
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.catalog.models import Procedure
from motcua.people.models import Role, User
from motcua.people.services import assign_role
from motcua.units.services import unit_on

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="scan.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def captcha_answer(response) -> dict:
    """The captcha fields as a person who read the picture would fill them."""
    key = response.context["form"]["captcha"].field.widget._key
    return {"captcha_0": key, "captcha_1": CaptchaStore.objects.get(hashkey=key).response}


@pytest.fixture
def citizen(demo):
    return User.objects.create_user(
        "0912345678", password="mật-khẩu-dài-123", full_name="Lò Văn Minh", phone="0912345678"
    )


@pytest.fixture
def birth(demo):
    """Đăng ký khai sinh: commune level, full online service."""
    return Procedure.objects.get(code="1.001193")


@pytest.fixture
def desk_officer(demo):
    from datetime import date

    user = User.objects.create_user("desk.maison", password="x-not-used-1", full_name="Cầm Thị Hoa")
    assign_role(user, Role.DESK_OFFICER, unit_on("04105.TTPVHCC", date(2026, 11, 30)))
    return user
