"""Monthly partitions of dossiers and events, lookups by code, and the archive of closed years."""

import re
from datetime import date, datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from motcua.dossiers import archive, partitions, services
from motcua.dossiers.models import Dossier, DossierComponent, DossierEvent, DossierFile, DossierStep
from motcua.dossiers.rules import Rating, TransitionError
from motcua.reports import services as reports
from motcua.units.services import unit_on
from motcua.workdays.rules import VIETNAM

from .test_migration import ROWS, write

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="partitions are PostgreSQL's")
OPEN_2025 = "04105.TTPVHCC-250804-0003,1.001612,04105.TTPVHCC,04105.PKT,1,2025-08-04T09:00:00+07:00,,,,,0,0,Cầm D,"


@pytest.mark.parametrize(
    ("moment", "key"),
    [
        (datetime(2026, 11, 30, 16, 59, tzinfo=VIETNAM), 202611),
        (datetime.fromisoformat("2026-11-30T17:00:00+00:00"), 202612),  # already 1 December in Vietnam
        (date(2024, 2, 29), 202402),
    ],
)
def test_month_key_is_vietnams_month(moment, key):
    assert partitions.month_key(moment) == key


@pytest.mark.parametrize(
    ("key", "months", "shifted"),
    [(202611, 1, 202612), (202612, 1, 202701), (202601, -1, 202512), (202611, 14, 202801), (202611, -23, 202412)],
)
def test_shift(key, months, shifted):
    assert partitions.shift(key, months) == shifted


def test_bounds_and_key_of_an_id():
    assert partitions.bounds(202612) == (2026120000000000, 2027010000000000)
    assert partitions.key_of(2026120000000042) == 202612
    assert partitions.key_of(42) is None  # from before partitioning
    assert 2100120000000000 < 2**53  # ids stay exact in JavaScript for as long as this matters


@pytest.mark.parametrize(
    ("code", "day"),
    [
        ("04105.TTPVHCC-260302-0001", date(2026, 3, 2)),
        ("000.00.20.H57-241231-12345", date(2024, 12, 31)),
        ("H55-240230-0007", None),  # no 30 February
        ("HS-2024-0007", None),  # another system's pattern
        ("", None),
    ],
)
def test_code_day(code, day):
    assert partitions.code_day(code) == day


def _partition_of(table, column, value):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {table} WHERE {column} = %s LIMIT 1", [value])
        return cursor.fetchone()[0]


@postgres_only
def test_a_dossier_and_its_history_sit_in_their_months_partitions(accepted):
    key = partitions.month_key(datetime.now(VIETNAM))
    assert partitions.key_of(accepted.pk) == key
    assert _partition_of("dossiers_dossier", "id", accepted.pk) == f"dossiers_dossier_p{key}"
    assert _partition_of("dossiers_dossierevent", "dossier_id", accepted.pk) == f"dossiers_dossierevent_p{key}"
    assert DossierEvent.objects.filter(dossier=accepted).count() >= 1


@postgres_only
def test_lookup_by_code_reads_one_partition(people, tmp_path):
    call_command("import", "dossiers", str(write(tmp_path, ROWS)))
    dossier = Dossier.objects.get(code="04105.TTPVHCC-260302-0001")
    low, high = partitions.bounds(202603)
    plan = Dossier.objects.filter(code=dossier.code, pk__gte=low, pk__lt=high).explain()
    scanned = {word for word in plan.replace("(", " ").split() if word.startswith("dossiers_dossier_")}
    assert {name.split("_code_key")[0] for name in scanned} == {"dossiers_dossier_p202603"}
    with CaptureQueriesContext(connection) as queries:
        assert services.lookup(dossier.code, dossier.secret) == dossier
    assert len(queries) == 1  # the code's month (whether the table is partitioned is known already)


@postgres_only
def test_the_importers_check_for_codes_taken_reads_only_the_months_a_holder_can_be_in(people, tmp_path):
    # Received on 27 February under a code naming 2 March (another system's numbering).
    february = "04105.TTPVHCC-260302-0099,1.001612,04105.TTPVHCC,04105.PKT,1,2026-02-27T09:00:00+07:00,,,,,0,0,Cầm E,"
    call_command("import", "dossiers", str(write(tmp_path, [*ROWS, february])))
    march = datetime(2026, 3, 2, 9, tzinfo=VIETNAM)
    codes = ["04105.TTPVHCC-260302-0001", "H55-240510-0007", "04105.TTPVHCC-260302-0099", "04105.TTPVHCC-260302-0100"]
    # Held in May 2024, outside the months read for March's codes; the month before is read.
    assert partitions.codes_taken(Dossier.objects, codes, [march]) == set(codes[0:3:2])
    with CaptureQueriesContext(connection) as queries:
        partitions.codes_taken(Dossier.objects, codes, [march])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + queries[0]["sql"])
        plan = " ".join(row[0] for row in cursor.fetchall())
    scanned = set(re.findall(r"dossiers_dossier_(?:p\d{6}|legacy)", plan))
    assert scanned == {"dossiers_dossier_legacy", "dossiers_dossier_p202602", "dossiers_dossier_p202603"}
    # Read again, the same file adds nothing.
    call_command("import", "dossiers", str(write(tmp_path, [*ROWS, february])))
    assert Dossier.objects.filter(code__in=codes).count() == 3


