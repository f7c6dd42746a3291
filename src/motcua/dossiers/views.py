"""Officials' pages: the desk's intake, the inbox, the dossier page with its actions, forms and
the register. Views read the request and call the services; the services decide."""

from __future__ import annotations

from datetime import date, datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.catalog.competence import deciding_units
from motcua.core.errors import error_context
from motcua.people.access import official_required
from motcua.people.models import User
from motcua.people.services import units_in_scope
from motcua.units.models import Unit, UnitKind
from motcua.workdays.rules import VIETNAM

from . import documents, privacy, register, search, services
from .models import DossierFile
from .rules import Action, DossierError, Status

PER_PAGE = 50


def _tabs(user) -> dict[str, Q]:
    """The inbox's queues, each a condition on the user's dossiers."""
    return {
        "open": Q(status__in=[Status.ACCEPTED, Status.PROCESSING, Status.WAITING_PAYMENT]),
        "mine": Q(assignee=user, finished_at__isnull=True, received_at__isnull=False),
        "intake": Q(status__in=[Status.SUBMITTED, Status.WAITING_SUPPLEMENT], received_at__isnull=True),
        "supplement": Q(status=Status.WAITING_SUPPLEMENT, received_at__isnull=False),
        "to_return": Q(status=Status.RESULT_READY),
    }


@official_required
def inbox(request):
    """The work waiting for the user, most urgent first, a page at a time; each queue with its count."""
    tabs = _tabs(request.user)
    tab = request.GET.get("tab") if request.GET.get("tab") in tabs else "open"
    visible = services.visible_dossiers(request.user)
    # One query counts every queue (a dossier seen through several scopes counted once).
    counts = visible.aggregate(**{name: Count("pk", filter=q, distinct=True) for name, q in tabs.items()})
    queryset = visible.filter(tabs[tab]).select_related("procedure", "processing_unit", "assignee")
    page = _page(request, queryset.order_by("due_at", "submitted_at", "pk"), count=counts[tab])
    rows = list(page.object_list)
    now = timezone.now()
    answered = services.supplements_sent([d.pk for d in rows if d.status == Status.WAITING_SUPPLEMENT])
    for dossier in rows:
        dossier.urgency = services.urgency(dossier, now)
        dossier.supplement_sent = dossier.pk in answered
    tabs = [(name, TAB_LABELS[name], counts[name]) for name in tabs]
    return render(request, "dossiers/inbox.html", {"rows": rows, "page": page, "tab": tab, "tabs": tabs})


TAB_LABELS = {
    "open": gettext_lazy("In process"),
    "mine": gettext_lazy("Assigned to me"),
    "intake": gettext_lazy("Waiting at intake"),
    "supplement": gettext_lazy("Waiting for supplement"),
    "to_return": gettext_lazy("Results to hand over"),
}


class _Counted(Paginator):
    """A paginator told the count already (read with the others in one query)."""

    def __init__(self, object_list, per_page, known: int):
        super().__init__(object_list, per_page)
        self.count = known


def _page(request, queryset, count: int | None = None, paginator=None):
    if paginator is None:
        paginator = Paginator(queryset, PER_PAGE) if count is None else _Counted(queryset, PER_PAGE, count)
    return paginator.get_page(request.GET.get("page"))


@official_required
def search_view(request):
    """The workspace's search box: a code or its tail, an ID number, a phone or a name, in the user's scope."""
    text = request.GET.get("q", "").strip()
    query = search.classify(text)
    paginator = search.CappedPaginator(
        search.search(request.user, text).select_related("procedure", "processing_unit"), PER_PAGE
    )
    page = _page(request, None, paginator=paginator)
    context = {"q": text, "kind": query.kind, "page": page, "rows": list(page.object_list), "paginator": paginator}
    return render(request, "dossiers/search.html", context)


def _chosen_unit(pk, units) -> Unit | None:
    return next((u for u in units if str(u.pk) == str(pk)), None) if pk else None


@official_required
def detail(request, pk: int):
    dossier = services.dossier_for(request.user, pk)
    if dossier is None:
        raise Http404
    context = _detail_context(request, dossier)
    if dossier.received_at or dossier.status == Status.REFUSED:  # the form the desk just made, to print now
        context["print_now"] = PRINT_NOW.get(request.GET.get("in", ""))
    return render(request, "dossiers/detail.html", context)


# The form a desk decision at intake makes, offered on top of the page it lands on.
PRINT_NOW = {
    "01": ("01", gettext_lazy("Print the receipt (01)")),
    "02": ("02", gettext_lazy("Print the supplement request (02)")),
    "03": ("03", gettext_lazy("Print the refusal (03)")),
}


