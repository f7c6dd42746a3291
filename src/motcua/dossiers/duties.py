"""Who acts at which step: the actions a dossier's place in its internal process, the user's roles
on it and its status allow. Pure: no ORM, no clock.

Each step of a process version names a role (``StepRole``); whoever holds that role on the dossier
moves it on from that step: forwards it, sends it back, asks for a supplement or a fee, consults,
transfers, and, at the last step, issues the result. At a signing step the leader decides instead
of forwarding: approve, return to the previous step, or refuse; the result issued afterwards
follows that decision. The desk's own acts (accept, resume, stop, withdraw, hand over) and the
leader's assignment do not depend on the step.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from motcua.catalog.models import StepRole
from motcua.core.errors import NotPermitted, Refused, TransitionError
from motcua.core.messages import Message as _

from . import rules
from .rules import Action


class Hat(enum.StrEnum):
    """What a user is to one dossier, from the roles they hold on its units."""

    DESK = "desk"  # desk officer over the receiving unit
    OFFICER = "officer"  # processing officer over the processing unit
    LEADER = "leader"  # unit leader over the processing unit
    ASSIGNEE = "assignee"  # the dossier is assigned to the user
    APPLICANT = "applicant"  # the user's own dossier


class Decision(enum.StrEnum):
    """The leader's decision at a signing step, standing until the dossier goes back."""

    APPROVED = "approved"
    REFUSED = "refused"


@dataclass(frozen=True)
class Place:
    """Where the dossier stands: its state, the role of its current step, whether an earlier step
    exists and the leader's decision in force (None before one or after going back)."""

    state: rules.State
    step_role: str | None = None  # None: the dossier follows no internal process
    first_step: bool = False
    decision: Decision | None = None


# Who holds each step's work. Without a process, the processing agency's people act as before.
HOLDERS: dict[str | None, frozenset[Hat]] = {
    StepRole.DESK: frozenset({Hat.DESK, Hat.ASSIGNEE}),
    StepRole.LEADER: frozenset({Hat.LEADER}),
    StepRole.REVIEWER: frozenset({Hat.LEADER}),
    StepRole.SIGNER: frozenset({Hat.LEADER}),
    StepRole.PROCESSOR: frozenset({Hat.OFFICER, Hat.ASSIGNEE}),
    StepRole.CLERK: frozenset({Hat.OFFICER, Hat.ASSIGNEE}),
    StepRole.PARTNER: frozenset({Hat.OFFICER, Hat.LEADER, Hat.ASSIGNEE}),
    None: frozenset({Hat.OFFICER, Hat.LEADER, Hat.ASSIGNEE}),
}
# The steps where the leader decides instead of forwarding.
DECISION_STEPS = frozenset({StepRole.SIGNER})

DECISIONS = (Action.LEADER_APPROVE, Action.LEADER_RETURN, Action.LEADER_REFUSE)
# Done by whoever holds the current step.
STEP_ACTIONS = frozenset(
    {
        Action.FORWARD,
        Action.SEND_BACK,
        Action.REQUEST_SUPPLEMENT,
        Action.CONSULT,
        Action.TRANSFER,
        Action.REQUEST_PAYMENT,
        Action.ISSUE_RESULT,
        *DECISIONS,
    }
)
# What the desk does at its own step (check, digitize, route): move it on, ask for a supplement, route
# it to another agency or level, or settle it there when the process ends at the desk.
DESK_STEP_ACTIONS = frozenset({Action.FORWARD, Action.REQUEST_SUPPLEMENT, Action.TRANSFER, Action.ISSUE_RESULT})
# Not bound to the step: who may, whatever the step.
FIXED: dict[Action, frozenset[Hat]] = {
    Action.ACCEPT: frozenset({Hat.DESK}),
    Action.REFUSE: frozenset({Hat.DESK}),
    Action.RESUME: frozenset({Hat.DESK}),
    Action.HAND_OVER: frozenset({Hat.DESK}),
    Action.STOP: frozenset({Hat.DESK}),
    Action.WITHDRAW: frozenset({Hat.DESK, Hat.APPLICANT}),
    Action.ASSIGN: frozenset({Hat.LEADER}),
    Action.APOLOGIZE: frozenset({Hat.OFFICER, Hat.LEADER, Hat.ASSIGNEE}),
    Action.RECORD_PAYMENT: frozenset({Hat.DESK, Hat.OFFICER, Hat.LEADER, Hat.ASSIGNEE}),
}
# The actions of the officials' dossier page, in the order it shows them.
PAGE_ACTIONS = (
    Action.ACCEPT,
    Action.REFUSE,
    Action.RESUME,
    *DECISIONS,
    Action.ASSIGN,
    Action.FORWARD,
    Action.ISSUE_RESULT,
    Action.SEND_BACK,
    Action.REQUEST_SUPPLEMENT,
    Action.CONSULT,
    Action.TRANSFER,
    Action.REQUEST_PAYMENT,
    Action.RECORD_PAYMENT,
    Action.APOLOGIZE,
    Action.HAND_OVER,
    Action.STOP,
    Action.WITHDRAW,
)


