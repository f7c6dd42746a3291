"""The dossier lifecycle on one screen: statuses, actions, which action is allowed from where,
and the rule set in force. Pure: no ORM, no clock.

Statuses carry the national exchange codes (TrangThaiHoSo). A dossier is "received" only once
accepted: before that it is submitted online (1), waiting for a supplement at intake (5 with no
receipt), or refused at intake (3).
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

# The refusals are the core's; the dossier code and its callers import them from here.
from motcua.core.errors import InvalidInput as InvalidInput
from motcua.core.errors import NotPermitted as NotPermitted
from motcua.core.errors import Refused, TransitionError
from motcua.core.messages import Message as _


class Channel(enum.IntEnum):
    IN_PERSON = 1
    ONLINE = 2
    POSTAL = 3


class Status(enum.IntEnum):
    SUBMITTED = 1  # submitted online, not yet accepted
    ACCEPTED = 2  # accepted at the desk, not yet routed to processing
    REFUSED = 3  # refused at intake
    PROCESSING = 4
    WAITING_SUPPLEMENT = 5
    WAITING_PAYMENT = 6
    WITHDRAWN = 7
    STOPPED = 8
    RESULT_READY = 9
    RETURNED = 10


class Outcome(enum.StrEnum):
    APPROVED = "approved"
    REFUSED = "refused"  # refused after processing (not eligible), with reasons
    STOPPED = "stopped"
    WITHDRAWN = "withdrawn"


class Action(enum.StrEnum):
    SUBMIT = "submit"  # an online submission arrives
    ACCEPT = "accept"
    REQUEST_SUPPLEMENT = "request_supplement"
    RESUME = "resume"  # the requested documents came back
    REFUSE = "refuse"  # refusal at intake
    ASSIGN = "assign"
    FORWARD = "forward"
    SEND_BACK = "send_back"  # back to an earlier step
    TRANSFER = "transfer"
    CONSULT = "consult"
    ANSWER_CONSULTATION = "answer_consultation"
    REQUEST_PAYMENT = "request_payment"
    RECORD_PAYMENT = "record_payment"
    APOLOGIZE = "apologize"
    ISSUE_RESULT = "issue_result"
    STOP = "stop"
    WITHDRAW = "withdraw"
    HAND_OVER = "hand_over"
    RATE = "rate"
    MIGRATE = "migrate"  # brought in from another system
    UPLOAD = "upload"  # components changed (files, flags)
    SEND_SUPPLEMENT = "send_supplement"  # the applicant sent the requested documents online
    # The leader's decision at a signing step (each its own event in the history).
    LEADER_APPROVE = "leader_approve"
    LEADER_RETURN = "leader_return"  # back to the previous step, with the reason
    LEADER_REFUSE = "leader_refuse"  # the request is to be refused, with the reasons


NOT_RECEIVED = frozenset({Status.SUBMITTED, Status.REFUSED})
OPEN = frozenset({Status.ACCEPTED, Status.PROCESSING, Status.WAITING_SUPPLEMENT, Status.WAITING_PAYMENT})
IN_PROCESS = frozenset({Status.ACCEPTED, Status.PROCESSING})

# Where each action may start from. The waiting-for-supplement status is split by whether the
# dossier was received: at intake it waits to be accepted, in processing it waits to resume.
ALLOWED_FROM: dict[Action, frozenset[Status]] = {
    Action.ACCEPT: frozenset({Status.SUBMITTED, Status.WAITING_SUPPLEMENT}),
    Action.REFUSE: frozenset({Status.SUBMITTED, Status.WAITING_SUPPLEMENT}),
    Action.REQUEST_SUPPLEMENT: frozenset({Status.SUBMITTED, Status.ACCEPTED, Status.PROCESSING}),
    Action.RESUME: frozenset({Status.WAITING_SUPPLEMENT}),
    Action.ASSIGN: IN_PROCESS,
    Action.FORWARD: IN_PROCESS,
    Action.SEND_BACK: frozenset({Status.PROCESSING}),
    Action.TRANSFER: IN_PROCESS,
    Action.CONSULT: frozenset({Status.PROCESSING}),
    Action.ANSWER_CONSULTATION: frozenset({Status.PROCESSING, Status.WAITING_PAYMENT}),
    Action.REQUEST_PAYMENT: frozenset({Status.PROCESSING}),
    Action.RECORD_PAYMENT: frozenset({Status.WAITING_PAYMENT}),
    Action.APOLOGIZE: OPEN,
    Action.ISSUE_RESULT: frozenset({Status.PROCESSING}),
    Action.STOP: OPEN,
    Action.WITHDRAW: OPEN | {Status.SUBMITTED},
    Action.HAND_OVER: frozenset({Status.RESULT_READY}),
    Action.RATE: frozenset({Status.RETURNED}),
    Action.UPLOAD: OPEN | {Status.SUBMITTED},
    Action.SEND_SUPPLEMENT: frozenset({Status.WAITING_SUPPLEMENT}),
    Action.LEADER_APPROVE: frozenset({Status.PROCESSING}),
    Action.LEADER_RETURN: frozenset({Status.PROCESSING}),
    Action.LEADER_REFUSE: frozenset({Status.PROCESSING}),
}


class ReturnMethod(enum.StrEnum):
    DESK = "desk"
    POST = "post"
    ONLINE = "online"


class Rating(enum.StrEnum):
    VERY_SATISFIED = "very_satisfied"
    SATISFIED = "satisfied"
    NOT_SATISFIED = "not_satisfied"


class SupplementClock(enum.StrEnum):
    RESTART = "restart"  # Decree 61 Art. 19.4: the period starts again from zero
    PAUSE = "pause"  # the national index's reading: the waiting time is added to the due time


@dataclass(frozen=True)
class RuleSet:
    """The rules a dossier is judged by, chosen by the day it was received."""

    name: str
    valid_from: date
    apology_limit: int | None  # how many times the appointment may be moved (None: no limit)
    supplement_clock: SupplementClock
    supplement_window_hours: Decimal  # a processing supplement must be asked within this of receipt
    # Whether finished dossiers are scored on the nine evaluation indices of Circular 01/2018.
    evaluation_indices: bool = False


RULE_SETS = (
    RuleSet("decree-61-2018", date(2018, 1, 1), 1, SupplementClock.RESTART, Decimal(24), evaluation_indices=True),
    # Decree 118/2025 keeps the apology and extension letter; whether "only once" survives is not
    # settled, so we keep the stricter reading until an official text says otherwise.
    RuleSet("decree-118-2025", date(2025, 7, 1), 1, SupplementClock.RESTART, Decimal(24)),
)


def rule_set_on(day: date, supplement_clock: SupplementClock | None = None) -> RuleSet:
    chosen = RULE_SETS[0]
    for rule_set in RULE_SETS:
        if rule_set.valid_from <= day:
            chosen = rule_set
    if supplement_clock is not None and supplement_clock != chosen.supplement_clock:
        chosen = dataclasses.replace(chosen, supplement_clock=supplement_clock)
    return chosen


DossierError = Refused


@dataclass(frozen=True)
class State:
    """What the rules look at: the dossier's status and a few counters."""

    status: Status
    received: bool
    apology_count: int = 0
    supplement_count: int = 0
    rated: bool = False
    has_next_step: bool = True
    open_consultations: int = 0


