"""Who acts at which step: the exact actions each place in the process, role and status allow."""

import pytest

from motcua.catalog.models import StepRole
from motcua.core.errors import NotPermitted, TransitionError
from motcua.dossiers import duties
from motcua.dossiers.duties import Decision, Hat, Place
from motcua.dossiers.rules import Action, State, Status

A = Action
DESK, OFFICER, LEADER, ASSIGNEE, APPLICANT = Hat.DESK, Hat.OFFICER, Hat.LEADER, Hat.ASSIGNEE, Hat.APPLICANT


def place(status, role, *, first=False, last=False, decision=None, received=True, consultations=0):
    state = State(status=status, received=received, has_next_step=not last, open_consultations=consultations)
    return Place(state=state, step_role=role, first_step=first, decision=decision)


ACCEPTED_AT_DESK = place(Status.ACCEPTED, StepRole.DESK, first=True)
ASSIGNING = place(Status.PROCESSING, StepRole.LEADER)
PROCESSING = place(Status.PROCESSING, StepRole.PROCESSOR)
SIGNING = place(Status.PROCESSING, StepRole.SIGNER)
SIGNING_LAST = place(Status.PROCESSING, StepRole.SIGNER, last=True)
SIGNED_LAST = place(Status.PROCESSING, StepRole.SIGNER, last=True, decision=Decision.APPROVED)
ISSUING = place(Status.PROCESSING, StepRole.CLERK, last=True, decision=Decision.APPROVED)
DESK_ONLY = place(Status.PROCESSING, StepRole.DESK, first=True, last=True)
NO_PROCESS = place(Status.PROCESSING, None, first=True, last=True)
STEP_WORK = [A.REQUEST_SUPPLEMENT, A.CONSULT, A.TRANSFER, A.REQUEST_PAYMENT]
DECISIONS = [A.LEADER_APPROVE, A.LEADER_RETURN, A.LEADER_REFUSE]

TABLE = [
    # (place, the user's hats, exactly what the page offers)
    (ACCEPTED_AT_DESK, {DESK}, [A.FORWARD, A.REQUEST_SUPPLEMENT, A.TRANSFER, A.STOP, A.WITHDRAW]),
    (ACCEPTED_AT_DESK, {OFFICER}, [A.APOLOGIZE]),
    (ACCEPTED_AT_DESK, {LEADER}, [A.ASSIGN, A.APOLOGIZE]),
    (ASSIGNING, {LEADER}, [A.ASSIGN, A.FORWARD, A.SEND_BACK, *STEP_WORK, A.APOLOGIZE]),
    (ASSIGNING, {OFFICER}, [A.APOLOGIZE]),
    (ASSIGNING, {DESK}, [A.STOP, A.WITHDRAW]),
    (PROCESSING, {OFFICER}, [A.FORWARD, A.SEND_BACK, *STEP_WORK, A.APOLOGIZE]),
    (PROCESSING, {ASSIGNEE}, [A.FORWARD, A.SEND_BACK, *STEP_WORK, A.APOLOGIZE]),
    (PROCESSING, {LEADER}, [A.ASSIGN, A.APOLOGIZE]),
    (PROCESSING, {DESK, OFFICER}, [A.FORWARD, A.SEND_BACK, *STEP_WORK, A.APOLOGIZE, A.STOP, A.WITHDRAW]),
    # The signing step: the leader decides; nobody forwards or issues the result there.
    (SIGNING, {LEADER}, [*DECISIONS, A.ASSIGN, *STEP_WORK, A.APOLOGIZE]),
    (SIGNING, {OFFICER}, [A.APOLOGIZE]),
    (SIGNING, {OFFICER, ASSIGNEE}, [A.APOLOGIZE]),
    (SIGNING, {DESK}, [A.STOP, A.WITHDRAW]),
    (SIGNING_LAST, {LEADER}, [*DECISIONS, A.ASSIGN, *STEP_WORK, A.APOLOGIZE]),
    (SIGNED_LAST, {LEADER}, [A.ASSIGN, A.ISSUE_RESULT, *STEP_WORK, A.APOLOGIZE]),
    (SIGNED_LAST, {OFFICER}, [A.APOLOGIZE]),
    # The step that issues the result is the last one, its holder's.
    (ISSUING, {OFFICER}, [A.ISSUE_RESULT, A.SEND_BACK, *STEP_WORK, A.APOLOGIZE]),
    (ISSUING, {LEADER}, [A.ASSIGN, A.APOLOGIZE]),
    (ISSUING, {DESK}, [A.STOP, A.WITHDRAW]),
    (DESK_ONLY, {DESK}, [A.ISSUE_RESULT, A.REQUEST_SUPPLEMENT, A.TRANSFER, A.STOP, A.WITHDRAW]),
    (DESK_ONLY, {OFFICER}, [A.APOLOGIZE]),
    (NO_PROCESS, {OFFICER}, [A.ISSUE_RESULT, *STEP_WORK, A.APOLOGIZE]),
    (NO_PROCESS, {LEADER}, [A.ASSIGN, A.ISSUE_RESULT, *STEP_WORK, A.APOLOGIZE]),
    (
        place(Status.PROCESSING, StepRole.PROCESSOR, consultations=1),
        {OFFICER},
        [A.FORWARD, A.SEND_BACK, *STEP_WORK, A.APOLOGIZE],
    ),
    (
        place(Status.PROCESSING, StepRole.CLERK, last=True, consultations=1),
        {OFFICER},
        [A.SEND_BACK, *STEP_WORK, A.APOLOGIZE],
    ),
    (place(Status.WAITING_SUPPLEMENT, StepRole.PROCESSOR), {DESK}, [A.RESUME, A.STOP, A.WITHDRAW]),
    (place(Status.WAITING_SUPPLEMENT, StepRole.PROCESSOR), {OFFICER}, [A.APOLOGIZE]),
    (place(Status.WAITING_PAYMENT, StepRole.PROCESSOR), {DESK}, [A.RECORD_PAYMENT, A.STOP, A.WITHDRAW]),
    (place(Status.WAITING_PAYMENT, StepRole.PROCESSOR), {OFFICER}, [A.RECORD_PAYMENT, A.APOLOGIZE]),
    (place(Status.WAITING_PAYMENT, StepRole.SIGNER), {LEADER}, [A.RECORD_PAYMENT, A.APOLOGIZE]),
    (place(Status.SUBMITTED, None, received=False), {DESK}, [A.ACCEPT, A.REFUSE, A.REQUEST_SUPPLEMENT, A.WITHDRAW]),
    (place(Status.SUBMITTED, None, received=False), {OFFICER, LEADER}, []),
    (place(Status.SUBMITTED, None, received=False), {APPLICANT}, [A.WITHDRAW]),
    (place(Status.WAITING_SUPPLEMENT, None, received=False), {DESK}, [A.ACCEPT, A.REFUSE, A.STOP, A.WITHDRAW]),
    (place(Status.RESULT_READY, StepRole.CLERK, last=True), {DESK}, [A.HAND_OVER]),
    (place(Status.RESULT_READY, StepRole.CLERK, last=True), {OFFICER, LEADER}, []),
    (place(Status.RETURNED, StepRole.CLERK, last=True), {DESK, OFFICER, LEADER}, []),
    (PROCESSING, set(), []),
]


