"""Online applications: where to apply, the citizen's draft and its submission.

A draft keeps what the citizen typed and every file that passed the check, even when another
file of the same request is refused; the refusals come back, each against its field. The form is
filled in from the account, and the desk is chosen from the citizen's commune and the procedure's
level. An application is submitted once: its row is locked while it becomes a dossier.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, datetime

from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from motcua.catalog.competence import deciding_units
from motcua.catalog.models import Component, OnlineKind, Procedure
from motcua.core.errors import InvalidInput, Problems
from motcua.core.messages import Message as _
from motcua.core.text import fold
from motcua.core.uploads import check_upload
from motcua.dossiers import services as dossiers
from motcua.dossiers.models import Dossier
from motcua.dossiers.rules import Action, Channel
from motcua.people.accounts import prefill_for, remember_details
from motcua.people.models import User
from motcua.units.models import Level, Unit, UnitKind
from motcua.units.services import successors_on
from motcua.workdays.rules import VIETNAM

from .models import Application, ApplicationFile

MAX_FILES_PER_COMPONENT = 5
TEXT_FIELDS = ("applicant_name", "applicant_id", "applicant_phone", "applicant_email", "applicant_address", "note")


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


def home_commune(commune: Unit | None, day: date) -> Unit | None:
    """The commune carrying on ``commune`` on ``day``: itself while in force, else its successor
    through the reorganisations (an address from before 1/7/2025 names an ended commune)."""
    if commune is None:
        return None
    carried = successors_on(commune, day)
    return carried[0] if carried else None


def desk_choices(procedure: Procedure, commune: Unit | None, day: date) -> list[Unit]:
    """The desks the citizen may choose: those receiving the procedure's level, in the province
    of their commune when it is known (a centre receives any commune of its province)."""
    desks = desks_for(procedure, day)
    home = home_commune(commune, day)
    if home is not None:
        province = home.province_id or home.pk
        mine = desks.filter(province_id=province)
        if mine.exists():
            desks = mine
    return list(desks)


def default_desk(procedure: Procedure, desks: list[Unit], commune: Unit | None, day: date) -> Unit | None:
    """The desk a citizen of ``commune`` goes to for ``procedure``: the province's centre for a
    province-level procedure; for the others the desk of their commune (of its district while
    districts had desks of their own)."""
    home = home_commune(commune, day)
    if home is None:
        return None
    if procedure.level == Level.PROVINCE:
        province = home.province_id or home.pk
        return next((d for d in desks if (d.province_id or d.pk) == province), None)
    places = [home]
    if home.parent is not None and home.parent.level == Level.DISTRICT:
        places.append(home.parent)
    for place in places:
        found = next((d for d in desks if d.path.startswith(place.path)), None)
        if found is not None:
            return found
    return None


def desk_for_move(
    procedure: Procedure, before: Unit | None, after: Unit | None, chosen: Unit | None, day: date
) -> Unit | None:
    """The desk once the citizen names another commune: the new commune's own, when the one
    chosen was the old commune's default (or none); the one chosen, when they picked it themselves."""
    if after == before:
        return chosen
    old_default = default_desk(procedure, desk_choices(procedure, before, day), before, day)
    if chosen is not None and chosen != old_default:
        return chosen
    return default_desk(procedure, desk_choices(procedure, after, day), after, day) or chosen


def communes_on(day: date) -> QuerySet[Unit]:
    return Unit.objects.valid_on(day).filter(kind=UnitKind.COMMUNE).order_by("path")


def matching(units: list[Unit], text: str, keep: Unit | None = None) -> list[Unit]:
    """The units whose name holds every word of ``text``, with or without diacritics (``keep``,
    the one chosen, stays in the list)."""
    words = fold(text).split()
    if not words:
        return units
    return [u for u in units if u == keep or all(w in fold(u.name) for w in words)]


# ---------------------------------------------------------------------------------------------
# The draft


@dataclass(frozen=True)
class ApplicationInput:
    receiving_unit: Unit | None
    applicant_name: str
    applicant_id: str
    applicant_phone: str = ""
    applicant_email: str = ""
    applicant_address: str = ""
    note: str = ""
    address_unit: Unit | None = None


def start_application(user: User, procedure: Procedure, at: datetime | None = None) -> Application:
    """A new draft, filled in from the account, sent by default to the desk of the citizen's commune."""
    if procedure.online_kind == OnlineKind.NONE or not procedure.is_active:
        raise InvalidInput(_("This procedure cannot be applied for online; apply at the one-stop desk."))
    day = timezone.localdate(at or timezone.now())
    known = prefill_for(user)
    desks = desk_choices(procedure, known.commune, day)
    return Application.objects.create(
        user=user,
        procedure=procedure,
        applicant_name=known.name,
        applicant_id=known.id_number,
        applicant_phone=known.phone,
        applicant_email=known.email,
        applicant_address=known.address,
        address_unit=known.commune,
        receiving_unit=default_desk(procedure, desks, known.commune, day),
    )


