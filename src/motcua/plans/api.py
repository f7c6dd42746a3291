"""The reform programme through the API, scoped to the caller's units."""

from datetime import date

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router
from ninja.security import django_auth

from motcua.core.schemas import Year
from motcua.people.services import units_in_scope
from motcua.units.services import unit_on

from . import rules, services

router = Router(tags=["plans"], auth=django_auth)


def _unit(request, code: str, day: date):
    unit = unit_on(code, day)
    if unit is None or not units_in_scope(request.user, services.OFFICIALS).filter(pk=unit.pk).exists():
        raise Http404(_("No such unit in your scope."))
    return unit


@router.get("/tasks", summary="Reform tasks of your units, with where each stands today")
def tasks(request, overdue: bool = False):
    today = timezone.localdate()
    rows = []
    for task in services.tasks_for(request.user).order_by("deadline", "id"):
        state = services.standing_of(task, today)
        if overdue and state is not rules.Standing.OVERDUE:
            continue
        rows.append(
            {
                "id": task.pk,
                "title": task.title,
                "plan": task.plan.title,
                "year": task.plan.year,
                "area": task.area.code,
                "lead_unit": task.lead_unit.code,
                "deadline": task.deadline,
                "status": task.status,
                "done_on": task.done_on,
                "standing": state.value,
            }
        )
    return rows


@router.get("/review", summary="Tasks per lead unit and area as they stood at the end of a period")
def review(request, unit: str, year: Year, date_from: date, date_to: date):
    found = services.review(_unit(request, unit, date_to), year, date_from, date_to)

    def row(r):
        return {"key": r.key, "label": r.label, "total": r.total, **{s.value: r.counts.get(s, 0) for s in rules.ORDER}}

    return {
        "unit": found.unit.code,
        "year": year,
        "from": date_from,
        "to": date_to,
        "as_of": found.as_of,
        "by_unit": [row(r) for r in found.by_unit],
        "by_area": [row(r) for r in found.by_area],
        "total": row(found.total),
        "unfinished": [
            {"id": t.pk, "title": t.title, "lead_unit": t.lead_unit.code, "deadline": t.deadline, "standing": s.value}
            for t, s in found.unfinished
        ],
    }


@router.get("/rating", summary="A unit's yearly task-completion rating")
def rating(request, unit: str, year: Year):
    try:
        found = services.rating(_unit(request, unit, date(year, 12, 31)), year)
    except services.PlanError as error:
        raise Http404(str(error.message)) from None
    return {
        "unit": unit,
        "year": year,
        "score": str(found.score),
        "band": found.band.code if found.band else None,
        "tasks": found.tasks,
        "on_time": found.on_time,
        "late": found.late,
        "fixes_missed": found.fixes_missed,
    }


@router.get("/staffing", summary="Approved quotas and headcounts per level and kind, with last year's")
def staffing(request, unit: str, year: Year):
    found = services.quota_totals(_unit(request, unit, date(year, 12, 31)), year)
    return [
        {
            "level": t.level,
            "kind": t.kind,
            "approved": t.approved,
            "actual": t.actual,
            "previous": t.previous,
            "change": t.change,
        }
        for t in found
    ]


@router.get("/plans", summary="Reform plans of your units, with their directive documents")
def plans(request, year: Year | None = None):
    found = services.plans_for(request.user).prefetch_related("directives")
    if year:
        found = found.filter(year=year)
    return [
        {
            "id": p.pk,
            "unit": p.unit.code,
            "year": p.year,
            "title": p.title,
            "number": p.number,
            "issued_on": p.issued_on,
            "legal_basis": p.legal_basis,
            "directives": [
                {"number": d.number, "issued_on": d.issued_on, "issuer": d.issuer, "title": d.title}
                for d in p.directives.all()
            ],
        }
        for p in found
    ]


@router.get("/inspections", summary="Inspections organised by or visiting your units, with their fixes")
def inspections(request):
    found = services.inspections_for(request.user).prefetch_related("units", "fixes__unit")
    return [
        {
            "id": i.pk,
            "organiser": i.organiser.code,
            "kind": i.kind,
            "visited_on": i.visited_on,
            "team": i.team,
            "units": [u.code for u in i.units.all()],
            "findings": i.findings,
            "fixes": [
                {"unit": f.unit.code, "description": f.description, "deadline": f.deadline, "done_on": f.done_on}
                for f in i.fixes.all()
            ],
        }
        for i in found
    ]
