"""Who decides a procedure for a desk: the competence a procedure names, turned into units.

A procedure names, per level, the agency types that decide it (``Procedure.deciders``). For a
dossier received at a desk, the deciding units are that level's authority's agencies of those
types in force on the day; with no such agency, the authority itself; with no type named, the
authority or any of its agencies.
"""

from __future__ import annotations

from datetime import date

from motcua.units.models import Level, Unit, UnitKind

from .models import Procedure


def authority_for(procedure: Procedure, desk: Unit) -> Unit:
    """The people's committee at the procedure's level that the desk serves (the desk's own
    authority when it has none at that level: a commune procedure at the province's centre)."""
    if procedure.level == Level.PROVINCE:
        return desk.province or desk
    unit = desk.parent or desk
    while unit is not None and unit.level != procedure.level:
        unit = unit.parent
    return unit or desk.parent or desk


def deciding_units(procedure: Procedure, desk: Unit, day: date) -> list[Unit]:
    """The units that may process ``procedure`` received at ``desk`` on ``day``, the default first."""
    authority = authority_for(procedure, desk)
    agencies = Unit.objects.valid_on(day).filter(parent=authority, kind=UnitKind.AGENCY).order_by("path")
    types = (procedure.deciders or {}).get(procedure.level) or []
    if types:
        named = sorted(agencies.filter(agency_type__in=types), key=lambda u: (types.index(u.agency_type), u.path))
        return named or [authority]
    return [authority, *agencies]


def level_on(procedure: Procedure, day: date) -> str:
    """The level that handles ``procedure`` on ``day``. On the two-level map (from 1 July 2025, no
    districts) a procedure published for the district level is handled by the communes."""
    if procedure.level == Level.DISTRICT and not Unit.objects.valid_on(day).filter(kind=UnitKind.DISTRICT).exists():
        return Level.COMMUNE
    return procedure.level
