"""The settlement report from the ledger against, in the same run, the best single hand-written SQL
over the raw dossier table, on a made-up province of ~2,000 units (README.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/reports.py \\
        --dossiers 1500000 --years 3 --runs 5

Fills the database up to --dossiers first (seeded, three years back from now), then times each
report --runs times, alternating ours and the baseline; prints medians and writes JSON.
"""

import argparse
import io
import json
import multiprocessing
import os
import platform
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.utils import timezone  # noqa: E402

from motcua.demo.generator import generate_bulk  # noqa: E402
from motcua.demo.synthetic import make_province  # noqa: E402
from motcua.dossiers import partitions  # noqa: E402
from motcua.dossiers.models import Dossier  # noqa: E402
from motcua.reports import rules, services  # noqa: E402
from motcua.reports.models import Tally  # noqa: E402
from motcua.units.models import Unit  # noqa: E402
from motcua.units.services import unit_on  # noqa: E402
from motcua.workdays.rules import period_bounds  # noqa: E402

# One statement, every column as a FILTER aggregate over the raw table, reading only the period's
# intake, what finished in it and the open set: what one would write by hand without the ledger.
RAW = """
SELECT {group},
  count(*) FILTER (WHERE d.received_at >= %(s)s AND d.channel = 2),
  count(*) FILTER (WHERE d.received_at >= %(s)s AND d.channel <> 2),
  count(*) FILTER (WHERE d.received_at < %(s)s),
  count(*) FILTER (WHERE d.finished_at < %(e)s AND d.finished_at <= d.due_at
                   AND (d.finished_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
                   < (d.due_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date),
  count(*) FILTER (WHERE d.finished_at < %(e)s AND d.finished_at <= d.due_at
                   AND (d.finished_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
                   = (d.due_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date),
  count(*) FILTER (WHERE d.finished_at < %(e)s AND d.finished_at > d.due_at),
  count(*) FILTER (WHERE (d.finished_at IS NULL OR d.finished_at >= %(e)s) AND (d.due_at >= %(c)s OR d.status = 5)),
  count(*) FILTER (WHERE (d.finished_at IS NULL OR d.finished_at >= %(e)s) AND d.due_at < %(c)s AND d.status <> 5),
  count(*) FILTER (WHERE d.digitized)
FROM dossiers_dossier d {join}
WHERE d.province_id = %(p)s AND d.received_at < %(e)s AND (d.finished_at IS NULL OR d.finished_at >= %(s)s)
GROUP BY {group}
"""
GROUPS = {
    "unit": ("d.processing_unit_id", ""),
    "field": ("p.field_id", "JOIN catalog_procedure p ON p.id = d.procedure_id"),
}
# The floor: the half-month rows of the period summed, nothing else (no balances, no grouping work).
FLOOR = """
SELECT unit_id, sum(new_online), sum(new_offline), sum(early), sum(on_time), sum(late), sum(finished_digitized)
FROM reports_tally WHERE province_id = %(p)s AND span = 'h' AND day >= %(s)s AND day < %(e)s GROUP BY unit_id
"""


WORKERS = min(4, os.cpu_count() or 1)


def timed(function, runs):
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        function()
        times.append(time.perf_counter() - began)
    return times


def months(today: date, days: int) -> list[tuple[date, date]]:
    """The ``days`` before today as calendar months (first and last day; the ends cut)."""
    first, found = today - timedelta(days=days), []
    while first <= today:
        following = (first.replace(day=1) + timedelta(days=32)).replace(day=1)
        found.append((first, min(following - timedelta(days=1), today)))
        first = following
    return found


def _fill_months(job) -> int:
    """One writer filling its run of months, oldest first, a transaction a month. Each writer keeps
    to its own months, so no two write one desk's day counter; and as each goes through its run
    oldest first, what one writes in the other's months (a finish in the month after its run, an
    online submission in the month before) reaches rows the other wrote at its start, or will at
    its end: the writers do not wait on each other's ledger rows (nor deadlock on them)."""
    shares, seed, communes, code = job
    made = 0
    for (first, last), count in shares:
        began = time.perf_counter()
        created = generate_bulk(count, seed=seed + made, days=(last - first).days, until=last,
                                communes=communes, province=code).created  # fmt: skip
        made += created
        seconds = time.perf_counter() - began
        print(f"  {created:,} dossiers received {first:%m/%Y} in {seconds:.0f} s ({created / seconds:,.0f}/s)",
              flush=True)  # fmt: skip
    return made


