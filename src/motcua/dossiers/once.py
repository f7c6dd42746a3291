"""The desk's intake form, sent once and never lost: a one-time key per form, and the scans the
form accepted kept against that key until the dossier is received.

A form carries a random key. The first request with it makes the dossier and records the key
with the dossier's id in the same transaction (the key is unique in the database, so of two
requests at once the second waits for the first and then finds its dossier). A refused form
keeps the scans it accepted: they are held against the key and go to the dossier on intake.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import replace
from datetime import datetime, timedelta

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.core.errors import InvalidInput
from motcua.core.messages import Message as _
from motcua.core.uploads import check_upload
from motcua.people.models import User

from .intake import Intake, receive
from .models import Dossier, HeldScan, SubmissionKey
from .rules import Action

KEY = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
HOLD_FOR = timedelta(days=2)  # scans of a form left unsent are dropped after this


def new_key() -> str:
    return secrets.token_urlsafe(24)


def valid_key(text: str | None) -> str:
    """The key a form sent, or "" when it is not one of ours."""
    return text if text and KEY.match(text) else ""


def dossier_for_key(user: User, key: str) -> Dossier | None:
    """The dossier a form with ``key`` already made, if any."""
    if not key:
        return None
    found = SubmissionKey.objects.filter(key=key, user=user, dossier_id__isnull=False).first()
    return Dossier.objects.filter(pk=found.dossier_id).first() if found else None


def hold_scans(actor: User, key: str, uploads: list[tuple[int, object]], at: datetime | None = None) -> list:
    """Keep each scan that passes the check against the form's key; the refusals come back as
    (field name, message) pairs."""
    at = at or timezone.now()
    problems = []
    _drop_stale(at)
    for order, upload in uploads:
        try:
            content_type = check_upload(upload)
        except InvalidInput as error:
            problems.append((f"file_{order}", error.message))
            continue
        held = HeldScan(
            key=key,
            user=actor,
            order=order,
            original_name=upload.name[:255],
            content_type=content_type,
            size=upload.size,
            created_at=at,
        )
        held.file.save(upload.name, upload, save=False)
        held.save()
    return problems


def held_scans(actor: User, key: str) -> list[HeldScan]:
    return list(HeldScan.objects.filter(key=key, user=actor)) if key else []


def drop_held(actor: User, key: str, pk: int) -> HeldScan | None:
    """Remove one held scan (the desk confirmed it)."""
    held = HeldScan.objects.filter(key=key, user=actor, pk=pk).first()
    if held is not None:
        _release([held])
    return held


def receive_once(actor: User, key: str, intake: Intake, decision: Action, reasons: str = "") -> tuple[Dossier, bool]:
    """Receive the dossier with the scans held for the form, once per key: a repeated request
    gets the dossier the first one made, and ``False``."""
    held = held_scans(actor, key)
    try:
        with transaction.atomic():
            if key:
                record = SubmissionKey.objects.create(key=key, user=actor, created_at=timezone.now())
            files = [(h.order, File(h.file.open("rb"), name=h.original_name)) for h in held]
            try:
                dossier = receive(actor, replace(intake, scans=[*files, *intake.scans]), decision, reasons)
            finally:
                for _order, handle in files:
                    handle.close()
            if key:
                record.dossier_id = dossier.pk
                record.save(update_fields=["dossier_id"])
            transaction.on_commit(lambda: _release(held))
    except IntegrityError:
        if not key:
            raise
        existing = dossier_for_key(actor, key)
        if existing is None:
            raise InvalidInput(_("This form was already sent; open the intake page again.")) from None
        return existing, False
    return dossier, True


def _release(rows: list[HeldScan]) -> None:
    for held in rows:
        held.file.delete(save=False)
        held.delete()


def _drop_stale(at: datetime) -> None:
    _release(list(HeldScan.objects.filter(created_at__lt=at - HOLD_FOR)[:100]))
