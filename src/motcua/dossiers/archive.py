"""Closed years out of the live tables and back (PostgreSQL; see partitions.py).

``archive_year`` detaches the year's monthly partitions of dossiers and events into the ``archive``
schema and moves what hangs on those dossiers (components and their files, fees, steps,
consultations, synchronisation state) into tables of that schema named after the year; online
applications keep their row and lose only the link, kept in the archive. All in one transaction,
refused whole while any dossier of the year is open. The report ledger and the index counters are
not touched, so every report and index of the year reads as before; the live tables, their
indexes and their vacuuming no longer carry the year. ``restore_year`` puts everything back.

Dossiers from before partitioning (the legacy partition) are not archived: they have no month.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import connection, transaction

from motcua.core.errors import Refused
from motcua.core.messages import Message as _

from . import partitions, projections
from .models import Dossier, DossierEvent
from .rules import Status

SCHEMA = partitions.ARCHIVE_SCHEMA
OPEN = [int(s) for s in Status if s not in (Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED)]
FILES = ("dossiers_dossierfile", "component_id", "dossiers_dossiercomponent")
APPLICATIONS = "portal_application"
# Every table with a foreign key to the dossiers, and how it is archived.


class ArchiveError(Refused):
    """A year that cannot be archived or restored now."""


@dataclass
class Archived:
    year: int
    dossiers: int = 0
    events: int = 0
    rows: dict[str, int] = field(default_factory=dict)


def _one(cursor, sql, params=()):
    cursor.execute(sql, params)
    return cursor.fetchone()[0]


def _year_bounds(year: int) -> tuple[int, int]:
    return partitions.bounds(year * 100 + 1)[0], partitions.bounds(year * 100 + 12)[1]


def _dependents() -> list[tuple[str, str]]:
    """The tables with a row per dossier that go with it: the dossier's own and the projections'."""
    return [*partitions.DEPENDENTS, *projections.tables()]


def _known() -> set[str]:
    return {table for table, _column in _dependents()} | {partitions.EVENTS, APPLICATIONS}


def _month_tables(cursor, schema: str, table: str, year: int) -> list[str]:
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relname LIKE %s ORDER BY c.relname",
        [schema, f"{table}_p{year}__"],
    )
    return [row[0] for row in cursor.fetchall()]


def _drop_foreign_keys(cursor, relation: str) -> None:
    cursor.execute(
        "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f' AND conparentid = 0",
        [relation],
    )
    for (name,) in cursor.fetchall():  # with it go the rows it made for each partition it refers to
        cursor.execute(f'ALTER TABLE {relation} DROP CONSTRAINT IF EXISTS "{name}"')


def _checks_now(cursor) -> None:
    # A table with foreign-key checks still pending (deferred to the commit) cannot be detached:
    # run them now; the transaction goes back to deferring them when the year has moved.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _check_ready(cursor) -> None:
    if not partitions.partitioned():
        raise ArchiveError(_("Archiving years needs PostgreSQL with the dossiers in monthly partitions."))
    cursor.execute(
        "SELECT DISTINCT conrelid::regclass::text FROM pg_constraint "
        "WHERE confrelid = %s::regclass AND contype = 'f' AND conparentid = 0",
        [partitions.DOSSIERS],
    )
    unknown = {row[0] for row in cursor.fetchall()} - _known()
    if unknown:  # a new table refers to dossiers: it must be taught here before a year can leave
        raise ArchiveError(_("Tables not known to the archive refer to dossiers: %(tables)s") % {
            "tables": ", ".join(sorted(unknown))})  # fmt: skip


def archive_year(year: int, today: date) -> Archived:
    if year >= today.year:
        raise ArchiveError(_("Only a year that has ended can be archived."))
    low, high = _year_bounds(year)
    done = Archived(year)
    with transaction.atomic(), connection.cursor() as cursor:
        _check_ready(cursor)
        _checks_now(cursor)
        if year in partitions.archived_years():
            raise ArchiveError(_("%(year)s is already archived.") % {"year": year})
        still_open = _one(
            cursor,
            f"SELECT count(*) FROM {partitions.DOSSIERS} WHERE id >= %s AND id < %s AND status = ANY(%s)",
            [low, high, OPEN],
        )
        if still_open:
            raise ArchiveError(_("%(count)s dossiers created in %(year)s are still open; the year cannot be archived.")
                               % {"count": still_open, "year": year})  # fmt: skip
        cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {SCHEMA}.years (year integer PRIMARY KEY, "
            "archived_at timestamptz NOT NULL DEFAULT now(), dossiers bigint NOT NULL, events bigint NOT NULL)"
        )
        files, by, owner = FILES
        cursor.execute(
            f"CREATE TABLE {SCHEMA}.{files}_{year} AS SELECT f.* FROM {files} f JOIN {owner} o ON o.id = f.{by} "
            "WHERE o.dossier_id >= %s AND o.dossier_id < %s",
            [low, high],
        )
        done.rows[files] = cursor.rowcount
        cursor.execute(f"DELETE FROM {files} WHERE id IN (SELECT id FROM {SCHEMA}.{files}_{year})")
        for table, column in _dependents():
            cursor.execute(
                f"CREATE TABLE {SCHEMA}.{table}_{year} AS SELECT * FROM {table} WHERE {column} >= %s AND {column} < %s",
                [low, high],
            )
            done.rows[table] = cursor.rowcount
            cursor.execute(f"DELETE FROM {table} WHERE {column} >= %s AND {column} < %s", [low, high])
        cursor.execute(
            f"CREATE TABLE {SCHEMA}.{APPLICATIONS}_{year} AS SELECT id, dossier_id FROM {APPLICATIONS} "
            "WHERE dossier_id >= %s AND dossier_id < %s",
            [low, high],
        )
        done.rows[APPLICATIONS] = cursor.rowcount
        cursor.execute(f"UPDATE {APPLICATIONS} SET dossier_id = NULL WHERE dossier_id >= %s AND dossier_id < %s",
                       [low, high])  # fmt: skip
        for table in (partitions.EVENTS, partitions.DOSSIERS):  # events first: they refer to the dossiers
            for name in _month_tables(cursor, "public", table, year):
                count = _one(cursor, f"SELECT count(*) FROM {name}")
                if table == partitions.EVENTS:
                    done.events += count
                else:
                    done.dossiers += count
                cursor.execute(f"ALTER TABLE {table} DETACH PARTITION {name}")
                _drop_foreign_keys(cursor, name)
                cursor.execute(f"ALTER TABLE {name} SET SCHEMA {SCHEMA}")
        cursor.execute(f"INSERT INTO {SCHEMA}.years (year, dossiers, events) VALUES (%s, %s, %s)",
                       [year, done.dossiers, done.events])  # fmt: skip
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return done


def restore_year(year: int) -> Archived:
    done = Archived(year)
    with transaction.atomic(), connection.cursor() as cursor:
        _check_ready(cursor)
        _checks_now(cursor)
        if year not in partitions.archived_years():
            raise ArchiveError(_("%(year)s is not archived.") % {"year": year})
        for table in (partitions.DOSSIERS, partitions.EVENTS):  # dossiers first: events refer to them
            for name in _month_tables(cursor, SCHEMA, table, year):
                key = int(name.rsplit("_p", 1)[1])
                start, end = partitions.bounds(key)
                cursor.execute(f"ALTER TABLE {SCHEMA}.{name} SET SCHEMA public")
                cursor.execute(f"DROP TRIGGER IF EXISTS dossiers_event_append_only ON {name}")
                cursor.execute(f"ALTER TABLE {table} ATTACH PARTITION {name} FOR VALUES FROM ({start}) TO ({end})")
                count = _one(cursor, f"SELECT count(*) FROM {name}")
                if table == partitions.EVENTS:
                    done.events += count
                else:
                    done.dossiers += count
        files, _by, _owner = FILES
        for table in [table for table, _column in _dependents()] + [files]:  # files after components
            done.rows[table] = _put_back(cursor, table, year)
        cursor.execute(
            f"UPDATE {APPLICATIONS} a SET dossier_id = k.dossier_id FROM {SCHEMA}.{APPLICATIONS}_{year} k "
            "WHERE a.id = k.id"
        )
        done.rows[APPLICATIONS] = cursor.rowcount
        cursor.execute(f"DROP TABLE {SCHEMA}.{APPLICATIONS}_{year}")
        cursor.execute(f"DELETE FROM {SCHEMA}.years WHERE year = %s", [year])
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return done


def _put_back(cursor, table: str, year: int) -> int:
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s "
        "ORDER BY ordinal_position",
        [SCHEMA, f"{table}_{year}"],
    )
    columns = ", ".join(f'"{row[0]}"' for row in cursor.fetchall())
    cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {SCHEMA}.{table}_{year}")
    count = cursor.rowcount
    cursor.execute(f"DROP TABLE {SCHEMA}.{table}_{year}")
    return count


def archived_dossier(code: str) -> Dossier | None:
    """A dossier of an archived year by its code, read-only, with its history (``archived_events``)."""
    day = partitions.code_day(code)
    if day is None or day.year not in partitions.archived_years():
        return None
    with connection.cursor() as cursor:
        names = _month_tables(cursor, SCHEMA, partitions.DOSSIERS, day.year)
    # The code's month first; a dossier created in the month before its receipt is in that one.
    key = partitions.month_key(day)
    names.sort(key=lambda name: (name != f"{partitions.DOSSIERS}_p{key}", name))
    for name in names:
        found = list(Dossier.objects.raw(f"SELECT * FROM {SCHEMA}.{name} WHERE code = %s", [code]))
        if found:
            dossier = found[0]
            dossier.archived = True
            events = f"{SCHEMA}.{partitions.EVENTS}_p{name.rsplit('_p', 1)[1]}"
            dossier.archived_events = list(
                DossierEvent.objects.raw(f"SELECT * FROM {events} WHERE dossier_id = %s ORDER BY seq", [dossier.pk])
            )
            return dossier
    return None
