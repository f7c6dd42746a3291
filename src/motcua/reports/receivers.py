"""Keep the report ledger in step with every dossier write, in the writer's transaction."""

from collections import defaultdict

from django.dispatch import receiver

from motcua.dossiers import signals
from motcua.dossiers.signals import report_fields

from . import ledger
from .rules import LedgerChange, Standing, ledger_change, migrated_change


@receiver(signals.recorded, dispatch_uid="reports.ledger.recorded")
def dossier_recorded(sender, dossier, before, at, **kwargs):
    change = ledger_change(Standing.of(before) if before else None, Standing.of(report_fields(dossier)), at)
    if change.counts or change.moves:
        ledger.write({dossier.province_id: change})


@receiver(signals.migrated, dispatch_uid="reports.ledger.migrated")
def dossiers_migrated(sender, rows, **kwargs):
    changes: dict[int, LedgerChange] = defaultdict(LedgerChange)
    for row in rows:
        standing = Standing.of(row)
        if standing is not None:
            changes[row["province_id"]].add(migrated_change(standing))
    ledger.write(changes)
