"""Reads through a real streaming replica: a PostgreSQL primary and its hot standby started on
loopback for this test (initdb, pg_basebackup), the schema migrated on the primary and streamed.
Lookups read from the replica; a user who just wrote reads from the primary."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connections
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

BIN = (
    Path("/usr/lib/postgresql")
    / (os.listdir("/usr/lib/postgresql")[0] if Path("/usr/lib/postgresql").exists() else "x")
    / "bin"
)
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres") is False,
        reason="the PostgreSQL pass of CI starts the replica pair",
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(*args, **kwargs):
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *map(str, args)], check=True, capture_output=True, text=True, **kwargs)


def wait_ready(port: int) -> None:
    for _ in range(100):
        if subprocess.run([BIN / "pg_isready", "-q", "-h", "127.0.0.1", "-p", str(port)]).returncode == 0:
            return
        time.sleep(0.2)
    raise RuntimeError(f"PostgreSQL on {port} did not start")


@pytest.fixture(scope="module")
def pair():
    """(primary port, replica port) of a fresh primary and its streaming standby."""
    base = Path(tempfile.mkdtemp(prefix="motcua-pair-"))
    shutil.chown(base, "postgres") if os.geteuid() == 0 else None
    primary, replica = base / "primary", base / "replica"
    p_port, r_port = free_port(), free_port()
    as_postgres(BIN / "initdb", "-D", primary, "--auth=trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8")
    options = f"-c port={p_port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={base} -c fsync=off"
    as_postgres(BIN / "pg_ctl", "-D", primary, "-o", options, "-l", base / "primary.log", "-w", "start")
    wait_ready(p_port)
    try:
        as_postgres(BIN / "psql", "-h", "127.0.0.1", "-p", p_port, "-U", "postgres", "-c", "CREATE DATABASE motcua")
        as_postgres(
            BIN / "pg_basebackup",
            "-h",
            "127.0.0.1",
            "-p",
            p_port,
            "-U",
            "postgres",
            "-D",
            replica,
            "-R",
            "-X",
            "stream",
            "--checkpoint=fast",
        )
        options = f"-c port={r_port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={base} -c hot_standby=on"
        as_postgres(BIN / "pg_ctl", "-D", replica, "-o", options, "-l", base / "replica.log", "-w", "start")
        wait_ready(r_port)
        yield p_port, r_port
    finally:
        for data in (replica, primary):
            if data.exists():
                subprocess.run(
                    ["runuser", "-u", "postgres", "--", BIN / "pg_ctl", "-D", data, "-m", "immediate", "stop"],
                    capture_output=True,
                )
        shutil.rmtree(base, ignore_errors=True)


def wrapper(name: str, port: int):
    """A connection to the pair, made here rather than from the settings."""
    from django.db.utils import load_backend

    configured = connections.configure_settings(
        {
            "default": {
                **connections.settings["default"],
                "NAME": "motcua",
                "HOST": "127.0.0.1",
                "PORT": port,
                "USER": "postgres",
                "PASSWORD": "",
                "CONN_MAX_AGE": 0,
                "OPTIONS": {},
            }
        }
    )["default"]
    return load_backend(configured["ENGINE"]).DatabaseWrapper(configured, name)


@pytest.fixture
def on_the_pair(pair):
    """For this test the pair's primary is the default database (raw SQL included) and its standby
    the replica; the suite's own database comes back afterwards."""
    p_port, r_port = pair
    suite_default = connections["default"]
    connections["default"] = wrapper("default", p_port)
    connections["pair_replica"] = wrapper("pair_replica", r_port)
    try:
        with override_settings(MOTCUA_REPLICA_DB="pair_replica"):
            yield
    finally:
        for name in ("default", "pair_replica"):
            connections[name].close()
        delattr(connections._connections, "pair_replica")
        connections["default"] = suite_default


def test_lookups_read_the_replica_and_a_writer_reads_the_primary(on_the_pair):
    from datetime import date

    from django.core.management import call_command

    from motcua.catalog.models import Procedure
    from motcua.demo.services import load_reference_data
    from motcua.dossiers import services as dossiers
    from motcua.dossiers.rules import Action, Channel
    from motcua.people.models import Role, User
    from motcua.people.services import assign_role
    from motcua.units.services import unit_on

    call_command("migrate", verbosity=0)
    load_reference_data()
    day = date(2026, 11, 30)
    desk = User.objects.create_user("desk", password="x-not-used-1")
    assign_role(desk, Role.DESK_OFFICER, unit_on("04105.TTPVHCC", day))
    procedure = Procedure.objects.get(code="1.001193")
    intake = dossiers.Intake(
        procedure,
        unit_on("04105.TTPVHCC", day),
        unit_on("04105.VP", day),  # civil status: the commune office
        Channel.IN_PERSON,
        dossiers.Applicant("Lò Văn Minh"),
        [dossiers.ComponentInput(order=c.order) for c in procedure.components.all()],
    )
    dossier = dossiers.receive(desk, intake, Action.ACCEPT)
    client = Client()
    url, where = "/tra-cuu/", {"code": dossier.code, "secret": dossier.secret}
    for _ in range(100):  # the standby catches up within moments; the lookup's POST only reads
        with CaptureQueriesContext(connections["pair_replica"]) as on_replica:
            response = client.post(url, where)
        if response.status_code == 200:
            break
        time.sleep(0.1)
    assert response.status_code == 200 and "Lò Văn Minh" in response.content.decode()
    assert any("dossiers_dossier" in q["sql"] for q in on_replica.captured_queries)
    # The replica refuses writes: it is a real standby.
    with pytest.raises(Exception, match="read-only"), connections["pair_replica"].cursor() as cursor:
        cursor.execute("CREATE TABLE nope (id int)")
    # A write (a rating refused here: the dossier is not returned yet) keeps the user on the primary.
    client.post("/tra-cuu/", {"code": dossier.code, "secret": dossier.secret, "action": "rate", "rating": "satisfied"})
    with (
        CaptureQueriesContext(connections["pair_replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        assert client.post(url, where).status_code == 200
    assert not on_replica.captured_queries and on_primary.captured_queries
