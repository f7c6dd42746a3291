"""The public face of the dossiers app: every change to a dossier goes through one of these
functions, each in one transaction, each appending an event that the row is then read from."""

from __future__ import annotations

import secrets
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.catalog.models import Procedure, StepRole
from motcua.catalog.services import current_process
from motcua.core.messages import Message as _
from motcua.people.models import Role, User
from motcua.people.services import covers, units_in_scope
from motcua.units.models import Unit, UnitKind
from motcua.workdays import rules as time_rules
from motcua.workdays import services as workdays
from motcua.workdays.rules import VIETNAM

from . import partitions, rules, signals
from .models import (
    Consultation,
    Dossier,
    DossierComponent,
    DossierEvent,
    DossierFee,
    DossierFile,
    DossierStep,
)
from .rules import Action, Channel, DossierError, InvalidInput, NotPermitted, Status, TransitionError
from .signals import report_fields

SECRET_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed from paper


def new_secret() -> str:
    """Eight characters from a 32-letter alphabet: 40 random bits, uniform since 256 is a multiple of 32."""
    return "".join(SECRET_ALPHABET[b & 31] for b in secrets.token_bytes(8))


OFFICIAL_ROLES = (Role.DESK_OFFICER, Role.PROCESSING_OFFICER, Role.UNIT_LEADER, Role.ADMINISTRATOR, Role.REFORM_STAFF)
PROCESSING_ROLES = (Role.PROCESSING_OFFICER, Role.UNIT_LEADER)


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
class ComponentInput:
    order: int
    provided: bool = True
    digitized: bool = False
    reused: bool = False
    note: str = ""


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


# ---------------------------------------------------------------------------------------------
# Reading


def visible_dossiers(user: User) -> QuerySet[Dossier]:
    """The dossiers a user may see: officials within their units, citizens their own."""
    if not user.is_authenticated:
        return Dossier.objects.none()
    scope = units_in_scope(user, OFFICIAL_ROLES)
    return Dossier.objects.filter(
        Q(receiving_unit__in=scope)
        | Q(processing_unit__in=scope)
        | Q(consultations__unit__in=scope)
        | Q(assignee=user)
        | Q(applicant_user=user)
    ).distinct()


def dossier_for(user: User, reference: str | int) -> Dossier | None:
    """A dossier by code or id, only if the user may see it (None otherwise: no hint it exists)."""
    queryset = visible_dossiers(user)
    text = str(reference)
    queryset = queryset.select_related("procedure", "receiving_unit", "processing_unit")
    if text.isascii() and text.isdigit() and len(text) <= 18:  # an id (within 64 bits) or a numeric code
        found = queryset.filter(pk=int(text)).first()
        if found is not None:
            return found
    return partitions.by_code(queryset, text)


def lookup(code: str, secret: str) -> Dossier | None:
    """A citizen's lookup by the code and the secret printed on the receipt."""
    code, secret = (code or "").strip(), (secret or "").strip().upper()
    if not code or not secret:
        return None
    dossier = partitions.by_code(Dossier.objects.select_related("procedure", "receiving_unit"), code)
    if dossier is None and partitions.archived_years():
        from .archive import archived_dossier  # the archive reads the models; imported when needed

        dossier = archived_dossier(code)
    if dossier is None or not secrets.compare_digest(dossier.secret, secret):
        return None
    return dossier


def timeline(dossier: Dossier, public_only: bool = False) -> list:
    """The dossier's events in order (read from the archive for a dossier of an archived year)."""
    if getattr(dossier, "archived", False):
        return [e for e in dossier.archived_events if not (public_only and e.internal)]
    events = dossier.events.order_by("seq")
    return list(events.filter(internal=False) if public_only else events)


def state_of(dossier: Dossier) -> rules.State:
    open_consultations = dossier.consultations.filter(answered_at__isnull=True).count() if dossier.pk else 0
    return rules.State(
        status=Status(dossier.status),
        received=dossier.received_at is not None,
        apology_count=dossier.apology_count,
        supplement_count=dossier.supplement_count,
        rated=bool(dossier.rating),
        has_next_step=_next_step(dossier) is not None,
        open_consultations=open_consultations,
    )


def available_actions(user: User, dossier: Dossier) -> list[Action]:
    """What ``user`` may do with ``dossier`` now: the buttons on its page."""
    state = state_of(dossier)
    actions = []
    for action in rules.ALLOWED_FROM:
        if action in (Action.RATE, Action.ANSWER_CONSULTATION, Action.UPLOAD, Action.SEND_SUPPLEMENT):
            continue
        if rules.allowed(action, state) and _may(user, dossier, action):
            actions.append(action)
    return actions


