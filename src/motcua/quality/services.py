"""The public face of the quality app: the real-time service index (Decision 766) of a unit for any
period, the ranking of units of one kind and level, the month-by-month trend, the dossiers and
procedures that pull each indicator down, a reference count straight from the dossiers, and the
Circular 01/2018 evaluation. The figures the index is scored on are counted in ``figures``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.core import ranking as ranking_rules
from motcua.core.text import fold
from motcua.dossiers.models import Dossier
from motcua.dossiers.rules import Channel, Outcome, Rating, Status
from motcua.reports import ledger as report_ledger
from motcua.reports import rules as report_rules
from motcua.reports.rules import Counts
from motcua.reports.services import Period, ledger_counts
from motcua.units.maps import Place, Scope, branches_of, scope_for
from motcua.units.models import Level, Unit, UnitKind
from motcua.workdays.rules import period_bounds

from . import rules, tally
from .evaluation import circular_01 as circular_01
from .figures import Catalog as Catalog
from .figures import add_catalog, add_counters, add_settlement, figures
from .figures import index_scope as index_scope
from .figures import period as period
from .models import Indicator, IndicatorGroup, IndicatorSet, MonthFigures
from .rules import Figures, Measure, Ratio
from .sets import SET_FILE as SET_FILE  # the public face re-exports the indicator sets' functions
from .sets import copy_indicator_set as copy_indicator_set
from .sets import import_indicators as import_indicators
from .sets import indicator_set_for

HUNDRED = Decimal(100)


def previous_period(first: date, last: date) -> tuple[date, date]:
    """The period of the same length just before: whole months step back by months, others by days."""
    if first.day == 1 and (last + timedelta(days=1)).day == 1:
        months = (last.year - first.year) * 12 + last.month - first.month + 1
        start = first
        for _month in range(months):
            start = (start - timedelta(days=1)).replace(day=1)
        return start, first - timedelta(days=1)
    length = last - first + timedelta(days=1)
    return first - length, first - timedelta(days=1)


# ---------------------------------------------------------------------------------------------
# Scores


@dataclass
class Scored:
    indicator: Indicator
    ratio: Ratio | None  # None: no data, left out of the total
    points: Decimal | None

    @property
    def no_data(self) -> bool:
        return self.ratio is None


@dataclass
class GroupScore:
    number: int
    label: object  # a lazy translation
    full: Decimal  # the group's points in the set
    points: Decimal = Decimal(0)
    reachable: Decimal = Decimal(0)  # the points of its indicators with data

    @property
    def percent(self) -> Decimal | None:
        return _percent(self.points, self.reachable)


@dataclass
class UnitIndex:
    key: int
    code: str
    name: str
    level: str
    first: date
    last: date
    indicator_set: IndicatorSet
    scored: list[Scored]
    groups: list[GroupScore]
    figures: Figures
    total: Decimal = Decimal(0)
    reachable: Decimal = Decimal(0)

    @property
    def percent(self) -> Decimal | None:
        """The total as a share of the points its indicators with data could reach."""
        return _percent(self.total, self.reachable)


def _percent(points: Decimal, reachable: Decimal) -> Decimal | None:
    if not reachable:
        return None
    return (points * HUNDRED / reachable).quantize(rules.TWO_PLACES, ROUND_HALF_UP)


def scored(place, figures: Figures, indicators: list[Indicator], span: Period, chosen: IndicatorSet) -> UnitIndex:
    groups = {g.value: GroupScore(g.value, g.label, Decimal(0)) for g in IndicatorGroup}
    found = []
    for indicator in indicators:
        ratio = rules.measured(indicator.measure, figures)
        points = None if ratio is None else rules.score(ratio.percent, indicator.target, indicator.max_points)
        found.append(Scored(indicator, ratio, points))
        group = groups[indicator.group]
        group.full += indicator.max_points
        if points is not None:
            group.points += points
            group.reachable += indicator.max_points
    result = UnitIndex(place.pk, place.code, place.name, place.level, span.first, span.last, chosen, found,
                       list(groups.values()), figures)  # fmt: skip
    result.total = sum((g.points for g in result.groups), Decimal(0))
    result.reachable = sum((g.reachable for g in result.groups), Decimal(0))
    return result


# ---------------------------------------------------------------------------------------------
# The index of a unit and of the units under it


def index(unit: Unit, first: date, last: date, now: datetime | None = None,
          indicator_set: IndicatorSet | None = None, catalog: Catalog | None = None,
          scope: Scope | None = None) -> UnitIndex:  # fmt: skip
    """The index of ``unit`` and its subtree over [first, last] (``scope``: ``index_scope``'s, if
    the caller has it already)."""
    span = period(first, last, now)
    chosen = indicator_set or indicator_set_for(first.year)
    scope = scope or index_scope(unit, span)
    found = figures(scope, span, None, catalog or Catalog.read()).get(0, Figures())
    return scored(unit, found, list(chosen.indicators.all()), span, chosen)


def branch_indices(
    top: Unit, first: date, last: date, now: datetime | None = None, indicator_set: IndicatorSet | None = None,
    catalog: Catalog | None = None, scope: Scope | None = None,
) -> list[UnitIndex]:  # fmt: skip
    """The index of each unit directly under ``top`` (with its subtree) in force in the period."""
    span = period(first, last, now)
    chosen = indicator_set or indicator_set_for(first.year)
    catalog = catalog or Catalog.read()
    scope = scope or index_scope(top, span)
    branches = branches_of(scope)
    group_of = {pk: branch.pk for pk, branch in branches.items() if branch.pk != top.pk}
    children = {branch.pk: branch for branch in branches.values() if branch.pk != top.pk}
    found = figures(scope, span, group_of, catalog)
    indicators = list(chosen.indicators.all())
    results = []
    for pk, branch in children.items():
        if not _in_force(branch, first, last):
            continue
        results.append(scored(branch, found.get(pk, Figures()), indicators, span, chosen))
    return results


def _in_force(place: Place, first: date, last: date) -> bool:
    return place.valid_from <= last and (place.valid_to is None or place.valid_to >= first)


# ---------------------------------------------------------------------------------------------
# Ranking


@dataclass
class Ranked:
    rank: int
    index: UnitIndex
    previous_rank: int | None = None
    previous_total: Decimal | None = None
    group: int | None = None  # ranked on this group's points, or on the total

    @property
    def points(self) -> Decimal:
        return _ranked_on(self.index, self.group)[0]

    @property
    def reachable(self) -> Decimal:
        return _ranked_on(self.index, self.group)[1]

    @property
    def share(self) -> Decimal | None:
        """What the rank is on: the points as a percent of those within reach."""
        return ranking_rules.share(*_ranked_on(self.index, self.group))

    @property
    def places_up(self) -> int | None:
        return None if self.previous_rank is None else self.previous_rank - self.rank

    @property
    def points_change(self) -> Decimal | None:
        return None if self.previous_total is None else self.index.total - self.previous_total


@dataclass
class RankTable:
    level: str
    kind: str
    label: str
    rows: list[Ranked]
    no_data: list[UnitIndex] = field(default_factory=list)  # no dossier in the period: listed apart, unranked


def _ranked_on(item: UnitIndex, group: int | None) -> tuple[Decimal, Decimal]:
    if group is None:
        return item.total, item.reachable
    found = next(g for g in item.groups if g.number == group)
    return found.points, found.reachable


def rank(indices: list[UnitIndex], group: int | None = None) -> tuple[list[tuple[int, UnitIndex]], list[UnitIndex]]:
    """The units with data ranked by their points (the total or one group's) as a share of the
    points within their reach, since indicators without data differ from unit to unit: percent to
    two decimals half up, equal shares sharing a rank (1, 2, 2, 4). Apart, by name: the units
    with no dossier in the period (or nothing within reach), which get no rank."""
    shares = {i.key: ranking_rules.share(*_ranked_on(i, group)) for i in indices}
    placed = [i for i in indices if i.figures.has_dossiers() and shares[i.key] is not None]
    ranks = ranking_rules.competition((i.key, shares[i.key]) for i in placed)
    ordered = sorted(placed, key=lambda i: (ranks[i.key], -_ranked_on(i, group)[0], fold(i.name), i.code))
    apart = sorted((i for i in indices if i.key not in ranks), key=lambda i: (fold(i.name), i.code))
    return [(ranks[i.key], i) for i in ordered], apart


def ranking(
    top: Unit, first: date, last: date, now: datetime | None = None, group: int | None = None,
    scope: Scope | None = None, catalog: Catalog | None = None,
) -> list[RankTable]:  # fmt: skip
    """Units directly under ``top``, ranked among those of the same level and kind (``rank``), with
    their rank and points in the period before, both on the units in force at the period's end;
    the units without data listed apart."""
    catalog = catalog or Catalog.read()
    scope = scope or index_scope(top, period(first, last, now))
    current = branch_indices(top, first, last, now, catalog=catalog, scope=scope)
    earlier = previous_period(first, last)
    before = {i.key: i for i in branch_indices(top, *earlier, now, catalog=catalog, scope=scope)}
    kinds = dict(Unit.objects.filter(parent_id=top.pk).values_list("pk", "kind"))  # the branches are its children
    grouped: dict[tuple[str, str], list[UnitIndex]] = defaultdict(list)
    for item in current:
        grouped[item.level, kinds.get(item.key, "")].append(item)
    tables = []
    order = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2}
    for (level, kind), items in sorted(grouped.items(), key=lambda kv: (order.get(kv[0][0], 9), kv[0][1])):
        placed_before, _apart = rank([before[i.key] for i in items if before.get(i.key)], group)
        earlier = {i.key: r for r, i in placed_before}
        placed, apart = rank(items, group)
        rows = [Ranked(place, item, earlier.get(item.key),
                       before[item.key].total if item.key in earlier else None, group)
                for place, item in placed]  # fmt: skip
        label = f"{UnitKind(kind).label} — {Level(level).label}" if kind in UnitKind.values else str(Level(level).label)
        tables.append(RankTable(level, kind, label, rows, apart))
    return tables


# ---------------------------------------------------------------------------------------------
# Trend


@dataclass
class MonthIndex:
    month: date
    total: Decimal
    reachable: Decimal
    percent: Decimal | None
    groups: list[GroupScore]


def monthly_trend(
    unit: Unit, months: int = 12, now: datetime | None = None, scope: Scope | None = None,
    catalog: Catalog | None = None,
) -> list[MonthIndex]:  # fmt: skip
    """The index of each of the last ``months`` calendar months (this one so far), on the units in
    force today. Months before last month are read from the figures kept for them while nothing
    has reached them since (``MonthFigures``); the others are counted, their counters at once."""
    now = now or timezone.now()
    today = report_rules.local_day(now)
    firsts = [today.replace(day=1)]
    for _month in range(months - 1):
        firsts.insert(0, (firsts[0] - timedelta(days=1)).replace(day=1))
    scope = scope or index_scope(unit, period(today, today, now))
    # Writers mark months before last month on the real calendar: a trend read "as of" a later day
    # keeps no more than that.
    settled = min(rules.settled_before(today), rules.settled_before(timezone.localdate()))
    generation = report_ledger.generation(scope.province)  # read before counting: a later change shows
    versions = tally.month_versions(scope.province, firsts)
    by_month: dict[date, Figures] = {}
    for kept in MonthFigures.objects.filter(unit=unit, month__in=[f for f in firsts if f < settled], units_on=today,
                                            generation=generation):  # fmt: skip
        if kept.version == versions.get(kept.month, 0):
            by_month[kept.month] = _figures_from(kept.figures)
    missing = [first for first in firsts if first not in by_month]
    if missing:
        counted = {first: Figures() for first in missing}
        rows = tally.month_sums(scope.where(), missing[0], rules.next_month(missing[-1]), ("day", "procedure_id"))
        for (month, procedure), counts in rows.items():
            if month in counted:
                add_counters(counted[month], procedure, counts)
        for first in missing:
            span = period(first, min(rules.next_month(first) - timedelta(days=1), today), now)
            add_settlement(counted[first], ledger_counts(scope, span, None).get(None, Counts()))
        _keep(unit, today, generation, versions, {f: counted[f] for f in missing if f < settled})
        by_month.update(counted)
    catalog = catalog or Catalog.read()
    levels = {place.level for place in scope.home.values()}
    found = []
    sets: dict[int, IndicatorSet] = {}
    indicators: dict[int, list[Indicator]] = {}
    for first in firsts:
        span = period(first, min(rules.next_month(first) - timedelta(days=1), today), now)
        mine = by_month[first]
        add_catalog(mine, catalog, levels)
        if first.year not in sets:
            sets[first.year] = indicator_set_for(first.year)
            indicators[first.year] = list(sets[first.year].indicators.all())
        item = scored(unit, mine, indicators[first.year], span, sets[first.year])
        found.append(MonthIndex(first, item.total, item.reachable, item.percent, item.groups))
    return found


def _keep(unit: Unit, today: date, generation: int, versions: dict[date, int], counted: dict[date, Figures]) -> None:
    rows = [
        MonthFigures(unit=unit, month=month, units_on=today, generation=generation, version=versions.get(month, 0),
                     figures={"handled": f.handled, "in_time": f.in_time, "counts": f.counts,
                              "used_online": sorted(f.used_online), "paid_online": sorted(f.paid_online)})
        for month, f in counted.items()
    ]  # fmt: skip
    if rows:
        MonthFigures.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["unit", "month"],
            update_fields=["units_on", "generation", "version", "figures"],
        )  # fmt: skip


def _figures_from(kept: dict) -> Figures:
    return Figures(handled=kept["handled"], in_time=kept["in_time"], counts=dict(kept["counts"]),
                   used_online=set(kept["used_online"]), paid_online=set(kept["paid_online"]))  # fmt: skip


# ---------------------------------------------------------------------------------------------
# What pulls an indicator down


@dataclass
class Pulling:
    kind: str  # "dossiers" or "procedures"
    rows: QuerySet


def pulling_down(
    unit: Unit, first: date, last: date, measure: Measure | str, now: datetime | None = None
) -> Pulling | None:
    """The dossiers (or procedures) that cost ``unit`` points on the indicator, worst first."""
    span = period(first, last, now)
    scope = index_scope(unit, span)
    mine = Dossier.objects.filter(scope.where("processing_unit_id")).select_related("procedure", "processing_unit")
    received = mine.filter(received_at__gte=span.start, received_at__lt=span.end)
    finished = mine.filter(finished_at__gte=span.start, finished_at__lt=span.end)
    paper = Q(procedure__result_type="paper")
    measure = Measure(measure)
    dossiers: QuerySet[Dossier] | None = None
    match measure:
        case Measure.ON_TIME | Measure.SATISFACTION:
            late = Q(finished_at__gte=span.start, finished_at__lt=span.end, finished_at__gt=F("due_at"))
            overdue = Q(received_at__lt=span.end, finished_at__isnull=True, due_at__lt=span.cutoff) & ~Q(
                status=Status.WAITING_SUPPLEMENT
            )
            if measure is Measure.SATISFACTION:
                overdue = Q(finished_at__gte=span.start, finished_at__lt=span.end, rating=Rating.NOT_SATISFIED)
            dossiers = mine.filter(late | overdue).order_by("due_at")
        case Measure.DIGITIZED:
            dossiers = received.filter(Q(digitized=False) | (paper & Q(result_electronic=False))).order_by(
                "received_at"
            )
        case Measure.ONLINE_DOSSIERS:
            dossiers = received.exclude(Q(channel=Channel.ONLINE) & (~paper | Q(result_electronic=True)))
            dossiers = dossiers.order_by("received_at")
        case Measure.E_RESULTS:
            dossiers = finished.filter(paper, outcome__in=(Outcome.APPROVED, Outcome.REFUSED), result_electronic=False)
            dossiers = dossiers.order_by("finished_at")
        case Measure.PAID_ONLINE:
            dossiers = received.filter(fee_bearing=True, paid_online=False).order_by("received_at")
        case Measure.REUSED:
            dossiers = received.filter(reused=False).order_by("received_at")
    if dossiers is not None:
        return Pulling("dossiers", dossiers)
    catalog = Catalog.read()
    procedures = catalog.under({p.level for p in scope.home.values()})
    match measure:
        case Measure.PROCEDURES_COMPLETE:
            wanted = procedures - catalog.complete
        case Measure.PROCEDURES_ONLINE:
            wanted = procedures - catalog.offered_online
        case Measure.ONLINE_SERVICES_USED:
            used = _procedures_with(scope, span, "online")
            wanted = (procedures & catalog.offered_online) - used
        case Measure.PROCEDURES_PAID_ONLINE:
            wanted = (procedures & catalog.fee_bearing) - _procedures_with(scope, span, "paid_online")
        case _:
            return None
    rows = Procedure.objects.filter(pk__in=wanted).select_related("field").order_by("field__name", "code")
    return Pulling("procedures", rows)


def _procedures_with(scope: Scope, span: Period, counter: str) -> set[int]:
    sums = tally.sums(scope.where(), span.first, span.last + timedelta(days=1), ("procedure_id",))
    return {key[0] for key, counts in sums.items() if counts[counter] > 0}


# ---------------------------------------------------------------------------------------------
# The reference: the counters straight from the dossiers, for checking the kept ones


def reference_counts(unit: Unit, first: date, last: date) -> dict[str, int]:
    """COUNTERS over [first, last] for ``unit``'s subtree, counted from the dossier table."""
    start, end = period_bounds(first, last)
    scope = scope_for(unit)
    mine = Dossier.objects.filter(scope.where("processing_unit_id"))
    received = mine.filter(received_at__gte=start, received_at__lt=end)
    finished = mine.filter(finished_at__gte=start, finished_at__lt=end)
    paper = Q(procedure__result_type="paper")
    with_result = Q(outcome__in=(Outcome.APPROVED, Outcome.REFUSED))
    return {
        "received": received.count(),
        "online": received.filter(Q(channel=Channel.ONLINE) & (~paper | Q(result_electronic=True))).count(),
        "digitized": received.filter(Q(digitized=True) & (~paper | Q(result_electronic=True))).count(),
        "reused": received.filter(reused=True).count(),
        "fee_bearing": received.filter(fee_bearing=True).count(),
        "paid_online": received.filter(fee_bearing=True, paid_online=True).count(),
        "finished": finished.count(),
        "late": finished.filter(finished_at__gt=F("due_at")).count(),
        "with_result": finished.filter(with_result).count(),
        "paper_result": finished.filter(with_result & paper).count(),
        "e_result": finished.filter(with_result & paper & Q(result_electronic=True)).count(),
        "disliked": finished.filter(rating=Rating.NOT_SATISFIED).count(),
    }


def kept_counts(unit: Unit, first: date, last: date) -> dict[str, int]:
    """The same COUNTERS from the kept counters."""
    scope = scope_for(unit)
    return tally.totals(scope.where(), first, last + timedelta(days=1))
