"""The settlement report as JSON, CSV, xlsx (the official II.06a layout) and PDF."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from weasyprint import HTML

from .rules import COLUMNS, Row
from .services import Report

FORMATS = ("json", "csv", "xlsx", "pdf")
CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
# The official header: column number, its group (upper row) and its own title (lower row).
HEADER = [
    ("total", "Tổng số hồ sơ cần giải quyết", "Tổng số"),
    ("new_online", "Tổng số hồ sơ cần giải quyết", "Mới tiếp nhận trực tuyến"),
    ("new_offline", "Tổng số hồ sơ cần giải quyết", "Mới tiếp nhận trực tiếp, bưu chính"),
    ("carried_over", "Tổng số hồ sơ cần giải quyết", "Kỳ trước chuyển sang"),
    ("finished", "Số hồ sơ đã giải quyết", "Tổng số"),
    ("early", "Số hồ sơ đã giải quyết", "Trước hạn"),
    ("on_time", "Số hồ sơ đã giải quyết", "Đúng hạn"),
    ("late", "Số hồ sơ đã giải quyết", "Quá hạn"),
    ("open", "Số hồ sơ đang giải quyết", "Tổng số"),
    ("open_within", "Số hồ sơ đang giải quyết", "Trong hạn"),
    ("open_overdue", "Số hồ sơ đang giải quyết", "Quá hạn"),
    ("digitized", "Số hóa", "Hồ sơ đã số hóa"),
]


def numbered(rows: list[Row]) -> list[tuple[int | str, Row]]:
    """The form's STT column: groups are numbered 1, 2, …; subtotal and total rows carry none."""
    count, out = 0, []
    for row in rows:
        if row.kind == "group":
            count += 1
        out.append((count if row.kind == "group" else "", row))
    return out


def as_json(report: Report, extra: dict | None = None) -> bytes:
    """Rates are JSON numbers rounded to two decimals (89.07; 100.0)."""
    data = {
        "unit": report.unit.code, "unit_name": report.unit.name, "from": report.first.isoformat(),
        "to": report.last.isoformat(), "by": report.by, "unit_map": report.unit_map, **(extra or {}),
        "rows": [{k: float(v) if k.endswith("_rate") else v for k, v in r.as_dict().items()} for r in report.rows],
    }  # fmt: skip
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def _plain(row: dict) -> dict:
    return {k: f"{v:.2f}" if k.endswith("_rate") else v for k, v in row.items()}


def as_csv(report: Report) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["key", "label", *COLUMNS, "digitization_rate", "online_rate"])
    for row in report.rows:
        data = _plain(row.as_dict())
        writer.writerow([data["key"], data["label"], *(data[c] for c in COLUMNS), data["digitization_rate"],
                         data["online_rate"]])  # fmt: skip
    return ("\ufeff" + out.getvalue()).encode()  # the BOM makes Excel read UTF-8


def as_xlsx(report: Report) -> bytes:
    signer, day = _signature(report)
    book = Workbook()
    sheet = book.active
    sheet.title = "II.06a"
    width = 2 + len(HEADER) + 1
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(1, 1, report.title.upper()).font = Font(bold=True, size=13)
    sheet.cell(1, 1).alignment = centre
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet.cell(2, 1, f"{report.period} (Mẫu II.06a)").alignment = centre
    # Two-row header: STT and the row's name span both rows; each group spans its columns.
    top, low, numbers = 4, 5, 6
    for column, title in ((1, "STT"), (2, "Lĩnh vực, đơn vị")):
        sheet.merge_cells(start_row=top, start_column=column, end_row=low, end_column=column)
        sheet.cell(top, column, title)
    groups: dict[str, list[int]] = {}
    for index, (_key, group, title) in enumerate(HEADER, start=3):
        groups.setdefault(group, []).append(index)
        sheet.cell(low, index, title)
    for group, columns in groups.items():
        if len(columns) > 1:
            sheet.merge_cells(start_row=top, start_column=columns[0], end_row=top, end_column=columns[-1])
        sheet.cell(top, columns[0], group)
    sheet.merge_cells(start_row=top, start_column=width, end_row=low, end_column=width)
    sheet.cell(top, width, "Tỷ lệ số hóa (%)")
    for column in range(1, width + 1):
        sheet.cell(numbers, column, f"({column})")
        for row in (top, low, numbers):
            cell = sheet.cell(row, column)
            cell.border, cell.alignment = border, centre
            cell.font = Font(bold=row != numbers, italic=row == numbers)
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 42
    for offset, (number, row) in enumerate(numbered(report.rows), start=1):
        line = numbers + offset
        values = [number, row.label, *(getattr(row.counts, c) for c in COLUMNS),
                  float(row.counts.digitization_rate)]  # fmt: skip
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(line, column, value)
            cell.border = border
            cell.font = Font(bold=row.kind != "group")
        sheet.cell(line, width).number_format = "0.00"
    end = numbers + len(report.rows) + 2
    sheet.cell(end, width - 4, f"Ngày {day:%d} tháng {day:%m} năm {day:%Y}")
    sheet.cell(end + 1, width - 4, "THỦ TRƯỞNG ĐƠN VỊ").font = Font(bold=True)
    sheet.cell(end + 2, width - 4, "(Ký, ghi rõ họ tên, đóng dấu)").font = Font(italic=True)
    if signer:
        sheet.cell(end + 6, width - 4, signer).font = Font(bold=True)
    sheet.freeze_panes = sheet.cell(numbers + 1, 3)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def as_pdf(report: Report) -> bytes:
    signer, day = _signature(report)
    with translation.override("vi"):  # an official form, in Vietnamese
        groups = []
        for _key, group, _title in HEADER:
            if groups and groups[-1][0] == group:
                groups[-1][1] += 1
            else:
                groups.append([group, 1])
        html = render_to_string("reports/settlement_pdf.html", {
            "report": report, "rows": numbered(report.rows), "groups": groups, "header": HEADER,
            "columns": COLUMNS, "signer": signer, "today": day, "numbers": range(1, len(HEADER) + 4),
        })  # fmt: skip
    return HTML(string=html).write_pdf()


def _signature(report: Report) -> tuple[str, date]:
    """Who signed (when the report is a signed-off copy) and the date under the signature."""
    if report.signed is not None:
        return report.signed.signer_name, timezone.localtime(report.signed.signed_at).date()
    return "", timezone.localdate()


def render(report: Report, fmt: str) -> bytes:
    if fmt == "json":
        return as_json(report)
    if fmt == "csv":
        return as_csv(report)
    if fmt == "xlsx":
        return as_xlsx(report)
    if fmt == "pdf":
        return as_pdf(report)
    raise ValueError(f"unknown format {fmt}")


def dossier_list_csv(dossiers) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["code", "procedure", "processing_unit", "received_at", "due_at", "finished_at", "status",
                     "status_name"])  # fmt: skip
    for d in dossiers.iterator():
        finished = d.finished_at.isoformat() if d.finished_at else ""
        writer.writerow([d.code, d.procedure.code, d.processing_unit.code, d.received_at.isoformat(),
                         d.due_at.isoformat(), finished, d.status, str(d.get_status_display())])  # fmt: skip
    return ("\ufeff" + out.getvalue()).encode()
