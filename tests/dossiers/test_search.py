"""The officers' search box: what a text is read as, the keys the database keeps, and the page."""

import re
import unicodedata

import pytest
from django.test import Client

from motcua.core.text import fold
from motcua.dossiers import search, services, views
from motcua.dossiers.folding import LETTERS, phone_digits
from motcua.dossiers.models import Consultation, Dossier
from motcua.dossiers.search import Kind, Query, classify
from motcua.people.models import Role
from motcua.units.services import unit_on
from tests.factories import DossierFactory, UserFactory

from .conftest import vn

CLASSIFIED = [
    # text                               what it is read as
    ("", Query(Kind.EMPTY)),
    ("   ", Query(Kind.EMPTY)),
    ("04105.TTPVHCC-261116-0012", Query(Kind.CODE, "04105.TTPVHCC-261116-0012")),
    ("000.00.16.H53-261116-0012", Query(Kind.CODE, "000.00.16.H53-261116-0012")),
    ("261116-0012", Query(Kind.CODE_TAIL, "0012", day="261116")),  # the day and the number
    (" 261116-12 ", Query(Kind.CODE_TAIL, "0012", day="261116")),  # the number without its zeros
    ("0012", Query(Kind.CODE_TAIL, "0012")),  # the number alone
    ("12", Query(Kind.CODE_TAIL, "0012")),
    ("123456", Query(Kind.CODE_TAIL, "123456")),  # six digits are still a number of the day
    ("012345678901", Query(Kind.ID, "012345678901")),  # a personal identification number
    ("0123 4567 8901", Query(Kind.ID, "012345678901")),  # …written in groups
    ("123456789", Query(Kind.ID_OR_PHONE, "123456789")),  # an old ID card, or a phone without its 0
    ("0912345678", Query(Kind.PHONE, "0912345678")),
    ("0912 345 678", Query(Kind.PHONE, "0912345678")),
    ("0912.345.678", Query(Kind.PHONE, "0912345678")),
    ("0912-345-678", Query(Kind.PHONE, "0912345678")),
    ("+84912345678", Query(Kind.PHONE, "0912345678")),
    ("+84 912 345 678", Query(Kind.PHONE, "0912345678")),
    ("84912345678", Query(Kind.PHONE, "0912345678")),
    ("(0212) 385 2345", Query(Kind.PHONE, "02123852345")),  # a landline with its area code
    ("12345678", Query(Kind.ID, "12345678")),  # other documents' numbers
    ("C1234567", Query(Kind.CODE_OR_ID, "C1234567")),  # a passport, or a code of an older system
    ("Lò Văn Minh", Query(Kind.NAME, "lo van minh")),
    ("lo van minh", Query(Kind.NAME, "lo van minh")),
    ("  LÒ   văn ", Query(Kind.NAME, "lo van")),
    ("Đặng Thị Hồng-Nhung", Query(Kind.NAME, "dang thi hong nhung")),
    ("minh", Query(Kind.NAME, "minh")),
    ("?!", Query(Kind.EMPTY)),
]


@pytest.mark.parametrize(("text", "expected"), CLASSIFIED)
def test_classify(text, expected):
    assert classify(text) == expected


NAMES = [
    # words searched, folded name, found
    ("lo van minh", "lo van minh", True),
    ("lo minh", "lo van minh", True),  # a word between
    ("van", "lo van minh", True),
    ("mi", "lo van minh", True),  # the start of a word
    ("l v m", "lo van minh", True),
    ("minh lo", "lo van minh", False),  # out of order
    ("inh", "lo van minh", False),  # not the start of a word
    ("lo van minh", "lo van", False),
    ("nguyen van an", "nguyen van anh", True),
    ("nguyen an", "nguyen thi ban", False),
]


@pytest.mark.parametrize(("words", "name", "found"), NAMES)
def test_name_pattern(words, name, found):
    assert bool(re.search(search.name_pattern(words.split()), name)) is found


