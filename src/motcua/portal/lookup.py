"""The applicant's pages without an account: a dossier looked up by its code and the secret on the
receipt (or the receipt's QR code, which carries the code), and a feedback by its code and the
contact given with it. The secret and the contact travel only in a form's body, never in an
address; misses are counted per address and throttled."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from motcua.core.replicas import reads_only_when
from motcua.core.throttle import LOOKUP_MISSES
from motcua.dossiers import services as dossiers
from motcua.dossiers.models import Dossier
from motcua.dossiers.rules import Action, DossierError, Status

from . import services


def too_many(request):
    return render(request, "portal/too_many.html", status=429)


@reads_only_when(lambda request: not request.POST.get("action"))
def lookup(request):
    """The secret travels only in a form's body, never in an address: a link or the receipt's QR
    code carries the code alone and opens the form with it filled in."""
    if request.method != "POST":
        code = request.GET.get("code", "").strip()[:60]
        if set(request.GET) - {"code"}:
            # An old link or receipt with the secret in it: the address is cleaned of it (so the
            # page, its links and the browser keep only the code) and the form asks for the secret.
            return redirect(f"{reverse('lookup')}?{urlencode({'code': code})}" if code else reverse("lookup"))
        return render(request, "portal/lookup.html", {"code": code})
    code, secret = request.POST.get("code", "").strip(), request.POST.get("secret", "").strip()
    if not (code and secret):
        context = {"code": code[:60], "incomplete": True}
        return render(request, "portal/lookup.html", context, status=422)
    if LOOKUP_MISSES.blocked(request):
        return too_many(request)
    dossier = dossiers.lookup(code, secret)
    if dossier is None:
        LOOKUP_MISSES.hit(request)
        return render(request, "portal/lookup.html", {"code": code[:60], "missed": True}, status=404)
    return follow(request, dossier, holder=True)


def follow(request, dossier: Dossier, holder: bool, here: str = ""):
    """The applicant's view of one dossier, and what they may do there: answer a supplement
    request, rate, download an electronic result. The holder of the code and secret posts them
    with every action and is answered with the page itself (no address carries the secret); a
    citizen on their own dossier is sent back to its page."""
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "result" or (not holder and request.GET.get("result")):
        if not _result_available(dossier):
            raise Http404
        name = dossier.result_file.name.rsplit("/", 1)[-1]
        return FileResponse(dossier.result_file.open("rb"), as_attachment=True, filename=name)
    status = 200
    if action:
        try:
            _act(request, dossier, holder)
        except (DossierError, ValueError) as error:
            messages.error(request, str(getattr(error, "message", error)))
            status = 422
        if not holder:
            return redirect(here)
        if status == 200:
            dossier.refresh_from_db()
    waiting = dossier.status == Status.WAITING_SUPPLEMENT
    context = {
        "d": dossier,
        "holder": holder,
        "progress": dossiers.progress(dossier),
        "timeline": dossiers.timeline(dossier, public_only=True),
        "public_notes": PUBLIC_NOTE_ACTIONS,
        "components": dossier.components.all() if waiting else [],
        "supplement_sent": waiting and dossiers.supplement_sent(dossier),
        "result_available": _result_available(dossier),
        "may_withdraw": not holder and Action.WITHDRAW in dossiers.available_actions(request.user, dossier),
    }
    return render(request, "portal/follow.html", context, status=status)


def _act(request, dossier: Dossier, holder: bool) -> None:
    action = request.POST.get("action")
    actor = request.user if request.user.is_authenticated else None
    if action == "rate":
        dossiers.rate(dossier, request.POST.get("rating", ""), request.POST.get("comment", ""), actor=actor)
        messages.success(request, _("Thank you for your rating."))
    elif action == "supplement":
        uploads = [
            (int(k[5:]), f)
            for k in request.FILES
            if k.startswith("file_") and k[5:].isdigit()
            for f in request.FILES.getlist(k)
        ]
        with transaction.atomic():
            for order, upload in uploads:
                dossiers.attach_file(actor, dossier, order, upload, holder=holder)
            dossiers.send_supplement(actor, dossier, request.POST.get("note", ""), holder=holder)
        messages.success(request, _("Sent. The desk will check the documents and resume your dossier."))
    elif action == "withdraw" and not holder:
        dossiers.withdraw(request.user, dossier, request.POST.get("reason", ""))
        messages.success(request, _("Your dossier is withdrawn."))


def _result_available(dossier: Dossier) -> bool:
    return (
        bool(dossier.result_file)
        and dossier.result_electronic
        and dossier.status
        in (
            Status.RESULT_READY,
            Status.RETURNED,
        )
    )


PUBLIC_NOTE_ACTIONS = {"request_supplement", "refuse", "apologize", "stop", "withdraw", "send_supplement"}


@reads_only_when(lambda request: True)
def feedback_lookup(request):
    """A sender follows their feedback by its code and the phone or e-mail they gave, posted (never
    in an address); misses count with the dossier lookup's."""
    code = (request.POST if request.method == "POST" else request.GET).get("code", "").strip()[:30]
    if request.method != "POST":
        return render(request, "portal/feedback_lookup.html", {"code": code})
    contact = request.POST.get("contact", "").strip()
    if not (code and contact):
        return render(request, "portal/feedback_lookup.html", {"code": code, "incomplete": True}, status=422)
    if LOOKUP_MISSES.blocked(request):
        return too_many(request)
    found = services.feedback_lookup(code, contact)
    if found is None:
        LOOKUP_MISSES.hit(request)
        return render(request, "portal/feedback_lookup.html", {"code": code, "missed": True}, status=404)
    return render(request, "portal/feedback_lookup.html", {"code": code, "f": found})
