"""The public face of the portal: online applications, feedback (PAKN), news."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.core.errors import InvalidInput, NotPermitted
from motcua.core.messages import Message as _
from motcua.dossiers import partitions
from motcua.dossiers.models import Dossier
from motcua.dossiers.rules import DossierError
from motcua.notifications import services as notices
from motcua.people.accounts import AccountError, parse_contact
from motcua.people.models import Role, User
from motcua.people.services import covers, units_in_scope
from motcua.units.models import Unit, UnitKind

from .applications import (
    ApplicationInput,
    applications_of,
    default_desk,
    desk_choices,
    desks_for,
    discard,
    draft_for,
    drafts_of,
    missing_documents,
    remove_file,
    save_draft,
    start_application,
    submit,
)
from .models import Article, Feedback, FeedbackStatus


def dossiers_of(user: User) -> QuerySet[Dossier]:
    """A citizen's own dossiers: submitted online from their account."""
    if not user.is_authenticated:
        return Dossier.objects.none()
    return Dossier.objects.filter(applicant_user=user).select_related("procedure", "receiving_unit")


def notice_choice(user: User) -> dict:
    """How the citizen is told of their dossiers: by SMS, e-mail or both (each at the contact given
    on the dossier), in which language. Without a choice: every contact given, in Vietnamese."""
    found = notices.preference_for(user)
    if found is None:
        return {"sms": True, "email": True, "language": "vi", "chosen": False}
    return {"sms": found.sms, "email": found.email, "language": found.language, "chosen": True}


def choose_notices(user: User, *, sms: bool, email: bool, language: str) -> None:
    notices.set_preference(user, sms=sms, email=email, language=language)


# ---------------------------------------------------------------------------------------------
# Feedback (phản ánh, kiến nghị)


@dataclass(frozen=True)
class FeedbackInput:
    unit: Unit | None
    name: str
    contact: str
    title: str
    content: str
    address: str = ""
    dossier_code: str = ""


FEEDBACK_ROLES = (Role.UNIT_LEADER, Role.PROCESSING_OFFICER, Role.DESK_OFFICER, Role.REFORM_STAFF)


def feedback_units(day: date) -> QuerySet[Unit]:
    """Units a feedback can be addressed to: authorities and agencies (desks answer through them)."""
    return Unit.objects.valid_on(day).exclude(kind=UnitKind.SERVICE_CENTER).order_by("path")


def send_feedback(data: FeedbackInput, at: datetime | None = None) -> Feedback:
    """Record a feedback and route it: to the unit that handles the dossier it names, else to the
    unit the sender chose."""
    at = at or timezone.now()
    required = {"name": data.name, "contact": data.contact, "title": data.title, "content": data.content}
    if any(not value.strip() for value in required.values()):
        raise InvalidInput(_("Fill in your name, a phone number or e-mail, the title and the content."))
    try:
        contact = parse_contact(data.contact)
    except AccountError as error:
        raise InvalidInput(error.message) from None
    unit = data.unit
    code = data.dossier_code.strip()
    if code:
        dossier = partitions.by_code(Dossier.objects.select_related("processing_unit"), code)
        if dossier is None:
            raise InvalidInput(_("No dossier has the code %(code)s.") % {"code": code})
        unit = dossier.processing_unit
    if unit is None or not feedback_units(timezone.localdate(at)).filter(pk=unit.pk).exists():
        raise InvalidInput(_("Choose the unit the feedback is for."))
    return Feedback.objects.create(
        code=f"PAKN-{timezone.localdate(at):%Y%m%d}-{secrets.token_hex(3).upper()}",
        unit=unit,
        province=unit.province or unit,
        dossier_code=code,
        name=data.name.strip(),
        contact=contact.value,
        address=data.address.strip(),
        title=data.title.strip(),
        content=data.content.strip(),
        received_at=at,
    )


def feedback_inbox(user: User) -> QuerySet[Feedback]:
    """Feedback addressed to the units the official's roles cover."""
    return Feedback.objects.filter(unit__in=units_in_scope(user, FEEDBACK_ROLES)).select_related("unit")


def answer_feedback(user: User, feedback: Feedback, answer: str, publish: bool, at: datetime | None = None):
    """The unit answers; the answer is published on the portal when the unit chooses."""
    at = at or timezone.now()
    if not covers(user, feedback.unit, (Role.UNIT_LEADER, Role.PROCESSING_OFFICER, Role.REFORM_STAFF)):
        raise NotPermitted(_("Your roles do not cover this unit."))
    if not answer.strip():
        raise InvalidInput(_("Write the answer."))
    feedback.answer = answer.strip()
    feedback.answered_at = at
    feedback.answered_by = user
    feedback.status = FeedbackStatus.ANSWERED
    feedback.published = publish
    with transaction.atomic():
        feedback.save()
        # The sender is told once, after commit; a notice that fails is retried, never undoes the answer.
        notices.feedback_answered(
            feedback.code, feedback.contact, feedback.title, feedback.answer, feedback.unit.name, at
        )
    return feedback


def feedback_lookup(code: str, contact: str) -> Feedback | None:
    """The sender's feedback by its code and the phone or e-mail given with it (in any usual
    writing: ``0912 345 678``, ``+84912345678``); None when they do not match."""
    code = (code or "").strip().upper()
    try:
        given = parse_contact(contact or "").value
    except AccountError:
        return None
    if not code:
        return None
    found = Feedback.objects.filter(code=code).select_related("unit").first()
    if found is None or not secrets.compare_digest(found.contact.encode(), given.encode()):
        return None
    return found


def published_feedback() -> QuerySet[Feedback]:
    return Feedback.objects.filter(published=True, status=FeedbackStatus.ANSWERED).select_related("unit")


# ---------------------------------------------------------------------------------------------
# News


def published_articles(now: datetime | None = None) -> QuerySet[Article]:
    return Article.objects.filter(published_at__isnull=False, published_at__lte=now or timezone.now())


def search_articles(query: str) -> QuerySet[Article]:
    articles = published_articles()
    for word in query.split():
        articles = articles.filter(Q(title__icontains=word) | Q(lead__icontains=word))
    return articles


__all__ = [
    "ApplicationInput",
    "DossierError",
    "FeedbackInput",
    "answer_feedback",
    "applications_of",
    "choose_notices",
    "default_desk",
    "desk_choices",
    "desks_for",
    "discard",
    "dossiers_of",
    "draft_for",
    "drafts_of",
    "feedback_inbox",
    "feedback_lookup",
    "feedback_units",
    "missing_documents",
    "notice_choice",
    "published_articles",
    "published_feedback",
    "remove_file",
    "save_draft",
    "send_feedback",
    "start_application",
    "submit",
]
