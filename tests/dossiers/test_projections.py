"""The projections a dossier write feeds: which are registered, that the services' face names them
all, that they see the row before and after, and that one failing undoes the write."""

import re
from dataclasses import replace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.dossiers import projections, services
from motcua.dossiers.models import Dossier, DossierCounter, DossierEvent
from motcua.dossiers.rules import Action, InvalidInput
from motcua.units.services import unit_on

from .conftest import DAY, intake_for, vn


def test_the_reports_the_index_the_national_outbox_and_the_notices_are_fed_in_that_order():
    assert [p.name for p in projections.registered()] == ["ledger", "index", "outbox", "notices"]
    assert [type(p).__module__ for p in projections.registered()] == [
        "motcua.reports.projections",
        "motcua.quality.projections",
        "motcua.sync.projections",
        "motcua.notifications.projections",
    ]


def test_the_services_face_lists_every_registered_projection():
    table = services.__doc__.split("What a save feeds")[1].split("Where things are")[0]
    listed = re.findall(r"^    (\w+)\s+(\w+)\s+\S", table, flags=re.MULTILINE)[1:]  # past the header row
    assert listed == [(p.name, type(p).__module__.split(".")[1]) for p in projections.registered()]


class Watcher(projections.Projection):
    name = "watcher"
    fields = ("processing_unit_id", "status")

    def __init__(self):
        self.seen = []

    def recorded(self, dossier, before, at):
        self.seen.append((before, dossier.processing_unit_id, dossier.status, at))


class Failing(projections.Projection):
    name = "failing"

    def recorded(self, dossier, before, at):
        raise RuntimeError("the projection's table is gone")


@pytest.fixture
def watcher(monkeypatch):
    found = Watcher()
    monkeypatch.setitem(projections._registry, found.name, found)
    monkeypatch.setattr(projections, "_watched", (*projections._watched, "processing_unit_id", "status"))
    return found


def test_a_projection_sees_the_fields_before_the_event_and_the_row_after(accepted, people, watcher):
    province = unit_on("14", DAY)
    services.transfer(people.desk, accepted, province, "Thẩm định cấp tỉnh", at=vn(2026, 11, 17, 9))
    ((before, unit, status, at),) = watcher.seen
    assert before["processing_unit_id"] == unit_on("04105.PKT", DAY).pk and before["status"] == 2  # accepted
    assert (unit, status, at) == (province.pk, 4, vn(2026, 11, 17, 9))  # processing, at the province


def test_a_new_dossier_has_nothing_before(people, land_procedure, watcher):
    services.receive(people.desk, intake_for(land_procedure), Action.ACCEPT, at=vn(2026, 11, 16, 9))
    assert [seen[0] for seen in watcher.seen] == [None]


def test_a_failing_projection_undoes_the_whole_write(accepted, people, monkeypatch):
    monkeypatch.setitem(projections._registry, "failing", Failing())
    with pytest.raises(RuntimeError):
        services.assign(people.leader, accepted, people.processor, at=vn(2026, 11, 16, 10))
    row = Dossier.objects.get(pk=accepted.pk)
    assert (row.version, row.assignee_id, row.events.count()) == (1, None, 1)


def test_a_move_in_the_reports_is_stamped_on_the_row_and_an_assignment_is_not(accepted, people):
    services.assign(people.leader, accepted, people.desk, at=vn(2026, 11, 16, 10))
    assert Dossier.objects.get(pk=accepted.pk).report_changed_at is None
    services.transfer(people.desk, accepted, unit_on("14", DAY), "Thẩm định", at=vn(2026, 11, 16, 11))
    assert Dossier.objects.get(pk=accepted.pk).report_changed_at == vn(2026, 11, 16, 11)


def test_receive_attaches_the_scans_in_its_transaction(people, land_procedure):
    scan = SimpleUploadedFile("don.pdf", b"%PDF-1.7 scan", content_type="application/pdf")
    intake = replace(intake_for(land_procedure), scans=[(1, scan)])
    dossier = services.receive(people.desk, intake, Action.ACCEPT, at=vn(2026, 11, 16, 9))
    assert [e.action for e in dossier.events.order_by("seq")] == ["accept", "upload"]
    assert dossier.components.get(order=1).files.get().content_type == "application/pdf"


def test_a_refused_scan_undoes_the_intake_and_gives_its_code_back(people, land_procedure):
    bad = SimpleUploadedFile("virus.pdf", b"MZ not a scan", content_type="application/pdf")
    intake = replace(intake_for(land_procedure), scans=[(1, bad)])
    with pytest.raises(InvalidInput):
        services.receive(people.desk, intake, Action.ACCEPT, at=vn(2026, 11, 16, 9))
    assert not Dossier.objects.exists() and not DossierEvent.objects.exists()
    assert not DossierCounter.objects.exists()
    again = services.receive(people.desk, intake_for(land_procedure), Action.ACCEPT, at=vn(2026, 11, 16, 9))
    assert again.code == "04105.TTPVHCC-261116-0001"


def test_the_projections_rows_per_dossier_go_to_the_archive_with_it():
    assert projections.tables() == [("sync_syncstate", "dossier_id"), ("notifications_delivery", "dossier_id")]
