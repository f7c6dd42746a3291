"""The index through the API (JSON, xlsx), the command line, the dashboard and its drill-down;
who may read it; the daily digest; Circular 01/2018 where the rules call for it."""

import io
import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from openpyxl import load_workbook

from motcua.dossiers.migration import write_migrated
from motcua.people.models import Role
from motcua.quality import services
from motcua.quality.warnings import send_daily_digest
from motcua.units.services import unit_on
from tests.factories import UserFactory
from tests.reports.test_settlement import migrated

from .conftest import FIRST, LAST, vn

QUERY = {"unit": "04105", "from": "2026-11-01", "to": "2026-11-30"}


@pytest.fixture
def leader_client(client, people):
    client.force_login(people.leader)
    return client


def test_api_json_has_every_indicator_and_the_ranking(leader_client, month):
    response = leader_client.get("/api/quality/index", QUERY)
    assert response.status_code == 200
    data = response.json()
    item = services.index(month, FIRST, LAST)
    assert data["unit"] == "04105" and data["total"] == float(item.total)
    codes = [i["code"] for i in data["indicators"]]
    assert codes[0] == "1.1" and len(codes) == 20
    on_time = next(i for i in data["indicators"] if i["code"] == "2.1")
    assert (on_time["part"], on_time["whole"], on_time["rate"]) == (4, 6, 66.67)
    synced = next(i for i in data["indicators"] if i["code"] == "1.4")
    assert synced["no_data"] is True and synced["points"] is None
    assert [g["max_points"] for g in data["groups"]] == [18, 20, 22, 22, 18]
    assert data["ranking"] and data["ranking"][0]["rows"][0]["rank"] == 1


def test_api_xlsx_opens(leader_client, month):
    response = leader_client.get("/api/quality/index", {**QUERY, "format": "xlsx"})
    assert response.status_code == 200 and "chi-so-04105" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Chỉ số"]
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert rows["2.1"][2] == "4 / 6"
    assert rows["2.1"][3] == pytest.approx(66.67) and rows["2.1"][5] == pytest.approx(13.33)
    assert rows["1.4"][2] == "Không có dữ liệu"
    assert "Xếp hạng" in book.sheetnames


def test_api_refuses_bad_input_and_other_scopes(leader_client, month):
    assert leader_client.get("/api/quality/index", {**QUERY, "format": "pdf"}).status_code == 422
    wrong = leader_client.get("/api/quality/index", {**QUERY, "from": "2026-12-01"})
    assert wrong.status_code == 422 and "trước khi bắt đầu" in wrong.json()["detail"]
    assert leader_client.get("/api/quality/index", {**QUERY, "unit": "14"}).status_code == 404


def test_api_needs_a_login(client, month):
    assert client.get("/api/quality/index", QUERY).status_code == 401


def test_citizens_and_processing_officers_do_not_see_the_dashboard(client, people, month):
    citizen = UserFactory(username="citizen", citizen=True)
    client.force_login(citizen)
    assert client.get("/chi-so/").status_code == 403
    client.force_login(people.processor)
    assert client.get("/chi-so/").status_code == 404


def test_command_line_writes_json_and_xlsx(month, tmp_path):
    out = io.StringIO()
    target = tmp_path / "chi-so.xlsx"
    call_command("index", "show", "--unit", "04105", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "xlsx",
                 "--output", str(target), stderr=out)  # fmt: skip
    assert load_workbook(target)["Chỉ số"]["A1"].value.startswith("CHỈ SỐ CHẤT LƯỢNG PHỤC VỤ THÁNG 11 NĂM 2026 — ")
    target = tmp_path / "chi-so.json"
    call_command("index", "show", "--unit", "04105", "--from", "2026-11-01", "--to", "2026-11-30", "--output",
                 str(target), stderr=out)  # fmt: skip
    assert json.loads(target.read_text())["indicators"][4]["code"] == "2.1"


