"""Additive counter tables: rows of signed counts that writers add to and readers sum."""

from django.db import connection

COPY_THRESHOLD = 2000  # rows: above this, PostgreSQL takes them through COPY and one merge


def add(model, keys: tuple[str, ...], columns: tuple[str, ...], rows: dict[tuple, list[int]]) -> None:
    """Add ``rows`` ({key: [province, *column values]}) to the model's table (``INSERT … ON
    CONFLICT DO UPDATE SET n = n + excluded.n``), in key order, so that two writers meet the same
    rows in the same order and cannot deadlock."""
    table = model._meta.db_table
    names = ("province_id", *keys, *columns)
    values = [(row[0], *key, *row[1:]) for key, row in sorted(rows.items())]
    adds = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in columns)
    conflict = f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {adds}"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(values) > COPY_THRESHOLD:
            incoming = f"{table}_incoming"
            cursor.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS {incoming} AS SELECT {', '.join(names)} FROM {table} WITH NO DATA"
            )
            with cursor.cursor.copy(f"COPY {incoming} ({', '.join(names)}) FROM STDIN") as copy:
                for value in values:
                    copy.write_row(value)
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(names)} FROM {incoming} "
                f"ORDER BY {', '.join(keys)} {conflict}"
            )
            cursor.execute(f"TRUNCATE {incoming}")
        else:
            marks = ", ".join(["%s"] * len(names))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks}) {conflict}", values)


class Rows:
    """Counter rows gathered for one ``add``: each key's province and its counts of ``columns``."""

    def __init__(self, columns: tuple[str, ...]):
        self.columns = columns
        self.rows: dict[tuple, list[int]] = {}

    def add(self, province: int, key: tuple, column: str, n: int) -> None:
        row = self.rows.setdefault(key, [province] + [0] * len(self.columns))
        row[1 + self.columns.index(column)] += n

    def write(self, model, keys: tuple[str, ...]) -> None:
        if self.rows:
            add(model, keys, self.columns, self.rows)


def next_number(model, **key) -> int:
    """The next number of a gapless sequence kept in ``model`` (a row per key with a ``last``
    column and a unique constraint on the key's fields): ``INSERT … ON CONFLICT DO UPDATE SET last
    = last + 1 RETURNING last``. The row stays locked until the caller's transaction ends, so
    concurrent callers queue and a rolled-back one gives its number back: no gaps, no repeats."""
    table = model._meta.db_table
    fields = [model._meta.get_field(name) for name in key]
    columns = [f.column for f in fields]
    values = [f.get_db_prep_value(key[f.name], connection) for f in fields]
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}, last) VALUES ({marks}, 1) "
            f"ON CONFLICT ({', '.join(columns)}) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            values,
        )
        return cursor.fetchone()[0]