def urgency(dossier: Dossier, now: datetime) -> str | None:
    """How the inbox colours an open dossier: overdue, due within one working day, or fine."""
    if dossier.due_at is None or dossier.finished_at is not None:
        return None
    if dossier.due_at < now:
        return "overdue"
    return "soon" if workdays.working_hours_between(now, dossier.due_at) <= 8 else "fine"


def template_steps(dossier: Dossier) -> list:
    """The steps of the internal process the dossier follows."""
    return _template_steps(dossier)


def may_answer(user: User, consultation: Consultation) -> bool:
    return covers(user, consultation.unit, PROCESSING_ROLES)


def action_label(action: str) -> str:
    try:
        return str(rules.ACTION_LABELS[Action(action)])
    except ValueError:
        return action


def is_late_for_supplement(dossier: Dossier, at: datetime | None = None) -> bool:
    if dossier.received_at is None:
        return False
    hours = workdays.working_hours_between(dossier.received_at, at or timezone.now())
    return not rules.supplement_in_time(hours, _rule_set(dossier))


# ---------------------------------------------------------------------------------------------
# Intake


def receive(actor: User | None, intake: Intake, decision: Action, reasons: str = "", at: datetime | None = None):
    """Record a dossier brought to the desk (or submitted online) and the desk's decision.

    ``decision`` is ACCEPT, REQUEST_SUPPLEMENT (listing everything missing at once), REFUSE, or
    SUBMIT for an online submission waiting in the desk's queue.
    """
    at = at or timezone.now()
    documents = list(intake.procedure.components.all())
    _validate_intake(intake, documents, decision, reasons, at)
    if decision is Action.SUBMIT:
        if intake.channel is not Channel.ONLINE:
            raise InvalidInput(_("Only online dossiers arrive as submitted; at the desk, decide at once."))
    elif not _is_desk(actor, intake.receiving_unit):
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
        components = _new_components(intake, documents)
        # The row is inserted once, by the first event, with everything that event sets.
        if decision is Action.ACCEPT:
            _accept(dossier, actor, at, new=True, fees_paid=intake.fees_paid, paid_online=intake.paid_online,
                    components=components)  # fmt: skip
        else:
            status = {
                Action.SUBMIT: Status.SUBMITTED,
                Action.REQUEST_SUPPLEMENT: Status.WAITING_SUPPLEMENT,
                Action.REFUSE: Status.REFUSED,
            }[decision]
            changes = {} if decision is Action.SUBMIT else {"reasons": reasons}
            _record(dossier, decision, actor, at, to_status=status, note=reasons, new=True, changes=changes)
        for component in components:
            component.dossier = dossier
        DossierComponent.objects.bulk_create(components)
    return dossier


def accept(
    actor: User,
    dossier: Dossier,
    *,
    components: list[ComponentInput] | None = None,
    fees_paid=False,
    paid_online=False,
    at: datetime | None = None,
    version: int | None = None,
) -> Dossier:
    """Accept a dossier waiting at intake (submitted online, or back with the supplement asked)."""
    at = at or timezone.now()
    with _locked(dossier, version) as dossier:
        _check(actor, dossier, Action.ACCEPT)
        if components is not None:
            _update_components(dossier, components)
        missing = _missing_required(dossier)
        if missing:
            raise InvalidInput(
                _("Required documents are missing: %(names)s. Ask for a supplement instead.")
                % {"names": "; ".join(missing)}
            )
        _accept(dossier, actor, at, fees_paid=fees_paid, paid_online=paid_online)
    return dossier


def refuse(actor: User, dossier: Dossier, reasons: str, at: datetime | None = None, version: int | None = None):
    at = at or timezone.now()
    _require_text(reasons, _("Give the reasons for the refusal."))
    with _locked(dossier, version) as dossier:
        _check(actor, dossier, Action.REFUSE)
        _record(dossier, Action.REFUSE, actor, at, to_status=Status.REFUSED, note=reasons, changes={"reasons": reasons})
    return dossier


