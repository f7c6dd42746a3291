"""The settlement report as JSON, CSV, xlsx and PDF, the last two as officials file form II.06a
(Circular 01/2018/TT-VPCP): every column the page shows (3 to 16), the form's blocks above and
below the table, and the xlsx set up to print on A4 landscape."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from motcua.core import documents
from motcua.core.documents import MOTTO, MOTTO_LINE, Document, Signature
from motcua.people.services import head_of
from motcua.units.organs import organ_name, place, receiver_name, superior_name

from .periods import period_title
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
    ("digitized", "Đã số hóa", "Đã số hóa"),
]
RATES = ("Tỷ lệ số hóa (%)", "Tỷ lệ trực tuyến (%)")
WIDTH = 2 + len(HEADER) + len(RATES)  # 16 columns, as the page shows
HEADER_ROWS = (10, 11, 12)  # the group row, the column titles, the column numbers
FORM_CODE = "Mẫu II.06a"
TITLE = "Tình hình, kết quả giải quyết thủ tục hành chính"
HEAD = "Thủ trưởng đơn vị"
THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


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


def form_document(report: Report, preparer: str = "") -> Document:
    """The form's blocks around the table: the reporting unit and its superior top left, the form
    code and the motto top right, the title with its period, the receiving unit, and at the foot
    the preparer, the place and date and the head of unit."""
    signer, day = _signature(report)
    unit = report.unit
    return Document(
        organ=organ_name(unit), superior=superior_name(unit), form_code=FORM_CODE, title=TITLE,
        subtitle=period_title(report.first, report.last), place=place(unit), day=day, date_at_foot=True,
        signature=Signature(HEAD, signer, note="(Ký, ghi rõ họ tên, đóng dấu)"), landscape=True,
        extra={"receiver": receiver_name(unit), "preparer": preparer,
               "dates": f"(Từ ngày {report.first:%d/%m/%Y} đến ngày {report.last:%d/%m/%Y})"},
    )  # fmt: skip


def values(row: Row) -> list:
    """A row's figures in the form's columns 3 to 16."""
    return [*(getattr(row.counts, c) for c in COLUMNS), row.counts.digitization_rate, row.counts.online_rate]


def as_xlsx(report: Report, preparer: str = "") -> bytes:
    doc = form_document(report, preparer)
    book = Workbook()
    sheet = book.active
    sheet.title = "II.06a"
    width = WIDTH
    bold, centre = Font(bold=True), Alignment(horizontal="center", vertical="center", wrap_text=True)

    def line(row: int, first: int, last: int, text: str, font: Font | None = None) -> None:
        sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        cell = sheet.cell(row, first, text)
        cell.alignment, cell.font = centre, font or Font()

    # The blocks above the table: organ left, form code and motto right; title, period, receiver.
    line(1, 1, 5, doc.superior.upper())
    line(2, 1, 5, doc.organ.upper(), bold)
    line(3, 1, 5, "—————", bold)
    line(1, 9, width, doc.form_code, bold)
    line(2, 9, width, MOTTO, bold)
    line(3, 9, width, MOTTO_LINE, Font(bold=True, underline="single"))
    line(5, 1, width, doc.title.upper(), Font(bold=True, size=13))
    line(6, 1, width, doc.subtitle, bold)
    line(7, 1, width, doc.extra["dates"], Font(italic=True))
    line(8, 1, width, f"Kính gửi: {doc.extra['receiver']}.")
    # Two-row header: STT and the row's name span both rows; each group spans its columns.
    top, low, numbers = HEADER_ROWS
    sheet.row_dimensions[low].height = 45
    for column, (group, title, span) in _header_cells():
        if span == 0:
            sheet.cell(low, column, title)
            continue
        if title is None:
            sheet.merge_cells(start_row=top, start_column=column, end_row=top, end_column=column + span - 1)
        else:
            sheet.merge_cells(start_row=top, start_column=column, end_row=low, end_column=column)
        sheet.cell(top, column, group)
    for column in range(1, width + 1):
        sheet.cell(numbers, column, f"({column})")
        for row in (top, low, numbers):
            cell = sheet.cell(row, column)
            cell.border, cell.alignment = BORDER, centre
            cell.font = Font(bold=row != numbers, italic=row == numbers)
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 36
    for column in range(3, width + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 11
    for offset, (number, row) in enumerate(numbered(report.rows), start=1):
        for column, value in enumerate([number, row.label, *values(row)], start=1):
            cell = sheet.cell(numbers + offset, column, float(value) if isinstance(value, Decimal) else value)
            cell.border, cell.font = BORDER, Font(bold=row.kind != "group")
            if isinstance(value, Decimal):
                cell.number_format = "0.00"
    # The foot: the preparer left, the place and date and the head of unit right.
    end = numbers + len(report.rows) + 2
    line(end, 11, width, doc.dated, Font(italic=True))
    line(end + 1, 1, 5, "NGƯỜI LẬP BIỂU", bold)
    line(end + 1, 11, width, HEAD.upper(), bold)
    line(end + 2, 1, 5, "(Ký, ghi rõ họ tên)", Font(italic=True))
    line(end + 2, 11, width, doc.signature.note, Font(italic=True))
    line(end + 6, 1, 5, preparer, bold)
    line(end + 6, 11, width, doc.signature.name, bold)
    _print_setup(sheet, f"{top}:{numbers}")
    sheet.freeze_panes = sheet.cell(numbers + 1, 3)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _header_cells() -> list[tuple[int, tuple[str, str | None, int]]]:
    """(column, (group, title, span)): a group's first column carries the group over ``span``
    columns (title None) and each column its own title below (span 0); a column alone is one cell
    over both rows (its title the group's)."""
    cells, column = [(1, ("STT", "", 1)), (2, ("Lĩnh vực, đơn vị", "", 1))], 3
    groups: dict[str, list[str]] = {}
    for _key, group, title in HEADER:
        groups.setdefault(group, []).append(title)
    for group, titles in [*groups.items(), *((title, [title]) for title in RATES)]:
        if len(titles) == 1:
            cells.append((column, (group, "", 1)))
        else:
            cells.append((column, (group, None, len(titles))))
            cells.extend((column + i, ("", title, 0)) for i, title in enumerate(titles))
        column += len(titles)
    return cells


def _print_setup(sheet, title_rows: str) -> None:
    """A4 landscape, the table fitted to the page's width over as many pages as it takes, the
    header rows on every page, the decree's margins (in inches)."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = title_rows
    sheet.print_options.horizontalCentered = True
    sheet.page_margins = PageMargins(left=1.18, right=0.59, top=0.79, bottom=0.79, header=0.3, footer=0.3)


def as_pdf(report: Report, preparer: str = "") -> bytes:
    groups = [(group, span, title == "") for _column, (group, title, span) in _header_cells() if span]
    lows = [title for _column, (_group, title, span) in _header_cells() if span == 0]
    rows = [(number, row, values(row)) for number, row in numbered(report.rows)]
    return documents.render_pdf("reports/settlement_pdf.html", form_document(report, preparer), {
        "report": report, "rows": rows, "groups": groups, "lows": lows, "numbers": range(1, WIDTH + 1),
    })  # fmt: skip


def _signature(report: Report) -> tuple[str, date]:
    """Who signs and the date under the signature: the signer and day of a signed-off copy, else
    the unit's head and today."""
    if report.signed is not None:
        return report.signed.signer_name, timezone.localtime(report.signed.signed_at).date()
    head = head_of(report.unit)
    return (head.name if head else ""), timezone.localdate()


def render(report: Report, fmt: str, preparer: str = "") -> bytes:
    if fmt == "json":
        return as_json(report)
    if fmt == "csv":
        return as_csv(report)
    if fmt == "xlsx":
        return as_xlsx(report, preparer)
    if fmt == "pdf":
        return as_pdf(report, preparer)
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