def _detail_context(request, dossier) -> dict:
    """The dossier page: its facts, the actions the user's roles and its current step allow, its history."""
    actions = [a.value for a in services.available_actions(request.user, dossier)]
    decision, decided_reasons = services.leader_decision(dossier)
    context = {
        "d": dossier,
        "contact": privacy.contact_for(request.user, dossier),
        "actions": actions,
        "current": next((s for s in services.template_steps(dossier) if s.order == dossier.current_step), None),
        "decision": decision.value if decision else "",
        "decided_reasons": decided_reasons,
        "components": dossier.components.prefetch_related("files"),
        "steps": dossier.steps.select_related("unit", "finished_by", "assignee"),
        "events": dossier.events.select_related("unit"),
        "consultations": dossier.consultations.select_related("unit"),
        "fees": dossier.fees.all(),
        "officers": services.assignable(dossier) if "assign" in actions else [],
        "deciding": deciding_units(dossier.procedure, dossier.receiving_unit, timezone.localdate())
        if "accept" in actions else [],
        "units": services.transfer_targets(dossier, timezone.localdate())
        if {"transfer", "consult"} & set(actions) else [],
        "template_steps": services.template_steps(dossier),
        "urgency": services.urgency(dossier, timezone.now()),
        "may_answer": [c for c in dossier.consultations.all() if c.answered_at is None
                       and services.may_answer(request.user, c)],
        "failed": "",
        "posted": {},
        **error_context([]),
    }  # fmt: skip
    return context


@official_required
@require_POST
def act(request, pk: int, action: str):
    dossier = services.dossier_for(request.user, pk)
    if dossier is None:
        raise Http404
    post = request.POST
    version = int(post["version"]) if post.get("version", "").isdigit() else None
    user = request.user
    note = post.get("note", "")
    if action in GUARDED:  # the same rule as the page's buttons, before anything is touched
        refused = services.refusal(user, dossier, Action(action))
        if refused is not None:
            return _refused(request, dossier, action, str(refused.message), refused.status_code)
    try:
        match action:
            case "accept":
                services.accept(user, dossier, components=_components(dossier, post), fees_paid="fees_paid" in post,
                                processing_unit=_processing_unit(post),
                                version=version)  # fmt: skip
            case "refuse":
                services.refuse(user, dossier, note, version=version)
            case "request_supplement":
                services.request_supplement(user, dossier, note, version=version)
            case "resume":
                services.resume(user, dossier, components=_components(dossier, post), note=note, version=version)
            case "assign":
                assignee = get_object_or_404(User, pk=post.get("assignee"))
                services.assign(user, dossier, assignee, note, version=version)
            case "forward":
                services.forward(user, dossier, note, version=version)
            case "leader_approve":
                services.leader_approve(user, dossier, note, version=version)
            case "leader_return":
                services.leader_return(user, dossier, note, version=version)
            case "leader_refuse":
                services.leader_refuse(user, dossier, note, version=version)
            case "send_back":
                services.send_back(user, dossier, int(post.get("to_step") or 0), note, version=version)
            case "transfer":
                unit = get_object_or_404(Unit, pk=post.get("unit"))
                services.transfer(user, dossier, unit, note, version=version)
            case "consult":
                units = list(Unit.objects.filter(pk__in=post.getlist("units")))
                services.consult(user, dossier, units, note, post.get("hours") or 8, version=version)
            case "answer_consultation":
                consultation = get_object_or_404(dossier.consultations, pk=post.get("consultation"))
                services.answer_consultation(user, consultation, note)
            case "request_payment":
                amount = int(post.get("amount") or 0)
                services.request_payment(user, dossier, [(post.get("fee_name", ""), amount)], note, version=version)
            case "record_payment":
                services.record_payment(user, dossier, online="online" in post, version=version)
            case "apologize":
                services.apologize(user, dossier, _local_datetime(post.get("new_appointment")), note, version=version)
            case "issue_result":
                services.issue_result(user, dossier, approved=post.get("approved") != "0",
                                      result_number=post.get("result_number", ""), electronic="electronic" in post,
                                      reasons=note, result_file=request.FILES.get("result_file"),
                                      version=version)  # fmt: skip
            case "stop":
                services.stop(user, dossier, note, version=version)
            case "withdraw":
                services.withdraw(user, dossier, note, version=version)
            case "hand_over":
                services.hand_over(user, dossier, post.get("method", "desk"), post.get("tracking_number", ""),
                                   note, version=version)  # fmt: skip
            case "rate":
                services.rate(dossier, post.get("rating", ""), note, actor=user)
            case "upload":
                upload = request.FILES.get("file")
                if upload is None:
                    raise services.InvalidInput(_("Choose a file to upload."))
                services.attach_file(user, dossier, int(post.get("order") or 0), upload)
            case _:
                raise Http404
    except (DossierError, ValueError) as error:
        text = str(error.message) if isinstance(error, DossierError) else _("Invalid value: %(error)s") % {
            "error": error}  # fmt: skip
        return _refused(request, dossier, action, text, getattr(error, "status_code", 422))
    messages.success(request, _("Done: %(action)s.") % {"action": services.action_label(action)})
    if services.dossier_for(user, dossier.pk) is None:  # transferred out of the user's scope
        return redirect("dossiers:inbox")
    return redirect("dossiers:detail", pk=dossier.pk)


