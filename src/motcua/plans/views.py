"""Reform programme pages, each scoped to the user's units."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from motcua.core.errors import Refused
from motcua.core.imports import import_upload
from motcua.people.access import official_required
from motcua.people.services import units_in_scope
from motcua.units.models import Unit

from . import exports, rules, services
from .links import registered as task_links
from .models import Fix, InspectionKind, ReformArea, StaffKind, TaskStatus


def _scope(request, roles=services.OFFICIALS):
    return units_in_scope(request.user, roles).valid_on(timezone.localdate()).order_by("path")


def _unit(request, roles=services.OFFICIALS) -> Unit:
    """The unit asked for (``?unit=``, in force or not: reviews look back) among the user's, else
    the user's first unit in force."""
    chosen = request.GET.get("unit") or request.POST.get("unit")
    scope = units_in_scope(request.user, roles)
    unit = scope.filter(pk=chosen).first() if chosen and str(chosen).isdigit() else None
    unit = unit or _scope(request, roles).first()
    if unit is None:
        raise Http404
    return unit


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _refusal(request, error) -> None:
    messages.error(request, str(getattr(error, "message", error)))


@official_required
def index(request):
    today = timezone.localdate()
    plans = services.plans_for(request.user).order_by("-year", "unit__path")
    planners = _scope(request, services.PLANNERS)
    if request.method == "POST" and request.POST.get("step") == "import" and planners:
        import_upload(request, "plan")
        return redirect("plans:index")
    if request.method == "POST":
        unit = planners.filter(pk=request.POST.get("unit")).first()
        if unit is None:
            raise Http404
        try:
            plan = services.create_plan(
                request.user,
                unit,
                int(request.POST.get("year", today.year)),
                request.POST.get("title", ""),
                request.POST.get("number", ""),
                _date(request.POST.get("issued_on")),
                request.POST.get("legal_basis", ""),
            )
        except (services.PlanError, ValueError) as error:
            _refusal(request, error)
            return redirect("plans:index")
        return redirect("plans:plan", pk=plan.pk)
    return render(request, "plans/index.html", {"plans": plans, "planners": planners, "year": today.year})