def allowed(action: Action, state: State) -> bool:
    try:
        check(action, state)
    except TransitionError:
        return False
    return True


def check(action: Action, state: State, rule_set: RuleSet | None = None) -> None:
    """Raise TransitionError when ``action`` is not allowed from ``state``."""
    starts = ALLOWED_FROM.get(action)
    if starts is not None and state.status not in starts:
        raise TransitionError(
            _("This action (%(action)s) is not allowed while the dossier is “%(status)s”.")
            % {"action": ACTION_LABELS[action], "status": STATUS_LABELS[state.status]}
        )
    if action in (Action.ACCEPT, Action.REFUSE) and state.received:
        raise TransitionError(_("The dossier has already been accepted."))
    if action is Action.RESUME and not state.received:
        raise TransitionError(_("At intake, accept the completed dossier instead of resuming it."))
    if action is Action.FORWARD and not state.has_next_step:
        raise TransitionError(_("This is the last step: issue the result instead."))
    if action is Action.ISSUE_RESULT and state.open_consultations:
        raise TransitionError(_("Some consulted agencies have not answered yet."))
    limit = rule_set.apology_limit if rule_set and action is Action.APOLOGIZE else None
    if limit is not None and state.apology_count >= limit:
        raise TransitionError(
            _("The appointment can be moved only %(limit)s time(s) under %(rules)s.")
            % {"limit": limit, "rules": rule_set.name}
        )
    if action is Action.RATE and state.rated:
        raise TransitionError(_("This dossier has already been rated."))


