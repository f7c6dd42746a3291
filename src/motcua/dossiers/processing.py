"""Processing in the agencies: assign, move along the internal process, send back, transfer to
another agency or level, consult in parallel, fees, and the apology letter with a new date."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from motcua.core.messages import Message as _
from motcua.people.models import User
from motcua.people.services import covers
from motcua.units.models import Unit, UnitKind
from motcua.workdays import services as workdays
from motcua.workdays.rules import VIETNAM

from . import journal, letters, rules
from .access import PROCESSING_ROLES, check, is_desk
from .models import Consultation, Dossier, DossierFee, DossierStep
from .rules import Action, InvalidInput, NotPermitted, Status, TransitionError, require_text
from .steps import close_step, current_template_step, next_step, open_step, state_of, template_steps


def assign(actor: User, dossier: Dossier, assignee: User, note: str = "", at=None, version=None) -> Dossier:
    at = at or timezone.now()
    with journal.locked(dossier, version) as dossier:
        check(actor, dossier, Action.ASSIGN)
        if not (
            covers(assignee, dossier.processing_unit, PROCESSING_ROLES) or is_desk(assignee, dossier.receiving_unit)
        ):
            raise InvalidInput(_("%(name)s does not work in the processing unit.") % {"name": assignee})
        journal.record(
            dossier,
            Action.ASSIGN,
            actor,
            at,
            note=note or str(assignee),
            changes={"assignee_id": assignee.pk},
            internal=True,
        )
        DossierStep.objects.filter(dossier=dossier, finished_at__isnull=True).update(assignee=assignee)
    return dossier


def forward(actor: User, dossier: Dossier, note: str = "", assignee: User | None = None, at=None, version=None):
    """Finish the current step and start the next one of the internal process."""
    at = at or timezone.now()
    with journal.locked(dossier, version) as dossier:
        check(actor, dossier, Action.FORWARD)
        step = next_step(dossier)
        close_step(dossier, actor, at)
        journal.record(
            dossier,
            Action.FORWARD,
            actor,
            at,
            to_status=Status.PROCESSING,
            note=note,
            step=step.order,
            changes={"current_step": step.order, "assignee_id": assignee.pk if assignee else None},
        )
        open_step(dossier, step, at, assignee)
    return dossier


def send_back(actor: User, dossier: Dossier, to_step: int, note: str, at=None, version=None) -> Dossier:
    at = at or timezone.now()
    require_text(note, _("Say why the dossier goes back."))
    with journal.locked(dossier, version) as dossier:
        check(actor, dossier, Action.SEND_BACK)
        step = next((s for s in template_steps(dossier) if s.order == to_step), None)
        if step is None or dossier.current_step is None or to_step >= dossier.current_step:
            raise InvalidInput(_("Choose an earlier step of the process."))
        back_to(dossier, step, Action.SEND_BACK, actor, at, note)
    return dossier


def back_to(dossier: Dossier, step, action: Action, actor: User, at, note: str) -> None:
    """Within the dossier's lock: close the current step and open an earlier one, unassigned, the
    move recorded as ``action`` with why."""
    close_step(dossier, actor, at)
    changes = {"current_step": step.order, "assignee_id": None}
    journal.record(dossier, action, actor, at, note=note, step=step.order, changes=changes)
    open_step(dossier, step, at)


def transfer(actor: User, dossier: Dossier, unit: Unit, note: str, at=None, version=None) -> Dossier:
    """Hand the dossier to another agency or level, which processes it from here (liên thông)."""
    at = at or timezone.now()
    require_text(note, _("Say what the other agency is to do."))
    with journal.locked(dossier, version) as dossier:
        check(actor, dossier, Action.TRANSFER)
        if unit.pk == dossier.processing_unit_id or not unit.is_valid_on(at.astimezone(VIETNAM).date()):
            raise InvalidInput(_("Choose another unit in force today."))
        if (unit.province_id or unit.pk) != dossier.province_id or unit.kind == UnitKind.SERVICE_CENTER:
            raise InvalidInput(_("A dossier goes only to an authority or agency of the same province."))
        close_step(dossier, actor, at)
        journal.record(
            dossier,
            Action.TRANSFER,
            actor,
            at,
            to_status=Status.PROCESSING,
            note=note,
            unit=unit,
            changes={"processing_unit_id": unit.pk, "assignee_id": None},
        )
        step = current_template_step(dossier)
        if step is not None:
            open_step(dossier, step, at)
    return dossier


def transfer_targets(dossier: Dossier, day: date) -> list[Unit]:
    """Where a dossier can be sent on (liên thông): the authorities and agencies of its processing
    unit's level, the level above (up to the province) and the communes below, in force on ``day``."""
    unit = dossier.processing_unit
    level = unit if unit.kind != UnitKind.AGENCY else (unit.parent or unit)
    anchors = [level] + ([level.parent] if level.parent_id else [])
    units = Unit.objects.valid_on(day).exclude(kind=UnitKind.SERVICE_CENTER).exclude(pk=unit.pk)
    chosen = Q(pk__in=[a.pk for a in anchors]) | Q(parent=level)
    if level.parent_id:
        chosen |= Q(parent=level.parent, kind=UnitKind.AGENCY)
    return list(units.filter(chosen).order_by("path"))