@official_required
def plan(request, pk: int):
    item = services.plans_for(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404
    today = timezone.localdate()
    may = services.may_plan(request.user, item.unit)
    if request.method == "POST" and may:
        try:
            if request.POST.get("step") == "directive":
                services.add_directive(
                    request.user,
                    item,
                    request.POST.get("number", ""),
                    _date(request.POST.get("issued_on")) or today,
                    request.POST.get("issuer", ""),
                    request.POST.get("title", ""),
                    request.FILES.get("file"),
                )
            else:
                lead = Unit.objects.filter(pk=request.POST.get("lead_unit")).first()
                deadline = _date(request.POST.get("deadline"))
                if lead is None or deadline is None:
                    raise services.PlanError(_("Choose the lead unit and the deadline."))
                services.add_task(
                    request.user,
                    item,
                    area=ReformArea.objects.get(pk=request.POST.get("area")),
                    title=request.POST.get("title", ""),
                    lead_unit=lead,
                    deadline=deadline,
                    output=request.POST.get("output", ""),
                    partners=Unit.objects.filter(pk__in=request.POST.getlist("partners")),
                    links={link.name: request.POST.getlist(link.name) for link in task_links()},
                )
            messages.success(request, _("Saved."))
        except (services.PlanError, ReformArea.DoesNotExist) as error:
            _refusal(request, error)
        return redirect("plans:plan", pk=pk)
    tasks = list(item.tasks.select_related("area", "lead_unit").prefetch_related("partners"))
    for task in tasks:
        task.standing = services.standing_of(task, today)
    units = Unit.objects.subtree_of(item.unit).valid_on(today).order_by("path")[:500] if may else []
    context = {
        "p": item,
        "tasks": tasks,
        "may": may,
        "areas": ReformArea.objects.all(),
        "units": units,
        "links": [(link, link.choices(item)) for link in task_links()] if may else [],
    }
    return render(request, "plans/plan.html", context)


@official_required
def tasks(request):
    today = timezone.localdate()
    rows = list(services.tasks_for(request.user).order_by("deadline", "id")[:500])
    for task in rows:
        task.standing = services.standing_of(task, today)
    if request.GET.get("show") == "overdue":
        rows = [t for t in rows if t.standing is rules.Standing.OVERDUE]
    return render(request, "plans/tasks.html", {"tasks": rows, "show": request.GET.get("show", "")})


@official_required
def task(request, pk: int):
    item = services.tasks_for(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404
    if request.method == "POST":
        try:
            services.report_progress(
                request.user,
                item,
                request.POST.get("text", ""),
                request.POST.get("status", TaskStatus.IN_PROGRESS),
                request.FILES.get("file"),
            )
            messages.success(request, _("Progress recorded."))
        except (Refused, ValueError) as error:  # a refused plan action or upload
            _refusal(request, error)
        return redirect("plans:task", pk=pk)
    item.standing = services.standing_of(item, timezone.localdate())
    links = [(link.label, link.labels(item)) for link in task_links()]
    context = {"t": item, "notes": item.notes.all(), "statuses": TaskStatus.choices, "links": links}
    return render(request, "plans/task.html", context)


def review_period(request, today: date) -> tuple[int, date, date, str]:
    year = int(request.GET.get("year") or today.year)
    period = request.GET.get("period", "quarter")
    number = int(request.GET.get("number") or ((today.month - 1) // 3 + 1 if period == "quarter" else today.month))
    if period == "month":
        first = date(year, number, 1)
        last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    elif period == "year":
        first, last = date(year, 1, 1), date(year, 12, 31)
    else:
        period = "quarter"
        first = date(year, 3 * (number - 1) + 1, 1)
        last = (date(year, 3 * number, 28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return year, first, last, period


@official_required
def review(request):
    today = timezone.localdate()
    unit = _unit(request)
    try:
        year, first, last, period = review_period(request, today)
    except ValueError:
        raise Http404 from None
    found = services.review(unit, year, first, last, today)
    fmt = request.GET.get("format")
    if fmt in exports.CONTENT_TYPES:
        response = HttpResponse(exports.render(found, fmt), content_type=exports.CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="so-ket-cchc-{unit.code}-{first}-{last}.{fmt}"'
        return response
    context = {
        "r": found,
        "units": _scope(request)[:300],
        "unit": unit,
        "period": period,
        "number": request.GET.get("number", ""),
        "heads": [STANDING_LABELS[s] for s in rules.ORDER],
        "laggards": services.units_with_unfinished(found),
        "names": exports.HEADS,
        "query": request.GET.urlencode(),
    }
    return render(request, "plans/review.html", context)


# A task's standing at the cut-off in the reader's language (the printed review keeps the form's words).
STANDING_LABELS = {
    rules.Standing.DONE_ON_TIME: pgettext_lazy("task standing", "Done on time"),
    rules.Standing.DONE_LATE: pgettext_lazy("task standing", "Done late"),
    rules.Standing.IN_PROGRESS: pgettext_lazy("task standing", "In progress"),
    rules.Standing.OVERDUE: pgettext_lazy("task standing", "Overdue, not done"),
    rules.Standing.NOT_STARTED: pgettext_lazy("task standing", "Not started"),
}


@official_required
def inspections(request):
    items = services.inspections_for(request.user).prefetch_related("units")
    organisers = _scope(request, services.PLANNERS)
    if request.method == "POST":
        organiser = organisers.filter(pk=request.POST.get("organiser")).first()
        if organiser is None:
            raise Http404
        visited = list(Unit.objects.filter(pk__in=request.POST.getlist("units")))
        try:
            found = services.record_inspection(
                request.user,
                organiser,
                request.POST.get("kind", InspectionKind.PLANNED),
                _date(request.POST.get("visited_on")) or timezone.localdate(),
                request.POST.get("team", ""),
                visited,
                request.POST.get("findings", ""),
            )
        except services.PlanError as error:
            _refusal(request, error)
            return redirect("plans:inspections")
        return redirect("plans:inspection", pk=found.pk)
    units = Unit.objects.none()
    if organisers:
        units = Unit.objects.subtree_of(organisers[0]).valid_on(timezone.localdate()).order_by("path")[:500]
    return render(
        request,
        "plans/inspections.html",
        {"items": items, "organisers": organisers, "units": units, "kinds": InspectionKind.choices},
    )


@official_required
def inspection(request, pk: int):
    item = services.inspections_for(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404
    if request.method == "POST":
        try:
            if request.POST.get("step") == "fix":
                unit = item.units.filter(pk=request.POST.get("unit")).first()
                deadline = _date(request.POST.get("deadline"))
                if unit is None or deadline is None:
                    raise services.PlanError(_("Choose the unit and the deadline."))
                services.require_fix(request.user, item, unit, request.POST.get("description", ""), deadline)
            else:
                fix = Fix.objects.filter(inspection=item, pk=request.POST.get("fix")).first()
                if fix is None:
                    raise Http404
                services.follow_up(request.user, fix, request.POST.get("note", ""), _date(request.POST.get("done_on")))
            messages.success(request, _("Saved."))
        except services.PlanError as error:
            _refusal(request, error)
        return redirect("plans:inspection", pk=pk)
    may = services.may_plan(request.user, item.organiser)
    return render(
        request,
        "plans/inspection.html",
        {"i": item, "fixes": item.fixes.select_related("unit"), "may": may, "today": timezone.localdate()},
    )


@official_required
def ratings(request):
    today = timezone.localdate()
    unit = _unit(request)
    year = int(request.GET.get("year") or today.year)
    children = Unit.objects.filter(parent=unit).valid_on(min(date(year, 12, 31), today)).order_by("path")
    try:
        rows = [(child, services.rating(child, year, today)) for child in [unit, *children]]
    except services.PlanError as error:
        _refusal(request, error)
        rows = []
    return render(
        request, "plans/ratings.html", {"rows": rows, "unit": unit, "year": year, "units": _scope(request)[:300]}
    )


@official_required
def staffing(request):
    today = timezone.localdate()
    unit = _unit(request)
    year = int(request.GET.get("year") or request.POST.get("year") or today.year)
    if request.method == "POST" and request.POST.get("step") == "import":
        import_upload(request, "quotas")
        return redirect(f"{request.path}?unit={unit.pk}&year={year}")
    if request.method == "POST":
        target = Unit.objects.subtree_of(unit).filter(pk=request.POST.get("target")).first()
        try:
            if target is None:
                raise services.PlanError(_("Choose the unit."))
            services.set_quota(
                request.user,
                target,
                year,
                request.POST.get("kind", StaffKind.CIVIL_SERVANT),
                int(request.POST.get("approved", "")),
                int(request.POST.get("actual") or 0),
                request.POST.get("decision", ""),
                _date(request.POST.get("decided_on")) or today,
                request.POST.get("issuer", ""),
            )
            messages.success(request, _("Saved."))
        except ValueError:
            messages.error(request, _("Give the quota and the headcount as whole numbers."))
        except services.PlanError as error:
            _refusal(request, error)
        return redirect(f"{request.path}?unit={unit.pk}&year={year}")
    from .models import Quota

    quotas = Quota.objects.filter(year=year, unit__path__startswith=unit.path).select_related("unit")
    context = {
        "unit": unit,
        "year": year,
        "units": _scope(request)[:300],
        "quotas": quotas.prefetch_related("changes"),
        "totals": services.quota_totals(unit, year),
        "kinds": StaffKind.choices,
        "targets": Unit.objects.subtree_of(unit).valid_on(date(year, 12, 31)).order_by("path")[:500],
    }
    return render(request, "plans/staffing.html", context)
