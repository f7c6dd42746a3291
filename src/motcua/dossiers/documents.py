"""The printed forms of a dossier (Circular 01/2018, Circular 03/2025 Appendix I) as PDF.

Official forms are printed in Vietnamese whatever the screen's language.
"""

from __future__ import annotations

from urllib.parse import urlencode

import segno
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from weasyprint import HTML

from motcua.core.messages import Message as _

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


def render_html(form: str, dossier: Dossier, request=None) -> str:
    with translation.override("vi"):
        return render_to_string(f"dossiers/forms/{form}.html", context_for(form, dossier, request))


def render_pdf(form: str, dossier: Dossier, request=None) -> bytes:
    return HTML(string=render_html(form, dossier, request)).write_pdf()


def filename(form: str, dossier: Dossier) -> str:
    return f"{FORMS[form][1]}-{dossier.code or dossier.pk}.pdf"