def consult(actor: User, dossier: Dossier, units: list[Unit], task: str, hours: Decimal, at=None, version=None):
    """Ask other agencies, in parallel, for their part; each answers by its own deadline."""
    at = at or timezone.now()
    require_text(task, _("Say what the other agencies are asked to do."))
    if not units:
        raise InvalidInput(_("Choose at least one agency to consult."))
    if Decimal(hours) <= 0:
        raise InvalidInput(_("Give the consulted agencies a time in working hours."))
    with journal.locked(dossier, version) as dossier:
        check(actor, dossier, Action.CONSULT)
        due = workdays.add_working_hours(at, hours)
        for unit in units:
            Consultation.objects.create(dossier=dossier, unit=unit, task=task, asked_at=at, due_at=due)
        names = ", ".join(u.name for u in units)
        journal.record(dossier, Action.CONSULT, actor, at, note=f"{names}: {task}", internal=True)
    return dossier


def answer_consultation(actor: User, consultation: Consultation, answer: str, at=None) -> Consultation:
    at = at or timezone.now()
    require_text(answer, _("Write the answer."))
    with journal.locked(consultation.dossier, None) as dossier:
        consultation.refresh_from_db()
        if consultation.answered_at is not None:
            raise TransitionError(_("This consultation has already been answered."))
        if not covers(actor, consultation.unit, PROCESSING_ROLES):
            raise NotPermitted(_("Only the consulted agency can answer."))
        rules.check(Action.ANSWER_CONSULTATION, state_of(dossier))
        consultation.answered_at, consultation.answer = at, answer
        consultation.save(update_fields=["answered_at", "answer"])
        journal.record(
            dossier, Action.ANSWER_CONSULTATION, actor, at, note=answer, unit=consultation.unit, internal=True
        )
    return consultation


def request_payment(actor: User, dossier: Dossier, fees: list[tuple[str, int]], note="", at=None, version=None):
    at = at or timezone.now()
    if not fees or any(amount <= 0 or not name.strip() for name, amount in fees):
        raise InvalidInput(_("List each fee with its name and a positive amount."))
    with journal.locked(dossier, version) as dossier:
        check(actor, dossier, Action.REQUEST_PAYMENT)
        for name, amount in fees:
            DossierFee.objects.create(dossier=dossier, name=name.strip(), amount=amount)
        total = sum(amount for _name, amount in fees)
        journal.record(
            dossier,
            Action.REQUEST_PAYMENT,
            actor,
            at,
            to_status=Status.WAITING_PAYMENT,
            changes={"fee_bearing": True},
            note=note or f"{total:,} đ".replace(",", "."),
        )
    return dossier


def record_payment(actor: User, dossier: Dossier, online: bool = False, at=None, version=None) -> Dossier:
    at = at or timezone.now()
    with journal.locked(dossier, version) as dossier:
        check(actor, dossier, Action.RECORD_PAYMENT)
        dossier.fees.filter(paid_at__isnull=True).update(paid_at=at, paid_online=online)
        changes = {"paid_online": True} if online else None
        journal.record(dossier, Action.RECORD_PAYMENT, actor, at, to_status=Status.PROCESSING, changes=changes)
    return dossier


def apologize(actor: User, dossier: Dossier, new_appointment: datetime, reason: str, at=None, version=None):
    """The apology letter with a new date (form 04). Lateness is still judged on the legal due time."""
    at = at or timezone.now()
    require_text(reason, _("Give the reason for the delay."))
    with journal.locked(dossier, version) as dossier:
        check(actor, dossier, Action.APOLOGIZE)
        appointment = dossier.appointment_at or dossier.due_at
        if appointment is None or at >= appointment:
            raise TransitionError(_("An apology must be sent before the appointment date."))
        if new_appointment <= appointment:
            raise InvalidInput(_("The new date must come after the current appointment."))
        event = journal.record(
            dossier,
            Action.APOLOGIZE,
            actor,
            at,
            note=reason,
            changes={"appointment_at": new_appointment, "apology_count": dossier.apology_count + 1},
        )
        letters.issue(dossier, event, "04")  # numbered and signed by the processing unit's head
    return dossier
