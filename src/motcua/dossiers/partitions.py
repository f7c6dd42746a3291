"""Monthly partitions of the dossier and event tables on PostgreSQL, and the archive of closed years.

A dossier's id carries the month it was created in (submitted at a desk or online), in Vietnam's
time: ``yyyymm × 10^10`` plus a number from one sequence, so ``2026110000000042``. The dossier
table is partitioned by ranges of id, a partition a month, and the event table by ranges of
``dossier_id`` on the same bounds. A dossier and its whole history therefore sit in one month's
partitions; the events' unique (dossier, seq) and every foreign key to a dossier hold as before,
because both contain the partition key. Ids stay below 2^53, so they survive JavaScript.

A code carries the day of receipt (``…-yymmdd-nnnn``): a lookup by code reads that month's
partition. A dossier submitted online late in a month and received in the next is found by a second
reading over every partition, as are rows from before partitioning (the ``legacy`` partition) and
codes migrated from older systems.

Partitions are made three months ahead by ``migrate`` and by ``motcua partitions`` (daily, from
cron); the importer and the generator make the months they write. SQLite has no partitions: ids
there come from its own counter and nothing here changes what is read.

A closed year (every dossier created in it finished) can be moved out of the live tables with
``motcua archive YEAR``: its partitions are detached into the ``archive`` schema together with the
dossiers' components, files, fees, steps, consultations and synchronisation state; the report
ledger and the index counters stay, so every report and index of that year reads as before. A code
of an archived year is still found (read-only); ``motcua archive YEAR --restore`` puts it back.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection, transaction
from django.db.models import Q, QuerySet

from motcua.workdays.rules import VIETNAM

SPAN = 10**10  # ids a month
FIRST_MONTH = 190001  # ids below this month's floor are the rows from before partitioning
DOSSIERS = "dossiers_dossier"
EVENTS = "dossiers_dossierevent"
# The tables partitioned by month and the column holding the dossier's id.
PARTITIONED = ((DOSSIERS, "id"), (EVENTS, "dossier_id"))
# What hangs on a dossier besides its events: archived with it, by the column naming the dossier.
DEPENDENTS = (
    ("dossiers_dossiercomponent", "dossier_id"),
    ("dossiers_dossierfee", "dossier_id"),
    ("dossiers_dossierstep", "dossier_id"),
    ("dossiers_consultation", "dossier_id"),
    ("dossiers_letter", "dossier_id"),
)
AHEAD = 3
ARCHIVE_SCHEMA = "archive"
_CODE_DAY = re.compile(r"-(\d{2})(\d{2})(\d{2})-\d+$")


def month_key(moment: datetime | date) -> int:
    if isinstance(moment, datetime):
        moment = moment.astimezone(VIETNAM)
    return moment.year * 100 + moment.month


def shift(key: int, months: int) -> int:
    index = key // 100 * 12 + key % 100 - 1 + months
    return index // 12 * 100 + index % 12 + 1


def bounds(key: int) -> tuple[int, int]:
    return key * SPAN, shift(key, 1) * SPAN


def key_of(dossier_id: int) -> int | None:
    key = dossier_id // SPAN
    return key if key >= FIRST_MONTH else None


def code_day(code: str) -> date | None:
    """The day of receipt a code of our pattern carries (None for other patterns)."""
    match = _CODE_DAY.search(code or "")
    if not match:
        return None
    try:
        return date(2000 + int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def partitioned() -> bool:
    """Whether the database holds the dossiers in monthly partitions (PostgreSQL, migrated); asked
    once per connection (``forget`` after a migration)."""
    if connection.vendor != "postgresql":
        return False
    known = getattr(connection, "motcua_partitioned", None)
    if known is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [DOSSIERS])
            row = cursor.fetchone()
        known = connection.motcua_partitioned = bool(row) and row[0] == "p"
    return known


def forget() -> None:
    connection.motcua_partitioned = None


def new_ids(moments: list[datetime]) -> list[int] | None:
    """Ids for dossiers created at these moments, or None where the database numbers them itself."""
    if not moments or not partitioned():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT nextval('{DOSSIERS}_id_seq') FROM generate_series(1, %s)", [len(moments)])
        numbers = [row[0] for row in cursor.fetchall()]
    return [month_key(moment) * SPAN + number for moment, number in zip(moments, numbers, strict=True)]


def by_code(queryset: QuerySet, code: str):
    """The first dossier of the queryset with this code, reading the month its code names first."""
    day = code_day(code)
    if day is not None and partitioned():
        low, high = bounds(month_key(day))
        found = queryset.filter(code=code, pk__gte=low, pk__lt=high).first()
        if found is not None:
            return found
    return queryset.filter(code=code).first()


def codes_taken(queryset: QuerySet, codes: list[str], moments: list[datetime]) -> set[str]:
    """Which of these codes, for dossiers created at these moments, the queryset holds. Where the
    dossiers are partitioned, only where a holder can be is read: the moments' months and the month
    before (a code names its day of receipt, a dossier sits in its month of submission), and the
    rows from before partitioning; reading every month for each code costs a scan of the table."""
    found = queryset.filter(code__in=codes)
    if moments and partitioned():
        keys = [month_key(moment) for moment in moments]
        low, high = bounds(shift(min(keys), -1))[0], bounds(max(keys))[1]
        found = found.filter(Q(pk__lt=FIRST_MONTH * SPAN) | Q(pk__gte=low, pk__lt=high))
    return set(found.values_list("code", flat=True))


def _existing(cursor, table: str) -> set[str]:
    cursor.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass",
        [table],
    )
    return {row[0] for row in cursor.fetchall()}


def ensure(keys: Iterable[int]) -> list[str]:
    """Make the partitions of these months that are missing; returns the tables made."""
    if not partitioned():
        return []
    made = []
    keys = sorted(set(keys))
    with transaction.atomic(), connection.cursor() as cursor:
        archived = set(archived_years())
        for table, _column in PARTITIONED:
            have = _existing(cursor, table)
            for key in keys:
                name = f"{table}_p{key}"
                if name in have or key // 100 in archived:
                    continue
                low, high = bounds(key)
                cursor.execute(f"CREATE TABLE {name} PARTITION OF {table} FOR VALUES FROM ({low}) TO ({high})")
                if table == DOSSIERS:
                    # The code is unique within the month; across months its day (which names the
                    # month of creation or a later one) and the desk's daily counter keep it so.
                    cursor.execute(f"CREATE UNIQUE INDEX {name}_code_key ON {name} (code)")
                made.append(name)
    return made


def ensure_ahead(today: date, ahead: int = AHEAD) -> list[str]:
    this = month_key(today)
    return ensure(shift(this, n) for n in range(-1, ahead + 1))


def ensure_for(moments: Iterable[datetime]) -> list[str]:
    return ensure({month_key(moment) for moment in moments})


@dataclass(frozen=True)
class Partition:
    table: str
    name: str
    month: int | None
    rows: int


def partitions() -> list[Partition]:
    """The live partitions with their (estimated) rows, oldest first."""
    if not partitioned():
        return []
    found = []
    with connection.cursor() as cursor:
        for table, _column in PARTITIONED:
            cursor.execute(
                "SELECT c.relname, greatest(c.reltuples, 0)::bigint FROM pg_inherits i "
                "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass ORDER BY c.relname",
                [table],
            )
            for name, rows in cursor.fetchall():
                suffix = name.rsplit("_p", 1)[-1]
                found.append(Partition(table, name, int(suffix) if suffix.isdigit() else None, rows))
    return found


def archived_years() -> list[int]:
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [f"{ARCHIVE_SCHEMA}.years"])
        if cursor.fetchone()[0] is None:
            return []
        cursor.execute(f"SELECT year FROM {ARCHIVE_SCHEMA}.years ORDER BY year")
        return [row[0] for row in cursor.fetchall()]
