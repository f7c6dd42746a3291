"""The public face of the sync app: send what is due to the national portal, with retries, and
reconcile what is there."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Count, Q
from django.tasks import task
from django.utils import timezone

from motcua.dossiers.models import Dossier
from motcua.workdays.rules import period_bounds

from . import payload
from .adapters import Rejected, Transient, adapter
from .models import SyncState, SyncStatus

BATCH = 200
FIRST_RETRY = timedelta(minutes=1)
LAST_RETRY = timedelta(hours=6)
FAILED_AFTER = 6  # attempts: then it shows as failed in the reconciliation (and is still retried)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after each failure, at most six hours."""
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LAST_RETRY)


@dataclass
class PushResult:
    sent: int = 0
    retried: int = 0
    rejected: int = 0


def push(limit: int = BATCH, now: datetime | None = None) -> PushResult:
    """Send the dossiers that are due, each as it stands now; each acknowledged version is recorded,
    so a dossier that changed meanwhile stays due. Safe to run in several workers at once."""
    now = now or timezone.now()
    sender = adapter()
    result = PushResult()
    if sender is None:
        return result
    due = SyncState.objects.exclude(status=SyncStatus.SYNCED).filter(next_attempt_at__lte=now)
    for pk in list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            locked = SyncState.objects.filter(pk=pk).exclude(status=SyncStatus.SYNCED)
            if connection.features.has_select_for_update_skip_locked:
                locked = locked.select_for_update(skip_locked=True)
            state = locked.first()
            if state is None or state.next_attempt_at > now:
                continue
            dossier = Dossier.objects.select_related("procedure__field", "receiving_unit", "processing_unit").get(
                pk=state.dossier_id
            )
            version = dossier.version
            try:
                sender.send(payload.build(dossier))
            except (Transient, Rejected) as error:
                state.attempts += 1
                state.last_error = f"{type(error).__name__}: {error}"[:2000]
                state.next_attempt_at = now + backoff(state.attempts)
                if state.attempts >= FAILED_AFTER or isinstance(error, Rejected):
                    state.status = SyncStatus.FAILED
                state.save()
                if isinstance(error, Rejected):
                    result.rejected += 1
                else:
                    result.retried += 1
                continue
            state.synced_version = version
            state.first_synced_at = state.first_synced_at or now
            state.last_synced_at = now
            state.attempts = 0
            state.last_error = ""
            if version >= state.wanted_version:
                state.status = SyncStatus.SYNCED
            state.save()
            result.sent += 1
    return result


def mark_all(province_id: int | None = None, batch: int = 5000) -> int:
    """Make every received dossier (of one province, or all) due once more: how a new receiver,
    such as a national layer, gets a province's history, migrated dossiers included."""
    from .projections import mark_due

    received = Dossier.objects.exclude(received_at=None).order_by("pk")
    if province_id is not None:
        received = received.filter(province_id=province_id)
    marked, after = 0, 0
    while True:
        rows = list(received.filter(pk__gt=after).values_list("pk", "province_id", "version")[:batch])
        if not rows:
            return marked
        with transaction.atomic():
            mark_due(rows)
        marked += len(rows)
        after = rows[-1][0]


@task
def push_due() -> dict:
    """The background job (run every minute by the worker's scheduler or cron)."""
    found = push()
    return {"sent": found.sent, "retried": found.retried, "rejected": found.rejected}


@dataclass(frozen=True)
class Reconciliation:
    received: int
    synced: int
    pending: int
    failed: int
    never: int  # received but never marked (before synchronisation was switched on)

    @property
    def synced_percent(self) -> float:
        return round(100 * self.synced / self.received, 2) if self.received else 0.0

    def as_dict(self) -> dict:
        return {
            "received": self.received,
            "synced": self.synced,
            "pending": self.pending,
            "failed": self.failed,
            "never_marked": self.never,
            "synced_percent": self.synced_percent,
        }


def reconcile(province_id: int | None, first: date, last: date) -> Reconciliation:
    """Of the dossiers received in [first, last]: how many the portal holds in their current version,
    how many wait, how many failed."""
    start, end = period_bounds(first, last)
    dossiers = Dossier.objects.filter(received_at__gte=start, received_at__lt=end)
    if province_id is not None:
        dossiers = dossiers.filter(province_id=province_id)
    counts = dossiers.aggregate(
        received=Count("pk"),
        synced=Count("pk", filter=Q(sync_state__status=SyncStatus.SYNCED)),
        pending=Count("pk", filter=Q(sync_state__status=SyncStatus.PENDING)),
        failed=Count("pk", filter=Q(sync_state__status=SyncStatus.FAILED)),
    )
    never = counts["received"] - counts["synced"] - counts["pending"] - counts["failed"]
    return Reconciliation(counts["received"], counts["synced"], counts["pending"], counts["failed"], never)


def synced_by_unit(where: Q, start: datetime, end: datetime) -> dict[int, int]:
    """Dossiers received in [start, end) that reached the portal at least once, by processing unit."""
    rows = (
        Dossier.objects.filter(
            where, received_at__gte=start, received_at__lt=end, sync_state__first_synced_at__isnull=False
        )
        .values_list("processing_unit_id")
        .annotate(n=Count("pk"))
    )
    return dict(rows)


def failures(province_id: int | None = None, limit: int = 100):
    found = SyncState.objects.filter(status=SyncStatus.FAILED).select_related("dossier")
    if province_id is not None:
        found = found.filter(province_id=province_id)
    return found.order_by("next_attempt_at")[:limit]
