"""The printed forms of a dossier (Circular 01/2018, Circular 03/2025 Appendix I) as PDF, in the
shared layout of Decree 30/2020 (core/documents.py).

Official forms are printed in Vietnamese whatever the screen's language.
"""

from __future__ import annotations

from urllib.parse import urlencode

import segno
from django.urls import reverse
from django.utils import timezone

from motcua.core import documents
from motcua.core.documents import Document, Signature
from motcua.core.messages import Message as _
from motcua.people.services import DEFAULT_POSITION, head_of
from motcua.units.organs import organ_name, place, superior_name
from motcua.workdays.rules import VIETNAM

from .letters import letter_for
from .models import Dossier
from .rules import Action

FORMS = {
    "01": ("Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "giay-tiep-nhan"),
    "02": ("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", "phieu-yeu-cau-bo-sung"),
    "03": ("Phiếu từ chối tiếp nhận hồ sơ", "phieu-tu-choi"),
    "04": ("Văn bản xin lỗi và hẹn lại ngày trả kết quả", "van-ban-xin-loi"),
    "05": ("Thông báo dừng giải quyết hồ sơ", "thong-bao-dung"),
    "06": ("Phiếu kiểm soát quá trình giải quyết hồ sơ", "phieu-kiem-soat"),
}
# The event a form reports on; the receipt and the control slip need an accepted dossier.
FORM_EVENTS = {
    "02": (Action.REQUEST_SUPPLEMENT,),
    "03": (Action.REFUSE,),
    "04": (Action.APOLOGIZE,),
    "05": (Action.STOP, Action.WITHDRAW),
}


class NotApplicable(Exception):
    pass


def lookup_url(dossier: Dossier, request) -> str:
    """The receipt's QR code: the lookup page with the code filled in. The secret is printed beside
    it on the receipt and typed into the page, never carried in an address."""
    path = reverse("lookup") + "?" + urlencode({"code": dossier.code})
    return request.build_absolute_uri(path) if request is not None else path


def context_for(form: str, dossier: Dossier, request=None) -> dict:
    title, _slug = FORMS[form]
    event = None
    if form in FORM_EVENTS:
        event = dossier.events.filter(action__in=[a.value for a in FORM_EVENTS[form]]).order_by("-seq").first()
        if event is None:
            raise NotApplicable(_("This dossier has no such letter yet."))
    elif dossier.received_at is None:
        raise NotApplicable(_("The dossier has not been accepted."))
    previous_appointment = None
    if form == "04":
        previous_appointment = _previous_appointment(dossier, event.seq)
    context = {
        "doc": _document(form, dossier, event),
        "title": title,
        "form": form,
        "d": dossier,
        "event": event,
        "previous_appointment": previous_appointment,
        "components": dossier.components.all(),
        "missing": [c for c in dossier.components.all() if not c.provided],
        "steps": dossier.steps.select_related("unit", "finished_by"),
        "fees": dossier.fees.all(),
    }
    if form == "01":
        accept = dossier.events.filter(action=Action.ACCEPT.value).first()
        context["accepted_by"] = accept.actor_name if accept else ""
        url = lookup_url(dossier, request)
        context["qr_svg"] = segno.make(url, error="m").svg_inline(scale=3)
        context["lookup_url"] = url
    return context


def _previous_appointment(dossier: Dossier, seq: int):
    from .services import replay

    return replay(dossier.events.filter(seq__lt=seq).order_by("seq")).get("appointment_at")


def _document(form: str, dossier: Dossier, event) -> Document:
    """The organ, number, date, recipients and signature around a form's body. The apology is the
    processing unit's letter, numbered and signed by its head; the others are the desk's."""
    unit = dossier.processing_unit if form == "04" else dossier.receiving_unit
    at = event.at if event is not None else (dossier.received_at if form == "01" else timezone.now())
    number = f"Mã hồ sơ: {dossier.code}" if dossier.code else ""
    signature = None
    if form == "04":
        letter = letter_for(dossier, event)
        if letter is not None:
            number = f"Số: {letter.number}/{letter.notation}"
            signature = Signature(letter.signer_position, letter.signer_name)
        else:  # an apology recorded before letters were numbered
            head = head_of(unit)
            signature = Signature(head.position, head.name) if head else Signature(DEFAULT_POSITION)
    elif event is not None:
        signature = Signature(SIGNERS[form], event.actor_name, note="(Ký và ghi rõ họ tên)")
    recipients = ()  # the receipt is handed to the applicant, signed by both sides
    if form == "06":
        recipients = ("Lưu: kèm hồ sơ",)
    elif form != "01":
        recipients = (f"Ông/Bà {dossier.applicant_name}", f"Lưu: {unit.name}")
    return Document(
        organ=organ_name(unit), superior=superior_name(unit), title=FORMS[form][0], number=number,
        place=place(unit), day=at.astimezone(VIETNAM).date(), form_code=f"Mẫu số {form}",
        signature=signature, recipients=recipients, landscape=form == "06",
    )  # fmt: skip


SIGNERS = {"02": "Người hướng dẫn", "03": "Người tiếp nhận", "05": "Người thông báo"}


def render_html(form: str, dossier: Dossier, request=None) -> str:
    context = context_for(form, dossier, request)
    return documents.render_html(f"dossiers/forms/{form}.html", context["doc"], context)


def render_pdf(form: str, dossier: Dossier, request=None) -> bytes:
    context = context_for(form, dossier, request)
    return documents.render_pdf(f"dossiers/forms/{form}.html", context["doc"], context)


def filename(form: str, dossier: Dossier) -> str:
    return f"{FORMS[form][1]}-{dossier.code or dossier.pk}.pdf"
