"""The procedure catalog through the API, and the due time of a dossier received for a procedure
(``calendar``: the procedure's duration counted on the working calendar)."""

from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field as SchemaField

from motcua.workdays import rules
from motcua.workdays.services import calendar_for

from . import services as catalog
from .competence import level_on
from .models import Field, Procedure

router = Router(tags=["catalog"])
calendar_router = Router(tags=["calendar"])


class FieldOut(Schema):
    code: str
    name: str
    procedure_count: int


class ProcedureOut(Schema):
    code: str
    name: str
    field_code: str
    field_name: str
    level: str
    duration_value: Decimal
    duration_unit: str
    result_type: str
    online_kind: str
    multi_agency: bool


class ComponentOut(Schema):
    order: int
    name: str
    required: bool
    originals: int = SchemaField(description="Originals (bản chính) to hand in; 0: none asked.")
    copies: int = SchemaField(description="Copies (bản sao) to hand in; 0: none asked.")


class WayOut(Schema):
    channel: str = SchemaField(description="in_person, postal or online")
    duration_value: Decimal
    duration_unit: str
    fees: str
    note: str


class FeeOut(Schema):
    name: str
    amount: int


class StepOut(Schema):
    order: int
    title: str
    role: str
    hours: Decimal


class ProcessOut(Schema):
    version: int
    valid_from: date
    total_hours: Decimal
    steps: list[StepOut]


class ProcedureDetail(ProcedureOut):
    level_today: str = SchemaField(description="The level handling it today (district ones: the communes since 2025).")
    agency: str
    applicants: str
    result: str
    legal_basis: str
    sequence: list[str] = SchemaField(description="The steps the applicant follows (trình tự thực hiện).")
    ways: list[WayOut]
    components: list[ComponentOut]
    fees: list[FeeOut]
    process: ProcessOut | None


class DueOut(Schema):
    procedure: str
    duration_value: Decimal
    duration_unit: str
    received_at: datetime
    clock_starts_at: datetime
    due_at: datetime
    working_hours: Decimal | None


# The operation ids are those the API published when it served these from api/routers.py.
@router.get(
    "/fields", response=list[FieldOut], summary="Fields of procedures", operation_id="motcua_api_routers_list_fields"
)
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


@router.get(
    "/procedures",
    response=list[ProcedureOut],
    summary="Search the procedure catalog",
    operation_id="motcua_api_routers_list_procedures",
)
def list_procedures(request, filters: Query[ProcedureFilter]):
    found = catalog.search_procedures(
        filters.q, field=filters.field, level=filters.level, online_kind=filters.online_kind
    )
    return [_procedure_out(p) for p in found]


@router.get(
    "/procedures/{code}",
    response=ProcedureDetail,
    summary="One procedure in full",
    operation_id="motcua_api_routers_get_procedure",
)
def get_procedure(request, code: str):
    procedure = get_object_or_404(Procedure.objects.select_related("field"), code=code, is_active=True)
    process = catalog.current_process(procedure)
    ways = [
        {
            "channel": w.channel,
            "duration_value": w.duration_value if w.duration_value is not None else procedure.duration_value,
            "duration_unit": w.duration_unit or procedure.duration_unit,
            "fees": w.fees,
            "note": w.note,
        }
        for w in procedure.ways.all()
    ]
    return {
        **_procedure_out(procedure),
        "level_today": level_on(procedure, timezone.localdate()),
        "agency": procedure.agency,
        "applicants": procedure.applicants,
        "result": procedure.result,
        "legal_basis": procedure.legal_basis,
        "sequence": procedure.sequence_steps,
        "ways": ways,
        "components": list(procedure.components.values("order", "name", "required", "originals", "copies")),
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
    operation_id="motcua_api_routers_due",
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
