"""Citizen lookup over HTTP on the production server setup (gunicorn, keep-alive), against a bare
endpoint on the same server and a raw SQL lookup, in the same run. Each endpoint's capacity is
measured closed-loop; then an open-loop generator sends at 50% and 80% of it and reports latency
percentiles from each request's intended send time (no coordinated omission)."""

import argparse
import asyncio
import json
import os
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import django

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
django.setup()

from django.db import connection  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Conn:
    """One keep-alive HTTP/1.1 connection."""

    def __init__(self, port):
        self.port = port
        self.reader = self.writer = None

    async def get(self, target) -> int:
        """A GET of an address, or a POST of ``(address, content type, body, extra header lines)``."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        head = "Host: 127.0.0.1\r\nConnection: keep-alive\r\n"
        if isinstance(target, str):
            self.writer.write(f"GET {target} HTTP/1.1\r\n{head}\r\n".encode())
        else:
            path, kind, body, extra = target
            head += f"Content-Type: {kind}\r\nContent-Length: {len(body)}\r\n{extra}"
            self.writer.write(f"POST {path} HTTP/1.1\r\n{head}\r\n".encode() + body)
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        if length:
            await self.reader.readexactly(length)
        return status


def csrf_pair(port) -> tuple[str, str]:
    """The CSRF cookie and the form's token, as a browser opening the lookup page gets them."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/tra-cuu/") as reply:
        cookies = [v for k, v in reply.headers.items() if k.lower() == "set-cookie" and v.startswith("csrftoken=")]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', reply.read().decode())[1]
    return cookies[0].split(";")[0].split("=", 1)[1], token


async def capacity(port, targets, connections=16, seconds=5.0) -> float:
    """Requests per second with ``connections`` clients sending back to back."""
    done = 0
    stop = time.perf_counter() + seconds

    async def client():
        nonlocal done
        conn = Conn(port)
        while time.perf_counter() < stop:
            try:
                if await conn.get(random.choice(targets)) == 200:
                    done += 1
            except (OSError, asyncio.IncompleteReadError):
                conn = Conn(port)  # the server closed it: open another, count nothing

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(connections)))
    return done / (time.perf_counter() - start)


async def open_loop(port, targets, rate, seconds=8.0, connections=64) -> dict:
    """Send at ``rate`` per second on a fixed schedule; latency from each intended send time."""
    pool = asyncio.Queue()
    for _ in range(connections):
        pool.put_nowait(Conn(port))
    latencies, errors = [], 0
    start = time.perf_counter()
    count = int(rate * seconds)

    async def one(intended):
        nonlocal errors
        conn = await pool.get()
        try:
            status = await conn.get(random.choice(targets))
            if status != 200:
                errors += 1
        except (OSError, asyncio.IncompleteReadError):
            errors += 1
            conn = Conn(port)
        latencies.append(time.perf_counter() - intended)
        pool.put_nowait(conn)

    tasks = []
    for n in range(count):
        intended = start + n / rate
        delay = intended - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(intended)))
    await asyncio.gather(*tasks)
    latencies.sort()

    def pct(p):
        return round(latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000, 2)

    return {
        "rate": round(rate, 1),
        "sent": count,
        "errors": errors,
        "p50_ms": pct(50),
        "p90_ms": pct(90),
        "p99_ms": pct(99),
        "max_ms": round(latencies[-1] * 1000, 2),
    }


