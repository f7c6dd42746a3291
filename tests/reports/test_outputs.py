"""The report through the page, the API, the command line and its exports."""

import csv
import io
import json
from datetime import date, datetime

import pypdf
import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from motcua.catalog.models import Procedure
from motcua.core.documents import vietnamese_date
from motcua.demo.generator import generate_bulk
from motcua.dossiers.migration import write_migrated
from motcua.people.models import Role, User
from motcua.people.services import assign_role
from motcua.reports.models import SignedReport
from motcua.reports.rules import COLUMNS
from motcua.units.services import unit_on
from motcua.workdays.rules import VIETNAM

from .test_settlement import migrated

NOW = datetime(2026, 11, 20, 17, tzinfo=VIETNAM)
DAY = date(2026, 11, 16)
QUERY = {"unit": "04105", "from": "2026-10-15", "to": "2026-11-14", "by": "unit"}


@pytest.fixture
def data(db):
    generate_bulk(1500, seed=2, days=120, communes=4, now=NOW)


@pytest.fixture
def leader(db):
    user = User.objects.create_user("lanhdao", password="not-used-here-1", full_name="Cầm Văn Hùng")
    assign_role(user, Role.UNIT_LEADER, unit_on("04105", DAY))
    client = Client(headers={"accept-language": "vi"})
    client.force_login(user)
    return client


def test_api_json_rows_carry_exactly_the_named_counts(data, leader):
    response = leader.get("/api/reports/settlement", QUERY)
    assert response.status_code == 200
    rows = response.json()["rows"]
    assert rows[-1]["key"] == "total" and rows[0]["key"] == "level:commune"
    assert set(rows[-1]) == {"key", "label", *COLUMNS, "digitization_rate", "online_rate"}
    total = rows[-1]
    assert total["total"] == total["new_online"] + total["new_offline"] + total["carried_over"]
    assert total["total"] == total["finished"] + total["open"] > 0
    assert total["digitization_rate"] == round(100 * total["digitized"] / total["total"], 2)
    assert total["online_rate"] == round(100 * total["new_online"] / (total["new_online"] + total["new_offline"]), 2)
    assert response.json()["unit_map"] == "period" and response.json()["signed_off"] is None


def test_api_refuses_units_outside_the_scope_and_bad_periods(data, leader):
    assert leader.get("/api/reports/settlement", {**QUERY, "unit": "14"}).status_code == 404
    bad = leader.get("/api/reports/settlement", {**QUERY, "to": "2026-10-01"})
    assert bad.status_code == 422 and "kết thúc trước" in bad.json()["detail"]
    assert Client().get("/api/reports/settlement", QUERY).status_code == 401


def test_exports_open_and_agree(data, leader):
    expected = leader.get("/api/reports/settlement", QUERY).json()["rows"][-1]
    table = list(csv.DictReader(io.StringIO(leader.get("/api/reports/settlement", {**QUERY, "format": "csv"})
                                           .content.decode("utf-8-sig"))))  # fmt: skip
    assert int(table[-1]["total"]) == expected["total"] and table[-1]["key"] == "total"


