"""A province's ledger generation: bumped by back-dated changes, read as the sum of its stripes, and
on PostgreSQL bumped by two sessions of one province without one waiting for the other's commit."""

import psycopg
import pytest
from django.db import connection

from motcua.reports import ledger
from motcua.reports.models import LedgerGeneration
from motcua.units.models import Unit

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="sessions on PostgreSQL")


def _province() -> int:
    return Unit.objects.filter(parent=None).values_list("pk", flat=True).first()


def test_generation_only_grows_and_sums_the_stripes(db):
    province = _province()
    before = ledger.generation(province)
    ledger._bump_generation(province)
    ledger._bump_generation(province)
    assert ledger.generation(province) == before + 2
    LedgerGeneration.objects.create(province_id=province, stripe=ledger.STRIPES + 1, number=5)
    assert ledger.generation(province) == before + 7


def _other_session(stripe_of_ours: int, same: bool) -> psycopg.Connection:
    """A second session whose stripe is (or is not) ours: sessions are opened until one fits."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    for _ in range(200):
        other = psycopg.connect(**params)
        if (other.info.backend_pid % ledger.STRIPES == stripe_of_ours) == same:
            return other
        other.close()
    raise AssertionError("no session with the stripe wanted")


def _bump_from(other: psycopg.Connection, province: int) -> None:
    with other.transaction():
        other.execute("SET LOCAL lock_timeout = '1s'")
        other.execute(
            "INSERT INTO reports_ledgergeneration (province_id, stripe, number) "
            f"VALUES (%s, pg_backend_pid() %% {ledger.STRIPES}, 1) "
            "ON CONFLICT (province_id, stripe) DO UPDATE SET number = reports_ledgergeneration.number + 1",
            [province],
        )
        raise psycopg.Rollback()  # the province exists only in the test's own transaction


@postgres_only
def test_two_sessions_bump_one_province_without_waiting(db):
    province = _province()
    ledger._bump_generation(province)  # held, uncommitted, by the test's transaction
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        ours = cursor.fetchone()[0] % ledger.STRIPES
    with _other_session(ours, same=False) as other:
        _bump_from(other, province)  # another stripe: no wait
    with _other_session(ours, same=True) as other, pytest.raises(psycopg.errors.LockNotAvailable):
        _bump_from(other, province)  # the same stripe waits for our commit