def applications_of(user: User) -> QuerySet[Application]:
    return Application.objects.filter(user=user).select_related("procedure")


def drafts_of(user: User) -> QuerySet[Application]:
    return applications_of(user).filter(dossier__isnull=True)


def draft_for(user: User, pk: int) -> Application | None:
    return drafts_of(user).filter(pk=pk).first()


def save_draft(
    application: Application, data: ApplicationInput, uploads: dict[int, list], remember: bool = False
) -> list[tuple[str, object]]:
    """Keep what the citizen has written and every file that passes the check; the files refused
    come back as (field name, message) pairs, the others are kept whatever became of those."""
    if application.dossier_id is not None:
        raise InvalidInput(_("This application has already been submitted."))
    components = {c.pk: c for c in application.procedure.components.all()}
    problems = []
    with transaction.atomic():
        # Locked and read again: a submission of the same draft running meanwhile is waited for,
        # and its dossier is never unlinked by this save.
        locked = Application.objects.select_for_update().values_list("dossier_id", flat=True).get(pk=application.pk)
        if locked is not None:
            raise InvalidInput(_("This application has already been submitted."))
        application.receiving_unit = data.receiving_unit
        application.address_unit = data.address_unit
        for name in TEXT_FIELDS:
            limit = Application._meta.get_field(name).max_length
            setattr(application, name, getattr(data, name).strip()[:limit])
        application.save(update_fields=["receiving_unit", "address_unit", *TEXT_FIELDS, "updated_at"])
        if remember:
            remember_details(
                application.user,
                id_number=application.applicant_id,
                address=application.applicant_address,
                commune=application.address_unit,
            )
    for component_id, files in uploads.items():
        component = components.get(component_id)
        if component is None:
            problems.append(("", _("This document is not part of the procedure.")))
            continue
        for upload in files:
            problem = _keep_file(application, component, upload)
            if problem is not None:
                problems.append((f"file_{component.pk}", problem))
    return problems


def _keep_file(application: Application, component: Component, upload):
    try:
        content_type = check_upload(upload)
    except InvalidInput as error:
        return error.message
    if application.files.filter(component=component).count() >= MAX_FILES_PER_COMPONENT:
        return _("At most %(n)s files per document.") % {"n": MAX_FILES_PER_COMPONENT}
    stored = ApplicationFile(
        application=application,
        component=component,
        original_name=upload.name[:255],
        content_type=content_type,
        size=upload.size,
    )
    stored.file.save(upload.name, upload, save=False)
    stored.save()
    return None


def remove_file(application: Application, file_id: int) -> ApplicationFile | None:
    stored = application.files.filter(pk=file_id).first()
    if stored is not None:
        stored.file.delete(save=False)
        stored.delete()
    return stored


def discard(application: Application) -> None:
    """Delete a draft and its files (the citizen confirmed it)."""
    for stored in application.files.all():
        remove_file(application, stored.pk)
    application.delete()


def missing_documents(application: Application) -> list[Component]:
    have = set(application.files.values_list("component_id", flat=True))
    return [c for c in application.procedure.components.all() if c.required and c.pk not in have]


def submission_problems(application: Application, day: date) -> list[tuple[str, object]]:
    """Everything that keeps the application from being submitted, each against its field."""
    problems = []
    desk = application.receiving_unit
    if desk is None or not desks_for(application.procedure, day).filter(pk=desk.pk).exists():
        problems.append(("receiving_unit", _("Choose the one-stop desk to submit to.")))
    if not application.applicant_name:
        problems.append(("applicant_name", _("Enter the applicant's name.")))
    problems += [("applicant_id", m) for m in dossiers.check_id_number("personal", application.applicant_id)]
    if not application.applicant_phone and not application.applicant_email:
        problems.append(
            ("applicant_phone", _("Give a phone number or an e-mail address so that the desk can reach you."))
        )
    for component in missing_documents(application):
        problems.append(
            (f"file_{component.pk}", _("Attach every required document: %(names)s.") % {"names": component.name})
        )
    return problems


def submit(application: Application, at: datetime | None = None) -> Dossier:
    """Send the application to the desk's queue: it becomes a dossier "submitted online", with
    every file attached, in one transaction. The application's row stays locked meanwhile, so a
    second request for it waits and then finds it submitted."""
    at = at or timezone.now()
    problems = submission_problems(application, timezone.localdate(at))
    if problems:
        raise InvalidInput(Problems(problems))
    with transaction.atomic(), ExitStack() as handles:
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.dossier_id is not None:
            raise InvalidInput(_("This application has already been submitted."))
        desk = application.receiving_unit
        files = list(application.files.select_related("component"))
        have = {f.component.order for f in files}
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
                address_unit=application.address_unit,
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