@postgres_only
def test_imported_dossiers_go_to_the_months_they_were_received_in(people, tmp_path):
    call_command("import", "dossiers", str(write(tmp_path, ROWS)))
    stopped = Dossier.objects.get(code="H55-240510-0007")
    assert partitions.key_of(stopped.pk) == 202405
    assert _partition_of("dossiers_dossier", "id", stopped.pk) == "dossiers_dossier_p202405"
    assert _partition_of("dossiers_dossierevent", "dossier_id", stopped.pk) == "dossiers_dossierevent_p202405"
    assert services.lookup(stopped.code, stopped.secret) == stopped


@postgres_only
def test_a_code_received_in_a_later_month_than_created_is_still_found(accepted):
    # Submitted online on the last evening of a month, accepted the next morning: the code names
    # the next month, the row sits in the one before.
    Dossier.objects.filter(pk=accepted.pk).update(code="04105.TTPVHCC-990101-0001")
    assert services.lookup("04105.TTPVHCC-990101-0001", accepted.secret) == accepted


def _figures(rows):
    return [(row.label, row.counts) for row in rows]


@postgres_only
def test_archiving_a_closed_year_keeps_its_reports_and_its_lookup(people, tmp_path, capsys, client):
    call_command("import", "dossiers", str(write(tmp_path, [*ROWS, OPEN_2025])))
    stopped = Dossier.objects.get(code="H55-240510-0007")
    DossierStep.objects.create(
        dossier=stopped, order=1, title="Thẩm định", role="process", hours=8,
        unit=stopped.processing_unit, started_at=stopped.received_at, due_at=stopped.due_at,
    )  # fmt: skip
    live = Dossier.objects.get(code="04105.TTPVHCC-260302-0001")
    other = DossierComponent.objects.create(dossier=live, order=1, name="Đơn", provided=True)
    scan = DossierComponent.objects.create(dossier=stopped, order=1, name="Đơn đề nghị", provided=True)
    # The archived file's id is the live component's: moving it must not touch the live one's files.
    DossierFile.objects.create(pk=other.pk, component=scan, file="dossiers/2024/05/don.pdf",
                               original_name="don.pdf", content_type="application/pdf", size=45)  # fmt: skip
    kept = DossierFile.objects.create(component=other, file="dossiers/2026/03/a.pdf", original_name="a.pdf",
                                      content_type="application/pdf", size=4)  # fmt: skip
    province = unit_on("14", date(2024, 5, 10))
    before = _figures(reports.settlement(province, date(2024, 1, 1), date(2024, 12, 31), "unit"))
    assert any(row[1] for row in before)

    with pytest.raises(CommandError, match=r"1 hồ sơ .* 2025"):
        call_command("archive", "2025")
    with pytest.raises(CommandError, match="Only a year that has ended"):
        call_command("archive", "2026")
    call_command("archive", "2024")
    assert "1 hồ sơ / dossiers, 1 sự kiện / events" in capsys.readouterr().out
    assert partitions.archived_years() == [2024]
    assert not Dossier.objects.filter(code=stopped.code).exists()
    assert not DossierStep.objects.filter(dossier_id=stopped.pk).exists()
    assert not DossierFile.objects.filter(component__dossier_id=stopped.pk).exists()
    assert list(DossierFile.objects.values_list("pk", flat=True)) == [kept.pk]
    assert Dossier.objects.count() == 3  # the other years stay
    assert _figures(reports.settlement(province, date(2024, 1, 1), date(2024, 12, 31), "unit")) == before

    found = services.lookup(stopped.code, stopped.secret)
    assert found.archived and found.pk == stopped.pk and found.status == stopped.status
    assert [e.action for e in services.timeline(found)] == ["migrate"]
    with pytest.raises(TransitionError):
        services.rate(found, Rating.SATISFIED)
    page = client.post("/tra-cuu/", {"code": stopped.code, "secret": stopped.secret})
    assert page.status_code == 200 and "được lưu trữ: chỉ xem được" in page.content.decode()
    api = client.post("/api/lookup", {"code": stopped.code, "secret": stopped.secret}, content_type="application/json")
    assert api.status_code == 200 and api.json()["code"] == stopped.code
    assert services.lookup(stopped.code, "WRONG") is None
    assert partitions.ensure([202405]) == []  # an archived month is not made again

    call_command("archive", "2024", "--restore")
    assert partitions.archived_years() == []
    assert Dossier.objects.get(code=stopped.code).pk == stopped.pk
    assert DossierStep.objects.filter(dossier_id=stopped.pk).count() == 1
    assert DossierFile.objects.get(component__dossier_id=stopped.pk).original_name == "don.pdf"
    assert services.differences(Dossier.objects.get(pk=stopped.pk)) == {}
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        DossierEvent.objects.filter(dossier_id=stopped.pk).update(note="changed")


@postgres_only
def test_importing_into_an_archived_year_is_refused(people, tmp_path, capsys):
    call_command("import", "dossiers", str(write(tmp_path, ROWS[2:])))
    call_command("archive", "2024")
    other = ROWS[2].replace("H55-240510-0007", "H55-240510-0008")
    with pytest.raises(SystemExit):
        call_command("import", "dossiers", str(write(tmp_path, [other])))
    assert "Line 2: 2024 is archived" in capsys.readouterr().err


def test_archiving_needs_postgresql_partitions(db):
    if connection.vendor == "postgresql":
        pytest.skip("the PostgreSQL tests above archive for real")
    with pytest.raises(archive.ArchiveError):
        archive.archive_year(2024, date(2026, 11, 30))
    assert partitions.ensure([202405]) == [] and partitions.new_ids([datetime.now(VIETNAM)]) is None
