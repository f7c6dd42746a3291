"""The citizen's online application pages: start, write and submit a draft; delete a draft or
one of its files after saying yes on a page that asks (no script needed)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.catalog.models import Procedure
from motcua.core.errors import error_context, field_problems
from motcua.dossiers.rules import DossierError

from . import applications, services


@login_required
@require_POST
def apply(request, code: str):
    item = get_object_or_404(Procedure, code=code, is_active=True)
    try:
        application = services.start_application(request.user, item)
    except DossierError as error:
        messages.error(request, str(error.message))
        return redirect("portal:procedure", code=code)
    return redirect("portal:draft", pk=application.pk)


@login_required
def draft(request, pk: int):
    application = services.applications_of(request.user).filter(pk=pk).first()
    if application is None:
        raise Http404
    if application.dossier_id is not None:  # a repeated submission, or an old tab
        messages.info(request, _("This application was already submitted: here is its dossier."))
        return redirect("portal:dossier", pk=application.dossier_id)
    day = timezone.localdate()
    problems, status = [], 200
    if request.method == "POST":
        post = request.POST
        commune = _commune(application, post.get("address_unit"), day)
        desk = _pick(services.desks_for(application.procedure, day), post.get("receiving_unit"))
        data = services.ApplicationInput(
            receiving_unit=applications.desk_for_move(
                application.procedure, application.address_unit, commune, desk, day
            ),
            applicant_name=post.get("applicant_name", ""),
            applicant_id=post.get("applicant_id", ""),
            applicant_phone=post.get("applicant_phone", ""),
            applicant_email=post.get("applicant_email", ""),
            applicant_address=post.get("applicant_address", ""),
            note=post.get("note", ""),
            address_unit=commune,
        )
        uploads = {}
        for key in request.FILES:
            if key.startswith("file_") and key[5:].isdigit():
                uploads[int(key[5:])] = request.FILES.getlist(key)
        try:
            problems = services.save_draft(application, data, uploads, remember="remember" in post)
            if not problems and post.get("submit"):
                dossier = services.submit(application)
                messages.success(request, _("Submitted. The desk will check it and send you the receipt."))
                return redirect("portal:dossier", pk=dossier.pk)
        except DossierError as error:
            application.refresh_from_db()
            if application.dossier_id is not None:  # the same form sent twice at once
                messages.info(request, _("This application was already submitted: here is its dossier."))
                return redirect("portal:dossier", pk=application.dossier_id)
            problems, status = field_problems(error), error.status_code
        if not problems and post.get("remove", "").isdigit():
            return redirect("portal:remove-file", pk=application.pk, file_id=int(post["remove"]))
        if not problems and post.get("find") in ("receiving_unit", "address_unit"):
            query = urlencode({"desk_q": post.get("desk_q", ""), "commune_q": post.get("commune_q", "")})
            return redirect(f"{reverse('portal:draft', args=[application.pk])}?{query}#{post['find']}")
        if not problems:
            messages.success(request, _("Draft saved."))
            return redirect("portal:draft", pk=application.pk)
        status = status if status != 200 else 422
    return render(request, "portal/draft.html", _draft_context(request, application, problems, day), status=status)


def _draft_context(request, application, problems, day) -> dict:
    shown = error_context([(name, str(text)) for name, text in problems])
    errors = shown["errors"]
    files = {}
    for stored in application.files.all():
        files.setdefault(stored.component_id, []).append(stored)
    components = [
        (c, files.get(c.pk, []), errors.get(f"file_{c.pk}", [])) for c in application.procedure.components.all()
    ]
    commune = application.address_unit
    desks = services.desk_choices(application.procedure, commune, day)
    chosen = application.receiving_unit or services.default_desk(application.procedure, desks, commune, day)
    if chosen is not None and chosen not in desks:
        desks.insert(0, chosen)
    communes = list(applications.communes_on(day))
    if commune is not None and commune not in communes:
        communes.insert(0, commune)
    desk_q, commune_q = request.GET.get("desk_q", "").strip(), request.GET.get("commune_q", "").strip()
    return {
        "a": application,
        "components": components,
        "desks": applications.matching(desks, desk_q, keep=chosen),
        "desk_count": len(desks),
        "chosen_desk": chosen,
        "desk_q": desk_q,
        "communes": applications.matching(communes, commune_q, keep=commune),
        "commune_q": commune_q,
        **shown,
    }


def _pick(units, pk: str | None):
    return units.filter(pk=int(pk)).first() if pk and pk.isdigit() and len(pk) < 19 else None


def _commune(application, pk: str | None, day):
    """The commune chosen: one in force today, or the (older) one the draft already named."""
    if pk and application.address_unit_id is not None and pk == str(application.address_unit_id):
        return application.address_unit
    return _pick(applications.communes_on(day), pk)


@login_required
def discard(request, pk: int):
    """Delete a draft, once the citizen said yes on the page that asks."""
    application = services.draft_for(request.user, pk)
    if application is None:
        raise Http404
    if request.method == "POST" and request.POST.get("confirm") == "1":
        services.discard(application)
        messages.success(request, _("Draft deleted."))
        return redirect("portal:mine")
    question = _("The draft for “%(procedure)s” and the %(n)s files attached to it will be deleted for good.") % {
        "procedure": application.procedure.name,
        "n": application.files.count(),
    }
    return _confirm(
        request,
        title=_("Delete this draft?"),
        question=question,
        confirm_label=_("Yes, delete the draft"),
        cancel=reverse("portal:draft", args=[pk]),
    )


@login_required
def remove_file(request, pk: int, file_id: int):
    """Remove one file of a draft, once the citizen said yes on the page that asks."""
    application = services.draft_for(request.user, pk)
    stored = application.files.filter(pk=file_id).first() if application else None
    if stored is None:
        raise Http404
    if request.method == "POST" and request.POST.get("confirm") == "1":
        services.remove_file(application, stored.pk)
        messages.success(request, _("File removed: %(name)s.") % {"name": stored.original_name})
        return redirect(f"{reverse('portal:draft', args=[pk])}#file_{stored.component_id}")
    return _confirm(
        request,
        title=_("Remove this file?"),
        question=_("The file %(name)s will be removed from the document “%(document)s”.")
        % {"name": stored.original_name, "document": stored.component.name},
        confirm_label=_("Yes, remove the file"),
        cancel=reverse("portal:draft", args=[pk]),
    )


def _confirm(request, **context):
    return render(request, "web/confirm.html", {"action": request.path, **context})
