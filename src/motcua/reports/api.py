"""GET /api/reports/settlement: the II.06a report of a unit the caller may read."""

from datetime import date

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.security import django_auth

from motcua.dossiers.rules import InvalidInput
from motcua.units.services import unit_on

from . import exports, services

router = Router(tags=["reports"], auth=django_auth)


class SettlementQuery(Schema):
    unit: str
    date_from: date = Query(..., alias="from")
    date_to: date = Query(..., alias="to")
    by: services.GroupBy = services.GroupBy.LEVEL
    format: str = "json"


@router.get("/settlement", summary="Settlement report (form II.06a) for a unit and period")
def settlement(request, q: Query[SettlementQuery]):
    if q.date_to < q.date_from:
        raise InvalidInput(_("The period ends before it starts."))
    if q.format not in exports.FORMATS:
        raise InvalidInput(_("Unknown format %(format)s.") % {"format": q.format})
    unit = unit_on(q.unit, min(q.date_to, timezone.localdate()))
    if unit is None or not services.may_read(request.user, unit):
        raise Http404(_("No such unit in your scope."))
    report = services.settlement_report(unit, q.date_from, q.date_to, q.by)
    response = HttpResponse(exports.render(report, q.format), content_type=exports.CONTENT_TYPES[q.format])
    if q.format != "json":
        name = f"bao-cao-II06a-{unit.code}-{q.date_from:%Y%m%d}-{q.date_to:%Y%m%d}.{q.format}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
