"""The settlement report (II.06a) of a unit the caller may read, and its sign-off."""

from datetime import date, datetime

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja import Status as WithStatus
from ninja.security import django_auth
from pydantic import Field

from motcua.core.errors import InvalidInput
from motcua.units.maps import UnitMap
from motcua.units.models import Unit
from motcua.units.services import unit_on

from . import exports, services

router = Router(tags=["reports"], auth=django_auth)


class ReportChoice(Schema):
    unit: str
    date_from: date = Field(..., alias="from")
    date_to: date = Field(..., alias="to")
    by: services.GroupBy = services.GroupBy.LEVEL
    map: UnitMap = UnitMap.PERIOD


class SettlementQuery(ReportChoice):
    format: str = "json"


class SignIn(ReportChoice):
    note: str = ""


class SignedOut(Schema):
    id: int
    unit: str
    first: date
    last: date
    by: str
    map: str
    signed_by: str
    signed_at: datetime


def _report(request, unit_code: str, first: date, last: date, by, unit_map) -> services.Report:
    if last < first:
        raise InvalidInput(_("The period ends before it starts."))
    day = timezone.localdate() if unit_map == UnitMap.TODAY else min(last, timezone.localdate())
    unit = unit_on(unit_code, day)
    if unit is None or not services.may_read(request.user, unit):
        raise Http404(_("No such unit in your scope."))
    return services.settlement_report(unit, first, last, by, unit_map=unit_map)


@router.get("/settlement", summary="Settlement report (form II.06a) for a unit and period")
def settlement(request, q: Query[SettlementQuery]):
    """Rows grouped by level, unit, field or procedure, then the total; each row carries key,
    label, the twelve counts and the digitization and online rates (percent, two decimals).
    ``map=today`` counts the units that have ended under the units carrying them on today."""
    if q.format not in exports.FORMATS:
        raise InvalidInput(_("Unknown format %(format)s.") % {"format": q.format})
    report = _report(request, q.unit, q.date_from, q.date_to, q.by, q.map)
    if q.format == "json":
        return HttpResponse(exports.as_json(report, {"signed_off": _signed(report)}),
                            content_type=exports.CONTENT_TYPES["json"])  # fmt: skip
    response = HttpResponse(exports.render(report, q.format), content_type=exports.CONTENT_TYPES[q.format])
    name = f"bao-cao-II06a-{report.unit.code}-{q.date_from:%Y%m%d}-{q.date_to:%Y%m%d}.{q.format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _signed(report: services.Report) -> dict | None:
    signed = services.latest_signed(report)
    if signed is None:
        return None
    changed = services.differences(signed, report.rows)
    return {
        "id": signed.pk, "signed_by": signed.signer_name, "signed_at": signed.signed_at.isoformat(),
        "changed_since": bool(changed),
        "differences": [{"key": d.key, "column": d.column, "signed": d.signed, "now": d.now} for d in changed],
    }  # fmt: skip


@router.post("/settlement/sign", response={201: SignedOut}, summary="Sign a closed period's report off")
def sign(request, body: SignIn):
    """Keep the report as it stands now, signed by the caller (a leader of the unit)."""
    report = _report(request, body.unit, body.date_from, body.date_to, body.by, body.map)
    signed = services.sign_off(request.user, report, body.note)
    return WithStatus(201, _out(signed, report.unit))


def _out(signed, unit: Unit) -> SignedOut:
    return SignedOut(id=signed.pk, unit=unit.code, first=signed.first, last=signed.last, by=signed.by,
                     map=signed.unit_map, signed_by=signed.signer_name, signed_at=signed.signed_at)  # fmt: skip
