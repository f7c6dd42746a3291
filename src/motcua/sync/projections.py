"""Every change of a received dossier makes it due for the national portal, in the writer's
transaction: the row says which version must reach the portal; the sender sends the dossier as it
then stands, so a burst of changes goes as one."""

from django.db import connection
from django.utils import timezone

from motcua.dossiers.projections import Projection

from .models import SyncState, SyncStatus


class Outbox(Projection):
    name = "outbox"
    tables = (("sync_syncstate", "dossier_id"),)

    def recorded(self, dossier, before, at):
        if dossier.received_at is None:  # not received yet: the portal learns of it once the desk accepts it
            return
        mark_due([(dossier.pk, dossier.province_id, dossier.version)])

    # Migrated dossiers come from a system that synchronised them already: nothing to mark.


def mark_due(rows: list[tuple[int, int, int]]) -> None:
    """(dossier id, province id, version): due now, unless the portal has that version already."""
    table = SyncState._meta.db_table
    now = timezone.now()
    values = [(pk, province, version, SyncStatus.PENDING, now) for pk, province, version in rows]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (dossier_id, province_id, wanted_version, status, attempts, next_attempt_at, "
            f"last_error) VALUES (%s, %s, %s, %s, 0, %s, '') ON CONFLICT (dossier_id) DO UPDATE SET "
            f"wanted_version = excluded.wanted_version, status = excluded.status, attempts = 0, "
            f"next_attempt_at = excluded.next_attempt_at",
            values,
        )
