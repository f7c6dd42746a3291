"""The figures the service index is scored on: the period and the units it counts, the procedures'
standing facts, and each group of units' settlement, counters and catalog figures."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from motcua.catalog.models import Component, Fee, Procedure, ProcessTemplate
from motcua.reports import rules as report_rules
from motcua.reports.services import Period, ledger_counts
from motcua.units.maps import Scope, UnitMap, scope_for
from motcua.units.models import Unit
from motcua.workdays.rules import period_bounds

from . import tally
from .rules import COUNTERS, Figures


def period(first: date, last: date, now: datetime | None = None) -> Period:
    period_bounds(first, last)  # refuses a period that ends before it starts
    return Period(first, last, now or timezone.now())


def index_scope(unit: Unit, span: Period) -> Scope:
    """The units counted for ``unit``: those in force at the period's end (or the unit's, if it
    ended before), with the dossiers of units that had ended by then counted under their successors."""
    day = min(span.last, report_rules.local_day(span.now))
    if unit.valid_to is not None:
        day = min(day, unit.valid_to)
    return scope_for(unit, UnitMap.TODAY, today=day)


@dataclass
class Catalog:
    """The procedures' standing facts, read once per request."""

    levels: dict[int, str] = field(default_factory=dict)  # active procedures → level
    complete: set[int] = field(default_factory=set)
    offered_online: set[int] = field(default_factory=set)
    fee_bearing: set[int] = field(default_factory=set)

    @classmethod
    def read(cls) -> Catalog:
        found = cls()
        rows = Procedure.objects.filter(is_active=True).annotate(
            has_components=Exists(Component.objects.filter(procedure=OuterRef("pk"))),
            has_process=Exists(ProcessTemplate.objects.filter(procedure=OuterRef("pk"))),
            has_fee=Exists(Fee.objects.filter(procedure=OuterRef("pk"), amount__gt=0)),
        ).values_list("pk", "level", "online_kind", "agency", "legal_basis", "duration_value", "has_components",
                      "has_process", "has_fee")  # fmt: skip
        for pk, level, online_kind, agency, basis, duration, components, process, fee in rows:
            found.levels[pk] = level
            if online_kind != "none":
                found.offered_online.add(pk)
            if fee:
                found.fee_bearing.add(pk)
            if agency.strip() and basis.strip() and duration and components and process:
                found.complete.add(pk)
        return found

    def under(self, levels: set[str]) -> set[int]:
        return {pk for pk, level in self.levels.items() if level in levels}


def figures(scope: Scope, span: Period, group_of: dict[int, int] | None, catalog: Catalog) -> dict[int, Figures]:
    """Figures per group of units (``group_of``: unit id → group key; None for one sum, key 0)."""
    key = (lambda unit: group_of.get(unit)) if group_of is not None else (lambda unit: 0)
    found: dict[int, Figures] = defaultdict(Figures)
    levels: dict[int, set[str]] = defaultdict(set)
    for pk, place in scope.home.items():
        if key(pk) is not None:
            levels[key(pk)].add(place.level)
    for unit, counts in ledger_counts(scope, span, "unit_id" if group_of is not None else None).items():
        if key(unit) is not None:
            add_settlement(found[key(unit)], counts)
    end = span.last + timedelta(days=1)
    if group_of is None:  # one sum: the counters by procedure are enough
        for (procedure,), counts in tally.sums(scope.where(), span.first, end, ("procedure_id",)).items():
            add_counters(found[0], procedure, counts)
    else:  # sums by unit, and apart the few unit and procedure pairs with online dossiers or payments
        for (unit,), counts in tally.sums(scope.where(), span.first, end, ("unit_id",)).items():
            if key(unit) is not None:
                add_counters(found[key(unit)], None, counts)
        for unit, procedure, online, paid in tally.used_online(scope.where(), span.first, end, "unit_id"):
            if key(unit) is not None:
                mine = found[key(unit)]
                if online:
                    mine.used_online.add(procedure)
                if paid:
                    mine.paid_online.add(procedure)
    for group, group_levels in levels.items():
        add_catalog(found[group], catalog, group_levels)
    if getattr(settings, "MOTCUA_SYNC", None):
        _add_synced(found, scope, span, key, levels)
    return dict(found)


def _add_synced(found: dict[int, Figures], scope: Scope, span: Period, key, groups) -> None:
    """Dossiers received in the period that have reached the national portal (indicator 1.4)."""
    from motcua.sync.services import synced_by_unit

    for group in groups:
        found[group].counts.setdefault("synced", 0)
    for unit, n in synced_by_unit(scope.where("processing_unit_id"), span.start, span.end).items():
        if key(unit) is not None:
            mine = found[key(unit)]
            mine.counts["synced"] = mine.counts.get("synced", 0) + n


def add_settlement(mine: Figures, counts) -> None:
    mine.handled += counts.total
    mine.in_time += counts.early + counts.on_time + counts.open_within


def add_counters(mine: Figures, procedure: int | None, counts: dict[str, int]) -> None:
    for name in COUNTERS:
        mine.counts[name] = mine.counts.get(name, 0) + counts[name]
    if procedure is None:
        return
    if counts["online"] > 0:  # 3.2: a service is used by the online dossiers the index counts
        mine.used_online.add(procedure)
    if counts["paid_online"] > 0:
        mine.paid_online.add(procedure)


def add_catalog(mine: Figures, catalog: Catalog, levels: set[str]) -> None:
    mine.procedures = catalog.under(levels)
    mine.complete, mine.offered_online, mine.fee_bearing = catalog.complete, catalog.offered_online, catalog.fee_bearing
