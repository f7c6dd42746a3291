"""The leaders' dashboard while desks receive dossiers: how long the dashboard takes to read when
idle and under intake, and how long a received dossier takes to appear in its figures.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/live.py \\
        --dossiers 1500000 --writers 2 --seconds 30

Fills the province first (as bench/reports.py does). Writer processes receive dossiers through
``dossiers.services.receive`` and note each commit's time; the reader computes the province's
service index for this month (what the dashboard shows) over and over and notes when each commit
is first counted. Prints medians and percentiles, and writes JSON.
"""

import argparse
import json
import multiprocessing
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from django.db import connection, connections
from django.utils import timezone
from reports import fill

from motcua.catalog.models import Procedure
from motcua.demo.generator import generator_accounts
from motcua.dossiers import services
from motcua.dossiers.rules import Action, Channel
from motcua.quality import services as quality
from motcua.quality.models import IndexTally
from motcua.units.models import Unit, UnitKind
from motcua.units.services import unit_on


def desk_and_commune(province: Unit, today):
    desk = (
        Unit.objects.filter(province=province, kind=UnitKind.SERVICE_CENTER, parent__kind=UnitKind.COMMUNE)
        .valid_on(today)
        .select_related("parent")
        .order_by("code")
        .first()
    )
    return desk, desk.parent


def writer(stop_at: float, commits, province_code: str) -> None:
    try:  # the parent opened no connection before the fork: this one is the writer's own
        today = timezone.localdate()
        province = unit_on(province_code, today)
        desk_user, _officer, _leader = generator_accounts(today, province)
        desk, commune = desk_and_commune(province, today)
        procedure = Procedure.objects.get(code="1.001193")
        orders = [c.order for c in procedure.components.all()]
        intake = services.Intake(
            procedure=procedure, receiving_unit=desk, processing_unit=commune, channel=Channel.IN_PERSON,
            applicant=services.Applicant(name="Lò Văn Thử"),
            components=[services.ComponentInput(order=o, provided=True, digitized=True) for o in orders],
        )  # fmt: skip
        while time.time() < stop_at:
            services.receive(desk_user, intake, Action.ACCEPT)
            commits.put(time.time())
    finally:
        commits.put(None)  # this writer is done, whatever happened


def read(province, first, today):
    began = time.perf_counter()
    found = quality.index(province, first, today)
    return time.perf_counter() - began, found.figures.handled


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] if ordered else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=1_500_000)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--province", default="99")
    parser.add_argument("--communes", type=int, default=395)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--output", default="var/bench/live.json")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run on PostgreSQL: set DATABASE_URL.")
    fill(args.province, args.communes, args.dossiers, args.years)
    if not IndexTally.objects.exists():
        quality.tally.rebuild()
    today = timezone.localdate()
    province = unit_on(args.province, today)
    first = today.replace(day=1)
    generator_accounts(today, province)
    read(province, first, today)  # warm: the month's checkpoints, the catalog

    idle = [read(province, first, today)[0] for _ in range(10)]
    connections.close_all()
    commits = multiprocessing.get_context("fork").Queue()
    stop_at = time.time() + args.seconds
    writers = [
        multiprocessing.get_context("fork").Process(target=writer, args=(stop_at, commits, args.province))
        for _ in range(args.writers)
    ]
    base = read(province, first, today)[1]
    connections.close_all()  # no open connection may be shared with the forked writers
    for process in writers:
        process.start()
    reads = []  # (ended at, seconds, figure)
    while time.time() < stop_at:
        seconds, figure = read(province, first, today)
        reads.append((time.time(), seconds, figure))
    committed, done = [], 0
    while done < len(writers):
        moment = commits.get()
        if moment is None:
            done += 1
        else:
            committed.append(moment)
    for process in writers:
        process.join()
    committed.sort()
    # The k-th commit is counted by the first read that returned base + k or more.
    lags, r = [], 0
    for k, moment in enumerate(committed, start=1):
        while r < len(reads) and (reads[r][2] - base < k or reads[r][0] < moment):
            r += 1
        if r == len(reads):
            break
        lags.append(reads[r][0] - moment)
    busy = [seconds for _, seconds, _ in reads]
    figures = {
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs",
        "dossiers": args.dossiers,
        "writers": args.writers,
        "seconds": args.seconds,
        "intake_per_second": round(len(committed) / args.seconds, 1),
        "dashboard_reads_under_intake": len(reads),
        "dashboard_idle_median_ms": round(1000 * statistics.median(idle), 1),
        "dashboard_busy_median_ms": round(1000 * statistics.median(busy), 1),
        "dashboard_busy_p99_ms": round(1000 * pct(busy, 99), 1),
        "slowdown": round(statistics.median(busy) / statistics.median(idle), 2),
        "appears_after_median_ms": round(1000 * statistics.median(lags), 1) if lags else None,
        "appears_after_p99_ms": round(1000 * pct(lags, 99), 1) if lags else None,
        "commits_seen": len(lags),
        "commits": len(committed),
    }
    print(json.dumps(figures, indent=1))
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
