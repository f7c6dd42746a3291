"""Synchronisation with a local stand-in for the national portal that fails now and then."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.dossiers import services as dossiers
from motcua.dossiers.rules import Action
from motcua.sync import payload, services
from motcua.sync.models import SyncState, SyncStatus
from tests.dossiers.conftest import intake_for, land_procedure, people, vn  # noqa: F401

pytestmark = pytest.mark.django_db


class FakePortal:
    """Keeps the highest version of each dossier; answers 503 to every ``fail_every``-th request and
    400 to the codes in ``refuse``."""

    def __init__(self, fail_every=3):
        self.held: dict[str, dict] = {}
        self.requests = 0
        self.fail_every = fail_every
        self.refuse: set[str] = set()
        portal = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                portal.requests += 1
                if portal.fail_every and portal.requests % portal.fail_every == 0:
                    self.send_response(503)
                elif body["MaHoSo"] in portal.refuse:
                    self.send_response(400)
                else:
                    held = portal.held.get(body["MaHoSo"])
                    if held is None or held["PhienBan"] < body["PhienBan"]:
                        portal.held[body["MaHoSo"]] = body
                    self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/dong-bo"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


@pytest.fixture
def portal(settings):
    fake = FakePortal()
    settings.MOTCUA_SYNC = {"BACKEND": "motcua.sync.adapters.HttpAdapter", "URL": fake.url, "TIMEOUT": 5}
    yield fake
    fake.close()


def accept_many(staff, procedure, n):
    return [
        dossiers.receive(staff.desk, intake_for(procedure), Action.ACCEPT, at=vn(2026, 11, 16, 9, i)) for i in range(n)
    ]


def push_until_quiet(now, rounds=20):
    for _ in range(rounds):
        now += timedelta(hours=7)  # past any backoff
        found = services.push(now=now)
        if not (found.sent or found.retried):
            return now
    raise AssertionError("still sending")


def test_every_change_reaches_the_portal_despite_failures(portal, people, land_procedure):  # noqa: F811
    made = accept_many(people, land_procedure, 8)
    assert SyncState.objects.filter(status=SyncStatus.PENDING).count() == 8
    now = push_until_quiet(timezone.now())
    assert portal.requests > 8  # some were answered 503 and sent again
    assert set(portal.held) == {d.code for d in made}
    assert all(portal.held[d.code]["PhienBan"] == d.version for d in made)
    # A later change makes the dossier due again and the portal gets the new version.
    changed = dossiers.forward(people.desk, made[0], at=vn(2026, 11, 16, 10))
    state = SyncState.objects.get(pk=changed.pk)
    assert (state.status, state.wanted_version, state.synced_version) == (
        "pending",
        changed.version,
        changed.version - 1,
    )
    push_until_quiet(now)
    assert portal.held[changed.code]["PhienBan"] == changed.version
    assert SyncState.objects.filter(status=SyncStatus.SYNCED).count() == 8


def test_a_refused_dossier_shows_as_failed_and_the_rest_reconcile(portal, people, land_procedure):  # noqa: F811
    portal.fail_every = 0
    made = accept_many(people, land_procedure, 3)
    portal.refuse.add(made[1].code)
    services.push()
    state = SyncState.objects.get(pk=made[1].pk)
    assert state.status == SyncStatus.FAILED and state.last_error.startswith("Rejected: 400")
    found = services.reconcile(made[0].province_id, vn(2026, 11, 1, 0).date(), vn(2026, 11, 30, 0).date())
    assert (found.received, found.synced, found.pending, found.failed) == (3, 2, 0, 1)
    assert found.synced_percent == 66.67


def test_retries_back_off(portal, people, land_procedure):  # noqa: F811
    portal.fail_every = 1  # the portal is down
    (dossier,) = accept_many(people, land_procedure, 1)
    now = timezone.now()
    services.push(now=now)
    state = SyncState.objects.get(pk=dossier.pk)
    assert (state.attempts, state.next_attempt_at) == (1, now + timedelta(minutes=1))
    assert services.push(now=now + timedelta(seconds=30)).retried == 0  # not due yet
    services.push(now=now + timedelta(minutes=1))
    state.refresh_from_db()
    assert (state.attempts, state.next_attempt_at) == (2, now + timedelta(minutes=1) + timedelta(minutes=2))
    assert [services.backoff(n) for n in (1, 2, 3, 10)] == [timedelta(minutes=m) for m in (1, 2, 4, 360)]


def test_sending_again_is_harmless(portal, people, land_procedure):  # noqa: F811
    portal.fail_every = 0
    (dossier,) = accept_many(people, land_procedure, 1)
    services.push()
    SyncState.objects.filter(pk=dossier.pk).update(status=SyncStatus.PENDING)  # as after a crash before the ack
    services.push()
    assert portal.requests == 2 and len(portal.held) == 1
    assert SyncState.objects.get(pk=dossier.pk).status == SyncStatus.SYNCED


def test_the_payload_speaks_the_exchange_fields(people, land_procedure):  # noqa: F811
    (dossier,) = accept_many(people, land_procedure, 1)
    data = payload.build(dossier)
    assert data["MaHoSo"] == dossier.code and data["MaTTHC"] == "1.012994"
    assert data["NgayTiepNhan"] == "20261116090000" and len(data["NgayHenTra"]) == 14
    assert (data["KenhThucHien"], data["TrangThaiHoSo"], data["LoaiGiayToChuHoSo"]) == (1, 2, 1)
    assert data["SoGiayToChuHoSo"] == "012345678901"
    assert data["QuaTrinhXuLy"][0]["ThaoTac"] == "accept"
    assert {"DuocSoHoa", "DuocTaiSuDung"} <= set(data["TaiLieuNop"][0])


def test_nothing_is_sent_while_synchronisation_is_off(people, land_procedure, settings, capsys):  # noqa: F811
    settings.MOTCUA_SYNC = {}
    accept_many(people, land_procedure, 2)
    assert services.push().sent == 0
    call_command("sync", "report", "--from", "2026-11-01", "--to", "2026-11-30")
    report = json.loads(capsys.readouterr().out)
    assert (report["received"], report["pending"], report["synced"]) == (2, 2, 0)


def test_the_service_index_counts_the_synchronised_dossiers(portal, people, land_procedure):  # noqa: F811
    from datetime import date

    from motcua.quality import services as quality
    from motcua.units.services import unit_on

    portal.fail_every = 0
    made = accept_many(people, land_procedure, 4)
    portal.refuse.add(made[0].code)
    services.push()
    unit = unit_on("04105", date(2026, 11, 16))
    item = quality.index(unit, date(2026, 11, 1), date(2026, 11, 30), now=vn(2026, 12, 1, 9))
    synced = next(s for s in item.scored if s.indicator.code == "1.4")
    assert (synced.ratio.part, synced.ratio.whole) == (3, 4)  # one refused by the portal


def test_without_synchronisation_the_indicator_has_no_data(people, land_procedure, settings):  # noqa: F811
    from datetime import date

    from motcua.quality import services as quality
    from motcua.units.services import unit_on

    settings.MOTCUA_SYNC = {}
    accept_many(people, land_procedure, 1)
    item = quality.index(
        unit_on("04105", date(2026, 11, 16)), date(2026, 11, 1), date(2026, 11, 30), now=vn(2026, 12, 1, 9)
    )
    assert next(s for s in item.scored if s.indicator.code == "1.4").ratio is None


def test_marking_all_sends_the_whole_history_migrated_dossiers_included(portal, people, land_procedure, tmp_path):  # noqa: F811
    from django.core.management import call_command

    from tests.dossiers.test_migration import ROWS, write

    made = accept_many(people, land_procedure, 3)
    push_until_quiet(timezone.now())
    call_command("import", "dossiers", str(write(tmp_path, ROWS)))  # synchronised by the old system
    assert set(portal.held) == {d.code for d in made}
    assert services.mark_all() == 3 + len(ROWS)
    push_until_quiet(timezone.now())
    assert set(portal.held) == {d.code for d in made} | {row.split(",")[0] for row in ROWS}
    assert SyncState.objects.exclude(status=SyncStatus.SYNCED).count() == 0
