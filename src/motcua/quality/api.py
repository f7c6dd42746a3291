"""The service index of a unit the caller may read, with the ranking of the units under it."""

from datetime import date

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.security import django_auth
from pydantic import Field

from motcua.core.errors import InvalidInput
from motcua.reports.services import may_read
from motcua.units.services import unit_on

from . import exports, services

router = Router(tags=["quality"], auth=django_auth)


class IndexQuery(Schema):
    unit: str
    date_from: date = Field(..., alias="from")
    date_to: date = Field(..., alias="to")
    ranking: bool = True
    format: str = "json"


@router.get("/index", summary="Service index (Decision 766) of a unit for a period")
def service_index(request, q: Query[IndexQuery]):
    """The five groups and every indicator (part, whole, rate in percent, points; ``no_data`` for
    those this system holds no data for, left out of the total), and with ``ranking`` the units
    directly under it ranked among those of their level and kind, with the previous period's rank."""
    if q.format not in exports.FORMATS:
        raise InvalidInput(_("Unknown format %(format)s.") % {"format": q.format})
    if q.date_to < q.date_from:
        raise InvalidInput(_("The period ends before it starts."))
    unit = unit_on(q.unit, min(q.date_to, timezone.localdate()))
    if unit is None or not may_read(request.user, unit):
        raise Http404(_("No such unit in your scope."))
    item = services.index(unit, q.date_from, q.date_to)
    ranking = services.ranking(unit, q.date_from, q.date_to) if q.ranking else None
    response = HttpResponse(exports.render(item, q.format, ranking), content_type=exports.CONTENT_TYPES[q.format])
    if q.format != "json":
        response["Content-Disposition"] = (
            f'attachment; filename="chi-so-{unit.code}-{q.date_from:%Y%m%d}-{q.date_to:%Y%m%d}.{q.format}"'
        )
    return response
