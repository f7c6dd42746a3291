"""Intake at the one-stop desk (or online): receive a dossier with its scans and decide at once,
accept one waiting at intake, refuse it, ask for a supplement, resume it when the supplement is in."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from motcua.catalog.competence import deciding_units
from motcua.catalog.models import Procedure
from motcua.catalog.services import current_process
from motcua.core import counters
from motcua.core.errors import Problems
from motcua.core.messages import Message as _
from motcua.people.models import User
from motcua.units.models import Unit
from motcua.workdays import rules as time_rules
from motcua.workdays import services as workdays
from motcua.workdays.rules import VIETNAM

from . import journal, rules
from .access import check, is_desk
from .components import (
    ComponentInput,
    is_digitized,
    is_reused,
    missing_required,
    new_components,
    update_components,
)
from .files import attach_file
from .models import Dossier, DossierComponent, DossierCounter, DossierFee
from .rules import Action, Channel, InvalidInput, NotPermitted, Status, TransitionError, require_text
from .steps import (
    close_step,
    current_template_step,
    first_order,
    is_late_for_supplement,
    open_step,
    rule_set_of,
    template_steps,
)

SECRET_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed from paper


def new_secret() -> str:
    """Eight characters from a 32-letter alphabet: 40 random bits, uniform since 256 is a multiple of 32."""
    return "".join(SECRET_ALPHABET[b & 31] for b in secrets.token_bytes(8))


@dataclass(frozen=True)
class Applicant:
    name: str
    id_number: str = ""
    id_kind: str = "personal"
    phone: str = ""
    email: str = ""
    address: str = ""
    address_unit: Unit | None = None


@dataclass(frozen=True)
class Intake:
    procedure: Procedure
    receiving_unit: Unit
    processing_unit: Unit
    channel: Channel
    applicant: Applicant
    components: list[ComponentInput] = field(default_factory=list)
    fees_paid: bool = False
    paid_online: bool = False  # the fees were paid through the online payment gateway
    # The scans handed in with the dossier: (document order, file), attached as the desk or the applicant.
    scans: list[tuple[int, object]] = field(default_factory=list)


def receive(actor: User | None, intake: Intake, decision: Action, reasons: str = "", at: datetime | None = None):
    """Record a dossier brought to the desk (or submitted online) with its scans, and the desk's
    decision, in one transaction: a refused scan undoes the whole intake, its code included.

    ``decision`` is ACCEPT, REQUEST_SUPPLEMENT (listing everything missing at once), REFUSE, or
    SUBMIT for an online submission waiting in the desk's queue.
    """
    at = at or timezone.now()
    documents = list(intake.procedure.components.all())
    _validate(intake, documents, decision, reasons, at)
    if decision is Action.SUBMIT:
        if intake.channel is not Channel.ONLINE:
            raise InvalidInput(_("Only online dossiers arrive as submitted; at the desk, decide at once."))
    elif not is_desk(actor, intake.receiving_unit):
        raise NotPermitted(_("Only a desk officer of the receiving unit can receive dossiers there."))
    with transaction.atomic():
        dossier = Dossier(
            secret=new_secret(),
            procedure=intake.procedure,
            province=intake.receiving_unit.province or intake.receiving_unit,
            receiving_unit=intake.receiving_unit,
            processing_unit=intake.processing_unit,
            address_unit=intake.applicant.address_unit,
            channel=intake.channel,
            applicant_name=intake.applicant.name.strip(),
            applicant_id_kind=intake.applicant.id_kind,
            applicant_id=intake.applicant.id_number.strip(),
            applicant_phone=intake.applicant.phone.strip(),
            applicant_email=intake.applicant.email.strip(),
            applicant_address=intake.applicant.address.strip(),
            applicant_user=actor if decision is Action.SUBMIT and actor and actor.is_authenticated else None,
            status=Status.SUBMITTED,
            submitted_at=at,
            rule_set=rules.rule_set_on(at.astimezone(VIETNAM).date()).name,
        )
        components = new_components(intake.components, documents, intake.channel)
        # The row is inserted once, by the first event, with everything that event sets.
        if decision is Action.ACCEPT:
            accept_now(dossier, actor, at, new=True, fees_paid=intake.fees_paid, paid_online=intake.paid_online,
                       components=components)  # fmt: skip
        else:
            status = {
                Action.SUBMIT: Status.SUBMITTED,
                Action.REQUEST_SUPPLEMENT: Status.WAITING_SUPPLEMENT,
                Action.REFUSE: Status.REFUSED,
            }[decision]
            changes = {} if decision is Action.SUBMIT else {"reasons": reasons}
            if decision is Action.SUBMIT:  # the applicant's reference at once, before the desk decides
                changes["code"] = next_code(intake.receiving_unit, at.astimezone(VIETNAM).date())
            journal.record(dossier, decision, actor, at, to_status=status, note=reasons, new=True, changes=changes)
        for component in components:
            component.dossier = dossier
        DossierComponent.objects.bulk_create(components)
        for order, scan in intake.scans:
            attach_file(actor, dossier, order, scan, at=at)
    return dossier


def accept(
    actor: User,
    dossier: Dossier,
    *,
    components: list[ComponentInput] | None = None,
    fees_paid=False,
    paid_online=False,
    processing_unit: Unit | None = None,
    at: datetime | None = None,
    version: int | None = None,
) -> Dossier:
    """Accept a dossier waiting at intake (submitted online, or back with the supplement asked),
    routed to ``processing_unit`` or, failing that, to a unit that may decide its procedure."""
    at = at or timezone.now()
    with journal.locked(dossier, version) as dossier:
        check(actor, dossier, Action.ACCEPT)
        route = _route(dossier.procedure, dossier.receiving_unit, processing_unit, dossier.processing_unit, at)
        if components is not None:
            update_components(dossier, components)
        missing = missing_required(dossier)
        if missing:
            raise InvalidInput(
                _("Required documents are missing: %(names)s. Ask for a supplement instead.")
                % {"names": "; ".join(missing)}
            )
        accept_now(dossier, actor, at, fees_paid=fees_paid, paid_online=paid_online, processing_unit=route)
    return dossier


def refuse(actor: User, dossier: Dossier, reasons: str, at: datetime | None = None, version: int | None = None):
    at = at or timezone.now()
    require_text(reasons, _("Give the reasons for the refusal."))
    with journal.locked(dossier, version) as dossier:
        check(actor, dossier, Action.REFUSE)
        journal.record(
            dossier, Action.REFUSE, actor, at, to_status=Status.REFUSED, note=reasons, changes={"reasons": reasons}
        )
    return dossier


def request_supplement(
    actor: User, dossier: Dossier, reasons: str, at: datetime | None = None, version: int | None = None
) -> Dossier:
    """Ask for everything missing at once (form 02). After receipt, only within the window."""
    at = at or timezone.now()
    require_text(reasons, _("List the documents to supplement and why."))
    with journal.locked(dossier, version) as dossier:
        check(actor, dossier, Action.REQUEST_SUPPLEMENT)
        changes = {"reasons": reasons}
        if dossier.received_at is not None:
            if is_late_for_supplement(dossier, at):
                raise TransitionError(
                    _("A supplement must be asked within %(days)s working days of receipt; that time has passed.")
                    % {"days": rule_set_of(dossier).supplement_window_hours / 8}
                )
            changes.update(supplement_count=dossier.supplement_count + 1, supplement_started_at=at)
            close_step(dossier, actor, at)
        journal.record(
            dossier,
            Action.REQUEST_SUPPLEMENT,
            actor,
            at,
            to_status=Status.WAITING_SUPPLEMENT,
            note=reasons,
            changes=changes,
        )
    return dossier


def resume(
    actor: User,
    dossier: Dossier,
    *,
    components: list[ComponentInput] | None = None,
    note: str = "",
    at: datetime | None = None,
    version: int | None = None,
) -> Dossier:
    """The supplement came back complete: the clock restarts (or resumes, by the rule set)."""
    at = at or timezone.now()
    with journal.locked(dossier, version) as dossier:
        check(actor, dossier, Action.RESUME)
        if components is not None:
            update_components(dossier, components)
        rule_set = rule_set_of(dossier)
        waited = int((at - dossier.supplement_started_at).total_seconds()) if dossier.supplement_started_at else 0
        if rule_set.supplement_clock is rules.SupplementClock.RESTART:
            due = workdays.due_at(at, dossier.procedure.duration)
        else:
            due = workdays.add_working_time(
                dossier.due_at, workdays.working_time_between(dossier.supplement_started_at, at)
            )
        step = current_template_step(dossier)
        back_to = Status.ACCEPTED if step is None or step.order == first_order(dossier) else Status.PROCESSING
        journal.record(
            dossier,
            Action.RESUME,
            actor,
            at,
            to_status=back_to,
            note=note,
            changes={
                "due_at": due,
                "appointment_at": due,
                "supplement_started_at": None,
                "supplement_seconds": dossier.supplement_seconds + max(waited, 0),
                "digitized": is_digitized(dossier.components.all()),
                "reused": is_reused(dossier.components.all()),
            },
        )
        if step is not None:
            open_step(dossier, step, at)
    return dossier


def accept_now(
    dossier: Dossier,
    actor,
    at: datetime,
    new: bool = False,
    fees_paid: bool = False,
    paid_online: bool = False,
    components: list[DossierComponent] | None = None,
    processing_unit: Unit | None = None,
) -> None:
    """Accept at the desk: the code (unless it has one), the due time, the process and its first
    step, the fees, and the processing unit when it changes.

    ``components`` are the new dossier's documents, not yet stored, when it is accepted on arrival.
    """
    day = at.astimezone(VIETNAM).date()
    calendar = workdays.calendar_for(at)
    due = time_rules.due_at(calendar, at, dossier.procedure.duration)
    dossier.process = current_process(dossier.procedure, day)
    steps = template_steps(dossier)
    if components is None:
        if dossier.channel == Channel.ONLINE:
            dossier.components.filter(provided=True).update(digitized=True)
        components = list(dossier.components.all())
    fees = list(dossier.procedure.fees.all())
    paid_online = bool(fees_paid and paid_online and fees)
    routed = {}
    if processing_unit is not None and processing_unit.pk != dossier.processing_unit_id:
        dossier.processing_unit = processing_unit  # the first step opens there
        routed = {"processing_unit_id": processing_unit.pk}
    journal.record(
        dossier,
        Action.ACCEPT,
        actor,
        at,
        to_status=Status.ACCEPTED,
        new=new,
        changes={
            **routed,
            "code": dossier.code or next_code(dossier.receiving_unit, day),
            "received_at": at,
            "due_at": due,
            "appointment_at": due,
            "current_step": steps[0].order if steps else None,
            "digitized": is_digitized(components),
            "reused": is_reused(components),
            "fee_bearing": any(fee.amount > 0 for fee in fees),
            "paid_online": paid_online,
        },
    )
    DossierFee.objects.bulk_create(
        DossierFee(
            dossier=dossier,
            name=fee.name,
            amount=fee.amount,
            paid_at=at if fees_paid else None,
            paid_online=paid_online,
        )
        for fee in fees
    )
    if steps:
        open_step(dossier, steps[0], at, calendar=calendar)


def next_code(unit: Unit, day: date) -> str:
    """``<unit id>-YYMMDD-NNNN``: the receiving unit's identifier, the day, and the next number of
    the day at that unit. The counter row is locked until the caller's transaction ends, so
    concurrent intakes queue and a rolled-back one gives its number back: no gaps, no repeats."""
    number = counters.next_number(DossierCounter, unit=unit.pk, day=day)
    return f"{unit.electronic_id or unit.code}-{day:%y%m%d}-{number:04d}"


def _route(procedure, desk: Unit, chosen: Unit | None, current: Unit, at: datetime) -> Unit:
    """The unit an accepted dossier goes to: the one chosen, if it may decide the procedure; the
    one it was sent to, if that may; else the first that may."""
    allowed = deciding_units(procedure, desk, at.astimezone(VIETNAM).date())
    if chosen is not None:
        if chosen not in allowed:
            raise InvalidInput(_cannot_decide(chosen, procedure, allowed))
        return chosen
    return current if current in allowed else allowed[0]


def _cannot_decide(unit: Unit, procedure, allowed: list[Unit]):
    return _("%(unit)s cannot decide procedure %(code)s; route it to %(units)s.") % {
        "unit": unit.name,
        "code": procedure.code,
        "units": "; ".join(u.name for u in allowed),
    }


def check_id_number(kind: str, number: str) -> list:
    number = (number or "").strip()
    if kind == "personal":
        if number and (len(number) != 12 or not number.isdigit()):
            return [_("A personal identification number has 12 digits.")]
    elif kind != "other":
        return [_("Unknown kind of identity document.")]
    return []


def _validate(intake: Intake, documents: list, decision: Action, reasons: str, at: datetime) -> None:
    """Every problem of the intake at once, each against the form field it is about."""
    problems = []
    day = at.astimezone(VIETNAM).date()
    if decision not in (Action.SUBMIT, Action.ACCEPT, Action.REQUEST_SUPPLEMENT, Action.REFUSE):
        problems.append(("decision", _("Unknown decision.")))
    if not intake.procedure.is_active:
        problems.append(("", _("The procedure %(code)s is no longer in force.") % {"code": intake.procedure.code}))
    for name, unit in (("receiving_unit", intake.receiving_unit), ("processing_unit", intake.processing_unit)):
        if not unit.is_valid_on(day):
            problems.append((name, _("The unit %(unit)s is not in force on %(day)s.") % {"unit": unit, "day": day}))
    allowed = deciding_units(intake.procedure, intake.receiving_unit, day)
    if intake.processing_unit not in allowed:
        problems.append(("processing_unit", _cannot_decide(intake.processing_unit, intake.procedure, allowed)))
    if not intake.applicant.name.strip():
        problems.append(("applicant_name", _("Enter the applicant's name.")))
    problems += [("applicant_id", m) for m in check_id_number(intake.applicant.id_kind, intake.applicant.id_number)]
    known = {c.order for c in documents}
    for item in intake.components:
        if item.order not in known:
            problems.append(("documents", _("No document number %(order)s in this procedure.") % {"order": item.order}))
    if decision in (Action.REQUEST_SUPPLEMENT, Action.REFUSE) and not reasons.strip():
        problems.append(("reasons", _("Give the reasons (what is missing, or why the dossier is refused).")))
    if decision is Action.ACCEPT:
        given = {c.order for c in intake.components if c.provided}
        missing = [c.name for c in documents if c.required and c.order not in given]
        if missing:
            problems.append(
                (
                    "documents",
                    _("Required documents are missing: %(names)s. Ask for a supplement instead.")
                    % {"names": "; ".join(missing)},
                )
            )
    if problems:
        raise InvalidInput(Problems(problems))
