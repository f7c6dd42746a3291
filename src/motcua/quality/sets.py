"""Indicator sets as data: the set in force in a year, a copy for the following year, and
`motcua import indicators FILE` (one indicator per row)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.errors import InvalidInput
from motcua.core.tabular import ImportRejected, ImportResult, missing_columns
from motcua.core.tabular import Problem as TableProblem
from motcua.core.tabular import Row as TableRow

from .models import Indicator, IndicatorGroup, IndicatorSet
from .rules import Measure


def indicator_set_for(year: int) -> IndicatorSet:
    """The set in force in ``year``: the latest one from that year or before (else the earliest)."""
    chosen = IndicatorSet.objects.filter(year__lte=year).order_by("-year").first()
    chosen = chosen or IndicatorSet.objects.order_by("year").first()
    if chosen is None:
        raise InvalidInput(_("No indicator set is defined."))
    return chosen


def copy_indicator_set(source: IndicatorSet, year: int) -> IndicatorSet:
    """A new year's set with the same indicators, to be edited where the weights or targets change."""
    if IndicatorSet.objects.filter(year=year).exists():
        raise InvalidInput(_("An indicator set for %(year)s already exists.") % {"year": year})
    copied = IndicatorSet.objects.create(year=year, name=source.name, basis=source.basis)
    Indicator.objects.bulk_create(
        Indicator(indicator_set=copied, code=i.code, group=i.group, name=i.name, measure=i.measure, target=i.target,
                  max_points=i.max_points, assumed=i.assumed)
        for i in source.indicators.all()
    )  # fmt: skip
    return copied


SET_COLUMNS = ["year", "set_name", "basis", "code", "group", "name", "measure", "target", "max_points", "assumed"]
SET_FILE = Path(__file__).resolve().parent / "data" / "indicators-766.csv"


def import_indicators(header: list[str], rows: list[TableRow]) -> ImportResult:
    """Indicator sets, one indicator per row; a set's indicators are replaced by the file's."""
    problems = missing_columns(header, SET_COLUMNS)
    if problems:
        raise ImportRejected(problems)
    parsed: dict[int, list[dict]] = defaultdict(list)
    names: dict[int, tuple[str, str]] = {}
    seen: dict[tuple[int, str], int] = {}
    for row in rows:
        found = _indicator_row(row, problems)
        if found is None:
            continue
        key = (found["year"], found["code"])
        if key in seen:
            problems.append(TableProblem(row.line, _("indicator %(code)s is also on line %(other)s")
                                         % {"code": found["code"], "other": seen[key]}))  # fmt: skip
            continue
        seen[key] = row.line
        names.setdefault(found["year"], (row.get("set_name"), row.get("basis")))
        parsed[found["year"]].append(found)
    if problems:
        raise ImportRejected(problems)
    result = ImportResult()
    with transaction.atomic():
        for year, indicators in parsed.items():
            name, basis = names[year]
            chosen, _created = IndicatorSet.objects.update_or_create(year=year, defaults={"name": name, "basis": basis})
            kept = {i.code: i for i in chosen.indicators.all()}
            for values in indicators:
                fields = {k: v for k, v in values.items() if k not in ("year", "code")}
                indicator = kept.pop(values["code"], None)
                if indicator is None:
                    Indicator.objects.create(indicator_set=chosen, code=values["code"], **fields)
                    result.created += 1
                elif any(getattr(indicator, k) != v for k, v in fields.items()):
                    for k, v in fields.items():
                        setattr(indicator, k, v)
                    indicator.save()
                    result.updated += 1
                else:
                    result.unchanged += 1
            for stale in kept.values():
                stale.delete()
    return result


def _indicator_row(row: TableRow, problems: list) -> dict | None:
    found = len(problems)

    def number(column, kind=Decimal):
        try:
            value = kind(row.get(column))
        except (ArithmeticError, ValueError):
            problems.append(TableProblem(row.line, _("%(column)s must be a number") % {"column": column}))
            return None
        if value < 0:
            problems.append(TableProblem(row.line, _("%(column)s cannot be negative") % {"column": column}))
        return value

    values = {"year": number("year", int), "code": row.get("code"), "group": number("group", int),
              "name": row.get("name"), "measure": row.get("measure"), "target": number("target"),
              "max_points": number("max_points"), "assumed": row.get("assumed") in ("1", "x", "true")}  # fmt: skip
    if not values["code"] or not values["name"] or not row.get("set_name"):
        problems.append(TableProblem(row.line, _("set_name, code and name are required")))
    if values["group"] is not None and values["group"] not in IndicatorGroup.values:
        problems.append(TableProblem(row.line, _("group must be 1 to 5")))
    if values["measure"] not in {m.value for m in Measure}:
        problems.append(TableProblem(row.line, _("unknown measure “%(value)s”") % {"value": values["measure"]}))
    return values if len(problems) == found else None