def test_xlsx_carries_the_sixteen_columns_the_form_blocks_and_its_print_setup(data, leader):
    expected = leader.get("/api/reports/settlement", QUERY).json()["rows"][-1]
    unit = unit_on("04105", DAY)
    response = leader.get("/bao-cao/", {**QUERY, "unit": unit.pk, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = {(c.row, c.column): c.value for row in sheet.iter_rows() for c in row if c.value is not None}
    # The blocks above the table.
    assert (cells[(1, 1)], cells[(2, 1)]) == ("ỦY BAN NHÂN DÂN TỈNH SƠN LA", "ỦY BAN NHÂN DÂN XÃ MAI SƠN")
    assert (cells[(1, 9)], cells[(2, 9)], cells[(3, 9)]) == (
        "Mẫu II.06a",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    )
    assert cells[(5, 1)] == "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
    assert cells[(6, 1)] == "THÁNG 11 NĂM 2026"  # the official month 15/10 to 14/11
    assert cells[(7, 1)] == "(Từ ngày 15/10/2026 đến ngày 14/11/2026)"
    assert cells[(8, 1)] == "Kính gửi: Ủy ban nhân dân tỉnh Sơn La."
    # The header: groups over columns, single columns over both rows, then the numbers (1) to (16).
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A10:A11", "B10:B11", "C10:F10", "G10:J10", "K10:M10", "N10:N11", "O10:O11", "P10:P11"} <= merged
    assert [cells[(10, c)] for c in (14, 15, 16)] == ["Đã số hóa", "Tỷ lệ số hóa (%)", "Tỷ lệ trực tuyến (%)"]
    assert [cells[(12, c)] for c in range(1, 17)] == [f"({n})" for n in range(1, 17)] and (12, 17) not in cells
    last = max(r for r in range(13, sheet.max_row + 1) if cells.get((r, 2)) == "Tổng cộng")
    assert cells[(last, 3)] == expected["total"]
    assert cells[(last, 15)] == expected["digitization_rate"] and cells[(last, 16)] == expected["online_rate"]
    # The foot: preparer left; place, date and the head of unit right.
    foot = {value for (row, _column), value in cells.items() if row > last}
    today = timezone.localdate()
    assert {"NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ", "Cầm Văn Hùng"} <= foot
    assert f"Sơn La, {vietnamese_date(today)}" in foot
    # Printing: A4 landscape, one page wide, the header rows on every page.
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == "$10:$12"
    assert sheet.page_margins.left == 1.18 and sheet.page_margins.top == 0.79


def test_pdf_carries_the_sixteen_columns_and_the_form_blocks_in_order(data, leader):
    expected = leader.get("/api/reports/settlement", QUERY).json()["rows"][-1]
    pdf = leader.get("/api/reports/settlement", {**QUERY, "format": "pdf"})
    reader = pypdf.PdfReader(io.BytesIO(pdf.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape
    parts = ["ỦY BAN NHÂN DÂN TỈNH SƠN LA", "ỦY BAN NHÂN DÂN XÃ MAI SƠN", "Mẫu II.06a",
             "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
             "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", "THÁNG 11 NĂM 2026",
             "Kính gửi: Ủy ban nhân dân tỉnh Sơn La.", "Tỷ lệ số hóa (%)", "Tỷ lệ trực tuyến (%)", "(15) (16)",
             "Tổng cộng", str(expected["total"]), f"{expected['online_rate']:.2f}".replace(".", ","),
             "NGƯỜI LẬP BIỂU", "Sơn La, ngày", "THỦ TRƯỞNG ĐƠN VỊ", "Cầm Văn Hùng"]  # fmt: skip
    at = 0
    for part in parts:
        at = text.find(part, at)
        assert at >= 0, f"{part!r} missing in order: {text}"
    assert "(17)" not in text


def test_page_cells_link_to_the_dossiers_they_count(data, leader):
    unit = unit_on("04105", DAY)
    page = leader.get("/bao-cao/", {**QUERY, "unit": unit.pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Tổng số hồ sơ cần giải quyết" in html and "Xã Mai Sơn" in html
    total = leader.get("/api/reports/settlement", QUERY).json()["rows"][-1]
    listed = leader.get("/bao-cao/ho-so/", {**QUERY, "unit": unit.pk, "key": "total", "column": "finished"})
    assert listed.status_code == 200 and listed.context["page"].paginator.count == total["finished"]
    exported = leader.get("/bao-cao/ho-so/", {**QUERY, "unit": unit.pk, "key": "total", "column": "late",
                                              "format": "csv"})  # fmt: skip
    assert len(exported.content.decode("utf-8-sig").splitlines()) == total["late"] + 1


def test_command_line_writes_each_format(data, tmp_path):
    out = tmp_path / "report.json"
    call_command("report", "settlement", "--unit", "14", "--from", "2026-10-01", "--to", "2026-10-31",
                 "--by", "field", "--format", "json", "--output", str(out))  # fmt: skip
    rows = json.loads(out.read_text())["rows"]
    assert rows[-1]["key"] == "total" and rows[-1]["total"] > 0
    for fmt in ("csv", "xlsx", "pdf"):
        target = tmp_path / f"report.{fmt}"
        call_command("report", "settlement", "--unit", "14", "--from", "2026-10-01", "--to", "2026-10-31",
                     "--format", fmt, "--output", str(target))  # fmt: skip
        assert target.stat().st_size > 200


def test_a_leader_signs_a_period_off_and_is_warned_when_its_data_change(data, leader):
    unit = unit_on("04105", DAY)
    form = {"unit": unit.pk, "from": "2026-10-15", "to": "2026-11-14", "by": "level", "map": "period"}
    page = leader.get("/bao-cao/", form)
    assert page.context["may_sign"] and page.context["signed"] is None
    assert page.context["trend"]["labels"][-1] == "11/2026" and len(page.context["trend"]["labels"]) == 12
    assert 'id="trend-data"' in page.content.decode() and "chart.umd.min.js" in page.content.decode()
    # Signing off publishes the report: the leader is asked first, and a post without the
    # confirmation signs nothing.
    asked = leader.post("/bao-cao/ky-chot/", {**form, "note": "Báo cáo tháng 11"})
    html = asked.content.decode()
    assert asked.status_code == 200 and not SignedReport.objects.exists()
    assert "Công bố báo cáo này?" in html and "Sau khi công bố, người dân sẽ xem được." in html
    assert 'name="confirm" value="yes"' in html and 'value="Báo cáo tháng 11"' in html
    assert "Hủy, không công bố" in html and 'href="/bao-cao/?' in html
    response = leader.post("/bao-cao/ky-chot/", {**form, "note": "Báo cáo tháng 11", "confirm": "yes"})
    assert response.status_code == 302
    signed = SignedReport.objects.get()
    assert list(Client().get("/ket-qua/").context["page"]) == [signed]  # public now
    assert (signed.signer_name, signed.note, signed.rows[-1]["key"]) == ("Cầm Văn Hùng", "Báo cáo tháng 11", "total")
    page = leader.get("/bao-cao/", form)
    assert page.context["signed"] == signed and page.context["differences"] == []
    assert "Số liệu vẫn đúng như khi ký chốt." in page.content.decode()
    api = leader.get("/api/reports/settlement", {**QUERY, "by": "level"}).json()
    assert api["signed_off"]["changed_since"] is False and api["signed_off"]["signed_by"] == "Cầm Văn Hùng"
    # A late migration brings a dossier into the signed period.
    write_migrated([migrated(Procedure.objects.get(code="1.001612"), datetime(2026, 10, 20, 9, tzinfo=VIETNAM),
                             None, code="CU-MUON-1")])  # fmt: skip
    page = leader.get("/bao-cao/", form)
    changed = {(d.key, d.column): (d.signed, d.now) for d in page.context["differences"]}
    before = signed.rows[-1]["total"]
    assert changed[("total", "total")] == (before, before + 1)
    assert "đã thay đổi" in page.content.decode()
    api = leader.get("/api/reports/settlement", {**QUERY, "by": "level"}).json()
    assert api["signed_off"]["changed_since"] is True
    copy = leader.get(f"/bao-cao/da-ky/{signed.pk}/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(copy.content)).active
    totals = [r for r in range(7, sheet.max_row + 1) if sheet.cell(r, 2).value == "Tổng cộng"]
    assert sheet.cell(totals[0], 3).value == before
    assert any(sheet.cell(r, c).value == "Cầm Văn Hùng" for r in range(totals[0], sheet.max_row + 1)
               for c in range(1, 16))  # fmt: skip


def test_signing_off_is_for_leaders_and_closed_periods(data, leader):
    desk = User.objects.create_user("motcua", password="not-used-here-1", full_name="Lò Thị Mai")
    assign_role(desk, Role.DESK_OFFICER, unit_on("04105.TTPVHCC", DAY))
    client = Client(headers={"accept-language": "vi"})
    client.force_login(desk)
    body = {"unit": "04105", "from": "2026-10-15", "to": "2026-11-14", "by": "level"}
    refused = client.post("/api/reports/settlement/sign", body, content_type="application/json")
    assert refused.status_code == 404  # the desk of a centre does not read the commune's report
    assign_role(desk, Role.DESK_OFFICER, unit_on("04105", DAY))
    refused = client.post("/api/reports/settlement/sign", body, content_type="application/json")
    assert refused.status_code == 403 and "lãnh đạo" in refused.json()["detail"]
    running = leader.post("/api/reports/settlement/sign", {**body, "to": "2099-12-31"}, content_type="application/json")
    assert running.status_code == 422
    made = leader.post("/api/reports/settlement/sign", body, content_type="application/json")
    assert made.status_code == 201 and made.json()["signed_by"] == "Cầm Văn Hùng"
    assert SignedReport.objects.count() == 1


def test_the_api_and_the_command_line_read_todays_unit_map(data, leader, tmp_path):
    today = leader.get("/api/reports/settlement", {**QUERY, "map": "today"})
    assert today.status_code == 200 and today.json()["unit_map"] == "today"
    bad = leader.get("/api/reports/settlement", {**QUERY, "map": "tomorrow"})
    assert bad.status_code == 422
    out = tmp_path / "today.json"
    call_command("report", "settlement", "--unit", "14", "--from", "2026-10-01", "--to", "2026-10-31",
                 "--map", "today", "--output", str(out))  # fmt: skip
    assert json.loads(out.read_text())["unit_map"] == "today"
