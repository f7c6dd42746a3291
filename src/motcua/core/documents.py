"""Generated documents in the layout of Decree 30/2020/NĐ-CP (Appendix I): the organ block top left,
the national motto top right, the number under the organ, place and date under the motto, the
title, the body, the recipients bottom left and the signature block bottom right, on A4 with the
decree's margins in a Times-compatible face.

Every PDF the system prints (dossier forms, reports, reviews) extends ``core/document.html`` with
the context ``document()`` builds here. Official documents are in Vietnamese whatever the screen's
language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.template.loader import render_to_string
from django.utils import translation

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_LINE = "Độc lập - Tự do - Hạnh phúc"
SIGN_NOTE = "(Ký, ghi rõ họ tên và đóng dấu)"
# Administrative prefixes left out of a place name ("Tỉnh Sơn La" is dated "Sơn La, ngày …").
_PREFIXES = ("Thành phố ", "Tỉnh ", "Đặc khu ", "Phường ", "Thị trấn ", "Thị xã ", "Huyện ", "Quận ", "Xã ")


@dataclass(frozen=True)
class Signature:
    """The signature block: competence ("TM. ỦY BAN NHÂN DÂN", "KT. GIÁM ĐỐC"), position and name."""

    position: str
    name: str = ""
    competence: str = ""
    note: str = SIGN_NOTE


@dataclass(frozen=True)
class Document:
    """What the shared layout prints around a document's body."""

    organ: str
    title: str
    superior: str = ""
    number: str = ""  # "Số: 12/XL-STP"; empty for documents without one (reports)
    place: str = ""
    day: date | None = None
    subtitle: str = ""
    form_code: str = ""  # "Mẫu II.06a", printed above the motto
    signature: Signature | None = None
    recipients: tuple[str, ...] = ()
    landscape: bool = False
    # A report's form puts place and date over the signature instead of under the motto.
    date_at_foot: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def dated(self) -> str:
        return place_and_date(self.place, self.day) if self.day else ""


def vietnamese_date(day: date) -> str:
    """``ngày 05 tháng 02 năm 2026``: a day below 10 and the months 1 and 2 take a leading zero
    (Decree 30/2020, Appendix I, II.4.b); the other months do not (``ngày 15 tháng 11 năm 2026``)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_and_date(place: str, day: date) -> str:
    """``Sơn La, ngày 06 tháng 12 năm 2026`` (without a place: ``Ngày 06 tháng 12 năm 2026``)."""
    when = vietnamese_date(day)
    return f"{place}, {when}" if place else when[0].upper() + when[1:]


def place_name(name: str) -> str:
    """The place a document is dated at, from an administrative unit's name: ``Tỉnh Sơn La`` →
    ``Sơn La``."""
    for prefix in _PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def render_html(template: str, document: Document, context: dict | None = None) -> str:
    with translation.override("vi"):
        return render_to_string(template, {"doc": document, **(context or {})})


def render_pdf(template: str, document: Document, context: dict | None = None) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(template, document, context)).write_pdf()
