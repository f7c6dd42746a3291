"""`make bench`: every benchmark on PostgreSQL, one after another, each printing its table and
writing its JSON under var/bench/; then var/bench/summary.json gathers them with the machine.

    BENCH_DATABASE_URL=postgres://… DOSSIERS=1500000,5000000,15000000 make bench

The database (default: the local server's ``bench`` database, made if missing) is migrated and
filled by the benchmarks themselves; each size in DOSSIERS fills it further, giving the scaling
curve. It is left filled for the next run. The intake and import benchmark empties the tables it
writes, so it runs in a database of its own beside it (``bench_intake``).
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def run(env, *args) -> float:
    print(f"\n$ {' '.join(args)}", flush=True)
    start = time.perf_counter()
    subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", default=os.environ.get("DOSSIERS", "1500000"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench")
    if not url.startswith("postgres"):
        sys.exit("The benchmarks run on PostgreSQL: set BENCH_DATABASE_URL.")
    intake_url = f"{url}_intake"
    motcua = str(Path(sys.executable).with_name("motcua"))
    for database in (url, intake_url):
        ensure_database(database)
        env = {**os.environ, "DATABASE_URL": database}
        subprocess.run([motcua, "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([motcua, "load_demo", "--dossiers", "0"], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
    OUT.mkdir(parents=True, exist_ok=True)
    timings = {}
    timings["intake"] = run({**os.environ, "DATABASE_URL": intake_url},
                            "bench/intake.py", "--dossiers", "2000", "--rows", "1000000")  # fmt: skip
    env = {**os.environ, "DATABASE_URL": url}
    for size in [int(s) for s in args.dossiers.split(",")]:
        for name in ("reports", "index", "live", "search"):
            output = f"var/bench/{name}-{size}.json"
            repeat = [] if name == "live" else ["--runs", str(args.runs)]  # live runs for its --seconds
            timings[f"{name}-{size}"] = run(
                env, f"bench/{name}.py", "--dossiers", str(size), *repeat, "--output", output
            )
    timings["lookup_http"] = run(env, "bench/lookup_http.py", "--runs", str(args.runs))
    timings["portal"] = run(env, "bench/portal.py", "--views", "1000", "--runs", str(args.runs))
    results = {path.stem: json.loads(path.read_text()) for path in sorted(OUT.glob("*.json")) if path.stem != "summary"}
    summary = {
        "machine": {"cpus": os.cpu_count(), "system": platform.platform(), "python": platform.python_version()},
        "seconds": {k: round(v, 1) for k, v in timings.items()},
        "results": results,
    }
    (OUT / "summary.json").write_text(json.dumps(summary, indent=2, default=str))
    print(f"\n{OUT / 'summary.json'}: {', '.join(results)}")


if __name__ == "__main__":
    main()
