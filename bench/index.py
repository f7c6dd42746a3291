"""The service index (Decision 766) and the leaders' dashboard, against, in the same run, the best
single hand-written SQL over the raw dossier table for the same figures (README.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/index.py \\
        --dossiers 15000000 --years 3 --runs 5

Fills the database up to --dossiers first (as bench/reports.py does), then times each reading
--runs times, alternating ours and the baseline; prints medians and writes JSON.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from django.db import connection
from django.test import Client
from django.utils import timezone
from reports import add_fill_arguments, fill, timed

from motcua.dossiers.models import Dossier
from motcua.people.models import Role, User
from motcua.people.services import assign_role
from motcua.quality import services
from motcua.quality.models import IndexTally, MonthFigures
from motcua.reports import rules
from motcua.units.models import Unit
from motcua.units.services import unit_on
from motcua.workdays.rules import period_bounds

# Every counter the index reads, and the settlement figures of indicator 2.1, per procedure (the
# index needs the procedures with online dossiers or online payments), in one statement.
RAW = """
SELECT {group},
  count(*) FILTER (WHERE d.received_at >= %(s)s),
  count(*) FILTER (WHERE d.received_at >= %(s)s AND d.channel = 2
                   AND (p.result_type <> 'paper' OR d.result_electronic)),
  count(*) FILTER (WHERE d.received_at >= %(s)s AND d.digitized
                   AND (p.result_type <> 'paper' OR d.result_electronic)),
  count(*) FILTER (WHERE d.received_at >= %(s)s AND d.reused),
  count(*) FILTER (WHERE d.received_at >= %(s)s AND d.fee_bearing),
  count(*) FILTER (WHERE d.received_at >= %(s)s AND d.fee_bearing AND d.paid_online),
  count(*) FILTER (WHERE d.finished_at < %(e)s),
  count(*) FILTER (WHERE d.finished_at < %(e)s AND d.finished_at > d.due_at),
  count(*) FILTER (WHERE d.finished_at < %(e)s AND d.outcome IN ('approved', 'refused')),
  count(*) FILTER (WHERE d.finished_at < %(e)s AND d.outcome IN ('approved', 'refused') AND p.result_type = 'paper'),
  count(*) FILTER (WHERE d.finished_at < %(e)s AND d.outcome IN ('approved', 'refused') AND p.result_type = 'paper'
                   AND d.result_electronic),
  count(*) FILTER (WHERE d.finished_at < %(e)s AND d.rating = 'not_satisfied'),
  count(*) FILTER (WHERE d.received_at < %(e)s AND (d.finished_at IS NULL OR d.finished_at >= %(s)s)),
  count(*) FILTER (WHERE (d.finished_at < %(e)s AND d.finished_at <= d.due_at)
                   OR ((d.finished_at IS NULL OR d.finished_at >= %(e)s) AND (d.due_at >= %(c)s OR d.status = 5)))