@pytest.mark.parametrize(
    ("text", "digits"),
    [("0912 345 678", "0912345678"), ("+84 (912) 345-678", "0912345678"), ("84912345678", "0912345678"),
     ("0212.385.2345", "02123852345"), ("", ""), ("8491", "8491")],
)  # fmt: skip
def test_phone_digits(text, digits):
    assert phone_digits(text) == digits


def receive(people, procedure, name="Lò Văn Minh", id_number="012345678901", phone="0912345678", at=None, **kw):
    applicant = services.Applicant(name=name, id_number=id_number, phone=phone)
    return DossierFactory(procedure=procedure, actor=people.desk, applicant=applicant,
                          at=at or vn(2026, 11, 16, 9), **kw)  # fmt: skip


def test_the_database_keeps_the_keys_as_python_reads_them(people, land_procedure):
    every = "".join(sorted(set(LETTERS)))  # every letter the folding knows, upper and lower case
    composed = "Đặng Thị Hồng Nhung"
    decomposed = unicodedata.normalize("NFD", "Nguyễn Ước")  # typed with combining marks
    for name in (every, composed, decomposed):
        receive(people, land_procedure, name=name, phone="+84 912.345-678", id_number="")
    rows = list(Dossier.objects.order_by("pk").values_list("applicant_name", "applicant_folded", "phone_digits"))
    assert [(folded, digits) for _name, folded, digits in rows] == [
        (fold(every), "0912345678"),
        ("dang thi hong nhung", "0912345678"),
        ("nguyen uoc", "0912345678"),
    ]
    assert fold(every).isascii()
    dossier = Dossier.objects.order_by("pk").first()
    assert dossier.code_number == dossier.code.rsplit("-", 1)[1] == "0001"


def test_code_number_of_a_code_without_dash_and_of_no_code(people, land_procedure):
    dossier = receive(people, land_procedure)
    Dossier.objects.filter(pk=dossier.pk).update(code="HS2019000042")  # migrated from an older system
    assert Dossier.objects.get(pk=dossier.pk).code_number == "HS2019000042"
    Dossier.objects.filter(pk=dossier.pk).update(code=None)  # refused at intake: no code
    assert Dossier.objects.get(pk=dossier.pk).code_number is None


@pytest.fixture
def desk_client(people):
    client = Client(headers={"accept-language": "vi"})
    client.force_login(people.desk)
    return client


def found_codes(client, text, path="/ho-so/tim-kiem/", **params):
    response = client.get(path, {"q": text, **params} if text else params)
    assert response.status_code == 200
    return re.findall(r'<a href="/ho-so/\d+/">([^<]+)</a>', response.content.decode())


@pytest.fixture
def three(people, land_procedure):
    """Three dossiers at the Mai Sơn desk: Lò Văn Minh twice (16 and 17/11) and Đặng Thị Hồng."""
    first = receive(people, land_procedure, at=vn(2026, 11, 16, 9))
    second = receive(people, land_procedure, at=vn(2026, 11, 17, 9), phone="0912 345 678")
    other = receive(people, land_procedure, name="Đặng Thị Hồng", id_number="014090001111", phone="0987654321",
                    at=vn(2026, 11, 17, 10))  # fmt: skip
    return first, second, other


def test_search_page_by_name_code_id_and_phone(desk_client, three):
    first, second, other = three
    assert first.code.endswith("-261116-0001") and other.code.endswith("-261117-0002")
    for text in ("lo van minh", "Lò Văn Minh", "LO VAN", "lo minh", "minh"):
        assert found_codes(desk_client, text) == [second.code, first.code], text  # newest first
    assert found_codes(desk_client, "dang hong") == [other.code]
    assert found_codes(desk_client, "van minh lo") == []
    assert found_codes(desk_client, first.code) == [first.code]
    assert found_codes(desk_client, first.code.lower()) == [first.code]
    assert found_codes(desk_client, "0001") == [second.code, first.code]  # the first of each day
    assert found_codes(desk_client, "1") == [second.code, first.code]
    assert found_codes(desk_client, "261116-0001") == [first.code]
    assert found_codes(desk_client, "261117-2") == [other.code]
    assert found_codes(desk_client, "014090001111") == [other.code]
    for phone in ("0912345678", "0912 345 678", "+84912345678", "+84 912.345.678", "84912345678"):
        assert found_codes(desk_client, phone) == [second.code, first.code], phone
    assert found_codes(desk_client, "912345678") == [second.code, first.code]  # nine digits: the phone
    assert found_codes(desk_client, "0987 654 321") == [other.code]


