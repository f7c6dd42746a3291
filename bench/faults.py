"""Faults under load, on a private PostgreSQL server and the production server setup (gunicorn):

  server    kill -9 the application server in the middle of a burst of intake and assignment,
            start it again: every acknowledged action is stored, nothing is half-written, the
            codes of each desk's day run 1, 2, 3… without a gap.
  database  restart the database (immediate: connections cut) under the same burst: requests
            fail cleanly (503, never 500) and succeed again once it is back.
  worker    kill -9 the background worker while it sends dossiers to the national portal, start
            it again: every dossier reaches the portal once as a record, in its latest version.

Usage: python bench/faults.py [server|database|worker|all] [--seconds 8] [--clients 4]
Prints what happened and exits 1 if a promise was broken.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cluster import Cluster, free_port

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "mat-khau-thu-loi-123"


# ---------------------------------------------------------------------------------------------
# The system under test


def prepare(cluster: Cluster, sync_url: str = "") -> None:
    """Migrate the private database, load the demo province and the accounts the clients use."""
    os.environ["DATABASE_URL"] = cluster.url
    if sync_url:
        os.environ["SYNC_URL"] = sync_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from motcua.demo.services import load_reference_data
    from motcua.people.models import Role, User
    from motcua.people.services import assign_role
    from motcua.units.services import unit_on

    call_command("migrate", verbosity=0)
    load_reference_data()
    from django.utils import timezone

    today = timezone.localdate()
    for name, role, unit in (
        ("desk", Role.DESK_OFFICER, "04105.TTPVHCC"),
        ("leader", Role.UNIT_LEADER, "04105"),
        ("xuly", Role.PROCESSING_OFFICER, "04105.PKT"),
    ):
        user = User.objects.create_user(name, password=PASSWORD, full_name=name)
        assign_role(user, role, unit_on(unit, today))


class Server:
    def __init__(self, url: str, extra_env: dict | None = None):
        self.port = free_port()
        self.env = {**os.environ, "DATABASE_URL": url, "ALLOWED_HOSTS": "127.0.0.1", "CONN_MAX_AGE": "60",
                    **(extra_env or {})}  # fmt: skip
        self.process = None

    def start(self) -> None:
        import requests

        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "motcua.wsgi:application", "-b", f"127.0.0.1:{self.port}", "-w", "2",
             "-k", "gthread", "--threads", "4", "--log-level", "error"],
            env=self.env, cwd=ROOT, start_new_session=True,
        )  # fmt: skip
        for _ in range(200):
            try:
                requests.get(f"http://127.0.0.1:{self.port}/api/fields", timeout=1)
                return
            except requests.RequestException:
                time.sleep(0.05)
        raise RuntimeError("gunicorn did not start")

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait()


# ---------------------------------------------------------------------------------------------
# The clients: desk officers receiving dossiers, a leader assigning them


def signed_in(port: int, username: str):
    import requests

    session = requests.Session()
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            session.get(f"{base}/dang-nhap/", timeout=5)
            reply = session.post(f"{base}/dang-nhap/", timeout=10, allow_redirects=False,
                                 data={"username": username, "password": PASSWORD,
                                       "csrfmiddlewaretoken": session.cookies["csrftoken"]})  # fmt: skip
            if reply.status_code == 302:
                session.headers["X-CSRFToken"] = session.cookies["csrftoken"]
                return session
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{username} could not sign in")


class Burst:
    def __init__(self, server: Server, components: list[int], clients: int):
        self.server, self.components, self.clients = server, components, clients
        self.outcomes = Counter()
        self.acknowledged = {"receive": [], "assign": []}
        self.statuses_after_fault = Counter()
        self.fault_over_at = None
        self.stop = threading.Event()
        self.lock = threading.Lock()

    def _note(self, kind: str, reply, code: str | None) -> None:
        with self.lock:
            if reply is None:
                self.outcomes["connection lost"] += 1
                return
            self.outcomes[reply.status_code] += 1
            if self.fault_over_at and time.monotonic() > self.fault_over_at:
                self.statuses_after_fault[reply.status_code] += 1
            if reply.status_code in (200, 201) and code:
                self.acknowledged[kind].append(code)

    def _post(self, session, path: str, body: dict):
        import requests

        try:
            return session.post(f"http://127.0.0.1:{self.server.port}{path}", json=body, timeout=15)
        except requests.RequestException:
            return None

    def client(self) -> None:
        desk, leader = signed_in(self.server.port, "desk"), signed_in(self.server.port, "leader")
        intake = {
            "procedure": "1.012994", "receiving_unit": "04105.TTPVHCC", "processing_unit": "04105.PKT",
            "applicant": {"name": "Lò Văn Thử", "id_number": "014095001234", "phone": "0912345678"},
            "components": [{"order": o, "provided": True, "digitized": True} for o in self.components],
        }  # fmt: skip
        while not self.stop.is_set():
            reply = self._post(desk, "/api/dossiers", intake)
            code = reply.json().get("code") if reply is not None and reply.status_code == 201 else None
            self._note("receive", reply, code)
            if code:
                reply = self._post(leader, f"/api/dossiers/{code}/assign", {"assignee": "xuly", "note": "Giao"})
                self._note("assign", reply, code)
            if reply is None or reply.status_code >= 500:
                time.sleep(0.05)  # a client waits a little before trying again

    def run(self, seconds: float, fault, at: float) -> None:
        threads = [threading.Thread(target=self.client, daemon=True) for _ in range(self.clients)]
        for thread in threads:
            thread.start()
        time.sleep(at)
        began = time.monotonic()
        fault()
        self.fault_over_at = time.monotonic()
        self.fault_seconds = self.fault_over_at - began
        time.sleep(max(0.0, seconds - at))
        self.stop.set()
        for thread in threads:
            thread.join(30)


def check_store(burst: Burst) -> list[str]:
    """The promises about what is stored, read from the database after the run."""
    from django.db import close_old_connections

    from motcua.dossiers.models import Dossier
    from motcua.dossiers.services import differences

    close_old_connections()
    broken = []
    stored = dict(Dossier.objects.values_list("code", "assignee__username"))
    missing = [c for c in burst.acknowledged["receive"] if c not in stored]
    if missing:
        broken.append(f"{len(missing)} acknowledged dossiers are missing, e.g. {missing[:3]}")
    unassigned = [c for c in burst.acknowledged["assign"] if stored.get(c) != "xuly"]
    if unassigned:
        broken.append(f"{len(unassigned)} acknowledged assignments are missing, e.g. {unassigned[:3]}")
    half = [d.code for d in Dossier.objects.all() if differences(d)]
    if half:
        broken.append(f"{len(half)} dossiers disagree with their history, e.g. {half[:3]}")
    numbers = defaultdict(list)
    for code in stored:
        prefix, _, number = code.rpartition("-")
        numbers[prefix].append(int(number))
    for prefix, found in numbers.items():
        if sorted(found) != list(range(1, len(found) + 1)):
            broken.append(f"the codes of {prefix} are not 1…{len(found)} without gaps")
    if burst.outcomes[500]:
        broken.append(f"{burst.outcomes[500]} requests answered 500")
    if not (burst.statuses_after_fault[200] or burst.statuses_after_fault[201]):
        broken.append("no request succeeded after the fault")
    return broken


def report(name: str, burst: Burst, broken: list[str], extra: dict | None = None) -> dict:
    from motcua.dossiers.models import Dossier

    figures = {
        "scenario": name,
        "fault_seconds": round(burst.fault_seconds, 2),
        "outcomes": {str(k): v for k, v in sorted(burst.outcomes.items(), key=str)},
        "acknowledged_receipts": len(burst.acknowledged["receive"]),
        "acknowledged_assignments": len(burst.acknowledged["assign"]),
        "dossiers_stored": Dossier.objects.count(),
        **(extra or {}),
        "broken": broken,
    }
    print(json.dumps(figures, ensure_ascii=False))
    return figures


def components() -> list[int]:
    from motcua.catalog.models import Procedure

    return [c.order for c in Procedure.objects.get(code="1.012994").components.all()]


def server_fault(cluster: Cluster, seconds: float, clients: int) -> dict:
    server = Server(cluster.url)
    server.start()
    burst = Burst(server, components(), clients)
    try:
        burst.run(seconds, lambda: (server.kill(), server.start()), at=seconds * 0.4)
    finally:
        server.stop()
    return report("server", burst, check_store(burst))


def database_fault(cluster: Cluster, seconds: float, clients: int) -> dict:
    server = Server(cluster.url)
    server.start()
    burst = Burst(server, components(), clients)
    try:
        burst.run(seconds, cluster.restart, at=seconds * 0.4)
    finally:
        server.stop()
    return report("database", burst, check_store(burst))


# ---------------------------------------------------------------------------------------------
# The worker


class FakePortal:
    """The national portal's receiving end: keeps each dossier once, by code, in its latest version."""

    def __init__(self, delay: float = 0.01):
        self.held, self.posts, self.delay = {}, 0, delay
        portal = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                time.sleep(portal.delay)
                portal.posts += 1
                held = portal.held.get(body["MaHoSo"])
                if held is None or held["PhienBan"] <= body["PhienBan"]:
                    portal.held[body["MaHoSo"]] = body
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/dong-bo"


