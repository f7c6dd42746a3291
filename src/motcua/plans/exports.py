"""The review a steering committee reads, as PDF and xlsx."""

from __future__ import annotations

import io

from motcua.core import documents
from motcua.core.documents import Document
from motcua.people.services import signature_for
from motcua.reports.periods import period_title
from motcua.units.organs import abbreviation, organ_name, place, receiver_name, superior_name

from .rules import ORDER, Standing
from .services import Review

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
TITLE = "Báo cáo kết quả thực hiện nhiệm vụ cải cách hành chính"
HEADS = {
    Standing.DONE_ON_TIME: "Hoàn thành đúng hạn",
    Standing.DONE_LATE: "Hoàn thành quá hạn",
    Standing.IN_PROGRESS: "Đang thực hiện",
    Standing.OVERDUE: "Quá hạn chưa hoàn thành",
    Standing.NOT_STARTED: "Chưa triển khai",
}


def render(found: Review, fmt: str) -> bytes:
    return _xlsx(found) if fmt == "xlsx" else _pdf(found)


def _xlsx(found: Review) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "tong-hop"
    sheet.append([f"{TITLE.upper()} {period_title(found.first, found.last)} — {found.unit.name}"])
    sheet.append([f"Tính đến ngày {found.as_of:%d/%m/%Y} (kỳ {found.first:%d/%m/%Y} – {found.last:%d/%m/%Y})"])
    sheet["A1"].font = Font(bold=True)
    for title, rows in (("Theo đơn vị chủ trì", found.by_unit), ("Theo lĩnh vực", found.by_area)):
        sheet.append([title, "Tổng số", *[HEADS[s] for s in ORDER]])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([row.label, row.total, *row.cells()])
        sheet.append(["Tổng cộng", found.total.total, *found.total.cells()])
    late = book.create_sheet("chua-hoan-thanh")
    late.append(["Đơn vị chủ trì", "Nhiệm vụ", "Lĩnh vực", "Hạn", "Tình trạng"])
    for task, state in found.unfinished:
        late.append([task.lead_unit.name, task.title, task.area.name, task.deadline, HEADS[state]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def document(found: Review) -> Document:
    """The review as the unit's report: its organ, a number left for the clerk, the period in the
    title, its superior among the recipients, the head's signature."""
    unit = found.unit
    return Document(
        organ=organ_name(unit),
        superior=superior_name(unit),
        number=f"Số:        /BC-{abbreviation(unit)}",
        place=place(unit),
        day=found.as_of,
        title=f"{TITLE} {period_title(found.first, found.last)}",
        subtitle=f"(Từ ngày {found.first:%d/%m/%Y} đến ngày {found.last:%d/%m/%Y})",
        signature=signature_for(unit),
        recipients=(receiver_name(unit), "Lưu: VT"),
        landscape=True,
    )


def _pdf(found: Review) -> bytes:
    context = {"r": found, "heads": [HEADS[s] for s in ORDER], "names": HEADS}
    return documents.render_pdf("plans/review_pdf.html", document(found), context)
