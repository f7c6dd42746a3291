"""Sending the delivery log's due rows through their channel, once each, with retries.

Each row is claimed before it is sent (its attempt counted and its next try set, in one
conditional update), so two workers never send it both, and a worker that dies mid-send leaves
it due again later. A channel that fails marks the row failed with the error; the row is tried
again after ``rules.retry_delay`` until ``rules.MAX_ATTEMPTS``. Nothing here raises.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F
from django.utils import timezone

from motcua.people.sms import send_sms

from . import rules
from .models import Delivery, DeliveryStatus

logger = logging.getLogger("motcua.notifications")
BATCH = 200


@dataclass
class Sent:
    sent: int = 0
    failed: int = 0
    skipped: int = 0  # taken by another worker meanwhile, or not due

    def as_dict(self) -> dict[str, int]:
        return {"sent": self.sent, "failed": self.failed, "skipped": self.skipped}


def send_due(ids: list[int] | None = None, now: datetime | None = None, limit: int = BATCH) -> Sent:
    """Send the due deliveries (among ``ids`` when given); returns how many went and failed."""
    now = now or timezone.now()
    rows = Delivery.objects.filter(next_attempt_at__lte=now).exclude(status=DeliveryStatus.SENT)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    found = Sent()
    for delivery in rows.select_related("dossier").order_by("next_attempt_at", "pk")[:limit]:
        if not _claim(delivery, now):
            found.skipped += 1
            continue
        try:
            CHANNELS[delivery.channel](delivery)
        except Exception as error:  # any backend failure is the delivery's, never the caller's
            logger.warning("Delivery %s to %s failed: %s", delivery.pk, delivery.channel, error)
            Delivery.objects.filter(pk=delivery.pk).update(
                status=DeliveryStatus.FAILED, last_error=f"{type(error).__name__}: {error}"[:2000]
            )
            found.failed += 1
        else:
            Delivery.objects.filter(pk=delivery.pk).update(
                status=DeliveryStatus.SENT, sent_at=timezone.now(), next_attempt_at=None
            )
            found.sent += 1
    return found


def _claim(delivery: Delivery, now: datetime) -> bool:
    attempts = delivery.attempts + 1
    delay = rules.retry_delay(attempts)
    claimed = (
        Delivery.objects.filter(pk=delivery.pk, attempts=delivery.attempts, next_attempt_at__lte=now)
        .exclude(status=DeliveryStatus.SENT)
        .update(attempts=F("attempts") + 1, next_attempt_at=now + delay if delay else None)
    )
    delivery.attempts = attempts
    return claimed == 1


def next_retry() -> datetime | None:
    """When the earliest failed delivery is to be tried again."""
    row = Delivery.objects.filter(status=DeliveryStatus.FAILED, next_attempt_at__isnull=False)
    return row.order_by("next_attempt_at").values_list("next_attempt_at", flat=True).first()


def send_by_sms(delivery: Delivery) -> None:
    send_sms(delivery.recipient, delivery.body)


def send_by_email(delivery: Delivery) -> None:
    message = EmailMessage(delivery.subject, delivery.body, None, [delivery.recipient])
    if delivery.event == rules.Event.RECEIPT and delivery.dossier is not None:
        attachment = receipt_pdf(delivery.dossier)
        if attachment is not None:
            message.attach(*attachment)
    message.send()


class _PublicSite:
    """Stands for a request where the printed forms need absolute addresses (the receipt's QR)."""

    def build_absolute_uri(self, path: str) -> str:
        return f"{settings.MOTCUA_PUBLIC_URL.rstrip('/')}{path}"


def receipt_pdf(dossier) -> tuple[str, bytes, str] | None:
    """The receipt (form 01) as an attachment; the e-mail goes without it if it cannot be made."""
    from motcua.dossiers import documents

    try:
        return documents.filename("01", dossier), documents.render_pdf("01", dossier, _PublicSite()), "application/pdf"
    except Exception:
        logger.exception("Receipt of dossier %s not rendered; the e-mail goes without it", dossier.pk)
        return None


# The senders by channel. A Zalo Official Account adapter would be one more channel here.
CHANNELS = {rules.Channel.SMS.value: send_by_sms, rules.Channel.EMAIL.value: send_by_email}
