"""Where a dossier stands in its procedure's internal process, and the clock's rules it follows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from motcua.catalog.models import StepRole
from motcua.people.models import User
from motcua.workdays import rules as time_rules
from motcua.workdays import services as workdays
from motcua.workdays.rules import VIETNAM

from . import duties, rules
from .journal import is_user
from .models import Dossier, DossierStep
from .rules import Action, Status

# A process template's steps never change once a dossier follows it (a changed process is a new
# version), so they are kept per process and version.
_steps_cache: dict[tuple, list] = {}


def template_steps(dossier: Dossier) -> list:
    """The steps of the internal process the dossier follows."""
    if dossier.process_id is None:
        return []
    process = dossier.process
    key = (process.pk, process.procedure_id, process.version)
    if key not in _steps_cache:
        if len(_steps_cache) > 5000:
            _steps_cache.clear()
        _steps_cache[key] = list(process.steps.all())
    return _steps_cache[key]


def first_order(dossier: Dossier) -> int | None:
    steps = template_steps(dossier)
    return steps[0].order if steps else None


def current_template_step(dossier: Dossier):
    return next((s for s in template_steps(dossier) if s.order == dossier.current_step), None)


def current_role(dossier: Dossier) -> str | None:
    step = current_template_step(dossier)
    return step.role if step else None


def next_step(dossier: Dossier):
    return next(
        (s for s in template_steps(dossier) if dossier.current_step is not None and s.order > dossier.current_step),
        None,
    )


@dataclass(frozen=True)
class Progress:
    """Where the applicant's dossier is: the office holding it now and the step of the procedure's
    process it stands at (``step`` of ``steps``, 1-based; 0 before the desk accepts it)."""

    holder: object | None  # the Unit holding the dossier, None once it has left the offices
    step: int
    steps: int
    title: str = ""


OPEN = (Status.ACCEPTED, Status.PROCESSING, Status.WAITING_SUPPLEMENT, Status.WAITING_PAYMENT)


def progress(dossier: Dossier) -> Progress:
    """The office holding the dossier and its step, as the applicant is shown them.

    Submitted online and not yet accepted: the desk holds it, no step begun. Open: the unit of the
    current step (the desk for a desk step, else the processing agency), step N of M. Result
    ready: the desk holds the result, every step done. Returned: every step done, no office holds
    it. Refused, withdrawn or stopped: no office, no step.
    """
    steps = template_steps(dossier)
    count = len(steps)
    status = Status(dossier.status)
    if status == Status.SUBMITTED:
        return Progress(dossier.receiving_unit, 0, count)
    if status in OPEN:
        orders = [s.order for s in steps]
        if dossier.current_step not in orders:
            return Progress(dossier.processing_unit, 0, count)
        step = steps[orders.index(dossier.current_step)]
        holder = dossier.receiving_unit if step.role == StepRole.DESK else dossier.processing_unit
        return Progress(holder, orders.index(dossier.current_step) + 1, count, step.title)
    if status == Status.RESULT_READY:
        return Progress(dossier.receiving_unit, count, count)
    if status == Status.RETURNED:
        return Progress(None, count, count)
    return Progress(None, 0, 0)


def open_step(dossier: Dossier, step, at: datetime, assignee: User | None = None, calendar=None) -> DossierStep:
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


def close_step(dossier: Dossier, actor, at: datetime) -> None:
    DossierStep.objects.filter(dossier=dossier, finished_at__isnull=True).update(
        finished_at=at, finished_by=actor if is_user(actor) else None
    )


def state_of(dossier: Dossier) -> rules.State:
    """The dossier as the transition rules see it."""
    open_consultations = dossier.consultations.filter(answered_at__isnull=True).count() if dossier.pk else 0
    return rules.State(
        status=Status(dossier.status),
        received=dossier.received_at is not None,
        apology_count=dossier.apology_count,
        supplement_count=dossier.supplement_count,
        rated=bool(dossier.rating),
        has_next_step=next_step(dossier) is not None,
        open_consultations=open_consultations,
    )


def previous_step(dossier: Dossier):
    """The step before the current one (where the leader returns the dossier), or None."""
    current = dossier.current_step
    earlier = [s for s in template_steps(dossier) if current is not None and s.order < current]
    return earlier[-1] if earlier else None


# The events that make or undo the leader's decision: going back to an earlier step undoes it.
_DECISION_EVENTS = (Action.LEADER_APPROVE, Action.LEADER_REFUSE, Action.LEADER_RETURN, Action.SEND_BACK)


def leader_decision(dossier: Dossier) -> tuple[duties.Decision | None, str]:
    """The leader's decision in force, with its reasons: the last one made since the dossier last
    went back to an earlier step (read from the history)."""
    if dossier.pk is None or dossier.process_id is None:
        return None, ""
    last = (
        dossier.events.filter(action__in=[a.value for a in _DECISION_EVENTS])
        .order_by("-seq")
        .values_list("action", "note")
        .first()
    )
    if last is None or last[0] not in (Action.LEADER_APPROVE, Action.LEADER_REFUSE):
        return None, ""
    decision = duties.Decision.APPROVED if last[0] == Action.LEADER_APPROVE else duties.Decision.REFUSED
    return decision, last[1]


def place_of(dossier: Dossier) -> duties.Place:
    """The dossier as the step duties see it."""
    step = current_template_step(dossier)
    role = step.role if step is not None else None
    deciding = role in duties.DECISION_STEPS
    return duties.Place(
        state=state_of(dossier),
        step_role=role,
        first_step=previous_step(dossier) is None,
        decision=leader_decision(dossier)[0] if deciding else None,
    )


def rule_set_of(dossier: Dossier) -> rules.RuleSet:
    """The rule set in force when the dossier was received (or submitted)."""
    day = (dossier.received_at or dossier.submitted_at).astimezone(VIETNAM).date()
    return rules.rule_set_on(day, rules.SupplementClock(settings.MOTCUA_SUPPLEMENT_CLOCK))


def is_late_for_supplement(dossier: Dossier, at: datetime | None = None) -> bool:
    if dossier.received_at is None:
        return False
    hours = workdays.working_hours_between(dossier.received_at, at or timezone.now())
    return not rules.supplement_in_time(hours, rule_set_of(dossier))


def urgency(dossier: Dossier, now: datetime) -> str | None:
    """How the inbox colours an open dossier: overdue, due within one working day, or fine."""
    if dossier.due_at is None or dossier.finished_at is not None:
        return None
    if dossier.due_at < now:
        return "overdue"
    return "soon" if workdays.working_hours_between(now, dossier.due_at) <= 8 else "fine"
