"""The desk's intake page: find the procedure, check the documents, enter the applicant, decide.

A refused form comes back with everything typed and the scans it accepted (held against the
form's one-time key, shown with a remove button that asks first); each problem is shown beside
its field and listed at the top. The same form sent twice makes one dossier.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.competence import deciding_units
from motcua.catalog.models import Procedure
from motcua.catalog.services import search_procedures
from motcua.core.errors import error_context, field_problems
from motcua.people.access import official_required
from motcua.people.models import Role
from motcua.people.services import units_in_scope
from motcua.units.models import Unit, UnitKind

from . import once, services
from .rules import Action, Channel, DossierError


@official_required
def intake(request):
    desks = units_in_scope(request.user, [Role.DESK_OFFICER]).valid_on(timezone.localdate())
    desks = desks.filter(kind=UnitKind.SERVICE_CENTER) or desks
    if not desks:
        messages.error(request, _("Only desk officers receive dossiers."))
        return redirect("dossiers:inbox")
    post = request.POST
    query = request.GET.get("q", "")
    procedure = None
    code = post.get("procedure") or request.GET.get("procedure")
    if code:
        procedure = Procedure.objects.filter(code=code, is_active=True).first()
    found = list(search_procedures(query)[:30]) if query and procedure is None else []
    receiving = _chosen_unit(post.get("receiving_unit"), desks) or desks[0]
    processing_choices = deciding_units(procedure, receiving, timezone.localdate()) if procedure else []
    key = once.valid_key(post.get("form_key")) or once.new_key()
    context = {"query": query, "found": found, "procedure": procedure, "desks": desks, "receiving": receiving,
               "processing_choices": processing_choices, "channels": Channel, "posted": post, "form_key": key,
               "provided": set(), "reused": set(), "held": [], **error_context([])}  # fmt: skip
    if procedure is not None:
        context["rows"] = [(c, []) for c in procedure.components.all()]
    if request.method != "POST" or procedure is None:
        return render(request, "dossiers/intake.html", context)

    done = once.dossier_for_key(request.user, key)
    if done is not None:
        messages.info(request, _("This form was already sent: here is the dossier it made."))
        return redirect("dossiers:detail", pk=done.pk)
    orders = [c.order for c in procedure.components.all()]
    context["provided"] = {o for o in orders if f"provided_{o}" in post}
    context["reused"] = {o for o in orders if f"reused_{o}" in post}
    uploads = [(o, f) for o in orders for f in request.FILES.getlist(f"file_{o}")]
    problems = once.hold_scans(request.user, key, uploads)
    if post.get("confirm_drop", "").isdigit():
        dropped = once.drop_held(request.user, key, int(post["confirm_drop"]))
        if dropped is not None:
            messages.success(request, _("Scan removed: %(name)s.") % {"name": dropped.original_name})
    held = once.held_scans(request.user, key)
    context["held"] = held
    if post.get("drop", "").isdigit():
        context["dropping"] = next((h for h in held if h.pk == int(post["drop"])), None)
    if problems:
        return _refused(request, context, field_problems_of(problems), 422)
    if "decision" not in post or "dropping" in context:
        return render(request, "dossiers/intake.html", context)

    with_scan = {h.order for h in held}
    processing = _chosen_unit(post.get("processing_unit"), processing_choices)
    intake = services.Intake(
        procedure=procedure,
        receiving_unit=receiving,
        processing_unit=processing or processing_choices[0],
        channel=Channel.POSTAL if post.get("channel") == str(Channel.POSTAL.value) else Channel.IN_PERSON,
        applicant=services.Applicant(
            name=post.get("applicant_name", ""),
            id_number=post.get("applicant_id", ""),
            id_kind=post.get("applicant_id_kind", "personal"),
            phone=post.get("applicant_phone", ""),
            email=post.get("applicant_email", ""),
            address=post.get("applicant_address", ""),
        ),
        components=[
            services.ComponentInput(
                order=o,
                provided=o in context["provided"] or o in with_scan,
                digitized=o in with_scan,
                reused=o in context["reused"],
            )
            for o in orders
        ],
        fees_paid="fees_paid" in post,
    )
    try:
        decision = Action(post.get("decision", Action.ACCEPT))
        dossier, created = once.receive_once(request.user, key, intake, decision, post.get("reasons", ""))
    except ValueError:
        return _refused(request, context, [("", _("Unknown decision."))], 422)
    except DossierError as error:
        return _refused(request, context, field_problems(error), error.status_code)
    if not created:
        messages.info(request, _("This form was already sent: here is the dossier it made."))
        return redirect("dossiers:detail", pk=dossier.pk)
    messages.success(request, _decision_message(dossier, decision))
    form = {Action.ACCEPT: "01", Action.REQUEST_SUPPLEMENT: "02"}.get(decision, "03")
    return redirect(f"{reverse('dossiers:detail', args=[dossier.pk])}?in={form}")


def _refused(request, context: dict, problems: list[tuple[str, str]], status: int):
    """The form again, as it was sent, with each problem beside its field and listed on top."""
    context.update(error_context(problems))
    errors = context["errors"]
    context["rows"] = [(c, errors.get(f"file_{c.order}", [])) for c, _files in context["rows"]]
    return render(request, "dossiers/intake.html", context, status=status)


def field_problems_of(problems: list) -> list[tuple[str, str]]:
    return [(name, str(text)) for name, text in problems]


def _decision_message(dossier, decision: Action) -> str:
    if decision is Action.ACCEPT:
        return _("Accepted as %(code)s. Print the receipt for the applicant.") % {"code": dossier.code}
    if decision is Action.REQUEST_SUPPLEMENT:
        return _("Supplement requested. Print the request (form 02) for the applicant.")
    return _("Refused. Print the refusal (form 03) for the applicant.")


def _chosen_unit(pk, units) -> Unit | None:
    return next((u for u in units if str(u.pk) == str(pk)), None) if pk else None