def finished_status(status: Status) -> bool:
    return status in (Status.RESULT_READY, Status.RETURNED, Status.STOPPED, Status.WITHDRAWN)


def supplement_in_time(hours_since_receipt: Decimal, rule_set: RuleSet) -> bool:
    """A supplement asked after receipt must come within the window (3 working days)."""
    return hours_since_receipt <= rule_set.supplement_window_hours


# Labels live here so messages and pages name statuses and actions the same way.
def _labels():
    from django.utils.translation import gettext_lazy as _

    status = {
        Status.SUBMITTED: _("Submitted online"),
        Status.ACCEPTED: _("Accepted"),
        Status.REFUSED: _("Refused at intake"),
        Status.PROCESSING: _("Processing"),
        Status.WAITING_SUPPLEMENT: _("Waiting for supplement"),
        Status.WAITING_PAYMENT: _("Waiting for payment"),
        Status.WITHDRAWN: _("Withdrawn"),
        Status.STOPPED: _("Stopped"),
        Status.RESULT_READY: _("Result ready"),
        Status.RETURNED: _("Returned"),
    }
    action = {
        Action.SUBMIT: _("submit online"),
        Action.ACCEPT: _("accept"),
        Action.REQUEST_SUPPLEMENT: _("request a supplement"),
        Action.RESUME: _("resume after supplement"),
        Action.REFUSE: _("refuse"),
        Action.ASSIGN: _("assign"),
        Action.FORWARD: _("forward to the next step"),
        Action.SEND_BACK: _("send back to an earlier step"),
        Action.TRANSFER: _("transfer to another agency"),
        Action.CONSULT: _("consult other agencies"),
        Action.ANSWER_CONSULTATION: _("answer a consultation"),
        Action.REQUEST_PAYMENT: _("ask for payment"),
        Action.RECORD_PAYMENT: _("record payment"),
        Action.APOLOGIZE: _("apologise and set a new date"),
        Action.ISSUE_RESULT: _("issue the result"),
        Action.STOP: _("stop at the applicant’s request"),
        Action.WITHDRAW: _("withdraw"),
        Action.HAND_OVER: _("hand over the result"),
        Action.RATE: _("rate"),
        Action.MIGRATE: _("migrated from another system"),
        Action.UPLOAD: _("update documents"),
        Action.SEND_SUPPLEMENT: _("send the supplement online"),
        Action.LEADER_APPROVE: _("Leader approved"),
        Action.LEADER_RETURN: _("Leader returned"),
        Action.LEADER_REFUSE: _("Leader refused"),
    }
    return status, action


STATUS_LABELS, ACTION_LABELS = _labels()


def require_text(text: str, message) -> None:
    """Refuse an action whose reason, note or answer is left empty."""
    if not (text or "").strip():
        raise InvalidInput(message)