def request_supplement(
    actor: User, dossier: Dossier, reasons: str, at: datetime | None = None, version: int | None = None
) -> Dossier:
    """Ask for everything missing at once (form 02). After receipt, only within the window."""
    at = at or timezone.now()
    _require_text(reasons, _("List the documents to supplement and why."))
    with _locked(dossier, version) as dossier:
        _check(actor, dossier, Action.REQUEST_SUPPLEMENT)
        changes = {"reasons": reasons}
        if dossier.received_at is not None:
            if is_late_for_supplement(dossier, at):
                raise TransitionError(
                    _("A supplement must be asked within %(days)s working days of receipt; that time has passed.")
                    % {"days": _rule_set(dossier).supplement_window_hours / 8}
                )
            changes.update(supplement_count=dossier.supplement_count + 1, supplement_started_at=at)
            _close_step(dossier, actor, at)
        _record(
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
    with _locked(dossier, version) as dossier:
        _check(actor, dossier, Action.RESUME)
        if components is not None:
            _update_components(dossier, components)
        rule_set = _rule_set(dossier)
        waited = int((at - dossier.supplement_started_at).total_seconds()) if dossier.supplement_started_at else 0
        if rule_set.supplement_clock is rules.SupplementClock.RESTART:
            due = workdays.due_at(at, dossier.procedure.duration)
        else:
            due = workdays.add_working_time(
                dossier.due_at, workdays.working_time_between(dossier.supplement_started_at, at)
            )
        step = _current_template_step(dossier)
        back_to = Status.ACCEPTED if step is None or step.order == _first_order(dossier) else Status.PROCESSING
        _record(
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
                "digitized": _is_digitized(dossier.components.all()),
                "reused": _is_reused(dossier.components.all()),
            },
        )
        if step is not None:
            _open_step(dossier, step, at)
    return dossier


# ---------------------------------------------------------------------------------------------
# Processing


