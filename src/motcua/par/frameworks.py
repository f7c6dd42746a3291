"""Frameworks as files: import (all or nothing), export as the workbook import reads back, read an
uploaded workbook, and copy one into next year's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction

from motcua.core.messages import Message as _
from motcua.core.tabular import ImportRejected, Problem, Row, missing_columns
from motcua.units.models import Unit

from .exceptions import ParError
from .models import Assignment, Criterion, Framework, FrameworkUnit, GroupBand, Measure, Source, Stage
from .reading import units_of

FRAMEWORK_COLUMNS = ("code", "title", "max_points")


@dataclass(frozen=True)
class FrameworkSheets:
    """A framework file: the criteria, the groups (``code,min_percent,label``) and the units
    assessed (``unit_code``)."""

    criteria: tuple[list[str], list[Row]]
    groups: tuple[list[str], list[Row]]
    units: tuple[list[str], list[Row]]


def import_framework(
    sheets: FrameworkSheets, *, code: str, name: str, year: int, owner: Unit, previous: Framework | None = None
) -> Framework:
    """Create (or, while still being prepared, replace) a framework from its sheets; nothing is
    written if any row is wrong."""
    problems: list[Problem] = []
    existing = Framework.objects.filter(code=code).first()
    if existing is not None and existing.stage != Stage.DRAFT:
        raise ImportRejected([Problem(None, _("Framework %(code)s is in use; copy it instead.") % {"code": code})])
    header, rows = sheets.criteria
    problems += missing_columns(header, FRAMEWORK_COLUMNS)
    specs = _criteria_specs(rows, problems) if not problems else []
    bands = _band_specs(sheets.groups, problems)
    units = _unit_specs(sheets.units, year, problems)
    if problems:
        raise ImportRejected(problems)
    with transaction.atomic():
        if existing is not None:
            existing.delete()
        framework = Framework.objects.create(code=code, name=name, year=year, owner=owner, previous=previous)
        _write_criteria(framework, specs)
        GroupBand.objects.bulk_create(GroupBand(framework=framework, **band) for band in bands)
        FrameworkUnit.objects.bulk_create(FrameworkUnit(framework=framework, unit=unit) for unit in units)
    return framework


def _criteria_specs(rows: list[Row], problems: list[Problem]) -> list[dict]:
    specs, codes = [], set()
    for row in rows:
        code = row.get("code")
        if not code:
            problems.append(Problem(row.line, _("column “%(column)s” is empty") % {"column": "code"}))
            continue
        if code in codes:
            problems.append(Problem(row.line, _("criterion %(code)s appears twice") % {"code": code}))
        codes.add(code)
        parent = row.get("parent_code") or (code.rsplit(".", 1)[0] if "." in code else "")
        points = parse_points(row.get("max_points"))
        if points is None:
            problems.append(
                Problem(row.line, _("“%(value)s” is not a number of points") % {"value": row.get("max_points")})
            )
        source = row.get("source") or Source.SELF
        if source not in Source.values:
            problems.append(
                Problem(row.line, _("“%(value)s” is not one of self, survey, computed") % {"value": source})
            )
        measure = row.get("measure")
        if source == Source.COMPUTED and measure not in Measure.values:
            problems.append(
                Problem(
                    row.line, _("a computed criterion needs a measure: %(list)s") % {"list": ", ".join(Measure.values)}
                )
            )
        specs.append(
            {
                "line": row.line,
                "code": code,
                "parent": parent,
                "title": row.get("title"),
                "max_points": points,
                "source": source,
                "measure": measure if source == Source.COMPUTED else "",
                "guidance": row.get("guidance"),
                "evidence": row.get("evidence"),
            }
        )
    by_code = {s["code"]: s for s in specs}
    for spec in specs:
        if spec["parent"] and spec["parent"] not in by_code:
            problems.append(
                Problem(
                    spec["line"],
                    _("criterion %(code)s has no parent %(parent)s in the file")
                    % {"code": spec["code"], "parent": spec["parent"]},
                )
            )
    children: dict[str, list[dict]] = {}
    for spec in specs:
        children.setdefault(spec["parent"], []).append(spec)
    for spec in specs:
        below = children.get(spec["code"])
        if below and spec["max_points"] is not None and all(c["max_points"] is not None for c in below):
            total = sum(c["max_points"] for c in below)
            if total != spec["max_points"]:
                problems.append(
                    Problem(
                        spec["line"],
                        _("criterion %(code)s has %(max)s points but its parts add up to %(sum)s")
                        % {"code": spec["code"], "max": spec["max_points"], "sum": total},
                    )
                )
    return specs


def _band_specs(sheet, problems: list[Problem]) -> list[dict]:
    header, rows = sheet
    if not rows:
        return []
    problems += missing_columns(header, ("code", "min_percent"))
    bands = []
    for row in rows:
        value = parse_points(row.get("min_percent"))
        if value is None or not 0 <= value <= 100:
            problems.append(Problem(row.line, _("“%(value)s” is not a percent") % {"value": row.get("min_percent")}))
            continue
        bands.append({"code": row.get("code"), "min_percent": value, "label": row.get("label")})
    return bands


def _unit_specs(sheet, year: int, problems: list[Problem]) -> list[Unit]:
    from motcua.units.services import unit_on

    header, rows = sheet
    problems += missing_columns(header, ("unit_code",)) if rows else []
    units = []
    for row in rows:
        unit = _unit_in_year(row.get("unit_code"), year, unit_on)
        if unit is None:
            problems.append(
                Problem(
                    row.line, _("no unit with code %(code)s in %(year)s") % {"code": row.get("unit_code"), "year": year}
                )
            )
        else:
            units.append(unit)
    return units


def _unit_in_year(code: str, year: int, unit_on) -> Unit | None:
    return (
        unit_on(code, date(year, 12, 31))
        or Unit.objects.filter(code=code, valid_from__year__lte=year).order_by("-valid_from").first()
    )


def _write_criteria(framework: Framework, specs: list[dict]) -> None:
    made: dict[str, Criterion] = {}
    for order, spec in enumerate(specs):
        made[spec["code"]] = Criterion.objects.create(
            framework=framework,
            parent=made.get(spec["parent"]),
            code=spec["code"],
            title=spec["title"] or spec["code"],
            max_points=spec["max_points"],
            source=spec["source"],
            measure=spec["measure"],
            guidance=spec["guidance"] or "",
            evidence=spec["evidence"] or "",
            order=order,
        )


def export_framework(framework: Framework) -> bytes:
    """The framework as an xlsx workbook that ``import_framework`` reads back."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "criteria"
    sheet.append(["code", "parent_code", "title", "max_points", "source", "measure", "guidance", "evidence"])
    for c in framework.criteria.select_related("parent").order_by("order"):
        sheet.append(
            [
                c.code,
                c.parent.code if c.parent else "",
                c.title,
                float(c.max_points),
                c.source,
                c.measure,
                c.guidance,
                c.evidence,
            ]
        )
    groups = book.create_sheet("groups")
    groups.append(["code", "min_percent", "label"])
    for band in framework.bands.all():
        groups.append([band.code, float(band.min_percent), band.label])
    units = book.create_sheet("units")
    units.append(["unit_code", "unit_name"])
    for unit in units_of(framework):
        units.append([unit.code, unit.name])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_framework_file(path, content: bytes | None = None) -> FrameworkSheets:
    """The three sheets of a framework workbook, or a CSV of criteria alone."""
    from pathlib import Path

    from motcua.core.tabular import read_table

    path = Path(path)
    if path.suffix.lower() not in {".xlsx", ".xlsm"}:
        return FrameworkSheets(read_table(path, content), ([], []), ([], []))
    import io

    from openpyxl import Workbook, load_workbook

    data = content if content is not None else path.read_bytes()
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a damaged file raises many kinds
        raise ImportRejected([Problem(None, _("The file is not a readable xlsx workbook."))]) from exc
    sheets = {}
    for name in ("criteria", "groups", "units"):
        if name not in book.sheetnames:
            sheets[name] = ([], [])
            continue
        single = Workbook()
        single.remove(single.active)
        copy = single.create_sheet(name)
        for values in book[name].iter_rows(values_only=True):
            copy.append(list(values))
        out = io.BytesIO()
        single.save(out)
        sheets[name] = read_table(path, out.getvalue())
    book.close()
    if not sheets["criteria"][1]:
        raise ImportRejected([Problem(None, _("The workbook has no “criteria” sheet with rows."))])
    return FrameworkSheets(sheets["criteria"], sheets["groups"], sheets["units"])


