"""The leader's decision at a signing step: approve (the dossier goes on to the step that issues
the result), return it to the previous step with the reason, or refuse the request with the reasons
(the result issued next is the refusal). Each is its own event in the dossier's history."""

from __future__ import annotations

from django.utils import timezone

from motcua.core.messages import Message as _
from motcua.people.models import User

from . import journal, signing
from .access import check
from .models import Dossier
from .processing import back_to
from .rules import Action, require_text
from .steps import close_step, next_step, open_step, previous_step


def leader_approve(actor: User, dossier: Dossier, note: str = "", at=None, version=None) -> Dossier:
    """The leader approves (signs) the draft result; the dossier goes on to the next step."""
    return _decide(actor, dossier, Action.LEADER_APPROVE, note, at, version)


def leader_refuse(actor: User, dossier: Dossier, reasons: str, at=None, version=None) -> Dossier:
    """The leader refuses the request; the result issued after this step is the refusal, with these reasons."""
    require_text(reasons, _("Give the reasons the request is refused."))
    return _decide(actor, dossier, Action.LEADER_REFUSE, reasons, at, version)


def leader_return(actor: User, dossier: Dossier, reason: str, at=None, version=None) -> Dossier:
    """The leader sends the dossier back to the previous step, saying why."""
    at = at or timezone.now()
    require_text(reason, _("Say why the dossier goes back."))
    with journal.locked(dossier, version) as dossier:
        check(actor, dossier, Action.LEADER_RETURN)
        back_to(dossier, previous_step(dossier), Action.LEADER_RETURN, actor, at, reason)
    return dossier


def _decide(actor, dossier, action: Action, note: str, at, version) -> Dossier:
    at = at or timezone.now()
    with journal.locked(dossier, version) as dossier:
        check(actor, dossier, action)
        changes = {}
        sign = signing.signer()
        if sign is not None:
            decision = signing.Decision(dossier.pk, dossier.code, action.value, actor.get_username(), at, note)
            changes["signature"] = str(sign(decision))
        step = next_step(dossier)
        if step is None:  # the signing step is the last: the leader issues the result next
            journal.record(dossier, action, actor, at, note=note, changes=changes)
            return dossier
        close_step(dossier, actor, at)
        changes.update({"current_step": step.order, "assignee_id": None})
        journal.record(dossier, action, actor, at, note=note, step=step.order, changes=changes)
        open_step(dossier, step, at)
    return dossier
