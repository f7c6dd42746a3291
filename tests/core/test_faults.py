"""The fault runs of bench/faults.py, short: the application server and the database restarted in
the middle of a burst, the worker killed mid-task. They start their own PostgreSQL server, so they
run once, in the PostgreSQL pass."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="run in the PostgreSQL pass"
)


def test_no_acknowledged_action_is_lost_and_nothing_is_half_written(tmp_path):
    output = tmp_path / "faults.json"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SYNC_URL")}
    done = subprocess.run(
        [sys.executable, "bench/faults.py", "all", "--seconds", "5", "--dossiers", "80", "--output", str(output)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = {r["scenario"]: r for r in json.loads(output.read_text())}
    assert results["server"]["acknowledged_receipts"] > 0 and results["server"]["outcomes"].get("500", 0) == 0
    assert results["database"]["outcomes"].get("500", 0) == 0
    assert results["worker"]["held_by_portal"] == results["worker"]["dossiers"] >= 80


def test_intake_and_lookup_hold_under_load_without_errors(tmp_path):
    output = tmp_path / "soak.json"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SYNC_URL")}
    done = subprocess.run(
        [sys.executable, "bench/soak.py", "--minutes", "0.3", "--clients", "4", "--output", str(output)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    figures = json.loads(output.read_text())
    assert figures["errors"] == 0 and figures["requests"]["intake"] > 0 and figures["requests"]["lookup"] > 0
