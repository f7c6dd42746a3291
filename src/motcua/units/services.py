"""The public face of the units app: the unit map on any day, subtrees, succession, and import."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from django.db import transaction

from motcua.core.messages import Message as _
from motcua.core.tabular import (
    ImportRejected,
    ImportResult,
    Problem,
    Row,
    missing_columns,
    parse_date,
    split_list,
)

from .models import Level, Succession, Unit, UnitKind

UNIT_COLUMNS = ["code", "name", "kind", "parent_code", "valid_from", "valid_to", "successor_codes"]

# Which kinds may hang under which: agencies and centres sit under the level they serve.
ALLOWED_PARENT_KINDS = {
    UnitKind.PROVINCE: {None},
    UnitKind.DISTRICT: {UnitKind.PROVINCE},
    UnitKind.COMMUNE: {UnitKind.PROVINCE, UnitKind.DISTRICT},
    UnitKind.AGENCY: {UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE, UnitKind.AGENCY},
    UnitKind.SERVICE_CENTER: {UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE},
}


def unit_on(code: str, day: date) -> Unit | None:
    """The unit carrying ``code`` on ``day`` (codes are reused, so the day matters)."""
    return Unit.objects.valid_on(day).filter(code=code).first()


def units_on(day: date):
    return Unit.objects.valid_on(day)


def subtree(unit: Unit, day: date | None = None):
    """The unit and every unit below it, optionally only those in force on ``day``."""
    units = Unit.objects.subtree_of(unit)
    return units.valid_on(day) if day else units


def successors_on(unit: Unit, day: date) -> list[Unit]:
    """The units in force on ``day`` that carry on ``unit``: itself while it is in force,
    otherwise its successors, followed through every later reorganisation."""
    found: dict[int, Unit] = {}
    frontier = [unit]
    seen: set[int] = set()
    while frontier:
        current = frontier.pop()
        if current.pk in seen:
            continue
        seen.add(current.pk)
        if current.is_valid_on(day):
            found[current.pk] = current
        elif current.valid_to is not None and current.valid_to < day:
            frontier.extend(current.successors.all())
    return sorted(found.values(), key=lambda u: u.path)


# ---------------------------------------------------------------------------------------------
# Import


@dataclass
class _Record:
    """A unit as the import sees it: from the database, from the file, or both."""

    code: str
    valid_from: date
    name: str
    kind: str
    valid_to: date | None
    parent_code: str = ""
    successor_codes: tuple[str, ...] = ()
    agency_type: str = ""
    line: int | None = None
    unit: Unit | None = None
    parent: _Record | None = None

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def import_units(header: list[str], rows: list[Row]) -> ImportResult:
    """Create or update units from rows; all or nothing. Raises ImportRejected listing every problem."""
    problems = missing_columns(header, ["code", "name", "kind", "parent_code", "valid_from"])
    if problems:
        raise ImportRejected(problems)

    by_code: dict[str, list[_Record]] = defaultdict(list)
    existing = {}
    for unit in Unit.objects.select_related("parent"):
        record = _Record(
            unit.code, unit.valid_from, unit.name, unit.kind, unit.valid_to, agency_type=unit.agency_type, unit=unit
        )
        existing[(unit.code, unit.valid_from)] = record
        by_code[unit.code].append(record)
    for record in existing.values():
        parent = record.unit.parent
        if parent is not None:
            record.parent = existing[(parent.code, parent.valid_from)]

    file_records = _parse_rows(rows, problems)
    seen_in_file: dict[tuple[str, date], int] = {}
    for record in file_records:
        key = (record.code, record.valid_from)
        if key in seen_in_file:
            problems.append(
                Problem(
                    record.line,
                    _("duplicate unit code %(code)s from %(day)s (already on line %(other)s)")
                    % {"code": record.code, "day": record.valid_from, "other": seen_in_file[key]},
                )
            )
            continue
        seen_in_file[key] = record.line
        if key in existing:
            record.unit = existing[key].unit
            by_code[record.code].remove(existing[key])
        by_code[record.code].append(record)

    _check_overlaps(by_code, problems)
    for record in file_records:
        _resolve_parent(record, by_code, problems)
    successions = [pair for record in file_records for pair in _resolve_successors(record, by_code, problems)]
    if problems:
        raise ImportRejected(problems)

    with transaction.atomic():
        result = _write(file_records, successions)
    return result


def agency_type_of(code: str, parent_code: str | None, kind: str) -> str:
    """An agency's type when the file names none: the abbreviation of a ``<parent code>.<abbreviation>``
    code (``04105.PKT`` → ``PKT``), the convention for agencies, which have no statistical code."""
    if kind not in (UnitKind.AGENCY, UnitKind.SERVICE_CENTER) or not parent_code:
        return ""
    head, _dot, abbreviation = (code or "").rpartition(".")
    return abbreviation.upper() if head == parent_code and abbreviation else ""


def _parse_rows(rows: list[Row], problems: list[Problem]) -> list[_Record]:
    records = []
    kinds = set(UnitKind.values)
    for row in rows:
        before = len(problems)
        code, name, kind = row.get("code"), row.get("name"), row.get("kind")
        if not code:
            problems.append(Problem(row.line, _("the unit code is empty")))
        if not name:
            problems.append(Problem(row.line, _("the unit name is empty")))
        if kind not in kinds:
            problems.append(
                Problem(
                    row.line,
                    _("unknown kind “%(kind)s” (expected one of: %(kinds)s)")
                    % {"kind": kind, "kinds": ", ".join(UnitKind.values)},
                )
            )
        valid_from = parse_date(row, "valid_from", problems, required=True)
        valid_to = parse_date(row, "valid_to", problems, required=False)
        if valid_from and valid_to and valid_to < valid_from:
            problems.append(Problem(row.line, _("valid_to is before valid_from")))
        successors = tuple(split_list(row.get("successor_codes")))
        if successors and valid_to is None:
            problems.append(Problem(row.line, _("successor codes are given but the unit has no valid_to")))
        if len(problems) == before:
            agency_type = row.get("agency_type") or agency_type_of(code, row.get("parent_code"), kind)
            records.append(
                _Record(
                    code, valid_from, name, kind, valid_to, row.get("parent_code"), successors, agency_type, row.line
                )
            )
    return records


def _check_overlaps(by_code: dict[str, list[_Record]], problems: list[Problem]) -> None:
    for code, records in by_code.items():
        ordered = sorted(records, key=lambda r: r.valid_from)
        for earlier, later in pairwise(ordered):
            if earlier.valid_to is None or earlier.valid_to >= later.valid_from:
                line = later.line if later.line is not None else earlier.line
                problems.append(
                    Problem(
                        line,
                        _("duplicate unit code %(code)s: two units carry it on %(day)s")
                        % {"code": code, "day": later.valid_from},
                    )
                )


def _find(by_code: dict[str, list[_Record]], code: str, day: date) -> _Record | None:
    return next((r for r in by_code.get(code, ()) if r.valid_on(day)), None)


def _resolve_parent(record: _Record, by_code, problems: list[Problem]) -> None:
    # The parent is read as of the unit's last day in force: a commune recorded from 2008 under a
    # district founded in 2013 (Vân Hồ) hangs under that district. Failing that, its first day.
    if not record.parent_code:
        record.parent = None
    else:
        last_day = record.valid_to or record.valid_from
        record.parent = _find(by_code, record.parent_code, last_day) or _find(
            by_code, record.parent_code, record.valid_from
        )
        if record.parent is None:
            problems.append(
                Problem(
                    record.line,
                    _("unknown parent code %(code)s (no unit with that code on %(day)s)")
                    % {"code": record.parent_code, "day": last_day},
                )
            )
            return
    parent_kind = record.parent.kind if record.parent else None
    if parent_kind not in ALLOWED_PARENT_KINDS[record.kind]:
        problems.append(
            Problem(
                record.line,
                _("a unit of kind %(kind)s cannot be placed under %(parent)s")
                % {"kind": record.kind, "parent": parent_kind or _("nothing (top level)")},
            )
        )


def _resolve_successors(record: _Record, by_code, problems: list[Problem]):
    for code in record.successor_codes:
        day_after = record.valid_to + timedelta(days=1)
        successor = _find(by_code, code, day_after)
        if successor is None:
            problems.append(
                Problem(
                    record.line,
                    _("unknown successor code %(code)s (no unit with that code on %(day)s)")
                    % {"code": code, "day": day_after},
                )
            )
        else:
            yield record, successor


def _write(records: list[_Record], successions) -> ImportResult:
    result = ImportResult()
    pending = list(records)
    placed: set[int] = set()
    # Parents first: a record is written once its parent exists in the database.
    while pending:
        progress = []
        for record in pending:
            if record.parent is not None and record.parent.unit is None:
                continue
            fields = {
                "name": record.name,
                "kind": record.kind,
                "agency_type": record.agency_type,
                "valid_to": record.valid_to,
                "parent": record.parent.unit if record.parent else None,
            }
            if record.unit is None:
                # level, province and path are set by rebuild_tree() below
                record.unit = Unit.objects.create(
                    code=record.code, valid_from=record.valid_from, level=Level.PROVINCE, **fields
                )
                result.created += 1
            elif any(getattr(record.unit, k) != v for k, v in fields.items()):
                for key, value in fields.items():
                    setattr(record.unit, key, value)
                record.unit.save(update_fields=list(fields))
                result.updated += 1
            else:
                result.unchanged += 1
            progress.append(record)
            placed.add(id(record))
        if not progress:  # a cycle through parents: refused before writing, but guard anyway
            raise ImportRejected([Problem(r.line, _("the parent chain loops back")) for r in pending])
        pending = [r for r in pending if id(r) not in placed]

    for record in records:
        Succession.objects.filter(predecessor=record.unit).delete()
    Succession.objects.bulk_create(
        [Succession(predecessor=p.unit, successor=s.unit) for p, s in successions], ignore_conflicts=True
    )
    rebuild_tree()
    return result


def rebuild_tree() -> None:
    """Recompute path, level and province of every unit from the parent links."""
    units = {u.pk: u for u in Unit.objects.all().only("pk", "parent_id", "kind", "path", "level", "province_id")}
    children = defaultdict(list)
    for unit in units.values():
        children[unit.parent_id].append(unit)
    changed = []
    stack = [(root, "/", None, None) for root in children[None]]
    while stack:
        unit, prefix, parent_level, province_id = stack.pop()
        path = f"{prefix}{unit.pk}/"
        if unit.kind in (UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE):
            level = Level(unit.kind)
        else:
            level = parent_level or Level.PROVINCE
        province = unit.pk if unit.kind == UnitKind.PROVINCE else province_id
        if (unit.path, unit.level, unit.province_id) != (path, level, province):
            unit.path, unit.level, unit.province_id = path, level, province
            changed.append(unit)
        stack.extend((child, path, level, province) for child in children[unit.pk])
    Unit.objects.bulk_update(changed, ["path", "level", "province"], batch_size=500)
