import json
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.management import call_command

from motcua.core.tabular import ImportRejected, read_table
from motcua.par import services
from motcua.par.models import Score, Stage
from motcua.units.models import Unit, UnitKind

from .conftest import TOTALS_2022, import_totals, make_framework, write_csv

pytestmark = pytest.mark.django_db


def test_sonla_districts_2022_average_up_and_five_in_group_a(sonla_2022):
    found = services.results(sonla_2022)
    assert found.summary.average == D("87.94") and found.summary.average_change == D("0.37")
    assert found.summary.groups == {"A": 5, "B": 7, "C": 0, "D": 0}
    top = found.rows[0]
    assert (top.unit_code, top.points, top.percent, top.rank, top.group) == ("123", D("92.15"), D("92.15"), 1, "A")
    assert (top.rank_change, top.points_change) == (0, D("0.55"))  # first in 2021 too, with 91.60
    yen_chau = next(r for r in found.rows if r.unit_code == "124")
    assert (yen_chau.points, yen_chau.rank, yen_chau.rank_change, yen_chau.group) == (D("90.40"), 3, 0, "A")
    # 2.2 counts the appraised score, not the self-score a point above it.
    assert sum(r.points for r in found.rows) == sum(TOTALS_2022.values())
    assert found.rows[0].areas == {"1": D(10), "2": D("28.08"), "3": D("18.07"), "4": D(36)}


def test_the_cli_writes_the_results_as_json_xlsx_and_pdf(sonla_2022, tmp_path, capsys):
    call_command("par", "results", "--framework", "SL-HUYEN-2022")
    data = json.loads(capsys.readouterr().out)
    assert data["summary"] == {
        "count": 12,
        "average": "87.94",
        "average_change": "0.37",
        "groups": {"A": 5, "B": 7, "C": 0, "D": 0},
    }
    first = data["rows"][0]
    assert first == {
        "unit_code": "123",
        "unit_name": "Huyện Mộc Châu",
        "points": "92.15",
        "max_points": "100.00",
        "percent": "92.15",
        "rank": 1,
        "rank_change": 0,
        "points_change": "0.55",
        "group": "A",
    }
    for fmt in ("xlsx", "pdf"):
        out = tmp_path / f"r.{fmt}"
        call_command("par", "results", "--framework", "SL-HUYEN-2022", "--format", fmt, "--output", str(out))
        assert out.stat().st_size > 1000
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "r.xlsx").active
    assert sheet["A1"].value.startswith("KẾT QUẢ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2022: ")
    assert [c.value for c in sheet[2]][:3] == ["Hạng", "Mã đơn vị", "Đơn vị"]
    import pypdf

    pages = pypdf.PdfReader(tmp_path / "r.pdf").pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    parts = ["ỦY BAN NHÂN DÂN TỈNH SƠN LA", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
             "Sơn La, ngày", "KẾT QUẢ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2022", "Huyện Mộc Châu",
             "Điểm trung bình", "Nơi nhận:", "Lưu: VT", "TM. ỦY BAN NHÂN DÂN", "THỦ TRƯỞNG CƠ QUAN"]  # fmt: skip
    at = 0
    for part in parts:
        at = text.find(part, at)
        assert at >= 0, f"{part!r} missing in order: {text}"
    assert [c.value for c in sheet[3]][:4] == [1, "123", "Huyện Mộc Châu", 92.15]


def test_ties_share_a_rank(demo, tmp_path):
    make_framework(tmp_path, "TIES", 2022, units=["123", "124", "125"])
    import_totals(tmp_path, "TIES", {"123": D("90.5"), "124": D("90.5"), "125": D("88")})
    ranks = [(r.unit_code, r.rank) for r in services.results(services.framework_by_code("TIES")).rows]
    assert ranks == [("123", 1), ("124", 1), ("125", 3)]


def test_moc_chau_first_for_the_fourth_year_running(demo, tmp_path):
    previous = None
    leaders = {2013: "125", 2014: "123", 2015: "123", 2016: "123", 2017: "123"}
    for year, leader in leaders.items():
        code = f"SL-{year}"
        framework = make_framework(tmp_path, code, year, previous=previous)
        totals = {unit: D("85") for unit in ["116", "123", "124", "125"]}
        totals[leader] = D("91.9") if year == 2017 else D("90")
        import_totals(tmp_path, code, totals)
        previous = framework
    row = services.results(previous).rows[0]
    assert (row.unit_code, row.points, row.rank) == ("123", D("91.90"), 1)
    assert services.first_place_streak(previous, "123") == 4
    assert [year for year, _p, rank in services.history(previous, "123") if rank == 1] == [2014, 2015, 2016, 2017]


