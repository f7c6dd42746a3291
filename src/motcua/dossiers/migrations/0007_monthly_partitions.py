"""On PostgreSQL the dossier and event tables become partitioned by month (see dossiers/partitions.py).

The rows already stored become one partition, ``…_legacy``, holding every id below the first
month's floor; the months get theirs after the migration (post_migrate) and from then on. The
table keeps its name, columns, constraints and indexes, so the application and later migrations
see the same table; only the code's uniqueness moves into each partition, and the events' primary
key takes the dossier's id beside its own (a key must contain the partition key).
"""

from django.db import migrations

SPAN = 10**10
FIRST_MONTH = 190001
LEGACY_END = FIRST_MONTH * SPAN
# The id of a new dossier: its month of creation in Vietnam's time, then a number from the sequence.
DOSSIER_ID = (
    "(to_char(now() AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYYMM')::bigint * {span}"
    " + nextval('dossiers_dossier_id_seq'))"
).format(span=SPAN)
TRIGGER = (
    "CREATE TRIGGER dossiers_event_append_only BEFORE UPDATE OR DELETE ON dossiers_dossierevent "
    "FOR EACH ROW EXECUTE FUNCTION dossiers_event_append_only()"
)


def _rows(cursor, sql, params=()):
    cursor.execute(sql, params)
    return cursor.fetchall()


def _partition(cursor, table: str, column: str, key: str, default: str) -> None:
    legacy = f"{table}_legacy"
    incoming = _rows(
        cursor,
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE confrelid = %s::regclass AND contype = 'f' AND conrelid <> confrelid AND conparentid = 0",
        [table],
    )
    own = _rows(
        cursor,
        "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('p', 'u', 'f') AND conparentid = 0 ORDER BY contype DESC",
        [table],
    )
    indexes = _rows(
        cursor,
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
        "WHERE x.indrelid = %s::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
        [table],
    )
    (last,) = _rows(cursor, f"SELECT coalesce(max(id), 0) FROM {table}")[0]
    for relation, name, _ in incoming:
        cursor.execute(f'ALTER TABLE {relation} DROP CONSTRAINT "{name}"')
    cursor.execute(f"ALTER TABLE {table} ALTER COLUMN id DROP IDENTITY IF EXISTS")
    cursor.execute(f"ALTER TABLE {table} RENAME TO {legacy}")
    # Keys and foreign keys are made anew on the partitioned table; the legacy rows keep only
    # their code's uniqueness (as every month's partition will).
    for name, kind, definition in own:
        if kind == "u" and definition == "UNIQUE (code)":
            cursor.execute(f'ALTER TABLE {legacy} RENAME CONSTRAINT "{name}" TO {legacy}_code_key')
        else:
            cursor.execute(f'ALTER TABLE {legacy} DROP CONSTRAINT "{name}"')
    for number, (name, _) in enumerate(indexes):
        cursor.execute(f'ALTER INDEX "{name}" RENAME TO {legacy}_{number}_idx')
    cursor.execute(
        f"CREATE TABLE {table} (LIKE {legacy} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE) "
        f"PARTITION BY RANGE ({column})"
    )
    cursor.execute(f"ALTER TABLE {table} ATTACH PARTITION {legacy} FOR VALUES FROM (MINVALUE) TO ({LEGACY_END})")
    cursor.execute(f"CREATE SEQUENCE {table}_id_seq OWNED BY {table}.id START {last + 1}")
    cursor.execute(f"ALTER TABLE {table} ALTER COLUMN id SET DEFAULT {default}")
    cursor.execute(f"ALTER TABLE {table} ADD PRIMARY KEY ({key})")
    for name, kind, definition in own:
        if kind == "p" or (kind == "u" and definition == "UNIQUE (code)"):
            continue
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    for _name, definition in indexes:
        # Attaches the legacy partition's index of the same shape instead of building another.
        cursor.execute(definition)
    for relation, name, definition in incoming:
        cursor.execute(f'ALTER TABLE {relation} ADD CONSTRAINT "{name}" {definition}')


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS dossiers_event_append_only ON dossiers_dossierevent")
        _partition(cursor, "dossiers_dossier", "id", "id", DOSSIER_ID)
        _partition(cursor, "dossiers_dossierevent", "dossier_id", "dossier_id, id",
                   "nextval('dossiers_dossierevent_id_seq')")  # fmt: skip
        cursor.execute(TRIGGER)


class Migration(migrations.Migration):
    atomic = True
    dependencies = [("dossiers", "0006_events_append_only")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
