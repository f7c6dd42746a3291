"""The worker's side: send the deliveries handed over after commit, and come back for retries."""

from __future__ import annotations

import logging

from django.tasks import task

from .sending import next_retry, send_due

logger = logging.getLogger("motcua.notifications")


@task
def send_notices(ids: list[int] | None = None) -> dict[str, int]:
    """Send the due deliveries among ``ids`` (all due ones when None). When some failed, queue a
    sweep for the earliest retry, if the queue can wait; ``motcua notify`` from cron covers it else."""
    found = send_due(ids)
    if found.failed:
        retry_at = next_retry()
        backend = send_notices.get_backend()
        if retry_at is not None and backend.supports_defer:
            try:
                send_notices.using(run_after=retry_at).enqueue(None)
            except Exception:
                logger.exception("Retry sweep not queued; `motcua notify` will retry")
    return found.as_dict()
