"""Intake and migration import against same-run raw SQL baselines (see README.md)."""

import argparse
import csv
import json
import os
import sys
import tempfile
import time
from datetime import datetime, timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from motcua.catalog.models import Procedure  # noqa: E402
from motcua.demo.generator import generator_accounts  # noqa: E402
from motcua.dossiers import partitions, services  # noqa: E402
from motcua.dossiers.migration import import_dossiers  # noqa: E402
from motcua.dossiers.models import Dossier  # noqa: E402
from motcua.dossiers.rules import Action, Channel  # noqa: E402
from motcua.units.services import unit_on  # noqa: E402
from motcua.workdays.rules import VIETNAM  # noqa: E402

TABLES = [
    "quality_indextally",
    "reports_tally",
    "reports_tallymove",
    "reports_checkpointbalance",
    "reports_checkpoint",
    "reports_ledgergeneration",
    "dossiers_dossierevent",
    "dossiers_dossierstep",
    "dossiers_dossierfee",
    "dossiers_dossierfile",
    "dossiers_dossiercomponent",
    "dossiers_consultation",
    "dossiers_dossiercounter",
    "dossiers_dossier",
]


def empty():
    # TRUNCATE, not DELETE: on PostgreSQL a trigger refuses to delete dossier events row by row.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(['sync_syncstate', *TABLES])} CASCADE")
            return
        for table in ["sync_syncstate", *TABLES]:
            cursor.execute(f"DELETE FROM {table}")


def service_intake(n, desk, procedure, receiving, processing, start):
    intake = services.Intake(
        procedure=procedure,
        receiving_unit=receiving,
        processing_unit=processing,
        channel=Channel.IN_PERSON,
        applicant=services.Applicant(name="Lò Văn Minh", id_number="014090001234"),
        components=[services.ComponentInput(order=c.order) for c in procedure.components.all()],
    )
    began = time.perf_counter()
    for i in range(n):
        services.receive(desk, intake, Action.ACCEPT, at=start + timedelta(seconds=i))
    return time.perf_counter() - began


def raw_intake(n, procedure, receiving, processing, start):
    """The same rows (day counter, dossier, event, components, first step) with plain SQL, one
    transaction each; the due times are given, not computed."""
    components = list(procedure.components.all())
    began = time.perf_counter()
    for i in range(n):
        at = start + timedelta(seconds=i)
        with transaction.atomic(), connection.cursor() as c:
            c.execute(
                "INSERT INTO dossiers_dossiercounter (unit_id, day, last) VALUES (%s, %s, 1) ON CONFLICT "
                "(unit_id, day) DO UPDATE SET last = dossiers_dossiercounter.last + 1 RETURNING last",
                [receiving.pk, at.date()],
            )
            code = f"RAW-{at:%y%m%d}-{c.fetchone()[0]:04d}"
            c.execute(
                "INSERT INTO dossiers_dossier (code, secret, procedure_id, province_id, receiving_unit_id, "
                "processing_unit_id, channel, applicant_name, applicant_id_kind, applicant_id, applicant_phone, "
                "applicant_email, applicant_address, status, submitted_at, received_at, due_at, appointment_at, "
                "outcome, return_method, tracking_number, current_step, rule_set, supplement_count, "
                "supplement_seconds, apology_count, digitized, reused, fee_bearing, paid_online, result_number, "
                "result_electronic, result_file, reasons, rating, rating_comment, migrated, version) VALUES "
                "(%s,'ABCDEFGH',%s,%s,%s,%s,1,'Lò Văn Minh','personal','014090001234','','','',2,%s,%s,%s,%s,'','','',"
                "1,'decree-118-2025',0,0,0,true,false,false,false,'',false,'','','','',false,1) RETURNING id",
                [code, procedure.pk, receiving.province_id, receiving.pk, processing.pk, at, at, at, at],
            )
            pk = c.fetchone()[0]
            c.execute(
                "INSERT INTO dossiers_dossierevent (dossier_id, seq, action, actor_name, at, to_status, note, "
                "changes, internal) VALUES (%s,1,'accept','',%s,2,'','{}',false)",
                [pk, at],
            )
            c.executemany(
                'INSERT INTO dossiers_dossiercomponent (dossier_id, component_id, "order", name, required, '
                "provided, digitized, reused, note) VALUES (%s,%s,%s,%s,true,true,false,false,'')",
                [[pk, comp.pk, comp.order, comp.name] for comp in components],
            )
            c.execute(
                'INSERT INTO dossiers_dossierstep (dossier_id, "order", title, role, unit_id, hours, '
                "started_at, due_at) VALUES (%s,1,'Tiếp nhận','desk',%s,4,%s,%s)",
                [pk, receiving.pk, at, at],
            )
    return time.perf_counter() - began