GUARDED = {a.value for a in services.PAGE_ACTIONS}


def _refused(request, dossier, action: str, text: str, status: int):
    """The dossier page again with the refused action's form as it was filled in, the problem
    beside it and listed on top (the page reads the dossier afresh: it may have changed)."""
    fresh = services.dossier_for(request.user, dossier.pk) or dossier
    context = _detail_context(request, fresh)
    context.update(error_context([(f"act-{action}", text)]), failed=action, posted=request.POST)
    return render(request, "dossiers/detail.html", context, status=status)


def _components(dossier, post) -> list[services.ComponentInput] | None:
    if "components" not in post:
        return None
    return [
        services.ComponentInput(
            order=c.order, provided=f"provided_{c.order}" in post, reused=f"reused_{c.order}" in post
        )
        for c in dossier.components.all()
    ]


def _processing_unit(post) -> Unit | None:
    """The unit the desk routes an accepted dossier to (the services check that it may decide)."""
    pk = post.get("processing_unit", "")
    return Unit.objects.filter(pk=int(pk)).first() if pk.isascii() and pk.isdigit() and len(pk) < 19 else None


def _local_datetime(text: str | None) -> datetime:
    moment = parse_datetime(text or "")
    if moment is None:
        raise services.InvalidInput(_("Give the new date and time."))
    return moment if moment.tzinfo else moment.replace(tzinfo=VIETNAM)


@official_required
def document(request, pk: int, form: str):
    """A printable form of the dossier as PDF: 01 receipt, 02 supplement, 03 refusal, 04 apology,
    05 stop notice, 06 control slip."""
    dossier = services.dossier_for(request.user, pk)
    if dossier is None or form not in documents.FORMS:
        raise Http404
    try:
        pdf = documents.render_pdf(form, dossier, request)
    except documents.NotApplicable as error:
        messages.error(request, str(error))
        return redirect("dossiers:detail", pk=pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{documents.filename(form, dossier)}"'
    return response


@official_required
def download(request, pk: int, file_id: int):
    """A stored scan, only for those who may see its dossier."""
    dossier = services.dossier_for(request.user, pk)
    stored = DossierFile.objects.filter(pk=file_id, component__dossier=dossier).first() if dossier else None
    if stored is None:
        raise Http404
    return FileResponse(stored.file.open("rb"), content_type=stored.content_type, filename=stored.original_name)


@official_required
def register_view(request):
    """The dossier register (form 07) of a unit for a period, on screen or as xlsx."""
    scope = units_in_scope(request.user, services.OFFICIAL_ROLES).valid_on(timezone.localdate())
    scope = scope.exclude(kind=UnitKind.AGENCY)[:200]
    if not scope:
        raise Http404
    unit = _chosen_unit(request.GET.get("unit"), scope) or scope[0]
    today = timezone.localdate()
    start = _date(request.GET.get("from")) or today.replace(day=1)
    end = _date(request.GET.get("to")) or today
    if request.GET.get("format") == "xlsx":
        rows = register.rows(request.user, unit, start, end)
        response = HttpResponse(
            register.xlsx(request.user, unit, start, end, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="so-theo-doi-{unit.code}-{start}-{end}.xlsx"'
        return response
    page = _page(request, register.received(request.user, unit, start, end))
    return render(request, "dossiers/register.html", {"units": scope, "unit": unit, "start": start, "end": end,
                                                       "rows": page.object_list, "page": page,
                                                       "count": page.paginator.count})  # fmt: skip


def _date(text: str | None) -> date | None:
    for parse in (date.fromisoformat, lambda t: datetime.strptime(t, "%d/%m/%Y").date()):
        try:
            return parse(text) if text else None
        except ValueError:
            continue
    return None