@pytest.mark.parametrize(("where", "hats", "expected"), TABLE)
def test_allowed_actions_per_step_role_and_status(where, hats, expected):
    assert duties.allowed_actions(where, frozenset(hats)) == expected


def test_the_refusal_says_who_and_why():
    officer, leader = frozenset({OFFICER}), frozenset({LEADER})
    # A processing officer at the leader's signing step: not theirs to act (403).
    refused = duties.refusal(A.ISSUE_RESULT, SIGNING, officer)
    assert isinstance(refused, NotPermitted) and refused.status_code == 403
    assert "Lãnh đạo ký duyệt" in str(refused.message)
    assert isinstance(duties.refusal(A.FORWARD, SIGNING, officer), NotPermitted)
    # The leader there decides instead of forwarding; the result waits for the last step (409).
    assert isinstance(duties.refusal(A.FORWARD, SIGNING, leader), TransitionError)
    assert isinstance(duties.refusal(A.ISSUE_RESULT, SIGNING, leader), TransitionError)
    assert isinstance(duties.refusal(A.ISSUE_RESULT, SIGNING_LAST, leader), TransitionError)  # decide first
    assert isinstance(duties.refusal(A.LEADER_APPROVE, SIGNED_LAST, leader), TransitionError)  # decided once
    assert isinstance(duties.refusal(A.LEADER_APPROVE, PROCESSING, leader), NotPermitted)
    assert isinstance(duties.refusal(A.LEADER_APPROVE, ASSIGNING, leader), TransitionError)  # not a signing step
    assert isinstance(duties.refusal(A.LEADER_RETURN, place(Status.PROCESSING, StepRole.SIGNER, first=True), leader),
                      TransitionError)  # fmt: skip
    # The status speaks first: a finished dossier is a conflict whoever asks.
    assert isinstance(duties.refusal(A.FORWARD, place(Status.RETURNED, StepRole.CLERK), officer), TransitionError)
    assert duties.refusal(A.ISSUE_RESULT, ISSUING, officer) is None


def test_the_result_follows_the_leaders_decision():
    assert duties.result_refusal(None, True) is None and duties.result_refusal(None, False) is None
    assert duties.result_refusal(Decision.APPROVED, True) is None
    assert duties.result_refusal(Decision.REFUSED, False) is None
    assert isinstance(duties.result_refusal(Decision.APPROVED, False), TransitionError)
    assert isinstance(duties.result_refusal(Decision.REFUSED, True), TransitionError)
