"""The public face of the portal: online applications, feedback (PAKN), news."""

from __future__ import annotations

import secrets
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, datetime

from django.core.files import File
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.catalog.competence import deciding_units
from motcua.catalog.models import Component, OnlineKind, Procedure
from motcua.core.errors import InvalidInput, NotPermitted
from motcua.core.messages import Message as _
from motcua.core.uploads import check_upload
from motcua.dossiers import partitions
from motcua.dossiers import services as dossiers
from motcua.dossiers.models import Dossier
from motcua.dossiers.rules import Action, Channel, DossierError
from motcua.notifications import services as notices
from motcua.people.accounts import AccountError, parse_contact
from motcua.people.models import Role, User
from motcua.people.services import covers, units_in_scope
from motcua.units.models import Level, Unit, UnitKind
from motcua.workdays.rules import VIETNAM

from .models import Application, ApplicationFile, Article, Feedback, FeedbackStatus

MAX_FILES_PER_COMPONENT = 5


# ---------------------------------------------------------------------------------------------
# Where to apply


def desks_for(procedure: Procedure, day: date) -> QuerySet[Unit]:
    """The one-stop desks that receive ``procedure``: the public service centres of its level.

    District-level procedures went to the communes when the districts ended (1 July 2025): where
    no district desk is in force, the commune desks receive them.
    """
    centres = Unit.objects.valid_on(day).filter(kind=UnitKind.SERVICE_CENTER)
    desks = centres.filter(level=procedure.level)
    if procedure.level == Level.DISTRICT and not desks.exists():
        desks = centres.filter(level=Level.COMMUNE)
    return desks.order_by("path")


# ---------------------------------------------------------------------------------------------
# Online applications


@dataclass(frozen=True)
class ApplicationInput:
    receiving_unit: Unit | None
    applicant_name: str
    applicant_id: str
    applicant_phone: str = ""
    applicant_email: str = ""
    applicant_address: str = ""
    note: str = ""


def start_application(user: User, procedure: Procedure) -> Application:
    if procedure.online_kind == OnlineKind.NONE or not procedure.is_active:
        raise InvalidInput(_("This procedure cannot be applied for online; apply at the one-stop desk."))
    return Application.objects.create(
        user=user,
        procedure=procedure,
        applicant_name=user.full_name,
        applicant_phone=user.phone,
        applicant_email=user.email,
    )


def drafts_of(user: User) -> QuerySet[Application]:
    return Application.objects.filter(user=user, dossier__isnull=True).select_related("procedure")


def draft_for(user: User, pk: int) -> Application | None:
    return drafts_of(user).filter(pk=pk).first()


def save_draft(application: Application, data: ApplicationInput, uploads: dict[int, list]) -> Application:
    """Keep what the citizen has written and the files chosen, whole or not at all."""
    if application.dossier_id is not None:
        raise InvalidInput(_("This application has already been submitted."))
    components = {c.pk: c for c in application.procedure.components.all()}
    checked = []
    for component_id, files in uploads.items():
        component = components.get(component_id)
        if component is None:
            raise InvalidInput(_("This document is not part of the procedure."))
        for upload in files:
            checked.append((component, upload, check_upload(upload)))
    with transaction.atomic():
        application.receiving_unit = data.receiving_unit
        for name in (
            "applicant_name",
            "applicant_id",
            "applicant_phone",
            "applicant_email",
            "applicant_address",
            "note",
        ):
            setattr(application, name, getattr(data, name).strip())
        application.save()
        for component, upload, content_type in checked:
            if application.files.filter(component=component).count() >= MAX_FILES_PER_COMPONENT:
                raise InvalidInput(_("At most %(n)s files per document.") % {"n": MAX_FILES_PER_COMPONENT})
            stored = ApplicationFile(
                application=application,
                component=component,
                original_name=upload.name[:255],
                content_type=content_type,
                size=upload.size,
            )
            stored.file.save(upload.name, upload, save=False)
            stored.save()
    return application


def remove_file(application: Application, file_id: int) -> None:
    stored = application.files.filter(pk=file_id).first()
    if stored is not None:
        stored.file.delete(save=False)
        stored.delete()


def missing_documents(application: Application) -> list[Component]:
    have = set(application.files.values_list("component_id", flat=True))
    return [c for c in application.procedure.components.all() if c.required and c.pk not in have]


def submit(application: Application, at: datetime | None = None) -> Dossier:
    """Send the application to the desk's queue: it becomes a dossier "submitted online", with
    every file attached, in one transaction."""
    at = at or timezone.now()
    if application.dossier_id is not None:
        raise InvalidInput(_("This application has already been submitted."))
    desk = application.receiving_unit
    if desk is None or not desks_for(application.procedure, timezone.localdate(at)).filter(pk=desk.pk).exists():
        raise InvalidInput(_("Choose the one-stop desk to submit to."))
    missing = missing_documents(application)
    if missing:
        raise InvalidInput(
            _("Attach every required document: %(names)s.") % {"names": "; ".join(c.name for c in missing)}
        )
    if not application.applicant_phone and not application.applicant_email:
        raise InvalidInput(_("Give a phone number or an e-mail address so that the desk can reach you."))
    files = list(application.files.select_related("component"))
    have = {f.component.order for f in files}
    with transaction.atomic(), ExitStack() as handles:
        intake = dossiers.Intake(
            procedure=application.procedure,
            receiving_unit=desk,
            # the unit the procedure's competence names; the desk may change it when it accepts
            processing_unit=deciding_units(application.procedure, desk, at.astimezone(VIETNAM).date())[0],
            channel=Channel.ONLINE,
            applicant=dossiers.Applicant(
                name=application.applicant_name,
                id_number=application.applicant_id,
                phone=application.applicant_phone,
                email=application.applicant_email,
                address=application.applicant_address,
            ),
            components=[
                dossiers.ComponentInput(order=c.order, provided=c.order in have, digitized=c.order in have)
                for c in application.procedure.components.all()
            ],
            scans=[
                (f.component.order, File(handles.enter_context(f.file.open("rb")), name=f.original_name)) for f in files
            ],
        )
        dossier = dossiers.receive(application.user, intake, Action.SUBMIT, at=at)
        application.dossier = dossier
        application.save(update_fields=["dossier"])
        paths = [stored.file.name for stored in files]
        application.files.all().delete()
        storage = ApplicationFile._meta.get_field("file").storage
        transaction.on_commit(lambda: [storage.delete(path) for path in paths])
    return dossier


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
    "choose_notices",
    "desks_for",
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