def test_search_page_shows_status_procedure_and_due_date_and_says_when_nothing_is_found(desk_client, three):
    first = three[0]
    page = desk_client.get("/ho-so/tim-kiem/", {"q": first.code}).content.decode()
    assert "1 hồ sơ được tìm thấy." in page
    assert first.procedure.name in page and str(first.get_status_display()) in page
    assert f"{first.due_at.astimezone(vn(2026, 1, 1).tzinfo):%H:%M %d/%m/%Y}" in page
    empty = desk_client.get("/ho-so/tim-kiem/", {"q": "tran quoc toan"}).content.decode()
    assert "Không có hồ sơ nào trong phạm vi đơn vị của bạn khớp với nội dung tìm kiếm." in empty
    assert "0 hồ sơ được tìm thấy." in empty


def test_search_is_within_the_scope(people, three):
    elsewhere = UserFactory(username="tohieu", roles=[(Role.DESK_OFFICER, "03646.TTPVHCC")])
    client = Client()
    client.force_login(elsewhere)
    for text in ("lo van minh", three[0].code, "0001", "012345678901", "0912345678"):
        assert found_codes(client, text) == [], text
    client.force_login(people.processor)  # the processing agency of Mai Sơn sees them
    assert found_codes(client, "lo van minh") == [three[1].code, three[0].code]


def test_search_page_is_for_officials(people, three):
    citizen = UserFactory(username="citizen", citizen=True)
    client = Client()
    assert client.get("/ho-so/tim-kiem/", {"q": "minh"}).status_code == 302  # to the sign-in
    client.force_login(citizen)
    assert client.get("/ho-so/tim-kiem/", {"q": "minh"}).status_code == 403


def test_search_results_are_paginated(desk_client, people, land_procedure, monkeypatch):
    monkeypatch.setattr(views, "PER_PAGE", 2)
    made = [receive(people, land_procedure, name="Nguyễn Văn An", at=vn(2026, 11, 16, 8 + n)).code for n in range(5)]
    newest = made[::-1]
    assert found_codes(desk_client, "nguyen van an") == newest[:2]
    assert found_codes(desk_client, "nguyen van an", page=2) == newest[2:4]
    assert found_codes(desk_client, "nguyen van an", page=3) == newest[4:]
    page = desk_client.get("/ho-so/tim-kiem/", {"q": "nguyen van an", "page": 2}).content.decode()
    assert "5 hồ sơ được tìm thấy." in page and "Trang 2/3" in page
    assert 'href="?q=nguyen+van+an&amp;page=3"' in page and 'href="?q=nguyen+van+an&amp;page=1"' in page


def test_capped_paginator_says_when_it_stops_counting(people, three):
    paginator = search.CappedPaginator(search.search(people.desk, "lo van minh"), 1, cap=1)
    assert (paginator.count, paginator.capped, paginator.num_pages) == (1, True, 1)
    paginator = search.CappedPaginator(search.search(people.desk, "lo van minh"), 1, cap=2)
    assert (paginator.count, paginator.capped, paginator.num_pages) == (2, False, 2)
    assert [d.code for d in paginator.page(2)] == [three[0].code]


TAB = re.compile(r'<a href="\?tab=(\w+)"[^>]*>[^<]+ <span class="count">\((\d+)\)</span>')


