"""Two province instances, each with its own database and process, feed a national layer through
the synchronisation they run for the national portal; the national figures per province equal what
each instance counts in its own tables."""

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from django.test import Client

from motcua.national import services
from motcua.national.models import NationalDossier
from motcua.workdays.rules import VIETNAM

MOTCUA = [str(Path(sys.executable).with_name("motcua"))]
FIRST, LAST = date(2000, 1, 1), date(2100, 1, 1)

# What an instance counts of itself, from its own dossier table, with the national layer's meaning.
OWN_FIGURES = """
import json
from motcua.dossiers.models import Dossier
rows = Dossier.objects.exclude(received_at=None)
print(json.dumps({
    "dossiers": sorted([d.code, d.status, d.version] for d in rows),
    "received": rows.count(),
    "online": rows.filter(channel=2).count(),
    "finished": rows.exclude(finished_at=None).count(),
    "late": sum(1 for d in rows.exclude(finished_at=None) if d.finished_at > d.appointment_at),
    "open": rows.filter(finished_at=None).count(),
}))
"""


class Instance:
    def __init__(self, directory, token, url):
        directory.mkdir()
        self.env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{directory / 'db.sqlite3'}",
            "MEDIA_ROOT": str(directory / "media"),
            "SYNC_URL": url,
            "SYNC_TOKEN": token,
        }

    def run(self, *args) -> str:
        done = subprocess.run([*MOTCUA, *args], env=self.env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def push_all(self) -> None:
        for _ in range(20):
            if json.loads(self.run("sync", "push").strip().splitlines()[-1])["sent"] == 0:
                return
        raise AssertionError("the instance kept finding dossiers to send")


def son_la(instance):
    instance.run("migrate", "--no-input", "-v0")
    instance.run("load_demo", "--dossiers", "30")


def made_up_province(instance):
    instance.run("migrate", "--no-input", "-v0")
    instance.run("load_demo", "--dossiers", "0")
    instance.run("demo", "province", "--code", "99", "--communes", "2")
    instance.run("demo", "generate", "--province", "99", "--communes", "2", "--dossiers", "25", "--seed", "7")


@pytest.mark.django_db(transaction=True)
def test_two_provinces_feed_the_national_layer(live_server, settings, tmp_path):
    settings.NATIONAL_TOKENS = ["14:token-son-la", "99:token-tinh-mau"]
    url = f"{live_server.url}/quoc-gia/dong-bo/"
    first = Instance(tmp_path / "son-la", "token-son-la", url)
    second = Instance(tmp_path / "tinh-mau", "token-tinh-mau", url)
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda job: job[0](job[1]), [(son_la, first), (made_up_province, second)]))
    for instance in (first, second):
        instance.push_all()

    figures = {row.province: row for row in services.figures(FIRST, LAST)}
    assert set(figures) == {"14", "99"}
    for province, instance in (("14", first), ("99", second)):
        own = json.loads(instance.run("shell", "-c", OWN_FIGURES).strip().splitlines()[-1])
        held = NationalDossier.objects.filter(province=province)
        assert sorted([d.code, d.status, d.version] for d in held) == own["dossiers"]
        got = figures[province]
        assert (got.received, got.online, got.finished, got.late, got.open) == (
            own["received"], own["online"], own["finished"], own["late"], own["open"]
        )  # fmt: skip
        assert got.on_time + got.late == got.finished and got.received > 0

    # Sending everything again changes nothing; a later version replaces the one held.
    before = list(NationalDossier.objects.order_by("pk").values_list("code", "version", "updated_at"))
    dossier = NationalDossier.objects.filter(province="14").first()
    assert services.receive("14", dossier.payload) is False
    assert list(NationalDossier.objects.order_by("pk").values_list("code", "version", "updated_at")) == before
    newer = {**dossier.payload, "PhienBan": dossier.version + 1, "TrangThaiHoSo": 10}
    assert services.receive("14", newer) is True
    assert NationalDossier.objects.get(pk=dossier.pk).status == 10


def _payload(**changes):
    moment = datetime(2026, 11, 2, 8, tzinfo=VIETNAM)
    return {
        "MaHoSo": "H57-261102-0001", "PhienBan": 1, "MaTTHC": "1.001612", "MaLinhVuc": "G09-DD",
        "KenhThucHien": 2, "TrangThaiHoSo": 4, "NgayTiepNhan": moment.strftime("%Y%m%d%H%M%S"),
        "NgayHenTra": (moment + timedelta(days=5)).strftime("%Y%m%d%H%M%S"), "NgayKetThucXuLy": "", "NgayTra": "",
        **changes,
    }  # fmt: skip


@pytest.mark.django_db
def test_the_endpoint_takes_a_province_only_by_its_token(settings):
    settings.NATIONAL_TOKENS = ["14:secret-14"]
    client = Client()
    address = "/quoc-gia/dong-bo/"
    body = json.dumps(_payload())
    assert client.post(address, body, content_type="application/json").status_code == 401
    wrong = client.post(address, body, content_type="application/json", HTTP_AUTHORIZATION="Bearer nope")
    assert wrong.status_code == 401
    good = client.post(address, body, content_type="application/json", HTTP_AUTHORIZATION="Bearer secret-14")
    assert good.status_code == 200 and good.json() == {"province": "14", "code": "H57-261102-0001", "changed": True}
    for bad in (_payload(NgayTiepNhan="2026-11-02"), _payload(PhienBan="1"), _payload(MaHoSo=""), [1, 2]):
        answer = client.post(address, json.dumps(bad), content_type="application/json",
                             HTTP_AUTHORIZATION="Bearer secret-14")  # fmt: skip
        assert answer.status_code == 400 and "invalid payload" in answer.json()["error"]
    assert client.get(address, HTTP_AUTHORIZATION="Bearer secret-14").status_code == 405
    assert NationalDossier.objects.count() == 1


@pytest.mark.django_db
def test_figures_count_received_finished_on_time_late_and_open():
    services.receive("14", _payload())
    services.receive("14", _payload(MaHoSo="A-2", KenhThucHien=1, NgayKetThucXuLy="20261105100000", TrangThaiHoSo=10))
    services.receive("14", _payload(MaHoSo="A-3", NgayKetThucXuLy="20261110100000", TrangThaiHoSo=9))
    services.receive("01", _payload(MaHoSo="B-1", NgayTiepNhan="20261001080000", NgayHenTra="20261003080000",
                                    NgayKetThucXuLy="20261201080000", TrangThaiHoSo=10))  # fmt: skip
    rows = {r.province: r.as_dict() for r in services.figures(date(2026, 11, 1), date(2026, 11, 30))}
    assert rows["14"] == {"province": "14", "received": 3, "online": 2, "finished": 2, "on_time": 1, "late": 1,
                          "open": 1}  # fmt: skip
    # received before the period, finished after it: open at the end of November, nothing else
    assert rows["01"] == {"province": "01", "received": 0, "online": 0, "finished": 0, "on_time": 0, "late": 0,
                          "open": 1}  # fmt: skip
