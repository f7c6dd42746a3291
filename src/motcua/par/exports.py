"""PAR results as JSON, xlsx and PDF (the table a publishing decision attaches)."""

from __future__ import annotations

import io
import json
from datetime import date

from django.utils import timezone

from motcua.core import documents
from motcua.core.documents import Document
from motcua.people.services import signature_for
from motcua.reports.periods import period_title
from motcua.units.organs import organ_name, place, superior_name

from .reading import Results

FORMATS = ("json", "xlsx", "pdf")
CONTENT_TYPES = {
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
TITLE = "Kết quả xác định chỉ số cải cách hành chính"
HEADER = ["Hạng", "Mã đơn vị", "Đơn vị", "Điểm", "Tối đa", "Chỉ số (%)", "Tăng/giảm bậc", "Tăng/giảm điểm", "Xếp loại"]


def render(found: Results, fmt: str) -> bytes:
    return {"json": _json, "xlsx": _xlsx, "pdf": _pdf}[fmt](found)


def _json(found: Results) -> bytes:
    return json.dumps(found.as_dict(), ensure_ascii=False, indent=2).encode()


def _xlsx(found: Results) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "ket-qua"
    sheet.append([f"{title(found).upper()}: {found.framework.name}"])
    sheet["A1"].font = Font(bold=True)
    if found.framework.decision:
        sheet.append([f"Kèm theo Quyết định {found.framework.decision}"])
    sheet.append(HEADER)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for r in found.rows:
        sheet.append(
            [
                r.rank,
                r.unit_code,
                r.unit_name,
                float(r.points),
                float(r.max_points),
                float(r.percent),
                r.rank_change,
                None if r.points_change is None else float(r.points_change),
                r.group,
            ]
        )
    s = found.summary
    sheet.append(["Điểm trung bình", None, None, None if s.average is None else float(s.average)])
    sheet.append(
        ["Tăng/giảm so với năm trước", None, None, None if s.average_change is None else float(s.average_change)]
    )
    for code, count in s.groups.items():
        sheet.append([f"Nhóm {code}", None, None, count])
    for heading, units in (("Chưa có dữ liệu trong kỳ (không xếp hạng)", found.no_data),
                           ("Chưa thẩm định xong (chưa xếp hạng)", found.awaiting)):  # fmt: skip
        if units:
            sheet.append([])
            sheet.append([heading])
            sheet.cell(sheet.max_row, 1).font = Font(bold=True)
            for unit in units:
                sheet.append([None, unit.unit_code, unit.unit_name])
    for column, width in zip("ABCDEFGHI", (6, 12, 40, 9, 9, 11, 13, 14, 9), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def title(found: Results) -> str:
    year = found.framework.year
    return f"{TITLE} {period_title(date(year, 1, 1), date(year, 12, 31))}"


def document(found: Results) -> Document:
    """The results as the province publishes them: its organ, the year in the title, the decision
    they go with, the head's signature."""
    framework, owner = found.framework, found.framework.owner
    published = framework.published_at or timezone.now()
    subtitle = framework.name + (f" (kèm theo Quyết định {framework.decision})" if framework.decision else "")
    return Document(
        organ=organ_name(owner),
        superior=superior_name(owner),
        place=place(owner),
        day=timezone.localtime(published).date(),
        title=title(found),
        subtitle=subtitle,
        signature=signature_for(owner),
        recipients=("Các cơ quan, đơn vị được đánh giá", "Lưu: VT"),
        landscape=True,
    )


def _pdf(found: Results) -> bytes:
    return documents.render_pdf("par/results_pdf.html", document(found), {"r": found})
