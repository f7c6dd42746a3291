from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from motcua.catalog import services
from motcua.catalog.models import Field, Procedure, ProcessTemplate
from motcua.core.tabular import read_table

pytestmark = pytest.mark.usefixtures("demo")

HEADER = (
    "code,name,field,level,duration_value,duration_unit,fees,result_type,online_kind,multi_agency,components,steps\n"
)
STEPS_3_DAYS = "Tiếp nhận|desk|4; Thẩm định|processor|12; Ký|signer|6; Trả|clerk|2"


def test_the_demo_catalog_is_broad_enough():
    procedures = Procedure.objects.filter(is_active=True)
    assert procedures.count() >= 60
    assert Field.objects.filter(procedures__isnull=False).distinct().count() >= 10
    assert set(procedures.values_list("level", flat=True)) == {"province", "district", "commune"}
    assert not procedures.filter(process_templates__isnull=True).exists()
    assert not procedures.filter(components__isnull=True).exists()


def test_a_procedure_carries_its_process_fees_and_components():
    land = services.procedure_by_code("1.012994")
    process = services.current_process(land)
    assert process.total_hours == Decimal(168)  # 21 working days, as published
    assert [s.hours for s in process.steps.all()] == [4, 4, 112, 24, 16, 8]
    assert land.duration.working_hours == Decimal(168)
    copy = services.procedure_by_code("2.000907")
    assert list(copy.fees.values_list("name", "amount")) == [("Lệ phí (mỗi trang)", 2000)]
    assert copy.components.count() == 2


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("khai sinh", "1.001193"),
        ("Đăng ký khai sinh", "1.001193"),
        ("dang ky ket hon", "1.000894"),
        ("LY LICH tu phap", "2.000488"),
        ("2.000908", "2.000908"),
        ("giay phep lai xe", "1.002809"),
    ],
)
def test_search_with_or_without_diacritics(query, expected):
    assert expected in set(services.search_procedures(query).values_list("code", flat=True))


def test_search_filters():
    commune_civil = services.search_procedures("", field="HT", level="commune")
    assert commune_civil.count() == 12
    # No province procedure registers a birth; "học sinh" shares a word, so it is found, alone.
    assert list(services.search_procedures("khai sinh", level="province").values_list("code", flat=True)) == [
        "1.005095"
    ]


def import_text(tmp_path, body, effective=None):
    path = tmp_path / "procedures.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_import_creates_then_versions_a_changed_process(tmp_path):
    row = "9.000001,Thủ tục thử,HT,commune,3,working_days,Lệ phí=5000,paper,full,no,Tờ khai; ?Giấy tờ khác,{steps}\n"
    path = import_text(tmp_path, row.format(steps=STEPS_3_DAYS))
    call_command("import", "procedures", str(path), stdout=StringIO())
    procedure = Procedure.objects.get(code="9.000001")
    assert [(c.name, c.required) for c in procedure.components.all()] == [("Tờ khai", True), ("Giấy tờ khác", False)]
    assert procedure.process_templates.count() == 1
    call_command("import", "procedures", str(path), stdout=StringIO())
    assert procedure.process_templates.count() == 1  # unchanged: no new version
    changed = "Tiếp nhận|desk|2; Thẩm định|processor|14; Ký|signer|6; Trả|clerk|2"
    path = import_text(tmp_path, row.format(steps=changed))
    call_command("import", "procedures", str(path), "--effective", "2027-01-01", stdout=StringIO())
    versions = list(ProcessTemplate.objects.filter(procedure=procedure).order_by("version"))
    assert [(v.version, str(v.valid_from)) for v in versions] == [(1, "2000-01-01"), (2, "2027-01-01")]


def test_a_broken_procedures_file_is_refused_whole(tmp_path):
    before = Procedure.objects.count()
    body = (
        f"9.000002,Tốt,HT,commune,3,working_days,,paper,full,no,Tờ khai,{STEPS_3_DAYS}\n"  # line 2: fine
        "9.000003,Lĩnh vực lạ,XX,commune,3,working_days,,paper,full,no,Tờ khai,\n"  # line 3
        "9.000004,Giờ sai,HT,commune,2,working_days,,paper,full,no,Tờ khai,"  # line 4: steps ≠ 16 h
        f"{STEPS_3_DAYS}\n"
        "9.000002,Trùng,HT,commune,1,working_days,,paper,full,no,Tờ khai,\n"  # line 5: duplicate
        "9.000005,Đơn vị sai,HT,commune,3,weeks,,paper,full,no,Tờ khai,\n"  # line 6: bad unit
        "9.000006,Phí sai,HT,commune,3,working_days,Lệ phí=abc,paper,full,no,Tờ khai,\n"  # line 7
    )
    path = import_text(tmp_path, body)
    err = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("import", "procedures", str(path), stdout=StringIO(), stderr=err)
    assert exit_info.value.code == 1
    text = err.getvalue()
    assert "Line 3: unknown field code “XX”" in text and "Dòng 3:" in text
    assert "Line 4: the steps add up to 24 working hours but the processing time is 16" in text
    assert "Line 5: duplicate code 9.000002 (already on line 2)" in text
    assert "Line 6: “weeks” is not allowed in column “duration_unit”" in text
    assert "Line 7: the fee “Lệ phí=abc” should read name=amount in đồng" in text
    assert Procedure.objects.count() == before


