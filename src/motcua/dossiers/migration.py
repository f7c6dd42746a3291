"""Bringing dossiers over from another system: `motcua import dossiers FILE`.

The file is read twice, streaming: first every row is checked and every problem collected (any
problem → nothing is written); then the rows are written in batches, each dossier with one
"migrated" event holding the fields it set, so that its row is what its history says. On
PostgreSQL the batches go through COPY; elsewhere through executemany.
"""

from __future__ import annotations

import codecs
import csv
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from motcua.catalog.models import Fee, Procedure
from motcua.core.messages import Message as _
from motcua.core.tabular import ImportRejected, ImportResult, Problem
from motcua.units.models import Unit
from motcua.workdays import rules as time_rules
from motcua.workdays.services import office_calendar

from . import partitions, projections, rules
from .intake import new_secret
from .models import Dossier, DossierCounter, DossierEvent

COLUMNS = [
    "code", "procedure_code", "receiving_unit", "processing_unit", "channel", "received_at", "due_at",
    "finished_at", "outcome", "returned_at", "digitized", "result_digitized", "applicant_name", "applicant_id",
]  # fmt: skip
# Optional: 0/1 flags (empty = 0) and the applicant's rating.
OPTIONAL_COLUMNS = ["reused", "paid_online", "rating"]
RATINGS = {r.value for r in rules.Rating}
BATCH = 5000
OUTCOMES = {o.value for o in rules.Outcome}


@dataclass
class MigratedDossier:
    """A dossier brought over whole: the row is written with one internal "migrate" event."""

    line: int
    code: str
    procedure: tuple[int, object]
    receiving: Unit
    processing: Unit
    channel: int
    received_at: datetime
    due_at: datetime | None
    finished_at: datetime | None
    outcome: str
    returned_at: datetime | None
    digitized: bool
    result_digitized: bool
    applicant_name: str
    applicant_id: str
    note: str = ""
    reused: bool = False
    fee_bearing: bool = False
    paid_online: bool = False
    rating: str = ""


class _Units:
    """Unit codes resolved as of a day (codes are reused across reorganisations)."""

    def __init__(self):
        self.by_code = defaultdict(list)
        for unit in Unit.objects.all():
            self.by_code[unit.code].append(unit)

    def on(self, code: str, day: date) -> Unit | None:
        return next((u for u in self.by_code.get(code, ()) if u.is_valid_on(day)), None)


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=time_rules.VIETNAM)