def assign(actor: User, dossier: Dossier, assignee: User, note: str = "", at=None, version=None) -> Dossier:
    at = at or timezone.now()
    with _locked(dossier, version) as dossier:
        _check(actor, dossier, Action.ASSIGN)
        if not (
            covers(assignee, dossier.processing_unit, PROCESSING_ROLES) or _is_desk(assignee, dossier.receiving_unit)
        ):
            raise InvalidInput(_("%(name)s does not work in the processing unit.") % {"name": assignee})
        _record(
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
    with _locked(dossier, version) as dossier:
        _check(actor, dossier, Action.FORWARD)
        step = _next_step(dossier)
        _close_step(dossier, actor, at)
        _record(
            dossier,
            Action.FORWARD,
            actor,
            at,
            to_status=Status.PROCESSING,
            note=note,
            step=step.order,
            changes={"current_step": step.order, "assignee_id": assignee.pk if assignee else None},
        )
        _open_step(dossier, step, at, assignee)
    return dossier


def send_back(actor: User, dossier: Dossier, to_step: int, note: str, at=None, version=None) -> Dossier:
    at = at or timezone.now()
    _require_text(note, _("Say why the dossier goes back."))
    with _locked(dossier, version) as dossier:
        _check(actor, dossier, Action.SEND_BACK)
        step = next((s for s in _template_steps(dossier) if s.order == to_step), None)
        if step is None or dossier.current_step is None or to_step >= dossier.current_step:
            raise InvalidInput(_("Choose an earlier step of the process."))
        _close_step(dossier, actor, at)
        _record(
            dossier,
            Action.SEND_BACK,
            actor,
            at,
            note=note,
            step=step.order,
            changes={"current_step": step.order, "assignee_id": None},
        )
        _open_step(dossier, step, at)
    return dossier


def transfer(actor: User, dossier: Dossier, unit: Unit, note: str, at=None, version=None) -> Dossier:
    """Hand the dossier to another agency or level, which processes it from here (liên thông)."""
    at = at or timezone.now()
    _require_text(note, _("Say what the other agency is to do."))
    with _locked(dossier, version) as dossier:
        _check(actor, dossier, Action.TRANSFER)
        if unit.pk == dossier.processing_unit_id or not unit.is_valid_on(at.astimezone(VIETNAM).date()):
            raise InvalidInput(_("Choose another unit in force today."))
        if (unit.province_id or unit.pk) != dossier.province_id or unit.kind == UnitKind.SERVICE_CENTER:
            raise InvalidInput(_("A dossier goes only to an authority or agency of the same province."))
        _close_step(dossier, actor, at)
        _record(
            dossier,
            Action.TRANSFER,
            actor,
            at,
            to_status=Status.PROCESSING,
            note=note,
            unit=unit,
            changes={"processing_unit_id": unit.pk, "assignee_id": None},
        )
        step = _current_template_step(dossier)
        if step is not None:
            _open_step(dossier, step, at)
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
    _require_text(task, _("Say what the other agencies are asked to do."))
    if not units:
        raise InvalidInput(_("Choose at least one agency to consult."))
    if Decimal(hours) <= 0:
        raise InvalidInput(_("Give the consulted agencies a time in working hours."))
    with _locked(dossier, version) as dossier:
        _check(actor, dossier, Action.CONSULT)
        due = workdays.add_working_hours(at, hours)
        for unit in units:
            Consultation.objects.create(dossier=dossier, unit=unit, task=task, asked_at=at, due_at=due)
        names = ", ".join(u.name for u in units)
        _record(dossier, Action.CONSULT, actor, at, note=f"{names}: {task}", internal=True)
    return dossier


def answer_consultation(actor: User, consultation: Consultation, answer: str, at=None) -> Consultation:
    at = at or timezone.now()
    _require_text(answer, _("Write the answer."))
    with _locked(consultation.dossier, None) as dossier:
        consultation.refresh_from_db()
        if consultation.answered_at is not None:
            raise TransitionError(_("This consultation has already been answered."))
        if not covers(actor, consultation.unit, PROCESSING_ROLES):
            raise NotPermitted(_("Only the consulted agency can answer."))
        rules.check(Action.ANSWER_CONSULTATION, state_of(dossier))
        consultation.answered_at, consultation.answer = at, answer
        consultation.save(update_fields=["answered_at", "answer"])
        _record(dossier, Action.ANSWER_CONSULTATION, actor, at, note=answer, unit=consultation.unit, internal=True)
    return consultation


def request_payment(actor: User, dossier: Dossier, fees: list[tuple[str, int]], note="", at=None, version=None):
    at = at or timezone.now()
    if not fees or any(amount <= 0 or not name.strip() for name, amount in fees):
        raise InvalidInput(_("List each fee with its name and a positive amount."))
    with _locked(dossier, version) as dossier:
        _check(actor, dossier, Action.REQUEST_PAYMENT)
        for name, amount in fees:
            DossierFee.objects.create(dossier=dossier, name=name.strip(), amount=amount)
        total = sum(amount for _name, amount in fees)
        _record(
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
    with _locked(dossier, version) as dossier:
        _check(actor, dossier, Action.RECORD_PAYMENT)
        dossier.fees.filter(paid_at__isnull=True).update(paid_at=at, paid_online=online)
        changes = {"paid_online": True} if online else None
        _record(dossier, Action.RECORD_PAYMENT, actor, at, to_status=Status.PROCESSING, changes=changes)
    return dossier


def apologize(actor: User, dossier: Dossier, new_appointment: datetime, reason: str, at=None, version=None):
    """The apology letter with a new date (form 04). Lateness is still judged on the legal due time."""
    at = at or timezone.now()
    _require_text(reason, _("Give the reason for the delay."))
    with _locked(dossier, version) as dossier:
        _check(actor, dossier, Action.APOLOGIZE)
        appointment = dossier.appointment_at or dossier.due_at
        if appointment is None or at >= appointment:
            raise TransitionError(_("An apology must be sent before the appointment date."))
        if new_appointment <= appointment:
            raise InvalidInput(_("The new date must come after the current appointment."))
        _record(
            dossier,
            Action.APOLOGIZE,
            actor,
            at,
            note=reason,
            changes={"appointment_at": new_appointment, "apology_count": dossier.apology_count + 1},
        )
    return dossier


def issue_result(
    actor: User,
    dossier: Dossier,
    *,
    approved: bool,
    result_number: str = "",
    electronic: bool = False,
    reasons: str = "",
    result_file=None,
    at=None,
    version=None,
) -> Dossier:
    """The dossier is settled: approved with a result document, or refused with reasons."""
    at = at or timezone.now()
    if not approved:
        _require_text(reasons, _("Give the reasons the request is refused."))
    with _locked(dossier, version) as dossier:
        _check(actor, dossier, Action.ISSUE_RESULT)
        _close_step(dossier, actor, at)
        if result_file is not None:
            dossier.result_file.save(result_file.name, result_file, save=False)
            dossier.save(update_fields=["result_file"])
        outcome = rules.Outcome.APPROVED if approved else rules.Outcome.REFUSED
        _record(
            dossier,
            Action.ISSUE_RESULT,
            actor,
            at,
            to_status=Status.RESULT_READY,
            note=reasons or result_number,
            changes={
                "finished_at": at,
                "outcome": outcome.value,
                "result_number": result_number,
                "result_electronic": electronic,
                "reasons": reasons or dossier.reasons,
            },
        )
    return dossier


def stop(actor: User, dossier: Dossier, reason: str, at=None, version=None) -> Dossier:
    """Stop processing at the applicant's request (form 05), possible until a result is issued."""
    return _end(actor, dossier, Action.STOP, Status.STOPPED, rules.Outcome.STOPPED, reason, at, version)


def withdraw(actor: User, dossier: Dossier, reason: str, at=None, version=None) -> Dossier:
    return _end(actor, dossier, Action.WITHDRAW, Status.WITHDRAWN, rules.Outcome.WITHDRAWN, reason, at, version)


def hand_over(
    actor: User,
    dossier: Dossier,
    method: rules.ReturnMethod,
    tracking_number: str = "",
    note: str = "",
    at=None,
    version=None,
) -> Dossier:
    """The desk hands the result over (in person, by post with a tracking number, or online)."""
    at = at or timezone.now()
    method = rules.ReturnMethod(method)
    if method is rules.ReturnMethod.POST and not tracking_number.strip():
        raise InvalidInput(_("Give the postal tracking number."))
    with _locked(dossier, version) as dossier:
        _check(actor, dossier, Action.HAND_OVER)
        _record(
            dossier,
            Action.HAND_OVER,
            actor,
            at,
            to_status=Status.RETURNED,
            note=note,
            changes={"returned_at": at, "return_method": method.value, "tracking_number": tracking_number.strip()},
        )
    return dossier


def rate(dossier: Dossier, rating: rules.Rating, comment: str = "", actor: User | None = None, at=None) -> Dossier:
    """The applicant's rating after return, given once (at the desk device, online or by the secret)."""
    at = at or timezone.now()
    rating = rules.Rating(rating)
    with _locked(dossier, None) as dossier:
        rules.check(Action.RATE, state_of(dossier))
        _record(
            dossier,
            Action.RATE,
            actor,
            at,
            note=comment,
            changes={"rating": rating.value, "rating_comment": comment.strip()},
        )
    return dossier


def attach_file(actor: User | None, dossier: Dossier, order: int, upload, at=None, holder: bool = False) -> DossierFile:
    """Attach a scan to a component; the component counts as digitized from then on.

    ``holder``: the caller checked the code and secret of the receipt, so the applicant may add
    documents without an account (answering a supplement request from the lookup page).
    """
    from .uploads import check_upload

    at = at or timezone.now()
    content_type = check_upload(upload)
    with _locked(dossier, None) as dossier:
        rules.check(Action.UPLOAD, state_of(dossier))
        if not (_is_desk(actor, dossier.receiving_unit) or _is_applicant(actor, dossier, holder)):
            raise NotPermitted(_("Only the desk or the applicant can add documents."))
        component = dossier.components.filter(order=order).first()
        if component is None:
            raise InvalidInput(_("No document number %(order)s in this dossier.") % {"order": order})
        stored = DossierFile(
            component=component,
            original_name=upload.name[:255],
            content_type=content_type,
            size=upload.size,
            uploaded_by=actor if actor and actor.is_authenticated else None,
        )
        stored.file.save(upload.name, upload, save=False)
        stored.save()
        component.provided = component.digitized = True
        component.save(update_fields=["provided", "digitized"])
        _record(
            dossier,
            Action.UPLOAD,
            actor,
            at,
            note=f"{component.name}: {upload.name}",
            internal=True,
            changes={"digitized": _is_digitized(dossier.components.all())},
        )
    return stored


def send_supplement(actor: User | None, dossier: Dossier, note: str = "", at=None, holder: bool = False) -> Dossier:
    """The applicant says the requested documents are sent (uploaded, or posted): the desk checks
    them and resumes the dossier (or accepts it, at intake). The clock stays stopped till then."""
    at = at or timezone.now()
    with _locked(dossier, None) as dossier:
        rules.check(Action.SEND_SUPPLEMENT, state_of(dossier))
        if not _is_applicant(actor, dossier, holder):
            raise NotPermitted(_("Only the applicant can send the supplement."))
        _record(dossier, Action.SEND_SUPPLEMENT, actor, at, note=note.strip())
    return dossier


def supplement_sent(dossier: Dossier) -> bool:
    """Whether the applicant has answered the latest supplement request."""
    return dossier.pk in supplements_sent([dossier.pk])


def supplements_sent(dossier_ids: list[int]) -> set[int]:
    """Of ``dossier_ids``, those whose applicant answered the latest supplement request online."""
    last: dict[int, str] = {}
    events = DossierEvent.objects.filter(
        dossier_id__in=dossier_ids, action__in=[Action.REQUEST_SUPPLEMENT, Action.SEND_SUPPLEMENT]
    )
    for dossier_id, action in events.order_by("dossier_id", "seq").values_list("dossier_id", "action"):
        last[dossier_id] = action
    return {pk for pk, action in last.items() if action == Action.SEND_SUPPLEMENT}


def _is_applicant(actor, dossier: Dossier, holder: bool) -> bool:
    return holder or (_is_user(actor) and dossier.applicant_user_id == actor.pk)


def may_read_files(user: User, dossier: Dossier) -> bool:
    return visible_dossiers(user).filter(pk=dossier.pk).exists()


# ---------------------------------------------------------------------------------------------
# Replay: the row is what its events say


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


# ---------------------------------------------------------------------------------------------
# Internals


@contextmanager
def _locked(dossier: Dossier, version: int | None):
    """Lock the dossier row for the action (and refuse a form opened on an older version)."""
    if getattr(dossier, "archived", False):
        raise TransitionError(_("This dossier is archived: it can be read, not changed."))
    with transaction.atomic():
        locked = (
            Dossier.objects.select_for_update(of=("self",)).select_related("procedure", "process").get(pk=dossier.pk)
        )
        if version is not None and locked.version != version:
            raise TransitionError(_("Someone else changed this dossier meanwhile. Reload the page and try again."))
        yield locked


def _record(
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
    """Append the event and apply it to the row, in the caller's transaction."""
    from_status = None if new else dossier.status
    to_status = Status(to_status if to_status is not None else dossier.status)
    before = None if new else report_fields(dossier)
    if before is not None:
        _check_time_order(dossier, at)
    if new:  # the first event also says what was asked of whom, so that replaying it rebuilds the row
        changes = {**{name: getattr(dossier, name) for name in INTAKE_FIELDS}, **(changes or {})}
    stored = {name: _json(value) for name, value in (changes or {}).items()}
    for name, value in (changes or {}).items():
        setattr(dossier, name, value)
    dossier.status = to_status
    dossier.version += 1
    if before is not None and before["received_at"] is not None and _reshaped(before, report_fields(dossier)):
        dossier.report_changed_at = at
    dossier.save()
    event = DossierEvent.objects.create(
        dossier=dossier,
        seq=dossier.version,
        action=action.value,
        actor=actor if _is_user(actor) else None,
        actor_name=str(actor) if _is_user(actor) else "",
        at=at,
        from_status=from_status,
        to_status=to_status,
        step=step if step is not None else dossier.current_step,
        unit=unit,
        note=note,
        changes=stored,
        internal=internal,
    )
    signals.recorded.send(sender=Dossier, dossier=dossier, before=before, at=at)
    return event


def _check_time_order(dossier: Dossier, at: datetime) -> None:
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


def _reshaped(before: dict, after: dict) -> bool:
    """Whether the change moves the dossier in the reports: another unit, due time or digitization,
    or into or out of waiting for a supplement."""
    waiting = Status.WAITING_SUPPLEMENT
    return any(before[name] != after[name] for name in ("processing_unit_id", "due_at", "digitized")) or (
        before["status"] == waiting
    ) != (after["status"] == waiting)


def _json(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _is_user(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def _accept(
    dossier: Dossier,
    actor,
    at: datetime,
    new: bool = False,
    fees_paid: bool = False,
    paid_online: bool = False,
    components: list[DossierComponent] | None = None,
) -> None:
    """Accept at the desk: the code, the due time, the process and its first step, the fees.

    ``components`` are the new dossier's documents, not yet stored, when it is accepted on arrival.
    """
    day = at.astimezone(VIETNAM).date()
    calendar = workdays.calendar_for(at)
    due = time_rules.due_at(calendar, at, dossier.procedure.duration)
    dossier.process = current_process(dossier.procedure, day)
    steps = _template_steps(dossier)
    if components is None:
        if dossier.channel == Channel.ONLINE:
            dossier.components.filter(provided=True).update(digitized=True)
        components = list(dossier.components.all())
    fees = list(dossier.procedure.fees.all())
    paid_online = bool(fees_paid and paid_online and fees)
    _record(
        dossier,
        Action.ACCEPT,
        actor,
        at,
        to_status=Status.ACCEPTED,
        new=new,
        changes={
            "code": next_code(dossier.receiving_unit, day),
            "received_at": at,
            "due_at": due,
            "appointment_at": due,
            "current_step": steps[0].order if steps else None,
            "digitized": _is_digitized(components),
            "reused": _is_reused(components),
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
        _open_step(dossier, steps[0], at, calendar=calendar)


def next_code(unit: Unit, day: date) -> str:
    """``<unit id>-YYMMDD-NNNN``: the receiving unit's identifier, the day, and the next number of
    the day at that unit. The counter row is locked until the caller's transaction ends, so
    concurrent intakes queue and a rolled-back one gives its number back: no gaps, no repeats."""
    table = "dossiers_dossiercounter"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (unit_id, day, last) VALUES (%s, %s, 1) "
            f"ON CONFLICT (unit_id, day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [unit.pk, connection.ops.adapt_datefield_value(day)],
        )
        number = cursor.fetchone()[0]
    return f"{unit.electronic_id or unit.code}-{day:%y%m%d}-{number:04d}"


def _end(actor, dossier, action, status, outcome, reason, at, version) -> Dossier:
    at = at or timezone.now()
    _require_text(reason, _("Give the applicant's request or the reason."))
    with _locked(dossier, version) as dossier:
        _check(actor, dossier, action)
        _close_step(dossier, actor, at)
        finished = at if dossier.received_at is not None else None
        _record(
            dossier,
            action,
            actor,
            at,
            to_status=status,
            note=reason,
            changes={"finished_at": finished, "outcome": outcome.value, "reasons": reason},
        )
    return dossier


def _check(actor, dossier: Dossier, action: Action) -> None:
    rules.check(action, state_of(dossier), _rule_set(dossier))
    if not _may(actor, dossier, action):
        raise NotPermitted(_("Your roles do not cover this dossier for this action."))


DESK_ACTIONS = {Action.ACCEPT, Action.REFUSE, Action.RESUME, Action.HAND_OVER, Action.STOP, Action.WITHDRAW}
LEADER_ACTIONS = {Action.ASSIGN}
# While the dossier is at the desk's own step (check, digitize, route), the desk moves it on.
DESK_STEP_ACTIONS = {Action.REQUEST_SUPPLEMENT, Action.FORWARD, Action.ISSUE_RESULT}


def _may(user, dossier: Dossier, action: Action) -> bool:
    if not _is_user(user):
        return False
    desk = _is_desk(user, dossier.receiving_unit)
    if action in DESK_ACTIONS:
        return desk or (action is Action.WITHDRAW and dossier.applicant_user_id == user.pk)
    if dossier.received_at is None:  # the decisions of intake belong to the desk
        return desk
    if action in LEADER_ACTIONS:
        return covers(user, dossier.processing_unit, [Role.UNIT_LEADER])
    desk_step = _current_role(dossier) == StepRole.DESK
    if desk and (action is Action.RECORD_PAYMENT or (desk_step and action in DESK_STEP_ACTIONS)):
        return True
    return dossier.assignee_id == user.pk or covers(user, dossier.processing_unit, PROCESSING_ROLES)


def _is_desk(user, unit: Unit) -> bool:
    return _is_user(user) and covers(user, unit, [Role.DESK_OFFICER])


def _rule_set(dossier: Dossier) -> rules.RuleSet:
    from django.conf import settings

    day = (dossier.received_at or dossier.submitted_at).astimezone(VIETNAM).date()
    return rules.rule_set_on(day, rules.SupplementClock(settings.MOTCUA_SUPPLEMENT_CLOCK))


# A process template's steps never change once a dossier follows it (a changed process is a new
# version), so they are kept per process and version.
_steps_cache: dict[tuple, list] = {}


def _template_steps(dossier: Dossier) -> list:
    if dossier.process_id is None:
        return []
    process = dossier.process
    key = (process.pk, process.procedure_id, process.version)
    if key not in _steps_cache:
        if len(_steps_cache) > 5000:
            _steps_cache.clear()
        _steps_cache[key] = list(process.steps.all())
    return _steps_cache[key]


def _first_order(dossier: Dossier) -> int | None:
    steps = _template_steps(dossier)
    return steps[0].order if steps else None


def _current_template_step(dossier: Dossier):
    return next((s for s in _template_steps(dossier) if s.order == dossier.current_step), None)


def _current_role(dossier: Dossier) -> str | None:
    step = _current_template_step(dossier)
    return step.role if step else None


def _next_step(dossier: Dossier):
    return next(
        (s for s in _template_steps(dossier) if dossier.current_step is not None and s.order > dossier.current_step),
        None,
    )


def _open_step(dossier: Dossier, step, at: datetime, assignee: User | None = None, calendar=None) -> DossierStep:
    calendar = calendar or workdays.calendar_for(at)
    unit = dossier.receiving_unit if step.role == StepRole.DESK else dossier.processing_unit
    return DossierStep.objects.create(
        dossier=dossier,
        order=step.order,
        title=step.title,
        role=step.role,
        unit=unit,
        hours=step.hours,
        started_at=at,
        due_at=time_rules.add_working_hours(calendar, at, step.hours),
        assignee=assignee,
    )


def _close_step(dossier: Dossier, actor, at: datetime) -> None:
    DossierStep.objects.filter(dossier=dossier, finished_at__isnull=True).update(
        finished_at=at, finished_by=actor if _is_user(actor) else None
    )


def _validate_intake(intake: Intake, documents: list, decision: Action, reasons: str, at: datetime) -> None:
    problems = []
    day = at.astimezone(VIETNAM).date()
    if decision not in (Action.SUBMIT, Action.ACCEPT, Action.REQUEST_SUPPLEMENT, Action.REFUSE):
        problems.append(_("Unknown decision."))
    if not intake.procedure.is_active:
        problems.append(_("The procedure %(code)s is no longer in force.") % {"code": intake.procedure.code})
    for unit in (intake.receiving_unit, intake.processing_unit):
        if not unit.is_valid_on(day):
            problems.append(_("The unit %(unit)s is not in force on %(day)s.") % {"unit": unit, "day": day})
    if not intake.applicant.name.strip():
        problems.append(_("Enter the applicant's name."))
    problems += check_id_number(intake.applicant.id_kind, intake.applicant.id_number)
    known = {c.order for c in documents}
    for item in intake.components:
        if item.order not in known:
            problems.append(_("No document number %(order)s in this procedure.") % {"order": item.order})
    if decision in (Action.REQUEST_SUPPLEMENT, Action.REFUSE) and not reasons.strip():
        problems.append(_("Give the reasons (what is missing, or why the dossier is refused)."))
    if decision is Action.ACCEPT:
        given = {c.order for c in intake.components if c.provided}
        missing = [c.name for c in documents if c.required and c.order not in given]
        if missing:
            problems.append(
                _("Required documents are missing: %(names)s. Ask for a supplement instead.")
                % {"names": "; ".join(missing)}
            )
    if problems:
        raise InvalidInput(_Problems(problems))


def check_id_number(kind: str, number: str) -> list:
    number = (number or "").strip()
    if kind == "personal":
        if number and (len(number) != 12 or not number.isdigit()):
            return [_("A personal identification number has 12 digits.")]
    elif kind != "other":
        return [_("Unknown kind of identity document.")]
    return []


class _Problems:
    """Several messages shown as one, each translated when shown."""

    def __init__(self, messages: list):
        self.messages = messages

    def __str__(self) -> str:
        return " ".join(str(m) for m in self.messages)


def _new_components(intake: Intake, documents: list) -> list[DossierComponent]:
    """The procedure's documents as handed in at intake (not yet stored: the dossier has no id)."""
    given = {c.order: c for c in intake.components}
    online = intake.channel is Channel.ONLINE
    rows = []
    for c in documents:
        item = given.get(c.order)
        rows.append(
            DossierComponent(
                component=c,
                order=c.order,
                name=c.name,
                required=c.required,
                provided=item.provided if item else False,
                digitized=(item.digitized or online) if item else False,
                reused=item.reused if item else False,
                note=item.note if item else "",
            )
        )
    return rows


def _update_components(dossier: Dossier, components: list[ComponentInput]) -> None:
    by_order = {c.order: c for c in dossier.components.all()}
    for item in components:
        row = by_order.get(item.order)
        if row is None:
            raise InvalidInput(_("No document number %(order)s in this dossier.") % {"order": item.order})
        row.provided, row.reused, row.note = item.provided, item.reused, item.note
        row.digitized = item.digitized or row.digitized or row.files.exists()
        row.save(update_fields=["provided", "digitized", "reused", "note"])


def _missing_required(dossier: Dossier) -> list[str]:
    return [c.name for c in dossier.components.all() if c.required and not c.provided]


def _is_digitized(components) -> bool:
    """Every document handed in was scanned, received electronically, or reused from data held."""
    provided = [c for c in components if c.provided]
    return bool(provided) and all(c.digitized or c.reused for c in provided)


def _is_reused(components) -> bool:
    """At least one document handed in was taken from data already held (the 766 index's reuse)."""
    return any(c.provided and c.reused for c in components)


def _require_text(text: str, message) -> None:
    if not (text or "").strip():
        raise InvalidInput(message)


__all__ = [
    "Applicant",
    "ComponentInput",
    "DossierError",
    "Intake",
    "accept",
    "answer_consultation",
    "apologize",
    "assign",
    "available_actions",
    "consult",
    "dossier_for",
    "forward",
    "hand_over",
    "issue_result",
    "lookup",
    "next_code",
    "rate",
    "receive",
    "record_payment",
    "refuse",
    "request_payment",
    "request_supplement",
    "resume",
    "send_back",
    "stop",
    "transfer",
    "visible_dossiers",
    "withdraw",
]
