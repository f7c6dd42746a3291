"""The public face of notices to applicants.

    queue_for_dossier   the deliveries one dossier event calls for, written in the writer's
                        transaction and handed to the task queue once it commits (projections.py)
    feedback_answered   the same for an answered feedback (the portal calls it)
    send_due            send what is due now: new deliveries and failed ones whose retry time came
    preference_for / set_preference   a citizen's choice of channels and language
    lookup_url          the public lookup page's address for a dossier

A notice never undoes or holds up what caused it: the rows are written in a savepoint whose
failure is logged and swallowed, and sending happens after commit, in the worker.
"""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from datetime import datetime
from functools import partial
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from motcua.core.errors import InvalidInput
from motcua.core.messages import Message as _
from motcua.people.accounts import AccountError, parse_contact
from motcua.workdays.rules import VIETNAM

from . import rules
from .models import Delivery, DeliveryStatus, Preference, Template
from .sending import send_due

logger = logging.getLogger("motcua.notifications")
_held = threading.local()
SMS_TEXT_LIMIT = 300  # characters of reasons or an answer carried by SMS; the e-mail has them whole


def lookup_url(dossier) -> str:
    """The lookup page with the dossier's code filled in, on the portal's public address when
    configured. The secret is never in it: a notice is read on a lock screen, forwarded, kept in a
    phone's history, and a link in it is fetched by previews and logged by every server on the way;
    the applicant types the secret from the receipt into the page's form."""
    path = f"{reverse('lookup')}?{urlencode({'code': dossier.code})}"
    return f"{settings.MOTCUA_PUBLIC_URL.rstrip('/')}{path}"


def preference_for(user) -> Preference | None:
    if user is None or not getattr(user, "pk", None):
        return None
    return Preference.objects.filter(user_id=user.pk).first()


def set_preference(user, *, sms: bool, email: bool, language: str) -> Preference:
    if not (sms or email):
        raise InvalidInput(_("Choose at least one way to be told: SMS, e-mail or both."))
    if language not in dict(Preference._meta.get_field("language").choices):
        raise InvalidInput(_("Choose Vietnamese or English."))
    found, _created = Preference.objects.update_or_create(
        user=user, defaults={"sms": sms, "email": email, "language": language}
    )
    return found


@contextmanager
def held_back():
    """No notice for the dossier writes inside (made-up histories: the demo and the benchmarks)."""
    before = getattr(_held, "on", False)
    _held.on = True
    try:
        yield
    finally:
        _held.on = before


def queue_for_dossier(dossier, event: rules.Event, at: datetime) -> list[int]:
    """Write the deliveries of ``event`` (the dossier's latest event) and send them after commit.
    Never raises: a failure is logged and the dossier's change goes on without its notice."""
    if getattr(_held, "on", False):
        return []
    try:
        with transaction.atomic():
            ids = _write_for_dossier(dossier, event, at)
    except Exception:
        logger.exception("Notice %s for dossier %s not queued", event, dossier.pk)
        return []
    if ids:
        transaction.on_commit(partial(enqueue, ids), robust=True)
    return ids


def _write_for_dossier(dossier, event: rules.Event, at: datetime) -> list[int]:
    preference = Preference.objects.filter(user_id=dossier.applicant_user_id).first()
    chosen = preference.channels if preference else None
    language = preference.language if preference else settings.LANGUAGE_CODE
    channels = rules.channels_for(dossier.applicant_phone, dossier.applicant_email, chosen)
    if not channels:
        return []
    values = _dossier_values(dossier, event)
    contacts = {
        rules.Channel.SMS: dossier.applicant_phone.strip(),
        rules.Channel.EMAIL: dossier.applicant_email.strip(),
    }
    rows = [
        _delivery(event, channel, language, contacts[channel], values, dossier=dossier, seq=dossier.version)
        for channel in channels
    ]
    Delivery.objects.bulk_create([row for row in rows if row is not None], ignore_conflicts=True)
    return list(Delivery.objects.filter(dossier=dossier, seq=dossier.version).values_list("pk", flat=True))