def copy_framework(framework: Framework, code: str, year: int, name: str | None = None) -> Framework:
    """Start next year's framework from this one: criteria, groups, units and assignments (their
    deadlines a year on), with this one as last year's."""
    if Framework.objects.filter(code=code).exists():
        raise ParError(_("A framework with code %(code)s already exists.") % {"code": code})
    with transaction.atomic():
        new = Framework.objects.create(
            code=code,
            name=name or framework.name.replace(str(framework.year), str(year)),
            year=year,
            owner=framework.owner,
            previous=framework,
        )
        made: dict[int, Criterion] = {}
        for c in framework.criteria.order_by("order"):
            made[c.pk] = Criterion.objects.create(
                framework=new,
                parent=made.get(c.parent_id),
                code=c.code,
                title=c.title,
                max_points=c.max_points,
                source=c.source,
                measure=c.measure,
                guidance=c.guidance,
                evidence=c.evidence,
                order=c.order,
            )
        GroupBand.objects.bulk_create(
            GroupBand(framework=new, code=b.code, label=b.label, min_percent=b.min_percent)
            for b in framework.bands.all()
        )
        FrameworkUnit.objects.bulk_create(
            FrameworkUnit(framework=new, unit_id=s.unit_id) for s in framework.scope.all()
        )
        Assignment.objects.bulk_create(
            Assignment(
                criterion=made[a.criterion_id], unit_id=a.unit_id, deadline=_year_on(a.deadline, year - framework.year)
            )
            for a in Assignment.objects.filter(criterion__framework=framework)
        )
    return new


def _year_on(day: date | None, years: int) -> date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def parse_points(text: str | None) -> Decimal | None:
    """Points as written in a sheet or a form (a decimal comma allowed); None if not a finite number."""
    try:
        value = Decimal((text or "").replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None
