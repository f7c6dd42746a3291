"""The dossier register (sổ theo dõi hồ sơ, form 07): every dossier a unit received in a period."""

from __future__ import annotations

import io
from datetime import date, datetime

from django.db.models import QuerySet
from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from motcua.core.tabular import keep_as_text
from motcua.units.models import Unit
from motcua.workdays.rules import VIETNAM, period_bounds

from .models import Dossier
from .privacy import contact_for
from .services import visible_dossiers

COLUMNS = [
    ("STT", 6),
    ("Mã hồ sơ", 28),
    ("Tên thủ tục hành chính", 40),
    ("Số lượng hồ sơ", 8),
    ("Tên cá nhân, tổ chức", 24),
    ("Địa chỉ, số điện thoại", 28),
    ("Cơ quan chủ trì giải quyết", 28),
    ("Ngày, giờ nhận hồ sơ", 16),
    ("Ngày, giờ hẹn trả kết quả", 16),
    ("Ngày có kết quả", 16),
    ("Ngày trả kết quả", 16),
    ("Tình trạng", 18),
    ("Ghi chú", 24),
]


def received(user, unit: Unit, start: date, end: date) -> QuerySet:
    """The dossiers the unit (and its subtree) received in the period, in the order of receipt."""
    if end < start:  # nothing was received in a period that ends before it starts
        return Dossier.objects.none()
    low, high = period_bounds(start, end)
    return (
        visible_dossiers(user)
        .filter(receiving_unit__path__startswith=unit.path, received_at__gte=low, received_at__lt=high)
        .select_related("procedure", "processing_unit")
        .order_by("received_at", "code", "pk")
    )


def rows(user, unit: Unit, start: date, end: date) -> list:
    return list(received(user, unit, start, end))


def _when(moment: datetime | None) -> str:
    return moment.astimezone(VIETNAM).strftime("%H:%M %d/%m/%Y") if moment else ""


def xlsx(reader, unit: Unit, start: date, end: date, dossiers: list) -> bytes:
    """The register as a workbook; phone numbers whole only for readers who work with the applicants."""
    with translation.override("vi"):  # an official register, in Vietnamese
        return _xlsx(reader, unit, start, end, dossiers)


def _xlsx(reader, unit: Unit, start: date, end: date, dossiers: list) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "So theo doi"
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    sheet.cell(1, 1, f"SỔ THEO DÕI HỒ SƠ — {unit.name.upper()}").font = Font(bold=True, size=13)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(COLUMNS))
    sheet.cell(2, 1, f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y} (Mẫu số 07)")
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for index, (title, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(4, index, title)
        cell.font, cell.border = Font(bold=True), border
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        number = sheet.cell(5, index, f"({index})")
        number.alignment, number.border = Alignment(horizontal="center"), border
        sheet.column_dimensions[cell.column_letter].width = width
    for offset, d in enumerate(dossiers, start=1):
        contact = ", ".join(part for part in (d.applicant_address, contact_for(reader, d).phone) if part)
        values = [
            offset, d.code, d.procedure.name, 1, d.applicant_name, contact, d.processing_unit.name,
            _when(d.received_at), _when(d.appointment_at), _when(d.finished_at), _when(d.returned_at),
            str(d.get_status_display()), d.reasons if d.outcome in ("refused", "stopped", "withdrawn") else "",
        ]  # fmt: skip
        for index, value in enumerate(values, start=1):
            cell = sheet.cell(5 + offset, index, value)
            cell.border, cell.alignment = border, Alignment(wrap_text=True, vertical="top")
            keep_as_text(cell)  # names, addresses and reasons are typed by people, never formulas
    sheet.freeze_panes = "A6"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