def holders(action: Action, place: Place) -> frozenset[Hat]:
    """Who may do ``action`` at this place (before any rule of the step itself)."""
    if not place.state.received:  # the decisions of intake belong to the desk (a withdrawal, the applicant's too)
        if action in (Action.ASSIGN, Action.APOLOGIZE, Action.RECORD_PAYMENT):
            return frozenset()  # none before the dossier is received
        return FIXED.get(action, frozenset({Hat.DESK}))
    if action in FIXED:
        return FIXED[action]
    if action in STEP_ACTIONS:
        if place.step_role == StepRole.DESK and action not in DESK_STEP_ACTIONS:
            return frozenset()
        return HOLDERS.get(place.step_role, HOLDERS[None])
    return frozenset()


def refusal(action: Action, place: Place, hats: frozenset[Hat], rule_set: rules.RuleSet | None = None):
    """Why ``action`` is refused to a user wearing ``hats`` at ``place`` (None: allowed).

    The status first (409), then the user's roles for the step (403), then what the step itself
    allows (409)."""
    try:
        rules.check(action, place.state, rule_set)
    except Refused as error:
        return error
    if not hats & holders(action, place):
        role = place.step_role if action in STEP_ACTIONS and place.state.received else None
        if role is not None:
            return NotPermitted(
                _("At this step (%(role)s) only its holder may act: your roles do not cover this action.")
                % {"role": StepRole(role).label}
            )
        return NotPermitted(_("Your roles do not cover this dossier for this action."))
    message = _step_refusal(action, place)
    return TransitionError(message) if message is not None else None


def _step_refusal(action: Action, place: Place):
    if not place.state.received or action not in STEP_ACTIONS:
        return None
    deciding = place.step_role in DECISION_STEPS
    last = not place.state.has_next_step
    if action in DECISIONS:
        if not deciding:
            return _("Only at a signing step does the leader approve, return or refuse.")
        if place.decision is not None:
            return _("The leader has already decided at this step.")
        if action is Action.LEADER_RETURN and place.first_step:
            return _("There is no earlier step to return the dossier to.")
        return None
    if deciding and action in (Action.FORWARD, Action.SEND_BACK):
        return _("At the signing step the leader approves, returns or refuses the dossier.")
    if action is Action.SEND_BACK and place.first_step:
        return _("There is no earlier step to return the dossier to.")
    if action is Action.ISSUE_RESULT:
        if place.step_role is not None and not last:
            return _("The result is issued at the last step of the process.")
        if deciding and place.decision is None:
            return _("The leader decides first: approve or refuse.")
    return None


def allowed_actions(place: Place, hats: frozenset[Hat], rule_set: rules.RuleSet | None = None) -> list[Action]:
    """The actions the page offers: those ``refusal`` lets through, in the page's order."""
    return [action for action in PAGE_ACTIONS if refusal(action, place, hats, rule_set) is None]


def result_refusal(decision: Decision | None, approved: bool):
    """A result must follow the leader's decision when there is one."""
    if decision is Decision.APPROVED and not approved:
        return TransitionError(_("The leader approved this dossier: issue the result as approved."))
    if decision is Decision.REFUSED and approved:
        return TransitionError(_("The leader refused this request: issue the refusal."))
    return None