def raw_sql(pairs, seconds=3.0, month=True) -> dict:
    """One indexed read by code on one connection; with ``month``, bounded to the code's month as
    the application reads it (one partition), else over every partition."""
    from motcua.dossiers import partitions

    times = []
    stop = time.perf_counter() + seconds
    with connection.cursor() as cursor:
        while time.perf_counter() < stop:
            code, _secret = random.choice(pairs)
            day = partitions.code_day(code)
            t = time.perf_counter()
            if month and day is not None:
                low, high = partitions.bounds(partitions.month_key(day))
                cursor.execute("SELECT id, status, secret FROM dossiers_dossier WHERE code = %s AND id >= %s "
                               "AND id < %s", [code, low, high])  # fmt: skip
            else:
                cursor.execute("SELECT id, status, secret FROM dossiers_dossier WHERE code = %s", [code])
            cursor.fetchone()
            times.append(time.perf_counter() - t)
    times.sort()
    return {
        "per_second": round(len(times) / seconds, 1),
        "p50_ms": round(times[len(times) // 2] * 1000, 3),
        "p99_ms": round(times[int(len(times) * 0.99)] * 1000, 3),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--output", default="var/bench/lookup.json")
    args = parser.parse_args()
    with connection.cursor() as cursor:
        cursor.execute("SELECT code, secret FROM dossiers_dossier WHERE code IS NOT NULL ORDER BY random() LIMIT 2000")
        pairs = cursor.fetchall()
    if not pairs:
        sys.exit("No dossiers: fill the database first (see README.md).")
    port = free_port()
    env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1", "CONN_MAX_AGE": "300", "PYTHONPATH": str(ROOT / "bench")}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "wsgi_bench:application",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(args.workers),
            "-k",
            "gthread",
            "--threads",
            str(args.threads),
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
        ],
        cwd=ROOT / "bench",
        env=env,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        # The code and secret are posted (never in the address); the page's form carries its CSRF token.
        cookie, token = csrf_pair(port)
        endpoints = {
            "bare (before Django)": ["/bench-bare/"],
            "Django, whole middleware": ["/bench-django/"],
            "lookup API (JSON)": [
                ("/api/lookup", "application/json", json.dumps({"code": c, "secret": s}).encode(), "") for c, s in pairs
            ],
            "lookup page (HTML)": [
                (
                    "/tra-cuu/",
                    "application/x-www-form-urlencoded",
                    urlencode({"csrfmiddlewaretoken": token, "code": c, "secret": s}).encode(),
                    f"Cookie: csrftoken={cookie}\r\n",
                )
                for c, s in pairs
            ],
        }
        results = {}
        for name, targets in endpoints.items():
            asyncio.run(capacity(port, targets, seconds=2))  # warm up: connections, caches
            peak = statistics.median(asyncio.run(capacity(port, targets)) for _ in range(args.runs))
            results[name] = {
                "capacity": round(peak, 1),
                "at_50": asyncio.run(open_loop(port, targets, peak * 0.5)),
                "at_80": asyncio.run(open_loop(port, targets, peak * 0.8)),
            }
        results["raw SQL, the code's month"] = {"raw": raw_sql(pairs)}
        results["raw SQL, every partition"] = {"raw": raw_sql(pairs, month=False)}
    finally:
        server.terminate()
        server.wait()
    head = ("endpoint", "req/s", "ratio", "50%: p50", "p99", "80%: p50", "p99", "errors")
    print("{:<32} {:>8} {:>6} {:>9} {:>8} {:>9} {:>8} {:>6}".format(*head))
    bare = results["bare (before Django)"]["capacity"]
    for name, found in results.items():
        if "raw" in found:
            raw = found["raw"]
            print(
                f"{name:<32} {raw['per_second']:>8} {raw['per_second'] / bare:>6.2f} {raw['p50_ms']:>9} "
                f"{raw['p99_ms']:>8}"
            )
            continue
        a, b = found["at_50"], found["at_80"]
        print(
            f"{name:<32} {found['capacity']:>8} {found['capacity'] / bare:>6.2f} {a['p50_ms']:>9} {a['p99_ms']:>8} "
            f"{b['p50_ms']:>9} {b['p99_ms']:>8} {a['errors'] + b['errors']:>6}"
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM dossiers_dossier")
        count = cursor.fetchone()[0]
    machine = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "system": platform.platform(),
        "database": connection.vendor,
        "workers": args.workers,
        "threads": args.threads,
    }
    out = ROOT / args.output
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"dossiers": count, "machine": machine, "results": results}, indent=2))


if __name__ == "__main__":
    main()
