"""Which units a unit's subtree covers, under the unit map as it was or as it is today.

The map as it was is the unit's subtree, old units included. On today's map every unit of the
province that has ended is counted under the unit carrying it on today (its successor, followed
through every reorganisation; the first of several when it was split; its nearest ancestor still
in force when it had none). Reports, the service index and its warnings read units this way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Succession, Unit


class UnitMap(models.TextChoices):
    PERIOD = "period", _("Units as they were in the period")
    TODAY = "today", _("Today's units (old units rolled up into their successors)")


@dataclass(frozen=True, slots=True)
class Place:
    """What is needed of a unit (read as plain values: a province has thousands)."""

    pk: int
    code: str
    name: str
    level: str
    path: str
    parent_id: int | None
    valid_from: date
    valid_to: date | None

    FIELDS = ("pk", "code", "name", "level", "path", "parent_id", "valid_from", "valid_to")

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass
class Scope:
    top: Unit
    unit_map: UnitMap
    # Every unit whose dossiers are counted → the unit they are counted under.
    home: dict[int, Place] = field(default_factory=dict)

    @property
    def province(self) -> int:
        return self.top.province_id or self.top.pk

    @property
    def whole_province(self) -> bool:
        return self.top.pk == self.province

    def where(self, unit_field: str = "unit_id") -> Q:
        """Rows of the scope's units: the province's tenant column when it is the whole province."""
        if self.whole_province:
            return Q(province_id=self.province)
        return Q(**{f"{unit_field}__in": sorted(self.home)})

    def covers(self, unit_id: int) -> bool:
        return unit_id in self.home


def scope_for(top: Unit, unit_map: UnitMap | str = UnitMap.PERIOD, today: date | None = None) -> Scope:
    unit_map = UnitMap(unit_map)
    province = top.province_id or top.pk
    rows = Unit.objects.filter(Q(province_id=province) | Q(pk=province)).values_list(*Place.FIELDS)
    units = {row[0]: Place(*row) for row in rows}
    if unit_map is UnitMap.PERIOD:
        home = {pk: u for pk, u in units.items() if u.path.startswith(top.path)}
    else:
        day = today or date.today()
        successors: dict[int, list[int]] = {}
        # By the province's tenant column: a list of ~2,000 unit ids costs more to send than to read.
        in_province = Q(predecessor__province_id=province) | Q(predecessor_id=province)
        for before, after in Succession.objects.filter(in_province).values_list("predecessor_id", "successor_id"):
            successors.setdefault(before, []).append(after)
        home = {}
        for pk in units:
            carrier = _carrier(pk, units, successors, day)
            if carrier is not None and carrier.path.startswith(top.path):
                home[pk] = carrier
    return Scope(top, unit_map, home)


def _carrier(pk: int, units: dict[int, Place], successors: dict[int, list[int]], day: date) -> Place | None:
    seen = set()
    current = units[pk]
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        if current.is_valid_on(day):
            return current
        following = sorted((units[s] for s in successors.get(current.pk, ()) if s in units), key=lambda u: u.path)
        current = following[0] if following else units.get(current.parent_id)
    return None


def branches_of(scope: Scope) -> dict[int, Place | Unit]:
    """Each unit the scope counts → the child of the top unit it is counted under (the top itself
    for the top's own dossiers)."""
    return {pk: _branch(scope.top, u, scope.home) for pk, u in scope.home.items()}


def _branch(top: Unit, unit: Place, home: dict[int, Place]) -> Place | Unit:
    """The child of ``top`` that ``unit`` belongs to (``top`` itself for its own dossiers)."""
    if unit.pk == top.pk or not unit.path.startswith(top.path):
        return top
    child_id = int(unit.path[len(top.path) :].split("/")[0])
    if child_id not in home:
        return Place(*Unit.objects.filter(pk=child_id).values_list(*Place.FIELDS).get())
    return home[child_id]