def _dossier_values(dossier, event: rules.Event) -> dict[str, str]:
    values = {
        "code": dossier.code or "",
        "procedure": dossier.procedure.name,
        "applicant": dossier.applicant_name,
        "unit": dossier.receiving_unit.name,
        "processing_unit": dossier.processing_unit.name,
        "appointment": _moment(dossier.appointment_at),
        "lookup_url": lookup_url(dossier) if dossier.code else "",
        "reasons": dossier.reasons,
        "result": dossier.result_number,
        "tracking": dossier.tracking_number,
    }
    if event in (rules.Event.APOLOGY, rules.Event.TRANSFER):  # the reason is the event's note
        values["reasons"] = dossier.events.filter(seq=dossier.version).values_list("note", flat=True).first() or ""
    return values


def _moment(value: datetime | None) -> str:
    return f"{value.astimezone(VIETNAM):%H:%M %d/%m/%Y}" if value else ""


def _delivery(event, channel, language, recipient, values, **cause) -> Delivery | None:
    """The row to send, written now (the event's own time may lie in the past: an import, a late entry)."""
    template = _template(event, channel, language)
    if template is None:
        logger.error("No %s template for %s in %s or %s", channel, event, language, settings.LANGUAGE_CODE)
        return None
    if channel == rules.Channel.SMS:
        values = {
            **values,
            **{k: rules.shorten(values[k], SMS_TEXT_LIMIT) for k in ("reasons", "answer") if values.get(k)},
        }
    now = timezone.now()
    return Delivery(
        event=event,
        channel=channel,
        language=template.language,
        recipient=recipient,
        subject=rules.render(template.subject, values),
        body=rules.render(template.body, values),
        created_at=now,
        next_attempt_at=now,
        **cause,
    )


def _template(event, channel, language) -> Template | None:
    found = {t.language: t for t in Template.objects.filter(event=event, channel=channel)}
    return found.get(language) or found.get(settings.LANGUAGE_CODE)


def feedback_answered(code: str, contact: str, title: str, answer: str, unit: str, at: datetime) -> list[int]:
    """Tell the sender of feedback ``code`` its answer, at the contact they gave, after commit."""
    try:
        parsed = parse_contact(contact)
    except AccountError:
        logger.warning("Feedback %s: no usable contact", code)
        return []
    channel = rules.Channel.EMAIL if parsed.kind == "email" else rules.Channel.SMS
    values = {"feedback_code": code, "title": title, "answer": answer, "unit": unit}
    try:
        with transaction.atomic():
            row = _delivery(rules.Event.FEEDBACK, channel, settings.LANGUAGE_CODE, parsed.value, values,
                            feedback_code=code)  # fmt: skip
            if row is not None:
                Delivery.objects.bulk_create([row], ignore_conflicts=True)
            ids = list(
                Delivery.objects.filter(feedback_code=code, event=rules.Event.FEEDBACK).values_list("pk", flat=True)
            )
    except Exception:
        logger.exception("Notice for feedback %s not queued", code)
        return []
    if ids:
        transaction.on_commit(partial(enqueue, ids), robust=True)
    return ids


def enqueue(ids: list[int]) -> None:
    """Hand the deliveries to the worker; if the queue cannot take them, ``motcua notify`` will."""
    from .tasks import send_notices

    try:
        send_notices.enqueue(ids)
    except Exception:
        logger.exception("Deliveries %s not enqueued; the next `motcua notify` sends them", ids)


def log(dossier=None) -> list[Delivery]:
    rows = Delivery.objects.all()
    if dossier is not None:
        rows = rows.filter(dossier=dossier)
    return list(rows.order_by("created_at", "id"))


def summary(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    rows = Delivery.objects.all()
    return {
        "pending": rows.filter(status=DeliveryStatus.PENDING).count(),
        "sent": rows.filter(status=DeliveryStatus.SENT).count(),
        "failed": rows.filter(status=DeliveryStatus.FAILED, next_attempt_at__isnull=False).count(),
        "given_up": rows.filter(status=DeliveryStatus.FAILED, next_attempt_at__isnull=True).count(),
        "due": rows.filter(next_attempt_at__lte=now).count(),
    }


__all__ = [
    "enqueue",
    "feedback_answered",
    "held_back",
    "log",
    "lookup_url",
    "preference_for",
    "queue_for_dossier",
    "send_due",
    "set_preference",
    "summary",
]