def test_que_son_up_four_places_fifth_of_eighteen(demo, tmp_path):
    """Quế Sơn, 2018: 76.07 points, up 4 places on 2017, 5th of 18 districts (a made-up map of 18)."""
    province = Unit.objects.create(
        code="49", name="Tỉnh Quảng Nam", kind=UnitKind.PROVINCE, level="province", valid_from=date(2008, 1, 1)
    )
    codes = [f"49{n:02d}" for n in range(1, 19)]
    for code in codes:
        Unit.objects.create(
            code=code,
            name="Huyện Quế Sơn" if code == "4905" else f"Huyện {code}",
            kind=UnitKind.DISTRICT,
            level="district",
            parent=province,
            province=province,
            valid_from=date(2008, 1, 1),
        )
    before = make_framework(tmp_path, "QN-2017", 2017, units=codes, owner="49")
    earlier = {code: D(80) - n for n, code in enumerate(codes)}  # 4905 is 5th... then moved to 9th
    earlier["4905"] = D("71.5")  # 9th: behind 80..73 (8 units)
    import_totals(tmp_path, "QN-2017", earlier)
    now = make_framework(tmp_path, "QN-2018", 2018, units=codes, owner="49", previous=before)
    later = {code: D(70) - n / D(10) for n, code in enumerate(codes)}
    for n, code in enumerate(codes[:4]):
        later[code] = D(80) - n
    later["4905"] = D("76.07")
    import_totals(tmp_path, "QN-2018", later)
    row = next(r for r in services.results(now).rows if r.unit_code == "4905")
    assert (row.points, row.rank, row.rank_change) == (D("76.07"), 5, 4)
    assert len(services.results(now).rows) == 18


def test_bad_score_sheets_are_refused_whole(sonla_2022, tmp_path):
    before = list(Score.objects.order_by("pk").values_list("pk", "self_score", "appraised_score", "survey_score"))
    rows = [
        ["SL-HUYEN-2022", "123", "1.1", "5", "", ""],  # fine on its own
        ["SL-HUYEN-2022", "123", "1.2", "4.5", "", ""],  # above the 4 points of 1.2
        ["SL-HUYEN-2022", "123", "9.9", "1", "", ""],  # no such criterion
        ["SL-HUYEN-2022", "14", "1.1", "1", "", ""],  # the province is not one of the districts assessed
        ["SL-HUYEN-2022", "123", "2", "1", "", ""],  # an area, not a leaf
        ["SL-HUYEN-2022", "123", "3.1", "abc", "", ""],
        ["KHONG-CO", "123", "1.1", "1", "", ""],
        ["SL-HUYEN-2022", "123", "3.1", "15", "", "10"],  # with the survey, more than 20
    ]
    path = write_csv(
        tmp_path / "bad.csv",
        ["framework", "unit_code", "criterion_code", "self_score", "appraised_score", "survey_score"],
        rows,
    )
    with pytest.raises(ImportRejected) as refused:
        services.import_scores(*read_table(path))
    lines = [p.line for p in refused.value.problems]
    assert lines == [3, 4, 5, 6, 7, 8, 9]
    messages = [p.render("vi") for p in refused.value.problems]
    assert "4.5 nằm ngoài khoảng 0–4.00 điểm của tiêu chí 1.2" in messages[0]
    assert (
        list(Score.objects.order_by("pk").values_list("pk", "self_score", "appraised_score", "survey_score")) == before
    )


def test_after_publication_nothing_changes(sonla_2022, tmp_path, django_user_model):
    from motcua.people.models import Role
    from motcua.people.services import assign_role
    from motcua.units.services import unit_on

    staff = django_user_model.objects.create_user("cchc", password="x-not-used-1")
    assign_role(staff, Role.REFORM_STAFF, unit_on("14", date(2022, 12, 31)))
    services.publish(staff, sonla_2022, "94/QĐ-UBND ngày 12/01/2023")
    frozen = services.results(sonla_2022)
    assert frozen.published and frozen.summary.average == D("87.94")
    with pytest.raises(ImportRejected) as refused:
        import_totals(tmp_path, "SL-HUYEN-2022", {"123": D(50)})
    assert "đã công bố; không thể sửa điểm" in refused.value.problems[0].render("vi")
    with pytest.raises(services.ParError):
        services.publish(staff, sonla_2022, "again")
    Score.objects.filter(assessment__framework=sonla_2022).update(survey_score=0)  # behind the app's back
    assert services.results(sonla_2022).rows == frozen.rows  # the published table stays as signed


def test_a_framework_round_trips_through_xlsx_and_copies_to_next_year(sonla_2022, tmp_path):
    content = services.export_framework(sonla_2022)
    path = tmp_path / "khung.xlsx"
    path.write_bytes(content)
    sheets = services.read_framework_file(path)
    again = services.import_framework(sheets, code="SL-COPY", name="x", year=2022, owner=sonla_2022.owner)
    assert list(again.criteria.values_list("code", "max_points", "source")) == list(
        sonla_2022.criteria.values_list("code", "max_points", "source")
    )
    assert [(b.code, b.min_percent) for b in again.bands.all()] == [
        (b.code, b.min_percent) for b in sonla_2022.bands.all()
    ]
    assert services.units_of(again) == services.units_of(sonla_2022)
    nxt = services.copy_framework(sonla_2022, "SL-HUYEN-2023", 2023)
    assert nxt.previous == sonla_2022 and nxt.stage == Stage.DRAFT and nxt.criteria.count() == 10
    assert nxt.name == "Chỉ số CCHC các huyện năm 2023"
    with pytest.raises(services.ParError):
        services.copy_framework(sonla_2022, "SL-HUYEN-2023", 2023)