def test_inbox_tabs_show_their_counts_and_every_queue_pages(desk_client, people, land_procedure, monkeypatch):
    monkeypatch.setattr(views, "PER_PAGE", 2)
    made = [receive(people, land_procedure, at=vn(2026, 11, 16, 8 + n)).code for n in range(3)]
    citizen = UserFactory(username="citizen", citizen=True)
    DossierFactory(procedure=land_procedure, online=True, actor=citizen, at=vn(2026, 11, 16, 14))
    page = desk_client.get("/ho-so/").content.decode()
    assert TAB.findall(page) == [("open", "3"), ("mine", "0"), ("intake", "1"), ("supplement", "0"),
                                 ("to_return", "0")]  # fmt: skip
    assert found_codes(desk_client, "", path="/ho-so/") == made[:2]  # most urgent first
    assert found_codes(desk_client, "", path="/ho-so/", page=2) == made[2:]
    assert 'href="?page=2"' in page and "Trang 1/2" in page
    second = desk_client.get("/ho-so/", {"tab": "open", "page": 2}).content.decode()
    assert 'href="?tab=open&amp;page=1"' in second
    assert TAB.findall(desk_client.get("/ho-so/", {"tab": "nonsense"}).content.decode())[0] == ("open", "3")


def test_register_pages_and_numbers_its_rows(desk_client, people, land_procedure, monkeypatch):
    monkeypatch.setattr(views, "PER_PAGE", 2)
    made = [receive(people, land_procedure, at=vn(2026, 11, 16, 8 + n)).code for n in range(3)]
    period = {"from": "2026-11-01", "to": "2026-11-30"}
    first = desk_client.get("/ho-so/so-theo-doi/", period).content.decode()
    second = desk_client.get("/ho-so/so-theo-doi/", {**period, "page": 2}).content.decode()
    assert "Đã tiếp nhận 3 hồ sơ." in first and "Đã tiếp nhận 3 hồ sơ." in second
    numbered = re.compile(r'<tr><td[^>]*>(\d+)</td><td[^>]*><a href="/ho-so/\d+/">([^<]+)</a>')
    assert numbered.findall(first) == [("1", made[0]), ("2", made[1])]
    assert numbered.findall(second) == [("3", made[2])]
    assert 'href="?from=2026-11-01&amp;to=2026-11-30&amp;page=2"' in first
    workbook = desk_client.get("/ho-so/so-theo-doi/", {**period, "format": "xlsx"})
    assert workbook.status_code == 200  # the export holds the whole period, not a page


def test_a_code_reads_the_months_it_names(people, land_procedure):
    """On monthly partitions a code's lookup reads its month and the month before; a dossier made in
    another month (here: received "on 16/11" by a test running later) is still found, by a second reading."""
    from django.db import connection

    from motcua.dossiers import partitions

    dossier = receive(people, land_procedure)
    query = classify(dossier.code)
    within = search.months(query)
    if partitions.partitioned():
        low = partitions.bounds(202610)[0]
        high = partitions.bounds(202611)[1]
        legacy = partitions.FIRST_MONTH * partitions.SPAN
        assert within == search.Q(pk__lt=legacy) | search.Q(pk__gte=low, pk__lt=high)
    else:
        assert within is None and connection.vendor == "sqlite"
    assert list(search.search(people.desk, dossier.code)) == [dossier]
    assert list(search.search(people.desk, "261116-0001")) == [dossier]


@pytest.mark.parametrize("narrow", [search.NARROW, 0], ids=["units named", "exists"])
def test_both_readings_of_the_scope_find_the_same(people, three, monkeypatch, narrow):
    """A narrow scope is read through the units' indexes, a wide one through EXISTS: the same dossiers."""
    monkeypatch.setattr(search, "NARROW", narrow)
    first, second, _other = three
    partner = unit_on("04105.PVHXH", first.received_at.date())
    Consultation.objects.create(dossier=first, unit=partner, task="Xác minh", asked_at=first.received_at,
                                due_at=first.due_at)  # fmt: skip

    def codes(user, text):
        return [d.code for d in search.search(user, text)]

    assert codes(people.desk, "minh") == [second.code, first.code]
    assert codes(people.partner, "minh") == [first.code]  # seen only as a consulted agency
    assert codes(people.partner, "dang hong") == []
    assert codes(people.other_desk, "minh") == []
