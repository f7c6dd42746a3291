"""Sustained load on loopback: desk officers receiving dossiers and citizens looking them up, for
minutes, against the production server setup (gunicorn) on a private PostgreSQL server. Prints
requests, errors, latency percentiles and each server process's memory at the start and the end.

Usage: python bench/soak.py [--minutes 5] [--clients 6] [--output var/bench/soak.json]
Exits 1 on any error answer or (in runs of two minutes or more) if a server process's memory grew
more than 10% after the first minute.
"""

import argparse
import json
import random
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cluster import Cluster
from faults import Server, components, prepare, signed_in


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def server_pids(master: int) -> list[int]:
    """The master and its workers (gunicorn's children)."""
    children = Path(f"/proc/{master}/task/{master}/children")
    return [master, *map(int, children.read_text().split())] if children.exists() else [master]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--output")
    args = parser.parse_args()
    cluster = Cluster().start()
    server = None
    try:
        prepare(cluster)
        server = Server(cluster.url)
        server.start()
        orders = components()
        stop = threading.Event()
        lock = threading.Lock()
        latencies = {"intake": [], "lookup": []}
        errors: list[str] = []
        held: list[tuple[str, str]] = []

        def desk():
            session = signed_in(server.port, "desk")
            body = {
                "procedure": "1.012994", "receiving_unit": "04105.TTPVHCC", "processing_unit": "04105.PKT",
                "applicant": {"name": "Lò Văn Thử", "id_number": "014095001234"},
                "components": [{"order": o, "provided": True, "digitized": True} for o in orders],
            }  # fmt: skip
            while not stop.is_set():
                began = time.perf_counter()
                reply = session.post(f"http://127.0.0.1:{server.port}/api/dossiers", json=body, timeout=30)
                with lock:
                    latencies["intake"].append(time.perf_counter() - began)
                    if reply.status_code != 201:
                        errors.append(f"intake {reply.status_code}")
                    else:
                        found = reply.json()
                        held.append((found["code"], found["secret"]))

        def citizen():
            import requests

            session = requests.Session()
            while not stop.is_set():
                with lock:
                    pair = random.choice(held) if held else None
                if pair is None:
                    time.sleep(0.05)
                    continue
                began = time.perf_counter()
                reply = session.post(f"http://127.0.0.1:{server.port}/api/lookup",
                                     json={"code": pair[0], "secret": pair[1]}, timeout=30)  # fmt: skip
                with lock:
                    latencies["lookup"].append(time.perf_counter() - began)
                    if reply.status_code != 200:
                        errors.append(f"lookup {reply.status_code}")

        desks = max(1, args.clients // 3)
        threads = [threading.Thread(target=desk, daemon=True) for _ in range(desks)]
        threads += [threading.Thread(target=citizen, daemon=True) for _ in range(args.clients - desks)]
        for thread in threads:
            thread.start()
        seconds = args.minutes * 60
        samples = []
        began = time.monotonic()
        while time.monotonic() - began < seconds:
            time.sleep(min(5.0, seconds / 12))
            samples.append(
                (round(time.monotonic() - began, 1), {p: rss_kib(p) for p in server_pids(server.process.pid)})
            )
        stop.set()
        for thread in threads:
            thread.join(60)
    finally:
        if server:
            server.stop()
        from django.db import connections

        connections.close_all()
        cluster.stop()

    def pct(values, p):
        ordered = sorted(values)
        return round(1000 * ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))], 1) if ordered else None

    def summary(values):
        return {"p50": pct(values, 50), "p99": pct(values, 99), "mean": round(1000 * statistics.fmean(values), 1)}

    warm = [s for t, s in samples if t >= min(60.0, seconds / 4)]
    first, last = warm[0], warm[-1]
    growth = {str(pid): round(100 * (last[pid] - first[pid]) / first[pid], 1) for pid in first if pid in last}
    figures = {
        "minutes": args.minutes,
        "clients": args.clients,
        "requests": {kind: len(values) for kind, values in latencies.items()},
        "per_second": round(sum(map(len, latencies.values())) / seconds, 1),
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:10],
        "latency_ms": {kind: summary(values) for kind, values in latencies.items() if values},
        "rss_kib_after_warmup": {str(pid): first[pid] for pid in first},
        "rss_kib_end": {str(pid): last.get(pid) for pid in first},
        "rss_growth_percent": growth,
    }
    print(json.dumps(figures, ensure_ascii=False, indent=1))
    if args.output:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(json.dumps(figures, ensure_ascii=False, indent=1))
    flat = args.minutes < 2 or all(g <= 10.0 for g in growth.values())  # judged over minutes, not seconds
    ok = not errors and flat and all(latencies.values())
    print("OK: no errors, memory flat" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