def test_a_framework_whose_parts_do_not_add_up_is_refused(demo, tmp_path):
    from .conftest import CRITERIA, sheets

    wrong = [row if row[0] != "1.2" else ("1.2", "", "Kiểm tra", "5", "self", "") for row in CRITERIA]
    with pytest.raises(ImportRejected) as refused:
        services.import_framework(
            sheets(tmp_path, ["123"], criteria=wrong), code="X", name="x", year=2022, owner=Unit.objects.get(code="14")
        )
    assert "tiêu chí 1 có 10 điểm nhưng các phần cộng lại 11" in refused.value.problems[0].render("vi")


def test_what_lifts_a_district_to_group_a(sonla_2022):
    from motcua.units.services import unit_on

    son_la_city = unit_on("116", date(2022, 12, 31))  # 86.85: group B, 3.15 short of A
    group, needed, criteria = services.lift(sonla_2022, son_la_city)
    assert (group, needed) == ("A", D("3.15"))
    # Largest losses first: 4.58 points missed on 2.2 (15.42 of 20) cover the 3.15 alone.
    assert [c.code for c in criteria] == ["2.2"]


def test_a_criterion_that_does_not_apply_lowers_the_units_maximum_and_it_ranks_on_its_share(demo, tmp_path, client):
    framework = make_framework(tmp_path, "NA", 2022, units=["123", "124", "125"])
    import_totals(tmp_path, "NA", {"123": D(88), "125": D(86)})
    header = ["framework", "unit_code", "criterion_code", "self_score", "appraised_score", "survey_score",
              "not_applicable"]  # fmt: skip
    rows = [
        ["NA", "124", "1.1", "6", "", "", ""],
        ["NA", "124", "1.2", "", "", "", "x"],  # 4 points that do not apply to Yên Châu
        ["NA", "124", "2.1", "10", "", "", ""],
        ["NA", "124", "2.2", "15", "14.24", "", ""],
        ["NA", "124", "3.1", "18.24", "", "", ""],
        ["NA", "124", "4.1", "", "", "36", ""],
    ]
    services.import_scores(*read_table(write_csv(tmp_path / "na.csv", header, rows)))
    found = services.results(framework)
    shown = [(r.unit_code, r.points, r.max_points, r.percent, r.rank) for r in found.rows]
    assert shown == [
        ("123", D("88.00"), D("100.00"), D("88.00"), 1),
        ("124", D("84.48"), D("96.00"), D("88.00"), 1),  # 84.48 of 96: the same share, the same rank
        ("125", D("86.00"), D("100.00"), D("86.00"), 3),  # more points than Yên Châu, a lower share
    ]
    from motcua.units.services import unit_on

    yen_chau = unit_on("124", date(2022, 12, 31))
    assessment = services.assessment_for(framework, yen_chau)
    leaf = {c.code: c for c in services.leaves(framework)}
    services.set_stage(_council(), framework, Stage.SELF_ASSESSMENT)
    leader = _leader(yen_chau)
    with pytest.raises(services.ParError) as refused:
        services.self_score(leader, assessment, leaf["1.2"], D(3))
    assert "không áp dụng" in str(refused.value.message)
    client.force_login(leader)
    page = client.get(f"/chi-so-cchc/NA/don-vi/{yen_chau.pk}/").content.decode()
    assert "Không áp dụng" in page and f'name="score_{leaf["1.2"].pk}"' not in page
    assert f'name="score_{leaf["1.1"].pk}"' in page
    # The self-assessment is complete without it.
    assert services.submit(leader, assessment).status == "submitted"
    # A criterion marked as not applying with points beside it is refused, with the rest of the sheet.
    rows[1] = ["NA", "124", "1.2", "2", "", "", "x"]
    with pytest.raises(ImportRejected) as wrong:
        services.import_scores(*read_table(write_csv(tmp_path / "na2.csv", header, rows)))
    assert "tiêu chí 1.2 không áp dụng: để trống các cột điểm" in wrong.value.problems[0].render("vi")


def _council():
    from motcua.people.models import Role, User
    from motcua.people.services import assign_role
    from motcua.units.services import unit_on

    staff = User.objects.create_user("cchc.na", password="x-not-used-1")
    assign_role(staff, Role.REFORM_STAFF, unit_on("14", date(2022, 12, 31)))
    return staff


def _leader(unit):
    from motcua.people.models import Role, User
    from motcua.people.services import assign_role

    leader = User.objects.create_user("lanhdao.na", password="x-not-used-1")
    assign_role(leader, Role.UNIT_LEADER, unit)
    return leader
