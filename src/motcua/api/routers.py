"""Read endpoints for reference data. Handlers translate; the apps' services decide."""

from datetime import date, datetime

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field as SchemaField

from motcua.catalog import services as catalog
from motcua.catalog.models import Field, Procedure
from motcua.units import services as units
from motcua.units.models import Unit
from motcua.workdays import rules
from motcua.workdays.services import calendar_for

from .schemas import DueOut, FieldOut, ProcedureDetail, ProcedureOut, UnitDetail, UnitOut

units_router = Router(tags=["units"])
catalog_router = Router(tags=["catalog"])
calendar_router = Router(tags=["calendar"])


def _unit_out(unit: Unit) -> dict:
    return {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "level": unit.level,
        "parent_code": unit.parent.code if unit.parent else None,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
    }


def _ref(unit: Unit) -> dict:
    return {"code": unit.code, "name": unit.name, "valid_from": unit.valid_from}


class UnitFilter(Schema):
    on: date | None = SchemaField(None, description="The day whose map to show (default today).")
    parent: str | None = SchemaField(None, description="Only the units directly under this unit code.")
    within: str | None = SchemaField(None, description="Only the units in the subtree of this unit code.")
    kind: str | None = None
    q: str | None = SchemaField(None, description="Code or part of the name.")


@units_router.get("", response=list[UnitOut], summary="Units in force on a day")
def list_units(request, filters: Query[UnitFilter]):
    day = filters.on or timezone.localdate()
    queryset = units.units_on(day).select_related("parent")
    for code, narrow in ((filters.parent, "parent"), (filters.within, "within")):
        if code:
            anchor = units.unit_on(code, day)
            if anchor is None:
                raise HttpError(404, _("No unit with code %(code)s on %(day)s.") % {"code": code, "day": day})
            queryset = queryset.filter(parent=anchor) if narrow == "parent" else queryset.subtree_of(anchor)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.q:
        queryset = queryset.filter(Q(code__startswith=filters.q) | Q(name__icontains=filters.q))
    return [_unit_out(u) for u in queryset]


@units_router.get("/{code}", response=UnitDetail, summary="One unit as it was on a day, with succession")
def get_unit(request, code: str, on: date | None = None):
    day = on or timezone.localdate()
    unit = units.unit_on(code, day)
    if unit is None:
        raise Http404
    return {
        **_unit_out(unit),
        "parent": _ref(unit.parent) if unit.parent else None,
        "predecessors": [_ref(u) for u in unit.predecessors.all()],
        "successors": [_ref(u) for u in unit.successors.all()],
        "children": [_ref(u) for u in unit.children.valid_on(day)],
    }


@catalog_router.get("/fields", response=list[FieldOut], summary="Fields of procedures")
def list_fields(request):
    fields = Field.objects.annotate(procedure_count=Count("procedures", filter=Q(procedures__is_active=True)))
    return [{"code": f.code, "name": f.name, "procedure_count": f.procedure_count} for f in fields]


class ProcedureFilter(Schema):
    q: str = SchemaField("", description="Words of the name or the code, with or without diacritics.")
    field: str = ""
    level: str = ""
    online_kind: str = ""


def _procedure_out(procedure: Procedure) -> dict:
    return {
        "code": procedure.code,
        "name": procedure.name,
        "field_code": procedure.field.code,
        "field_name": procedure.field.name,
        "level": procedure.level,
        "duration_value": procedure.duration_value,
        "duration_unit": procedure.duration_unit,
        "result_type": procedure.result_type,
        "online_kind": procedure.online_kind,
        "multi_agency": procedure.multi_agency,
    }


@catalog_router.get("/procedures", response=list[ProcedureOut], summary="Search the procedure catalog")
def list_procedures(request, filters: Query[ProcedureFilter]):
    found = catalog.search_procedures(
        filters.q, field=filters.field, level=filters.level, online_kind=filters.online_kind
    )
    return [_procedure_out(p) for p in found]


@catalog_router.get("/procedures/{code}", response=ProcedureDetail, summary="One procedure in full")
def get_procedure(request, code: str):
    procedure = get_object_or_404(Procedure.objects.select_related("field"), code=code, is_active=True)
    process = catalog.current_process(procedure)
    return {
        **_procedure_out(procedure),
        "agency": procedure.agency,
        "legal_basis": procedure.legal_basis,
        "components": list(procedure.components.values("order", "name", "required")),
        "fees": list(procedure.fees.values("name", "amount")),
        "process": None
        if process is None
        else {
            "version": process.version,
            "valid_from": process.valid_from,
            "total_hours": process.total_hours,
            "steps": list(process.steps.values("order", "title", "role", "hours")),
        },
    }


@calendar_router.get(
    "/due",
    response=DueOut,
    summary="Due time of a dossier received at a moment",
    description="received_at is ISO 8601; without a time zone it is read as Vietnam time.",
)
def due(request, procedure: str, received_at: datetime):
    found = catalog.procedure_by_code(procedure)
    if found is None:
        raise HttpError(404, _("No procedure with code %(code)s.") % {"code": procedure})
    if timezone.is_naive(received_at):
        received_at = received_at.replace(tzinfo=rules.VIETNAM)
    try:
        calendar = calendar_for(received_at)
        due_at = rules.due_at(calendar, received_at, found.duration)
    except rules.CalendarRangeError as exc:
        raise HttpError(422, _("The date is outside the working calendar.")) from exc
    return {
        "procedure": found.code,
        "duration_value": found.duration_value,
        "duration_unit": found.duration_unit,
        "received_at": received_at.astimezone(rules.VIETNAM),
        "clock_starts_at": rules.clock_start(calendar, received_at),
        "due_at": due_at,
        "working_hours": found.duration.working_hours,
    }