def fill(code: str, communes: int, target: int, years: int, workers: int = WORKERS) -> None:
    """Fill the province up to ``target`` dossiers, spread over the months of ``years`` back, written
    by ``workers`` processes side by side, each on its own run of months (a stopped run keeps the
    months it finished)."""
    call_command("migrate", verbosity=0)
    call_command("load_demo", dossiers=0, stdout=io.StringIO())
    if not Unit.objects.filter(code=code).exists():
        make_province(code, communes=communes)
    today = timezone.localdate()
    province = unit_on(code, today)
    have = Dossier.objects.filter(province=province).count()
    if have < target:
        calendar = months(today, 365 * years)
        total_days = sum((last - first).days + 1 for first, last in calendar)
        need = target - have
        counts = [need * ((last - first).days + 1) // total_days for first, last in calendar]
        counts[0] += need - sum(counts)  # the earliest month has no receipts cut off by now
        shares = list(zip(calendar, counts, strict=True))
        size = -(-len(shares) // workers)
        runs = [shares[n : n + size] for n in range(0, len(shares), size)]
        jobs = [(run, (have * 16 + n) * 2**32, communes, code) for n, run in enumerate(runs)]
        partitions.ensure(partitions.month_key(first) for first, _last in calendar)
        connections.close_all()  # each writer opens its own
        began = time.perf_counter()
        with multiprocessing.get_context("fork").Pool(len(jobs)) as pool:
            made = sum(pool.map(_fill_months, jobs))
        seconds = time.perf_counter() - began
        print(f"generated {made:,} dossiers in {seconds:.0f} s ({made / seconds:,.0f}/s, {len(jobs)} writers),"
              f" {have + made:,} in all", flush=True)  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def last_closed_official_month(today: date) -> tuple[date, date]:
    """Official month N runs from 15/(N-1) to 14/N: the last one whose 14th has passed."""
    year, month = today.year, today.month
    if today.day <= 14:
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return rules.period("official_month", year, month)


def add_fill_arguments(parser: argparse.ArgumentParser, output: str) -> None:
    """The arguments of every benchmark that fills the province first (``fill``), and where it writes."""
    parser.add_argument("--dossiers", type=int, default=1_500_000, help="Fill the province up to this many first.")
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--province", default="99")
    parser.add_argument("--communes", type=int, default=395)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--output", default=output)


def main():
    parser = argparse.ArgumentParser()
    add_fill_arguments(parser, "var/bench/reports.json")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run on PostgreSQL: set DATABASE_URL.")
    fill(args.province, args.communes, args.dossiers, args.years)
    today = timezone.localdate()
    province = unit_on(args.province, today)
    now = timezone.now()
    count = Dossier.objects.filter(province=province).count()
    units = Unit.objects.filter(province=province).count() + 1
    print(f"{count:,} dossiers, {units:,} units, {Tally.objects.filter(province=province).count():,} ledger rows")
    official = last_closed_official_month(today)
    reports = [
        ("official month (closed), by unit", official, "unit"),
        ("this month so far, by unit", rules.period("month", today.year, today.month), "unit"),
        ("this year so far, by field", rules.period("year", today.year), "field"),
        ("last calendar year, by field", rules.period("year", today.year - 1), "field"),
    ]
    results = []
    header = f"{'report':<36}{'cold s':>8}{'ours s':>9}{'raw SQL s':>11}{'raw/ours':>10}{'floor s':>9}"
    print(header)
    for name, (first, last), by in reports:
        start, end = period_bounds(first, last)
        group, join = GROUPS[by]
        sql = RAW.format(group=group, join=join)
        params = {"s": start, "e": end, "c": min(end, now), "p": province.pk}

        def ours(first=first, last=last, by=by):
            return services.settlement(province, first, last, by, now)

        def raw(sql=sql, params=params):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()

        def floor(first=first, last=last):
            with connection.cursor() as cursor:
                cursor.execute(FLOOR, {"p": province.pk, "s": first, "e": last + timedelta(days=1)})
                return cursor.fetchall()

        cold = timed(ours, 1)[0]  # may make the checkpoints it reads
        mine, base, least = [], [], []
        for _ in range(args.runs):  # interleaved, so that the machine's mood falls on both alike
            mine += timed(ours, 1)
            base += timed(raw, 1)
            least += timed(floor, 1)
        row = {"report": name, "from": first.isoformat(), "to": last.isoformat(), "by": by, "cold_s": cold,
               "ours_s": statistics.median(mine), "raw_sql_s": statistics.median(base),
               "floor_s": statistics.median(least), "ours_runs": mine, "raw_runs": base}  # fmt: skip
        row["raw_over_ours"] = row["raw_sql_s"] / row["ours_s"]
        results.append(row)
        print(f"{name:<36}{cold:>8.3f}{row['ours_s']:>9.3f}{row['raw_sql_s']:>11.3f}{row['raw_over_ours']:>10.1f}"
              f"{row['floor_s']:>9.3f}")  # fmt: skip
    machine = {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
               "postgresql": connection.cursor().connection.info.server_version}  # fmt: skip
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"dossiers": count, "units": units, "now": now.isoformat(), "machine": machine,
                               "results": results}, indent=2, default=str))  # fmt: skip
    print(f"written to {out}")


if __name__ == "__main__":
    main()
