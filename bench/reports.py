"""The settlement report against the best single hand-written SQL over the dossier table (README.md)."""

import argparse
import os
import statistics
import sys
import time
from datetime import date, datetime

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from motcua.demo.generator import generate_bulk  # noqa: E402
from motcua.dossiers.models import Dossier  # noqa: E402
from motcua.reports import rules, services  # noqa: E402
from motcua.units.services import unit_on  # noqa: E402
from motcua.workdays.rules import VIETNAM  # noqa: E402

# One statement, every column as a FILTER aggregate over the raw table, grouped by processing unit:
# what one would write by hand without the report's design.
RAW = """
SELECT processing_unit_id,
  count(*) FILTER (WHERE received_at >= %(s)s AND channel = 2),
  count(*) FILTER (WHERE received_at >= %(s)s AND channel <> 2),
  count(*) FILTER (WHERE received_at < %(s)s),
  count(*) FILTER (WHERE finished_at < %(e)s AND finished_at <= due_at
                   AND (finished_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
                   < (due_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date),
  count(*) FILTER (WHERE finished_at < %(e)s AND finished_at <= due_at
                   AND (finished_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
                   = (due_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date),
  count(*) FILTER (WHERE finished_at < %(e)s AND finished_at > due_at),
  count(*) FILTER (WHERE (finished_at IS NULL OR finished_at >= %(e)s) AND due_at >= %(c)s),
  count(*) FILTER (WHERE (finished_at IS NULL OR finished_at >= %(e)s) AND due_at < %(c)s),
  count(*) FILTER (WHERE digitized)
FROM dossiers_dossier
WHERE received_at IS NOT NULL AND received_at < %(e)s AND (finished_at IS NULL OR finished_at >= %(s)s)
GROUP BY processing_unit_id
"""


def timed(function, runs):
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        function()
        times.append(time.perf_counter() - began)
    return statistics.median(times), min(times), max(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=200_000, help="Generate up to this many first.")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run on PostgreSQL: set DATABASE_URL.")
    call_command("migrate", verbosity=0)
    call_command("load_demo", dossiers=0, verbosity=0)
    now = datetime(2026, 11, 23, 17, tzinfo=VIETNAM)
    have = Dossier.objects.count()
    if have < args.dossiers:
        generate_bulk(args.dossiers - have, seed=have + 1, days=365, communes=75, now=now)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE dossiers_dossier")
    province = unit_on("14", date(2026, 11, 1))
    print(f"{Dossier.objects.count():,} dossiers")
    print(f"{'report':<38}{'median s':>10}{'min':>8}{'max':>8}{'raw SQL s':>11}{'speed-up':>10}")
    for name, (first, last), by in (
        ("month (official), by unit", rules.period("official_month", 2026, 11), "unit"),
        ("year, by field", rules.period("year", 2026), "field"),
    ):
        start, end = rules.bounds(first, last)
        ours = timed(
            lambda first=first, last=last, by=by: services.settlement(province, first, last, by, now), args.runs
        )

        def raw(start=start, end=end):
            with connection.cursor() as cursor:
                cursor.execute(RAW, {"s": start, "e": end, "c": min(end, now)})
                return cursor.fetchall()

        base = timed(raw, args.runs)
        print(f"{name:<38}{ours[0]:>10.3f}{ours[1]:>8.3f}{ours[2]:>8.3f}{base[0]:>11.3f}{base[0] / ours[0]:>10.2f}")


if __name__ == "__main__":
    main()
