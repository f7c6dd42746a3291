"""The service index's counters: written in the same transaction as every change of a dossier,
summed by the index. What a change adds is ``rules.counter_change``; this module stores and sums."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from motcua.catalog.models import Procedure, ResultType
from motcua.core import counters
from motcua.dossiers.models import Dossier

from . import rules
from .models import CounterMonth, IndexTally, MonthFigures, Span
from .rules import COUNTERS, Standing


def paper_results(procedure_ids) -> set[int]:
    """Of these procedures, those whose result is a paper document."""
    return set(
        Procedure.objects.filter(pk__in=set(procedure_ids), result_type=ResultType.PAPER).values_list("pk", flat=True)
    )


def write(changes: dict[int, dict[rules.Key, int]]) -> None:
    """Add each province's counter changes (in the caller's transaction)."""
    rows = counters.Rows(COUNTERS)
    settled = rules.settled_before(timezone.localdate())
    old_months: set[tuple[int, date]] = set()
    for province, change in changes.items():
        for (unit, procedure, day, name), n in change.items():
            month = rules.month_start(day)
            for span, start in ((Span.DAY, day), (Span.MONTH, month)):
                rows.add(province, (unit, procedure, span.value, start), name, n)
            if month < settled:
                old_months.add((province, month))
    rows.write(IndexTally, ("unit_id", "procedure_id", "span", "day"))
    if old_months:
        _bump_months(sorted(old_months))


def _bump_months(months: list[tuple[int, date]]) -> None:
    table = CounterMonth._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (province_id, month, version) VALUES (%s, %s, 1) "
            f"ON CONFLICT (province_id, month) DO UPDATE SET version = {table}.version + 1",
            months,
        )


def month_versions(province: int, months) -> dict[date, int]:
    found = CounterMonth.objects.filter(province_id=province, month__in=list(months)).values_list("month", "version")
    return dict(found)


def _rows(where: Q, first: date, end: date):
    """The rows that make up [first, end): its whole months, and days at its edges."""
    months, days = rules.month_cover(first, end)
    span = Q(pk__in=[])
    if months:
        span |= Q(span=Span.MONTH, day__in=months)
    for since, until in days:
        span |= Q(span=Span.DAY, day__gte=since, day__lt=until)
    return IndexTally.objects.filter(where, span)


def month_sums(where: Q, first: date, end: date, by: tuple[str, ...]) -> dict[tuple, dict[str, int]]:
    """The month rows from ``first`` (a month's first day) to ``end``, summed and grouped by ``by``
    (``day`` being the month)."""
    rows = IndexTally.objects.filter(where, span=Span.MONTH, day__gte=first, day__lt=end).values(*by)
    rows = rows.annotate(**{f"s_{c}": Sum(c) for c in COUNTERS}).order_by()
    return {tuple(r[b] for b in by): {c: r[f"s_{c}"] or 0 for c in COUNTERS} for r in rows}


def totals(where: Q, first: date, end: date) -> dict[str, int]:
    """The counters summed over the days [first, end)."""
    found = _rows(where, first, end).aggregate(**{c: Sum(c) for c in COUNTERS})
    return {c: found[c] or 0 for c in COUNTERS}


def sums(where: Q, first: date, end: date, by: tuple[str, ...]) -> dict[tuple, dict[str, int]]:
    """The counters summed over the days [first, end), grouped by the columns ``by``."""
    rows = _rows(where, first, end).values(*by).annotate(**{f"s_{c}": Sum(c) for c in COUNTERS})
    return {tuple(r[b] for b in by): {c: r[f"s_{c}"] or 0 for c in COUNTERS} for r in rows.order_by()}


def used_online(where: Q, first: date, end: date, by: str) -> list[tuple[int, int, bool, bool]]:
    """The (``by``, procedure) pairs with a dossier counted online or paid online over [first, end):
    whether each had one online (3.2) and one paid online (3.4)."""
    rows = (
        _rows(where, first, end)
        .values_list(by, "procedure_id")
        .annotate(online_n=Sum("online"), paid_n=Sum("paid_online"))
        .filter(Q(online_n__gt=0) | Q(paid_n__gt=0))
        .order_by()
    )
    return [(key, procedure, online > 0, paid > 0) for key, procedure, online, paid in rows]


def rebuild(province: int | None = None, chunk: int = 20000) -> int:
    """Empty the counters (of one province, or all) and count every received dossier again."""
    scope = Q(province_id=province) if province else Q()
    paper = set(Procedure.objects.filter(result_type=ResultType.PAPER).values_list("pk", flat=True))
    with transaction.atomic():
        IndexTally.objects.filter(scope).delete()
        MonthFigures.objects.filter(Q(unit__province_id=province) | Q(unit_id=province) if province else Q()).delete()
        if connection.vendor == "postgresql":
            return _rebuild_in_sql(province)
        changes: dict[int, dict[rules.Key, int]] = defaultdict(dict)
        count = 0
        rows = Dossier.objects.filter(scope, received_at__isnull=False).values(*rules.INDEX_FIELDS).order_by("pk")
        for row in rows.iterator(chunk_size=chunk):
            mine = changes[row["province_id"]]
            for key, n in rules.counters(Standing.of(row, row["procedure_id"] in paper)).items():
                mine[key] = mine.get(key, 0) + n
            count += 1
            if count % chunk == 0:
                write(dict(changes))
                changes.clear()
        write(dict(changes))
    return count


# The same counters as ``rules.counters``, in one statement (PostgreSQL): each received dossier
# adds a row on the day of its receipt and, once finished, one on the day it finished.
_REBUILD = """
WITH d AS (
  SELECT d.province_id, d.processing_unit_id AS unit_id, d.procedure_id,
         (d.received_at AT TIME ZONE %(zone)s)::date AS received_day,
         (d.finished_at AT TIME ZONE %(zone)s)::date AS finished_day,
         d.channel = %(online)s AS online, d.digitized, d.reused, d.fee_bearing, d.paid_online,
         p.result_type = %(paper)s AS paper, d.result_electronic, d.outcome = ANY(%(with_result)s) AS with_result,
         COALESCE(d.finished_at > d.due_at, FALSE) AS late, d.rating = %(disliked)s AS disliked
  FROM dossiers_dossier d JOIN catalog_procedure p ON p.id = d.procedure_id
  WHERE d.received_at IS NOT NULL {where}
), parts AS (
  SELECT province_id, unit_id, procedure_id, received_day AS day, 1 AS received,
         (online AND (NOT paper OR result_electronic))::int AS online,
         (digitized AND (NOT paper OR result_electronic))::int AS digitized, reused::int AS reused,
         fee_bearing::int AS fee_bearing, (fee_bearing AND paid_online)::int AS paid_online,
         0 AS finished, 0 AS late, 0 AS with_result, 0 AS paper_result, 0 AS e_result, 0 AS disliked
  FROM d
  UNION ALL
  SELECT province_id, unit_id, procedure_id, finished_day, 0, 0, 0, 0, 0, 0, 1, late::int, with_result::int,
         (with_result AND paper)::int, (with_result AND paper AND result_electronic)::int, disliked::int
  FROM d WHERE finished_day IS NOT NULL
)
INSERT INTO quality_indextally (province_id, unit_id, procedure_id, span, day, {columns})
SELECT province_id, unit_id, procedure_id, %(day_span)s, day, {sums} FROM parts
GROUP BY province_id, unit_id, procedure_id, day
UNION ALL
SELECT province_id, unit_id, procedure_id, %(month_span)s, date_trunc('month', day)::date, {sums} FROM parts
GROUP BY province_id, unit_id, procedure_id, date_trunc('month', day)
"""


def _rebuild_in_sql(province: int | None) -> int:
    from motcua.dossiers.rules import Channel, Outcome, Rating

    sql = _REBUILD.format(
        where="AND d.province_id = %(province)s" if province else "", columns=", ".join(COUNTERS),
        sums=", ".join(f"SUM({c})" for c in COUNTERS),
    )  # fmt: skip
    params = {
        "zone": "Asia/Ho_Chi_Minh", "online": int(Channel.ONLINE), "paper": ResultType.PAPER.value,
        "with_result": [Outcome.APPROVED.value, Outcome.REFUSED.value], "disliked": Rating.NOT_SATISFIED.value,
        "day_span": Span.DAY.value, "month_span": Span.MONTH.value, "province": province,
    }  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    return Dossier.objects.filter(Q(province_id=province) if province else Q(), received_at__isnull=False).count()