def worker_fault(cluster: Cluster, portal: FakePortal, dossiers: int) -> dict:
    from django.db import close_old_connections

    from motcua.catalog.models import Procedure
    from motcua.dossiers import services
    from motcua.dossiers.rules import Action, Channel
    from motcua.people.models import User
    from motcua.sync.models import SyncState, SyncStatus
    from motcua.sync.services import push_due
    from motcua.units.services import unit_on

    desk = User.objects.get(username="desk")
    land = Procedure.objects.get(code="1.012994")
    from django.utils import timezone

    today = timezone.localdate()
    for _ in range(dossiers):
        services.receive(desk, services.Intake(
            procedure=land, receiving_unit=unit_on("04105.TTPVHCC", today), processing_unit=unit_on("04105.PKT", today),
            channel=Channel.IN_PERSON, applicant=services.Applicant(name="Lò Văn Thử"),
            components=[services.ComponentInput(order=o, provided=True) for o in components()],
        ), Action.ACCEPT)  # fmt: skip
    env = {**os.environ, "DATABASE_URL": cluster.url, "SYNC_URL": portal.url}
    command = [sys.executable, "-m", "motcua.cli", "db_worker", "--no-startup-delay", "--interval", "0.1"]

    def worker():
        return subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL)

    expected = SyncState.objects.count()  # with the dossiers of the runs before, if any
    push_due.enqueue()
    first = worker()
    while portal.posts < expected // 3:
        time.sleep(0.01)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    sent_before_kill = portal.posts
    second = worker()
    deadline = time.monotonic() + 120
    close_old_connections()
    while SyncState.objects.exclude(status=SyncStatus.SYNCED).exists() and time.monotonic() < deadline:
        push_due.enqueue()  # the scheduler's next run (every minute in production)
        time.sleep(1.0)
        if second.poll() is not None:
            raise RuntimeError(f"the worker stopped by itself (exit code {second.returncode})")
    os.killpg(second.pid, signal.SIGTERM)
    second.wait()
    broken = []
    if len(portal.held) != expected:
        broken.append(f"the portal holds {len(portal.held)} dossiers, not {expected}")
    late = SyncState.objects.exclude(status=SyncStatus.SYNCED)
    if late.exists():
        example = late.values("status", "attempts", "next_attempt_at", "last_error").first()
        broken.append(f"{late.count()} dossiers were never acknowledged, e.g. {example}")
    figures = {
        "scenario": "worker",
        "dossiers": expected,
        "posts_before_kill": sent_before_kill,
        "posts": portal.posts,
        "sent_twice": portal.posts - expected,
        "held_by_portal": len(portal.held),
        "broken": broken,
    }
    print(json.dumps(figures, ensure_ascii=False))
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenario", nargs="?", default="all", choices=["server", "database", "worker", "all"])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--dossiers", type=int, default=200)
    parser.add_argument("--output", help="Write the figures as JSON here.")
    args = parser.parse_args()
    cluster = Cluster().start()
    portal = FakePortal()
    try:
        prepare(cluster, sync_url=portal.url)
        results = []
        if args.scenario in ("server", "all"):
            results.append(server_fault(cluster, args.seconds, args.clients))
        if args.scenario in ("database", "all"):
            results.append(database_fault(cluster, args.seconds, args.clients))
        if args.scenario in ("worker", "all"):
            results.append(worker_fault(cluster, portal, args.dossiers))
    finally:
        from django.db import connections

        connections.close_all()
        cluster.stop()
    if args.output:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(json.dumps(results, ensure_ascii=False, indent=1))
    failed = [r for r in results if r["broken"]]
    print("FAILED" if failed else "OK: every promise held")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
