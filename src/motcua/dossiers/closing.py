"""The end of a dossier: the result issued (or the request refused), processing stopped or the
dossier withdrawn at the applicant's request, the result handed over, the applicant's rating."""

from __future__ import annotations

from django.utils import timezone

from motcua.core.messages import Message as _
from motcua.people.models import User

from . import duties, journal, rules
from .access import check
from .models import Dossier
from .rules import Action, InvalidInput, Status, require_text
from .steps import close_step, leader_decision, state_of


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
    """The dossier is settled: approved with a result document, or refused with reasons. After the
    leader's decision the result follows it (a refusal takes the leader's reasons unless given)."""
    at = at or timezone.now()
    with journal.locked(dossier, version) as dossier:
        check(actor, dossier, Action.ISSUE_RESULT)
        decision, decided_reasons = leader_decision(dossier)
        refused = duties.result_refusal(decision, approved)
        if refused is not None:
            raise refused
        if not approved:
            reasons = reasons.strip() or decided_reasons
            require_text(reasons, _("Give the reasons the request is refused."))
        close_step(dossier, actor, at)
        if result_file is not None:
            dossier.result_file.save(result_file.name, result_file, save=False)
            dossier.save(update_fields=["result_file"])
        outcome = rules.Outcome.APPROVED if approved else rules.Outcome.REFUSED
        journal.record(
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
    with journal.locked(dossier, version) as dossier:
        check(actor, dossier, Action.HAND_OVER)
        journal.record(
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
    with journal.locked(dossier, None) as dossier:
        rules.check(Action.RATE, state_of(dossier))
        journal.record(
            dossier,
            Action.RATE,
            actor,
            at,
            note=comment,
            changes={"rating": rating.value, "rating_comment": comment.strip()},
        )
    return dossier


def _end(actor, dossier, action, status, outcome, reason, at, version) -> Dossier:
    at = at or timezone.now()
    require_text(reason, _("Give the applicant's request or the reason."))
    with journal.locked(dossier, version) as dossier:
        check(actor, dossier, action)
        close_step(dossier, actor, at)
        finished = at if dossier.received_at is not None else None
        journal.record(
            dossier,
            action,
            actor,
            at,
            to_status=status,
            note=reason,
            changes={"finished_at": finished, "outcome": outcome.value, "reasons": reason},
        )
    return dossier
