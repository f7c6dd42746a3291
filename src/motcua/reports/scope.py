"""Which units a report covers and under which row each of them is counted.

A report is asked for a unit and reads the unit map either as it was (the unit's subtree, old
units included) or as it is today: then every unit of the province that has ended is counted
under the unit carrying it on today (its successor, followed through every reorganisation; the
first of several when it was split; its nearest ancestor still in force when it had none).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _

from motcua.catalog.models import Procedure
from motcua.units.models import Level, Succession, Unit

from .models import UnitMap
from .rules import Row

LEVEL_ORDER = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2}


@dataclass(frozen=True, slots=True)
class Place:
    """What the report needs of a unit (read as plain values: a province has thousands)."""

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
    # Every unit whose dossiers the report counts → the unit they are counted under.
    home: dict[int, Place] = field(default_factory=dict)

    @property
    def province(self) -> int:
        return self.top.province_id or self.top.pk

    @property
    def whole_province(self) -> bool:
        return self.top.pk == self.province

    def where(self, unit_field: str = "unit_id") -> Q:
        """Rows of the report's units: the province's tenant column when it is the whole province."""
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


# ---------------------------------------------------------------------------------------------
# Rows


class Grouping:
    """The row each unit (or procedure) is counted in, for one report."""

    def __init__(self, scope: Scope, by: str):
        self.scope, self.by = scope, by
        self._unit_rows = self._rows_of_units() if self.by_unit else {}
        self._procedures: dict[int, Procedure] = {}

    @property
    def by_unit(self) -> bool:
        return self.by in ("level", "unit")

    @property
    def dimension(self) -> str:
        """The ledger column the sums are grouped by."""
        return "unit_id" if self.by_unit else "procedure_id"

    def row(self, key: int) -> Row:
        """A new row (with no counts) for a unit id or procedure id, as ``dimension`` says."""
        if self.by_unit:
            template = self._unit_rows[key]
            return Row(template.key, template.label, level=template.level)
        if key not in self._procedures:
            self._procedures.update(_procedures([key]))
        procedure = self._procedures[key]
        if self.by == "field":
            return Row(procedure.field.code, procedure.field.name)
        return Row(procedure.code, f"{procedure.code} {procedure.name}")

    def prepare(self, keys) -> None:
        """Read the procedures of ``keys`` at once (rows are then made without a query each)."""
        if not self.by_unit:
            self._procedures.update(_procedures([k for k in keys if k not in self._procedures]))

    def keys_of(self, row_key: str) -> set[int] | None:
        """The unit ids (or procedure ids) counted in the row ``row_key``; None for every one."""
        if self.by_unit:
            return {pk for pk, row in self._unit_rows.items() if row_key in ("total", row.key, f"level:{row.level}")}
        if row_key == "total":
            return None
        wanted = Q(field__code=row_key) if self.by == "field" else Q(code=row_key)
        return set(Procedure.objects.filter(wanted).values_list("pk", flat=True))

    def _rows_of_units(self) -> dict[int, Row]:
        if self.by == "level":
            return {pk: Row(f"level:{u.level}", str(Level(u.level).label), level=u.level)
                    for pk, u in self.scope.home.items()}  # fmt: skip
        branches = branches_of(self.scope)
        codes: dict[str, set[int]] = {}
        for branch in branches.values():
            codes.setdefault(branch.code, set()).add(branch.pk)
        rows = {}
        for pk, branch in branches.items():
            # Codes are reused across reorganisations: two branches with one code are told apart by their start.
            key = branch.code if len(codes[branch.code]) == 1 else f"{branch.code}@{branch.valid_from.isoformat()}"
            rows[pk] = Row(key, branch.name, level=branch.level)
        return rows


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


def _procedures(pks) -> dict[int, Procedure]:
    return {p.pk: p for p in Procedure.objects.filter(pk__in=list(pks)).select_related("field")}


def arrange(grouping: Grouping, counts: dict) -> list[Row]:
    """Rows from counts per unit or procedure: the groups (with level subtotals when grouped by
    unit), in level and name order, then the total."""
    grouping.prepare(counts)
    groups: dict[str, Row] = {}
    for key, row_counts in counts.items():
        row = grouping.row(key)
        groups.setdefault(row.key, row).counts.add(row_counts)
    rows = sorted(groups.values(), key=lambda r: (LEVEL_ORDER.get(r.level, 9), r.label))
    total = Row("total", _("Total"), kind="total")
    for row in rows:
        total.counts.add(row.counts)
    if grouping.by == "unit":
        rows = _with_level_subtotals(rows)
    return [*rows, total]


def _with_level_subtotals(rows: list[Row]) -> list[Row]:
    out = []
    for level in sorted({r.level for r in rows}, key=lambda lv: LEVEL_ORDER.get(lv, 9)):
        members = [r for r in rows if r.level == level]
        subtotal = Row(f"level:{level}", str(Level(level).label), kind="subtotal", level=level)
        for row in members:
            subtotal.counts.add(row.counts)
        out += [subtotal, *members]
    return out