def _check_utf8(path: Path) -> None:
    """Read the whole file once as UTF-8 before anything else (a migration file can be gigabytes)."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise ImportRejected([Problem(None, _("The file is not UTF-8 encoded text."))]) from exc


def _rows(path: Path):
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = [h.strip() for h in next(reader, [])]
        yield header
        for line, values in enumerate(reader, start=2):
            if any(v.strip() for v in values):
                yield line, dict(zip(header, values, strict=False))


def _parse(
    line: int, row: dict, procedures: dict, units: _Units, problems: list, fee_bearing: frozenset = frozenset()
) -> MigratedDossier | None:
    def get(name):
        return (row.get(name) or "").strip()

    found = len(problems)

    def problem(message):
        problems.append(Problem(line, message))

    code = get("code")
    if not code:
        problem(_("column “%(column)s” is empty") % {"column": "code"})
    procedure = procedures.get(get("procedure_code"))
    if procedure is None:
        problem(_("unknown procedure “%(code)s”") % {"code": get("procedure_code")})
    moments = {}
    for name in ("received_at", "due_at", "finished_at", "returned_at"):
        text = get(name)
        if not text:
            moments[name] = None
            continue
        try:
            moments[name] = _moment(text)
        except ValueError:
            problem(_("“%(value)s” in %(column)s is not an ISO 8601 time") % {"value": text, "column": name})
            moments[name] = None
    received = moments["received_at"]
    if received is None and not get("received_at"):
        problem(_("column “%(column)s” is empty") % {"column": "received_at"})
    day = received.astimezone(time_rules.VIETNAM).date() if received else None
    found_units = []
    for name in ("receiving_unit", "processing_unit"):
        unit = units.on(get(name), day) if day else None
        if day and unit is None:
            problem(_("no unit “%(code)s” in force on %(day)s") % {"code": get(name), "day": day})
        found_units.append(unit)
    channel = get("channel")
    if channel not in ("1", "2", "3"):
        problem(_("channel must be 1, 2 or 3, not “%(value)s”") % {"value": channel})
    outcome = get("outcome")
    if outcome and outcome not in OUTCOMES:
        problem(_("unknown outcome “%(value)s”") % {"value": outcome})
    if bool(outcome) != bool(moments["finished_at"]):
        problem(_("finished_at and outcome go together: both set, or both empty for an open dossier"))
    if moments["returned_at"] and not moments["finished_at"]:
        problem(_("a dossier cannot be returned before it is finished"))
    for name in ("finished_at", "due_at"):
        if received and moments[name] and moments[name] < received:
            problem(_("%(column)s comes before received_at") % {"column": name})
    if (
        received
        and moments["returned_at"]
        and moments["finished_at"]
        and moments["returned_at"] < moments["finished_at"]
    ):
        problem(_("returned_at comes before finished_at"))
    flags = {}
    for name in ("digitized", "result_digitized", "reused", "paid_online"):
        if get(name) not in ("0", "1", ""):
            problem(_("%(column)s must be 0 or 1") % {"column": name})
        flags[name] = get(name) == "1"
    if get("rating") and get("rating") not in RATINGS:
        problem(_("unknown rating “%(value)s”") % {"value": get("rating")})
    if get("rating") and not moments["finished_at"]:
        problem(_("only a finished dossier can be rated"))
    if not get("applicant_name"):
        problem(_("column “%(column)s” is empty") % {"column": "applicant_name"})
    if len(problems) > found:
        return None
    return MigratedDossier(
        line, code, procedure, found_units[0], found_units[1], int(channel), received, moments["due_at"],
        moments["finished_at"], outcome, moments["returned_at"], flags["digitized"], flags["result_digitized"],
        get("applicant_name"), get("applicant_id"), reused=flags["reused"],
        fee_bearing=get("procedure_code") in fee_bearing, paid_online=flags["paid_online"], rating=get("rating"),
    )  # fmt: skip


def import_dossiers(path: Path | str) -> ImportResult:
    path = Path(path)
    procedures = {p.code: (p.pk, p.duration) for p in Procedure.objects.all()}
    fee_bearing = frozenset(Fee.objects.filter(amount__gt=0).values_list("procedure__code", flat=True))
    units = _Units()
    _check_utf8(path)
    rows = _rows(path)
    header = next(rows, [])
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ImportRejected([Problem(None, _("missing columns: %(columns)s") % {"columns": ", ".join(missing)})])
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    months: set[int] = set()
    archived = set(partitions.archived_years())
    for line, row in rows:
        record = _parse(line, row, procedures, units, problems, fee_bearing)
        if record is not None:
            month = partitions.month_key(record.received_at)
            if month // 100 in archived:
                message = _("%(year)s is archived: restore it before importing into it") % {"year": month // 100}
                problems.append(Problem(line, message))
            months.add(month)
        code = (row.get("code") or "").strip()
        if code in seen:
            message = _("the code %(code)s is also on line %(other)s") % {"code": code, "other": seen[code]}
            problems.append(Problem(line, message))
        elif code:
            seen[code] = line
    if problems:
        raise ImportRejected(problems)
    del seen
    partitions.ensure(months)  # before the import's transaction: making a partition locks the table
    rows = _rows(path)
    next(rows)
    return write_migrated(_parse(line, row, procedures, units, problems, fee_bearing) for line, row in rows)


def write_migrated(records) -> ImportResult:
    """Write checked dossiers in batches, in one transaction; codes already present are skipped."""
    result = ImportResult()
    writer = _Writer()
    with transaction.atomic():
        batch: list[MigratedDossier] = []
        for record in records:
            batch.append(record)
            if len(batch) >= BATCH:
                writer.write(batch, result)
                batch = []
        if batch:
            writer.write(batch, result)
        writer.finish()
    return result


class _Writer:
    def __init__(self):
        self.calendars: dict[int, time_rules.OfficeCalendar] = {}
        self.counters: dict[tuple[int, date], int] = {}
        self.now = timezone.now()
        # The search keys are generated columns: the database computes them, no writer gives them.
        self.dossier_fields = [f for f in Dossier._meta.concrete_fields if not f.generated]
        self.event_fields = [f for f in DossierEvent._meta.concrete_fields]

    def calendar(self, year: int):
        if year not in self.calendars:
            self.calendars[year] = office_calendar(year)
        return self.calendars[year]

    def write(self, batch: list[MigratedDossier], result: ImportResult) -> None:
        present = partitions.codes_taken(Dossier.objects, [p.code for p in batch], [p.received_at for p in batch])
        fresh = [p for p in batch if p.code not in present]
        result.unchanged += len(batch) - len(fresh)
        if not fresh:
            return
        ids = _reserve_ids([p.received_at for p in fresh])
        dossiers, events = [], []
        for pk, p in zip(ids, fresh, strict=True):
            row, changes = self.dossier_row(pk, p)
            dossiers.append(row)
            events.append(self.event_row(pk, p, row["status"], changes))
            self.note_counter(p)
        _insert(Dossier, self.dossier_fields, dossiers)
        _insert(DossierEvent, self.event_fields, events)
        projections.migrated(dossiers)
        result.created += len(fresh)

    def dossier_row(self, pk: int, p: MigratedDossier) -> tuple[dict, dict]:
        procedure_id, duration = p.procedure
        local = p.received_at.astimezone(time_rules.VIETNAM)
        due = p.due_at or time_rules.due_at(self.calendar(local.year), p.received_at, duration)
        if not p.outcome:
            status = rules.Status.PROCESSING
        elif p.outcome in (rules.Outcome.APPROVED, rules.Outcome.REFUSED):
            status = rules.Status.RETURNED if p.returned_at else rules.Status.RESULT_READY
        else:
            status = rules.Status.STOPPED if p.outcome == rules.Outcome.STOPPED else rules.Status.WITHDRAWN
        changes = {
            "procedure_id": procedure_id, "receiving_unit_id": p.receiving.pk, "processing_unit_id": p.processing.pk,
            "channel": p.channel, "code": p.code, "received_at": p.received_at, "due_at": due, "appointment_at": due,
            "finished_at": p.finished_at, "outcome": p.outcome, "returned_at": p.returned_at,
            "digitized": p.digitized, "result_electronic": p.result_digitized, "reused": p.reused,
            "fee_bearing": p.fee_bearing, "paid_online": p.paid_online, "rating": p.rating, "migrated": True,
        }  # fmt: skip
        row = {
            "id": pk, "secret": new_secret(),
            "procedure_id": procedure_id, "province_id": p.receiving.province_id or p.receiving.pk,
            "receiving_unit_id": p.receiving.pk, "processing_unit_id": p.processing.pk, "channel": p.channel,
            "applicant_name": p.applicant_name[:255], "applicant_id": p.applicant_id[:30],
            "applicant_id_kind": "personal" if len(p.applicant_id) == 12 and p.applicant_id.isdigit() else "other",
            "status": int(status), "submitted_at": p.received_at, "rule_set": rules.rule_set_on(local.date()).name,
            "version": 1, **changes,
        }  # fmt: skip
        return row, changes

    def event_row(self, pk: int, p: MigratedDossier, status: int, changes: dict) -> dict:
        stored = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in changes.items()}
        return {
            "dossier_id": pk, "seq": 1, "action": rules.Action.MIGRATE.value, "actor_name": "", "at": self.now,
            "from_status": None, "to_status": status, "note": p.note or _migrated_note(p), "changes": stored,
            "internal": True,
        }  # fmt: skip

    def note_counter(self, p: MigratedDossier) -> None:
        """Keep live numbering clear of imported codes that follow our own pattern."""
        prefix = p.receiving.electronic_id or p.receiving.code
        day = p.received_at.astimezone(time_rules.VIETNAM).date()
        expected = f"{prefix}-{day:%y%m%d}-"
        if p.code.startswith(expected) and p.code[len(expected) :].isdigit():
            key = (p.receiving.pk, day)
            self.counters[key] = max(self.counters.get(key, 0), int(p.code[len(expected) :]))

    def finish(self) -> None:
        if not self.counters:
            return
        table = DossierCounter._meta.db_table
        larger = "GREATEST" if connection.vendor == "postgresql" else "MAX"
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} (unit_id, day, last) VALUES (%s, %s, %s) ON CONFLICT (unit_id, day) "
                f"DO UPDATE SET last = {larger}({table}.last, excluded.last)",
                [
                    (unit_id, connection.ops.adapt_datefield_value(day), last)
                    for (unit_id, day), last in self.counters.items()
                ],
            )


def _migrated_note(p: MigratedDossier) -> str:
    return f"Chuyển từ hệ thống cũ (dòng {p.line})"


def _reserve_ids(created: list[datetime]) -> list[int]:
    """Ids for dossiers created at these moments: in their months' partitions on PostgreSQL."""
    partitions.ensure_for(created)
    ids = partitions.new_ids(created)
    if ids is not None:
        return ids
    table = Dossier._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # the write lock is ours (IMMEDIATE)
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + len(created)))


def _insert(model, fields, rows: list[dict]) -> None:
    """Write rows with every column given: through COPY on PostgreSQL, executemany elsewhere."""
    columns = [f.column for f in fields if f.column != "id" or "id" in rows[0]]
    chosen = [f for f in fields if f.column in columns]
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # psycopg adapts Python values itself; only defaults and JSON need preparing, once per field.
            plan = [(f.attname, f.get_default(), f.get_internal_type() == "JSONField") for f in chosen]
            names = ", ".join(f'"{c}"' for c in columns)
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(
                        [
                            json.dumps(row.get(name, default), ensure_ascii=False)
                            if is_json
                            else row.get(name, default)
                            for name, default, is_json in plan
                        ]
                    )
        else:

            def value(field, row):
                raw = row.get(field.attname, field.get_default())
                if field.get_internal_type() == "JSONField":
                    return json.dumps(raw, ensure_ascii=False)
                return field.get_db_prep_save(raw, connection)

            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
            cursor.executemany(sql, [[value(f, row) for f in chosen] for row in rows])
