"""The one writer: every change to a dossier locks its row, appends an event and applies it to the
row in one transaction, and tells every registered projection (``projections.py``) in that same
transaction. ``replay`` rebuilds a row from its events; ``differences`` says where they disagree."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal

from django.db import transaction

from motcua.core.messages import Message as _
from motcua.units.models import Unit

from . import projections
from .models import Dossier, DossierEvent
from .rules import Action, InvalidInput, Status, TransitionError

# The row fields an event can set, which replaying the events must give back.
ROW_FIELDS = (
    "status",
    "received_at",
    "due_at",
    "appointment_at",
    "finished_at",
    "outcome",
    "returned_at",
    "return_method",
    "tracking_number",
    "current_step",
    "assignee_id",
    "processing_unit_id",
    "supplement_count",
    "supplement_started_at",
    "supplement_seconds",
    "apology_count",
    "digitized",
    "reused",
    "fee_bearing",
    "paid_online",
    "code",
    "result_number",
    "result_electronic",
    "reasons",
    "rating",
    "rating_comment",
    "migrated",
)
INTAKE_FIELDS = ("procedure_id", "receiving_unit_id", "processing_unit_id", "channel")
DATETIME_FIELDS = {"received_at", "due_at", "appointment_at", "finished_at", "returned_at", "supplement_started_at"}


@contextmanager
def locked(dossier: Dossier, version: int | None):
    """Lock the dossier row for the action (and refuse a form opened on an older version)."""
    if getattr(dossier, "archived", False):
        raise TransitionError(_("This dossier is archived: it can be read, not changed."))
    with transaction.atomic():
        row = Dossier.objects.select_for_update(of=("self",)).select_related("procedure", "process").get(pk=dossier.pk)
        if version is not None and row.version != version:
            raise TransitionError(_("Someone else changed this dossier meanwhile. Reload the page and try again."))
        yield row


def record(
    dossier: Dossier,
    action: Action,
    actor,
    at: datetime,
    *,
    to_status: Status | None = None,
    note: str = "",
    step: int | None = None,
    unit: Unit | None = None,
    changes: dict | None = None,
    internal: bool = False,
    new: bool = False,
) -> DossierEvent:
    """Append the event and apply it to the row, in the caller's transaction; then every
    projection learns of it, in the same transaction."""
    from_status = None if new else dossier.status
    to_status = Status(to_status if to_status is not None else dossier.status)
    before = None if new else projections.snapshot(dossier)
    if before is not None:
        check_time_order(dossier, at)
    if new:  # the first event also says what was asked of whom, so that replaying it rebuilds the row
        changes = {**{name: getattr(dossier, name) for name in INTAKE_FIELDS}, **(changes or {})}
    stored = {name: _json(value) for name, value in (changes or {}).items()}
    for name, value in (changes or {}).items():
        setattr(dossier, name, value)
    dossier.status = to_status
    dossier.version += 1
    projections.changing(dossier, before, at)
    dossier.save()
    event = DossierEvent.objects.create(
        dossier=dossier,
        seq=dossier.version,
        action=action.value,
        actor=actor if is_user(actor) else None,
        actor_name=str(actor) if is_user(actor) else "",
        at=at,
        from_status=from_status,
        to_status=to_status,
        step=step if step is not None else dossier.current_step,
        unit=unit,
        note=note,
        changes=stored,
        internal=internal,
    )
    projections.recorded(dossier, before, at)
    return event


def check_time_order(dossier: Dossier, at: datetime) -> None:
    """A dossier's history runs forward: an action cannot be dated before the one it follows (a
    migrated history ends with its receipt or its finish)."""
    last = dossier.events.order_by("-seq").values_list("action", "at").first()
    if last is None:
        return
    previous = last[1]
    if last[0] == Action.MIGRATE:
        previous = max(moment for moment in (dossier.received_at, dossier.finished_at) if moment)
    if at < previous:
        raise InvalidInput(_("An action cannot be dated before the dossier's previous action."))


def replay(events) -> dict:
    """The row fields the events set, applied in order."""
    row: dict = {}
    for event in events:
        row["status"] = event.to_status
        for name, value in event.changes.items():
            row[name] = datetime.fromisoformat(value) if name in DATETIME_FIELDS and value else value
    return row


def differences(dossier: Dossier) -> dict[str, tuple]:
    """Fields where the row disagrees with its events (empty when all is well)."""
    rebuilt = replay(dossier.events.order_by("seq"))
    found = {}
    for name in ROW_FIELDS:
        if name in rebuilt and getattr(dossier, name) != rebuilt[name]:
            found[name] = (getattr(dossier, name), rebuilt[name])
    return found


def is_user(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def _json(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
