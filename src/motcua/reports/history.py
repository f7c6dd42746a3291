"""Where dossiers stood in the reports at any moment, read from their events alone: the ground
truth the ledger is rebuilt from and checked against, and the drill-down's reading of dossiers
that changed after a cut-off."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from django.db.models import Prefetch, Q

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.rules import Action
from motcua.dossiers.services import DATETIME_FIELDS

from .rules import Standing

Timeline = list[tuple[datetime, Standing]]


def timeline(dossier: Dossier, events) -> Timeline:
    """Each standing of the dossier with the moment it began, in order.

    A migrated history takes effect at its receipt and, when it brings a finish, at that finish.
    Events recorded before the receipt's unit was written into them fall back on the dossier's
    present unit.
    """
    row = {"procedure_id": dossier.procedure_id, "channel": dossier.channel, "processing_unit_id": None,
           "received_at": None, "due_at": None, "finished_at": None, "digitized": False, "status": None}  # fmt: skip
    found: Timeline = []
    for event in events:
        row["status"] = event.to_status
        for name, value in event.changes.items():
            if name in row:
                row[name] = datetime.fromisoformat(value) if name in DATETIME_FIELDS and value else value
        if row["processing_unit_id"] is None:
            row["processing_unit_id"] = dossier.processing_unit_id
        standing = Standing.of(row)
        if standing is None or (found and found[-1][1] == standing):
            continue
        at = standing.received_at if event.action == Action.MIGRATE else event.at
        if standing.finished_at is not None and standing.finished_at > at:
            found.append((at, Standing(**{**standing.__dict__, "finished_at": None})))
            at = standing.finished_at
        found.append((at, standing))
    return found


def standing_at(line: Timeline, cutoff: datetime) -> Standing | None:
    """The standing in force at ``cutoff``: the last one that began before it."""
    chosen = None
    for at, standing in line:
        if at >= cutoff:
            break
        chosen = standing
    return chosen


def standings(where: Q | None = None, chunk: int = 2000) -> Iterator[tuple[Dossier, Timeline]]:
    """Every received dossier (narrowed by ``where``) with its timeline."""
    where = where if where is not None else Q()
    events = Prefetch("events", queryset=DossierEvent.objects.order_by("seq").only("dossier_id", "action", "at",
                                                                                   "to_status", "changes"))  # fmt: skip
    dossiers = (
        Dossier.objects.filter(where, received_at__isnull=False)
        .only("pk", "procedure_id", "channel", "processing_unit_id", "province_id")
        .order_by("pk")
        .prefetch_related(events)
    )
    for dossier in dossiers.iterator(chunk_size=chunk):
        yield dossier, timeline(dossier, dossier.events.all())