FROM dossiers_dossier d JOIN catalog_procedure p ON p.id = d.procedure_id
WHERE d.province_id = %(p)s AND d.received_at < %(e)s AND (d.finished_at IS NULL OR d.finished_at >= %(s)s)
GROUP BY {group}
"""
# The month-by-month trend: the same counters grouped by the month of receipt (or of finishing).
RAW_TREND = """
SELECT date_trunc('month', d.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh') AS month, d.procedure_id,
  count(*), count(*) FILTER (WHERE d.channel = 2 AND (p.result_type <> 'paper' OR d.result_electronic)),
  count(*) FILTER (WHERE d.digitized AND (p.result_type <> 'paper' OR d.result_electronic)),
  count(*) FILTER (WHERE d.reused), count(*) FILTER (WHERE d.fee_bearing),
  count(*) FILTER (WHERE d.fee_bearing AND d.paid_online)
FROM dossiers_dossier d JOIN catalog_procedure p ON p.id = d.procedure_id
WHERE d.province_id = %(p)s AND d.received_at >= %(s)s AND d.received_at < %(e)s
GROUP BY 1, 2
"""


def main():
    parser = argparse.ArgumentParser()
    add_fill_arguments(parser, "var/bench/index.json")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run on PostgreSQL: set DATABASE_URL.")
    fill(args.province, args.communes, args.dossiers, args.years)
    if not IndexTally.objects.exists():
        began = time.perf_counter()
        services.tally.rebuild()
        print(f"counted the index counters in {time.perf_counter() - began:.0f} s")
    MonthFigures.objects.all().delete()  # so that "cold" counts the trend's months, as the day's first reading does
    today = timezone.localdate()
    now = timezone.now()
    province = unit_on(args.province, today)
    count = Dossier.objects.filter(province=province).count()
    year_count = Dossier.objects.filter(province=province, received_at__gte=now - timedelta(days=365)).count()
    units = Unit.objects.filter(province=province).count() + 1
    print(f"{count:,} dossiers ({year_count:,} received in the last 365 days), {units:,} units, "
          f"{IndexTally.objects.filter(province=province).count():,} counter rows")  # fmt: skip
    leader, _ = User.objects.get_or_create(username="bench.leader")
    assign_role(leader, Role.UNIT_LEADER, province)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(leader)
    month = rules.period("month", today.year, today.month)
    last_month = rules.period("month", *(today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12))
    year = rules.period("year", today.year)

    def raw(first, last, group="d.procedure_id"):
        start, end = period_bounds(first, last)
        params = {"s": start, "e": end, "c": min(end, now), "p": province.pk}

        def run():
            with connection.cursor() as cursor:
                cursor.execute(RAW.format(group=group), params)
                return cursor.fetchall()

        return run

    def raw_trend():
        first = (today.replace(day=1) - timedelta(days=335)).replace(day=1)
        start, end = period_bounds(first, today)
        with connection.cursor() as cursor:
            cursor.execute(RAW_TREND, {"s": start, "e": end, "p": province.pk})
            return cursor.fetchall()

    def raw_pair(first, last, previous):
        by_unit = "d.processing_unit_id, d.procedure_id"
        now_run, before_run = raw(first, last, by_unit), raw(*previous, by_unit)
        return lambda: (now_run(), before_run())

    readings = [
        ("index, this month", lambda: services.index(province, *month, now), raw(*month)),
        ("index, last month", lambda: services.index(province, *last_month, now), raw(*last_month)),
        ("index, this year so far", lambda: services.index(province, *year, now), raw(*year)),
        ("ranking, this month (and last)", lambda: services.ranking(province, *month, now),
         raw_pair(*month, last_month)),
        ("ranking, this year (and last)", lambda: services.ranking(province, *year, now),
         raw_pair(*year, rules.period("year", today.year - 1))),
        ("trend, 12 months", lambda: services.monthly_trend(province, now=now), raw_trend),
        ("dashboard page, this month", lambda: client.get("/chi-so/", {"unit": province.pk}),
         lambda: (raw(*month)(), raw_pair(*month, last_month)(), raw_trend())),
    ]  # fmt: skip
    results = []
    print(f"{'reading':<34}{'cold s':>8}{'ours s':>9}{'raw SQL s':>11}{'raw/ours':>10}")
    for name, ours, baseline in readings:
        cold = timed(ours, 1)[0]
        mine, base = [], []
        for _ in range(args.runs):
            mine += timed(ours, 1)
            base += timed(baseline, 1)
        row = {"reading": name, "cold_s": cold, "ours_s": statistics.median(mine), "raw_sql_s": statistics.median(base),
               "ours_runs": mine, "raw_runs": base}  # fmt: skip
        row["raw_over_ours"] = row["raw_sql_s"] / row["ours_s"]
        results.append(row)
        print(f"{name:<34}{cold:>8.3f}{row['ours_s']:>9.3f}{row['raw_sql_s']:>11.3f}{row['raw_over_ours']:>10.1f}")
    machine = {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
               "postgresql": connection.cursor().connection.info.server_version}  # fmt: skip
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"dossiers": count, "received_last_365_days": year_count, "units": units,
                               "now": now.isoformat(), "machine": machine, "results": results}, indent=2))  # fmt: skip
    print(f"written to {out}")


if __name__ == "__main__":
    main()
