"""The words on the pages: English pages carry no Vietnamese column heads, each "code" says whose
code it is, choice values show by their names and same-day procedures read "Trong ngày"."""

import re
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser

import pytest

from motcua.catalog.models import DurationUnit, Procedure
from motcua.people.models import Role, User
from motcua.plans import services as plans
from motcua.plans.models import StaffKind
from motcua.portal import services as portal
from motcua.units.services import unit_on
from tests.factories import DossierFactory, UserFactory
from tests.par.conftest import make_framework

pytestmark = pytest.mark.django_db
VIETNAMESE = re.compile("[ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.I)


class Cells(HTMLParser):
    """The text of each column head of a page (``th`` in a ``thead`` or with a column scope), of
    each row head (``row``: the other ``th``) and of each ``dt`` and ``dd``, by tag."""

    def __init__(self):
        super().__init__()
        self.found: dict[str, list[str]] = {"th": [], "row": [], "dt": [], "dd": []}
        self.open: list[list] = []
        self.in_head = False

    def handle_starttag(self, tag, attrs):
        if tag == "thead":
            self.in_head = True
        column = self.in_head or dict(attrs).get("scope") in ("col", "colgroup")
        if tag in ("dt", "dd") or tag == "th":
            self.open.append([tag if tag != "th" or column else "row", ""])

    def handle_endtag(self, tag):
        if tag == "thead":
            self.in_head = False
        if self.open and self.open[-1][0] in (tag, "row" if tag == "th" else tag):
            tag, text = self.open.pop()
            self.found[tag].append(" ".join(text.split()))

    def handle_data(self, data):
        for cell in self.open:
            cell[1] += data


def cells(response, tag="th") -> list[str]:
    assert response.status_code == 200, response
    parser = Cells()
    parser.feed(response.content.decode())
    return parser.found[tag]


@pytest.fixture
def cast(demo, tmp_path):
    """An official holding the desk's, the leader's and the reform staff's roles, a citizen with
    an online dossier, a dossier accepted at the desk, a PAR framework and staffing quotas."""
    official = UserFactory(
        username="canbo",
        roles=[
            (Role.DESK_OFFICER, "04105.TTPVHCC"),
            (Role.PROCESSING_OFFICER, "04105"),
            (Role.UNIT_LEADER, "04105"),
            (Role.REFORM_STAFF, "14"),
        ],
    )
    citizen = User.objects.create_user("0912345678", password="x-not-used-1", full_name="Lò Văn Minh")
    online = DossierFactory(online=True, actor=citizen)
    accepted = DossierFactory(actor=official)
    feedback = portal.FeedbackInput(
        unit=None,
        name="Lò Văn Minh",
        contact="0912345678",
        title="Hỏi",
        content="Bao giờ có kết quả?",
        dossier_code=accepted.code,
    )
    portal.send_feedback(feedback)
    framework = make_framework(tmp_path, "SL-2022", 2022, units=["123", "124"])
    for code, kind, approved in (("14", StaffKind.CIVIL_SERVANT, 40), ("04105", StaffKind.CIVIL_SERVANT, 20)):
        unit = unit_on(code, date(2026, 11, 16))
        plans.set_quota(official, unit, 2026, kind, approved, approved - 1, "Quyết định 1/QĐ-UBND", date(2026, 1, 5))
    return {"official": official, "citizen": citizen, "online": online, "accepted": accepted, "framework": framework}


def english(client, path):
    return client.get(path, HTTP_ACCEPT_LANGUAGE="en")


def test_english_pages_carry_no_vietnamese_table_heads(client, cast):
    accepted, framework = cast["accepted"], cast["framework"]
    public = [
        "/",
        "/thu-tuc/",
        "/thu-tuc/1.001193/",
        "/phan-anh-kien-nghi/",
        "/ket-qua/",
    ]
    official = [
        "/lam-viec/",
        "/ho-so/",
        "/ho-so/?tab=intake",
        "/ho-so/tim-kiem/?q=Minh",
        f"/ho-so/{accepted.pk}/",
        "/ho-so/so-theo-doi/",
        "/ho-so/tiep-nhan/?procedure=1.012994",
        "/bao-cao/?period=year&year=2026",
        "/chi-so/",
        "/chi-so-cchc/",
        f"/chi-so-cchc/{framework.code}/",
        f"/chi-so-cchc/{framework.code}/don-vi/{unit_on('123', date(2022, 12, 31)).pk}/",
        "/cai-cach/",
        "/cai-cach/bien-che/?year=2026",
        "/cai-cach/so-ket/",
        "/cai-cach/nhiem-vu/",
        "/phan-anh-kien-nghi/xu-ly/",
    ]
    heads = {}
    for path in public:
        heads[path] = cells(english(client, path))
    where = {"code": accepted.code, "secret": accepted.secret}  # the lookup answers a POST only
    heads["/tra-cuu/"] = cells(client.post("/tra-cuu/", where, HTTP_ACCEPT_LANGUAGE="en"))
    client.force_login(cast["citizen"])
    heads["/ca-nhan/"] = cells(english(client, "/ca-nhan/"))
    client.force_login(cast["official"])
    for path in official:
        heads[path] = cells(english(client, path))
    vietnamese = {path: [h for h in found if VIETNAMESE.search(h)] for path, found in heads.items()}
    assert {path: found for path, found in vietnamese.items() if found} == {}
    assert "Dossier code" in heads["/ca-nhan/"] and "Code" in heads["/ho-so/"]
    assert "Within the deadline" in heads["/bao-cao/?period=year&year=2026"]
    assert "Overdue, not done" in heads["/cai-cach/so-ket/"]


def test_each_code_says_whose_code_it_is(client, cast):
    client.force_login(cast["official"])
    assert cells(client.get("/thu-tuc/1.001193/"), "dt")[0] == "Mã thủ tục"
    assert cells(client.get("/ho-so/"))[0] == "Mã hồ sơ"
    assert cells(client.get("/ho-so/tim-kiem/?q=Minh"))[0] == "Mã hồ sơ"
    assert cells(client.get("/ho-so/so-theo-doi/"))[1] == "Mã hồ sơ"
    heads = cells(client.get(f"/chi-so-cchc/{cast['framework'].code}/"))
    assert "Mã tiêu chí" in heads and "Mã hồ sơ" not in heads
    moc_chau = unit_on("123", date(2022, 12, 31))
    assert cells(client.get(f"/chi-so-cchc/{cast['framework'].code}/don-vi/{moc_chau.pk}/"))[0] == "Mã tiêu chí"
    assert cells(client.get("/chi-so-cchc/"))[0] == "Mã bộ chỉ số"
    assert cells(client.get("/phan-anh-kien-nghi/xu-ly/"))[0] == "Mã phản ánh"
    client.force_login(cast["citizen"])
    assert cells(client.get("/ca-nhan/"))[0] == "Mã hồ sơ"


def test_the_staffing_totals_name_the_levels(client, cast):
    client.force_login(cast["official"])
    province = unit_on("14", date(2026, 11, 16))
    rows = cells(client.get(f"/cai-cach/bien-che/?unit={province.pk}&year=2026"), "row")
    assert rows == ["Cấp xã", "Cấp tỉnh", "Tổng cộng"]
    rows = cells(english(client, f"/cai-cach/bien-che/?unit={province.pk}&year=2026"), "row")
    assert rows == ["Commune level", "Province level", "Total"]


def test_a_same_day_procedure_reads_same_day(client, demo):
    birth = Procedure.objects.get(code="1.001193")
    assert birth.duration_unit == DurationUnit.IN_DAY
    assert cells(client.get("/thu-tuc/1.001193/"), "dd")[3] == "Trong ngày"
    assert cells(english(client, "/thu-tuc/1.001193/"), "dd")[3] == "Same day"
    birth.duration_value, birth.duration_unit = Decimal(0), DurationUnit.WORKING_DAYS
    birth.save()
    assert cells(client.get("/thu-tuc/1.001193/"), "dd")[3] == "Trong ngày"
    birth.duration_value = Decimal("2.5")
    birth.save()
    assert cells(client.get("/thu-tuc/1.001193/"), "dd")[3] == "2,5 ngày làm việc"
    assert cells(english(client, "/thu-tuc/1.001193/"), "dd")[3] == "2.5 working days"


def test_rate_columns_read_in_each_language(client, cast):
    """Headers holding a percent sign are looked up as the template tag writes them ("(%%)")."""
    client.force_login(cast["official"])
    path = "/bao-cao/?period=year&year=2026"
    vietnamese = cells(client.get(path))
    assert "Tỷ lệ số hóa (%)" in vietnamese and "Tỷ lệ trực tuyến (%)" in vietnamese
    english = cells(english_page := client.get(path, HTTP_ACCEPT_LANGUAGE="en"))
    assert english_page.status_code == 200
    assert "Digitization rate (%)" in english and "Online rate (%)" in english


def test_the_citizen_sees_the_lookup_secret_once_the_desk_has_accepted(client, cast):
    from motcua.dossiers import services as dossiers

    online = cast["online"]
    client.force_login(cast["citizen"])
    page = client.get(f"/ca-nhan/ho-so/{online.pk}/").content.decode()
    assert "Mã bí mật tra cứu" not in page and online.secret not in page
    assert "Ông/Bà sẽ nhận giấy tiếp nhận và mã bí mật tra cứu" in page
    dossiers.accept(cast["official"], online)
    page = client.get(f"/ca-nhan/ho-so/{online.pk}/").content.decode()
    assert "Mã bí mật tra cứu" in page and online.secret in page
