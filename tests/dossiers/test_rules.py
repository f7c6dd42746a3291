"""The lifecycle table: which action may start from which status."""

from datetime import date

import pytest

from motcua.dossiers import rules
from motcua.dossiers.rules import Action, State, Status, TransitionError

S = Status
# (action, status, received, allowed)
TABLE = [
    (Action.ACCEPT, S.SUBMITTED, False, True),  # an online submission is accepted from the queue
    (Action.ACCEPT, S.WAITING_SUPPLEMENT, False, True),  # back at the desk with what was missing
    (Action.ACCEPT, S.WAITING_SUPPLEMENT, True, False),  # a received dossier resumes instead
    (Action.ACCEPT, S.PROCESSING, True, False),
    (Action.REFUSE, S.SUBMITTED, False, True),
    (Action.REFUSE, S.PROCESSING, True, False),
    (Action.REQUEST_SUPPLEMENT, S.PROCESSING, True, True),
    (Action.REQUEST_SUPPLEMENT, S.RETURNED, True, False),  # supplementing a closed dossier
    (Action.REQUEST_SUPPLEMENT, S.WAITING_SUPPLEMENT, True, False),
    (Action.RESUME, S.WAITING_SUPPLEMENT, True, True),
    (Action.RESUME, S.WAITING_SUPPLEMENT, False, False),
    (Action.FORWARD, S.ACCEPTED, True, True),
    (Action.FORWARD, S.WAITING_PAYMENT, True, False),
    (Action.ISSUE_RESULT, S.PROCESSING, True, True),
    (Action.ISSUE_RESULT, S.RESULT_READY, True, False),
    (Action.HAND_OVER, S.RESULT_READY, True, True),
    (Action.HAND_OVER, S.PROCESSING, True, False),  # returning an unfinished dossier
    (Action.STOP, S.PROCESSING, True, True),
    (Action.STOP, S.WAITING_SUPPLEMENT, True, True),
    (Action.STOP, S.RESULT_READY, True, False),  # only until a result is issued
    (Action.WITHDRAW, S.SUBMITTED, False, True),
    (Action.WITHDRAW, S.RETURNED, True, False),
    (Action.APOLOGIZE, S.PROCESSING, True, True),
    (Action.APOLOGIZE, S.RETURNED, True, False),
    (Action.RATE, S.RETURNED, True, True),
    (Action.RATE, S.RESULT_READY, True, False),
    (Action.RECORD_PAYMENT, S.WAITING_PAYMENT, True, True),
    (Action.RECORD_PAYMENT, S.PROCESSING, True, False),
]


@pytest.mark.parametrize(("action", "status", "received", "expected"), TABLE)
def test_transition_table(action, status, received, expected):
    assert rules.allowed(action, State(status=status, received=received)) is expected


def test_second_apology_is_refused_under_decree_61():
    rule_set = rules.rule_set_on(date(2024, 5, 2))
    assert rule_set.name == "decree-61-2018"
    rules.check(Action.APOLOGIZE, State(S.PROCESSING, True, apology_count=0), rule_set)
    with pytest.raises(TransitionError):
        rules.check(Action.APOLOGIZE, State(S.PROCESSING, True, apology_count=1), rule_set)


def test_rule_set_is_chosen_by_day_of_receipt():
    assert rules.rule_set_on(date(2025, 6, 30)).name == "decree-61-2018"
    assert rules.rule_set_on(date(2025, 7, 1)).name == "decree-118-2025"
    paused = rules.rule_set_on(date(2025, 7, 1), rules.SupplementClock.PAUSE)
    assert paused.supplement_clock is rules.SupplementClock.PAUSE and paused.name == "decree-118-2025"


def test_last_step_cannot_be_forwarded_and_open_consultations_block_the_result():
    with pytest.raises(TransitionError):
        rules.check(Action.FORWARD, State(S.PROCESSING, True, has_next_step=False))
    with pytest.raises(TransitionError):
        rules.check(Action.ISSUE_RESULT, State(S.PROCESSING, True, open_consultations=1))


def test_supplement_window_is_three_working_days():
    rule_set = rules.rule_set_on(date(2026, 1, 5))
    assert rules.supplement_in_time(24, rule_set)
    assert not rules.supplement_in_time(24.01, rule_set)