def test_rebuild_gives_the_same_counters(month, people):
    from motcua.dossiers import services as dossiers
    from motcua.dossiers.models import Dossier
    from motcua.quality.models import IndexTally
    from motcua.quality.rules import COUNTERS

    moved = Dossier.objects.get(reused=True)
    moved = dossiers.forward(people.desk, moved, at=vn(2026, 11, 20, 8))  # on to the officer's step
    moved = dossiers.forward(people.leader, moved, at=vn(2026, 11, 20, 8, 30))
    dossiers.transfer(people.processor, moved, unit_on("04105.PVHXH", LAST), "Chuyển xử lý", at=vn(2026, 11, 20, 9))

    def rows():
        found = IndexTally.objects.values_list("unit_id", "procedure_id", "span", "day", *COUNTERS)
        return {row for row in found if any(row[4:])}  # a transfer leaves rows netted to zero behind

    kept = rows()
    assert kept
    for arguments in (["index", "rebuild"], ["index", "rebuild", "--province", "14"]):
        out = io.StringIO()
        call_command(*arguments, stdout=out)
        assert "hồ sơ" in out.getvalue()
        assert rows() == kept


def test_dashboard_page_and_drill_down(leader_client, month):
    page = leader_client.get("/chi-so/", {**QUERY, "unit": month.pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Chỉ số chất lượng phục vụ" in html
    assert "13,33 / 20" in html  # 2.1 in the Vietnamese number format
    assert "Không có dữ liệu" in html
    assert "Cảnh báo sớm" in html
    drill = leader_client.get("/chi-so/keo-diem/", {**QUERY, "unit": month.pk, "measure": "on_time"})
    assert drill.status_code == 200 and drill.context["page"].paginator.count == 2
    csv = leader_client.get("/chi-so/keo-diem/", {**QUERY, "unit": month.pk, "measure": "digitized", "format": "csv"})
    assert csv.status_code == 200 and len(csv.content.decode().strip().splitlines()) == 1 + 3
    assert leader_client.get("/chi-so/keo-diem/", {**QUERY, "unit": month.pk, "measure": "synced"}).status_code == 404
    assert leader_client.get("/chi-so/keo-diem/", {**QUERY, "unit": month.pk, "measure": "nope"}).status_code == 404
    excel = leader_client.get("/chi-so/", {**QUERY, "unit": month.pk, "format": "xlsx"})
    assert excel.status_code == 200 and excel.content[:2] == b"PK"


def test_daily_digest_reaches_leaders_with_something_to_say(accepted, people):
    people.leader.email = "lanhdao@maison.example"
    people.leader.save()
    step = accepted.steps.get(finished_at__isnull=True)
    sent = send_daily_digest.call((step.due_at - timedelta(hours=2)).isoformat())
    assert sent == 1
    message = mail.outbox[-1]
    assert message.to == ["lanhdao@maison.example"]
    assert "Xã Mai Sơn" in message.subject
    assert accepted.code in message.body


def test_digest_is_queued_for_the_worker(db):
    out = io.StringIO()
    call_command("index", "digest", stdout=out)
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(task_path__endswith="send_daily_digest").count() == 1


def test_circular_01_evaluation_under_the_2018_rules(people, land_procedure):
    # Spring 2025 (rule set of Decree 61 and Circular 01/2018) at the old commune of Hát Lót.
    write_migrated([
        migrated(land_procedure, vn(2025, 3, 3, 9), vn(2025, 3, 5, 9), unit_code="04135", desk_code="04135",
                 due_at=vn(2025, 3, 20, 17)),
        migrated(land_procedure, vn(2025, 3, 4, 9), vn(2025, 3, 25, 9), unit_code="04135", desk_code="04135",
                 due_at=vn(2025, 3, 21, 17), rating="not_satisfied"),
    ])  # fmt: skip
    commune = unit_on("04135", date(2025, 3, 10))
    found = services.circular_01(commune, date(2025, 3, 1), date(2025, 3, 31), vn(2025, 4, 1, 8))
    assert found.dossiers == 2
    # 1: early 2, late 0; 2 follows the dossier (no steps kept); 3: no supplement; 4: at the desk;
    # 7: early without complaint 2, late and "not satisfied" 0; 9: no online dossier.
    assert found.indices == {1: Decimal("1.0"), 2: Decimal("1.0"), 3: Decimal("2.0"), 4: Decimal("1.0"), 5: None,
                             6: None, 7: Decimal("1.0"), 8: None, 9: Decimal(0)}  # fmt: skip
    assert found.points == Decimal("6.0") and found.scaled == Decimal("9.0") and found.band_label
    # Dossiers received under the 2025 rules are not evaluated this way.
    assert services.circular_01(unit_on("04105", LAST), FIRST, LAST) is None


def test_indicator_sets_import_from_a_file(db, tmp_path):
    from motcua.core.imports import import_file
    from motcua.core.tabular import ImportRejected
    from motcua.quality.models import IndicatorSet
    from motcua.quality.services import SET_FILE

    text = SET_FILE.read_text(encoding="utf-8").replace("2022,", "2027,").replace(",20,0\n", ",25,0\n", 1)
    later = tmp_path / "chi-so-2027.csv"
    later.write_text(text, encoding="utf-8")
    result = import_file("indicators", later)
    assert result.created == 20
    assert IndicatorSet.objects.get(year=2027).indicators.get(code="2.1").max_points == Decimal(25)
    again = import_file("indicators", later)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 20)
    bad = tmp_path / "bad.csv"
    bad.write_text(text.replace("on_time", "on_tyme").replace(",3,", ",7,", 1), encoding="utf-8")
    with pytest.raises(ImportRejected) as rejected:
        import_file("indicators", bad)
    messages = str(rejected.value)
    assert "on_tyme" in messages and "1 đến 5" in messages
    assert IndicatorSet.objects.get(year=2027).indicators.get(code="2.1").measure == "on_time"  # nothing written


def test_dashboard_ranks_by_a_group_when_asked(leader_client, people, month):
    from motcua.people.services import assign_role

    assign_role(people.leader, Role.UNIT_LEADER, unit_on("14", LAST))
    page = leader_client.get("/chi-so/", {**QUERY, "unit": unit_on("14", LAST).pk, "rank_by": "2"})
    assert page.context["rank_by"] == 2
    communes = next(shown for shown in page.context["ranking"] if shown["table"].level == "commune")
    # Only Mai Sơn had dossiers: one unit ranked, the others listed apart with no rank.
    assert [r.index.code for r in communes["head"]] == ["04105"] and not communes["tail"]
    html = page.content.decode()
    assert "Xếp theo" in html and "13,33/20 điểm (66,65%)" in html
    assert "Chưa có dữ liệu trong kỳ" in html and "1 đơn vị được xếp hạng" in html
    no_data = html[html.index("Chưa có dữ liệu trong kỳ") :]
    assert all(i.name in no_data for i in communes["table"].no_data)
    assert "Xã Mai Sơn" not in no_data.split("</ul>")[0]


def test_a_long_ranking_shows_its_top_and_bottom():
    from motcua.quality.views import _shortened

    table = services.RankTable("commune", "commune", "Xã", [services.Ranked(n, None) for n in range(1, 46)])
    shown = _shortened([table], whole=False)[0]
    assert (len(shown["head"]), len(shown["tail"]), shown["hidden"]) == (20, 10, 15)
    assert [r.rank for r in shown["tail"]] == list(range(36, 46))
    whole = _shortened([table], whole=True)[0]
    assert len(whole["head"]) == 45 and not whole["hidden"]


def test_api_and_xlsx_list_the_units_without_data_apart(leader_client, people, month):
    from motcua.people.services import assign_role

    assign_role(people.leader, Role.UNIT_LEADER, unit_on("14", LAST))
    province = {**QUERY, "unit": "14"}
    data = leader_client.get("/api/quality/index", province).json()
    communes = next(t for t in data["ranking"] if t["level"] == "commune" and t["rows"])
    item = services.index(month, FIRST, LAST)
    assert [(r["rank"], r["unit"]) for r in communes["rows"]] == [(1, "04105")]
    assert communes["rows"][0]["share"] == float(item.percent)
    assert len(communes["no_data"]) > 50 and "04105" not in {u["unit"] for u in communes["no_data"]}
    assert all("rank" not in u for u in communes["no_data"])
    book = load_workbook(io.BytesIO(leader_client.get("/api/quality/index", {**province, "format": "xlsx"}).content))
    rows = list(book["Xếp hạng"].iter_rows(values_only=True))
    assert rows[0][6] == "Tỷ lệ đạt (%)"
    ranked = [row for row in rows[1:] if row and row[1] is not None]
    assert [(row[1], row[2], row[6]) for row in ranked if row[2] == "04105"] == [(1, "04105", float(item.percent))]
    apart = rows.index(("Chưa có dữ liệu trong kỳ (không xếp hạng)",) + (None,) * (len(rows[0]) - 1))
    listed = [row[2] for row in rows[apart + 1 :]]
    assert len(listed) == sum(len(t["no_data"]) for t in data["ranking"]) and "04105" not in listed
    assert all(row[1] is None for row in rows[apart + 1 :])  # no rank
