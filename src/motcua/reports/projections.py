"""The report ledger kept in step with every dossier write, in the writer's transaction."""

from collections import defaultdict

from motcua.dossiers.projections import Projection

from . import ledger
from .rules import LEDGER_FIELDS, LedgerChange, Standing, ledger_change, migrated_change, reshaped


class Ledger(Projection):
    name = "ledger"
    fields = LEDGER_FIELDS

    def changing(self, dossier, before, at):
        # The row remembers when it last moved in the reports, so that a report read at an earlier
        # cut-off knows which dossiers to read from their history rather than from the row.
        if before is not None and before["received_at"] is not None and reshaped(before, _fields(dossier)):
            dossier.report_changed_at = at

    def recorded(self, dossier, before, at):
        change = ledger_change(Standing.of(before) if before else None, Standing.of(_fields(dossier)), at)
        if change.counts or change.moves:
            ledger.write({dossier.province_id: change})

    def migrated(self, rows):
        changes: dict[int, LedgerChange] = defaultdict(LedgerChange)
        for row in rows:
            standing = Standing.of(row)
            if standing is not None:
                changes[row["province_id"]].add(migrated_change(standing))
        ledger.write(changes)


def _fields(dossier) -> dict:
    return {name: getattr(dossier, name) for name in LEDGER_FIELDS}