def test_the_sample_file_shape_is_accepted(tmp_path):
    path = tmp_path / "sample.csv"
    path.write_text(
        "code,name,field,level,duration_value,duration_unit,fee_vnd,result_type,online_kind,source\n"
        "2.000906,Chứng thực chữ ký,Chứng thực,commune,0,in_day,10000,paper,,FAQ\n",
        encoding="utf-8",
    )
    header, rows = read_table(path)
    result = services.import_procedures(header, rows)
    assert result.updated == 1
    assert list(Procedure.objects.get(code="2.000906").fees.values_list("amount", flat=True)) == [10000]


# The ranking, read by hand from the demo catalog: the whole phrase first, then the words matching
# whole words, then those starting one ("con" starts "cong"), then the shorter name.
@pytest.mark.parametrize(
    ("query", "first"),
    [
        # Half the words are enough: the birth registrations, the shortest name first; nothing that
        # matches "khai" alone (death registration) or "cho", "con" alone.
        ("khai sinh cho con", ["1.001193", "1.004884", "1.001695", "2.000488", None]),
        # The whole phrase leads; then all four words (with the field, Hoạt động xây dựng); then two.
        # (two of 24 letters: the code settles it)
        ("giay phep xay dung", ["1.009994", "1.009997", "1.009995", "1.002804", "1.010727"]),
        ("Kết hôn", ["1.000894", "1.004746", "1.000893", "1.004873", "1.004565"]),
        ("KHAI  SINH", ["1.001193", "1.004884", "1.001695", "1.000656", "1.005461"]),
        ("1.0011", ["1.001193"]),
    ],
)
def test_search_ranks_partial_matches(query, first):
    found = [*services.search_procedures(query).values_list("code", flat=True), None]
    assert found[: len(first)] == first  # None: the list ends there


def test_search_finds_nothing_for_words_matching_nothing():
    assert not services.search_procedures("xyzzy quux").exists()
    assert services.search_procedures("").count() == Procedure.objects.filter(is_active=True).count()


ELEMENTS = "code,name,field,level,duration_value,duration_unit,components,applicants,sequence,ways,result\n"


def test_import_reads_the_published_elements(tmp_path):
    path = tmp_path / "elements.csv"
    path.write_text(
        ELEMENTS + "9.000010,Thủ tục đủ thành phần,HT,commune,3,working_days,"
        '"Tờ khai|1|0; ?Bản sao giấy tờ|0|2; Ảnh",Công dân Việt Nam,"Nộp hồ sơ; Nhận kết quả",'
        '"in_person|||Miễn phí|Trong giờ hành chính; online|1|working_days|Giảm 50%|",Giấy xác nhận (bản chính)\n',
        encoding="utf-8",
    )
    services.import_procedures(*read_table(path))
    procedure = Procedure.objects.get(code="9.000010")
    assert (procedure.applicants, procedure.result) == ("Công dân Việt Nam", "Giấy xác nhận (bản chính)")
    assert procedure.sequence_steps == ["Nộp hồ sơ", "Nhận kết quả"]
    assert [(c.name, c.required, c.originals, c.copies) for c in procedure.components.all()] == [
        ("Tờ khai", True, 1, 0),
        ("Bản sao giấy tờ", False, 0, 2),
        ("Ảnh", True, 0, 0),
    ]
    ways = [
        (w.channel, w.duration_value, w.duration_unit, w.fees, w.note, w.duration_label) for w in procedure.ways.all()
    ]
    assert ways == [
        ("in_person", None, "", "Miễn phí", "Trong giờ hành chính", "3 ngày làm việc"),
        ("online", Decimal(1), "working_days", "Giảm 50%", "", "1 ngày làm việc"),
    ]
    assert services.import_procedures(*read_table(path)).unchanged == 1  # the same file changes nothing


def test_bad_elements_are_refused_with_their_line(tmp_path):
    path = tmp_path / "elements.csv"
    path.write_text(
        ELEMENTS + '9.000011,Sai cách,HT,commune,3,working_days,Tờ khai|1,,,"by_air|||", \n'
        '9.000012,Trùng cách,HT,commune,3,working_days,Tờ khai,,,"online|||; online|2||",\n',
        encoding="utf-8",
    )
    with pytest.raises(services.ImportRejected) as refused:
        services.import_procedures(*read_table(path))
    problems = [(p.line, str(p.message)) for p in refused.value.problems]
    assert problems == [
        (2, "giấy tờ “Tờ khai|1” phải ghi dạng tên hoặc tên|số bản chính|số bản sao"),
        (2, "cách thức “by_air|||” phải ghi dạng cách|thời hạn|đơn vị|phí|ghi chú, với cách là một trong: "
            "in_person, postal, online"),
        (3, "cách thức “online|2||” phải ghi dạng cách|thời hạn|đơn vị|phí|ghi chú, với cách là một trong: "
            "in_person, postal, online"),
    ]  # fmt: skip
    assert not Procedure.objects.filter(code__in=["9.000011", "9.000012"]).exists()