def write_file(path, rows, start):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(
            [
                "code",
                "procedure_code",
                "receiving_unit",
                "processing_unit",
                "channel",
                "received_at",
                "due_at",
                "finished_at",
                "outcome",
                "returned_at",
                "digitized",
                "result_digitized",
                "applicant_name",
                "applicant_id",
            ]
        )
        for i in range(rows):
            at = (start + timedelta(minutes=i)).isoformat()
            out.writerow(
                [
                    f"M-{i:08d}",
                    "1.001612",
                    "04105.TTPVHCC",
                    "04105.PKT",
                    1 + i % 2,
                    at,
                    "",
                    "",
                    "",
                    "",
                    1,
                    0,
                    "Cầm Thị Lan",
                    "014190001234",
                ]
            )


def raw_copy(path, procedure, receiving, processing):
    """The rows the import writes (a dossier and its event per line), COPYed straight from the file.

    What a hand-written loader does at least: read the CSV, take ids, COPY both tables. No validation
    pass, no unit or procedure lookup per row, no working-day calendar (the due time is a fixed offset).
    """
    dossier_columns = (
        "id, code, secret, procedure_id, province_id, receiving_unit_id, processing_unit_id, channel, "
        "applicant_name, applicant_id_kind, applicant_id, applicant_phone, applicant_email, applicant_address, "
        "status, submitted_at, received_at, due_at, appointment_at, outcome, return_method, tracking_number, "
        "current_step, rule_set, supplement_count, supplement_seconds, apology_count, digitized, reused, "
        "fee_bearing, paid_online, result_number, result_electronic, result_file, reasons, rating, rating_comment, "
        "migrated, version"
    )
    event_columns = "dossier_id, seq, action, actor_name, at, to_status, note, changes, internal"
    now = datetime.now(VIETNAM)
    with open(path, newline="", encoding="utf-8") as handle:
        received = [datetime.fromisoformat(line[5]).replace(tzinfo=VIETNAM) for line in list(csv.reader(handle))[1:]]
    partitions.ensure_for(received)
    began = time.perf_counter()
    with transaction.atomic(), connection.cursor() as c, open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        lines = list(reader)
        # Ids in the months received, as the import gives them (partitions made beforehand, untimed).
        ids = partitions.new_ids(received)
        with c.cursor.copy(f"COPY dossiers_dossier ({dossier_columns}) FROM STDIN") as copy:
            for pk, line in zip(ids, lines, strict=True):
                received = datetime.fromisoformat(line[5]).replace(tzinfo=VIETNAM)
                due = received + timedelta(days=14)
                copy.write_row(
                    [pk, line[0], "ABCDEFGH", procedure.pk, receiving.province_id, receiving.pk, processing.pk,
                     int(line[4]), line[12], "personal", line[13], "", "", "", 4, received, received, due, due, "",
                     "", "", 1, "decree-118-2025", 0, 0, 0, line[10] == "1", False, False, False, "",
                     line[11] == "1", "", "", "", "", True, 1]
                )  # fmt: skip
        with c.cursor.copy(f"COPY dossiers_dossierevent ({event_columns}) FROM STDIN") as copy:
            for pk, line in zip(ids, lines, strict=True):
                copy.write_row([pk, 1, "migrate", "", now, 4, "", json.dumps({"code": line[0]}), True])
    return time.perf_counter() - began


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true",
                        help="Measure intake on the dossiers already there (no emptying, no import).")  # fmt: skip
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run on PostgreSQL: set DATABASE_URL.")
    call_command("migrate", verbosity=0)
    call_command("load_demo", dossiers=0, verbosity=0)
    if not args.keep:
        empty()
    day = datetime.now(VIETNAM).date()
    desk, _officer, _leader = generator_accounts(day)
    procedure = Procedure.objects.get(code="1.012994")
    receiving, processing = unit_on("04105.TTPVHCC", day), unit_on("04105.PKT", day)
    start = datetime.combine(day, datetime.min.time(), VIETNAM).replace(hour=8)
    raw = raw_intake(args.dossiers, procedure, receiving, processing, start)
    if not args.keep:
        empty()
    app = service_intake(args.dossiers, desk, procedure, receiving, processing, start)
    present = Dossier.objects.count()
    print(f"{'path':<32}{'seconds':>10}{'per second':>14}{'ratio':>8}   ({present:,} dossiers in the table)")
    print(f"{'intake, raw SQL':<32}{raw:>10.2f}{args.dossiers / raw:>14.0f}{1:>8.2f}")
    print(f"{'intake, services.receive':<32}{app:>10.2f}{args.dossiers / app:>14.0f}{raw / app:>8.2f}")
    if args.keep:
        return
    empty()
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "dossiers.csv")
        write_file(path, args.rows, start - timedelta(days=400))
        copy = raw_copy(path, Procedure.objects.get(code="1.001612"), receiving, processing)
        empty()
        began = time.perf_counter()
        import_dossiers(path)
        imported = time.perf_counter() - began
    empty()
    print(f"{'import, raw COPY':<32}{copy:>10.2f}{args.rows / copy:>14.0f}{1:>8.2f}")
    print(
        f"{'import, motcua import dossiers':<32}{imported:>10.2f}{args.rows / imported:>14.0f}{copy / imported:>8.2f}"
    )


if __name__ == "__main__":
    main()
