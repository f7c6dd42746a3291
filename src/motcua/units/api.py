"""Administrative units through the API: the map of any day, and one unit with its succession."""

from datetime import date

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field as SchemaField

from . import services as units
from .models import Unit

router = Router(tags=["units"])


class UnitRef(Schema):
    code: str
    name: str
    valid_from: date


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    level: str
    parent_code: str | None
    valid_from: date
    valid_to: date | None


class UnitDetail(UnitOut):
    parent: UnitRef | None
    predecessors: list[UnitRef]
    successors: list[UnitRef]
    children: list[UnitRef]


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


# The operation ids are those the API published when it served these from api/routers.py.
@router.get("", response=list[UnitOut], summary="Units in force on a day", operation_id="motcua_api_routers_list_units")
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


@router.get(
    "/{code}",
    response=UnitDetail,
    summary="One unit as it was on a day, with succession",
    operation_id="motcua_api_routers_get_unit",
)
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
