"""The rows of a report: under which row each unit (or procedure) of the report's scope is counted,
and the rows with their level subtotals and total. The scope itself, the units a report covers
under the unit map as it was or as it is today, is the units app's (``motcua.units.maps``).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from motcua.catalog.models import Procedure
from motcua.units.maps import Scope, branches_of
from motcua.units.models import Level

from .rules import Row

LEVEL_ORDER = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2}


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
