"""Who sees a dossier and who may act on it: officials within the units their roles cover, the
applicant on their own dossier (or whoever holds its code and secret)."""

from __future__ import annotations

import secrets

from django.db.models import Q, QuerySet

from motcua.catalog.models import StepRole
from motcua.people.models import Role, User
from motcua.people.services import covers, units_in_scope
from motcua.units.models import Unit

from . import duties, partitions, rules
from .journal import is_user
from .models import Consultation, Dossier
from .rules import Action
from .steps import current_role, place_of, rule_set_of

OFFICIAL_ROLES = (Role.DESK_OFFICER, Role.PROCESSING_OFFICER, Role.UNIT_LEADER, Role.ADMINISTRATOR, Role.REFORM_STAFF)
PROCESSING_ROLES = (Role.PROCESSING_OFFICER, Role.UNIT_LEADER)


def visible_dossiers(user: User) -> QuerySet[Dossier]:
    """The dossiers a user may see: officials within their units, citizens their own."""
    if not user.is_authenticated:
        return Dossier.objects.none()
    scope = units_in_scope(user, OFFICIAL_ROLES)
    return Dossier.objects.filter(
        Q(receiving_unit__in=scope)
        | Q(processing_unit__in=scope)
        | Q(consultations__unit__in=scope)
        | Q(assignee=user)
        | Q(applicant_user=user)
    ).distinct()


def dossier_for(user: User, reference: str | int) -> Dossier | None:
    """A dossier by code or id, only if the user may see it (None otherwise: no hint it exists)."""
    queryset = visible_dossiers(user)
    text = str(reference)
    queryset = queryset.select_related("procedure", "receiving_unit", "processing_unit")
    if text.isascii() and text.isdigit() and len(text) <= 18:  # an id (within 64 bits) or a numeric code
        found = queryset.filter(pk=int(text)).first()
        if found is not None:
            return found
    return partitions.by_code(queryset, text)


def lookup(code: str, secret: str) -> Dossier | None:
    """A citizen's lookup by the code and the secret printed on the receipt."""
    code, secret = (code or "").strip(), (secret or "").strip().upper()
    if not code or not secret:
        return None
    dossier = partitions.by_code(Dossier.objects.select_related("procedure", "receiving_unit"), code)
    if dossier is None and partitions.archived_years():
        from .archive import archived_dossier  # the archive reads the models; imported when needed

        dossier = archived_dossier(code)
    if dossier is None or not secrets.compare_digest(dossier.secret, secret):
        return None
    return dossier


def timeline(dossier: Dossier, public_only: bool = False) -> list:
    """The dossier's events in order (read from the archive for a dossier of an archived year)."""
    if getattr(dossier, "archived", False):
        return [e for e in dossier.archived_events if not (public_only and e.internal)]
    events = dossier.events.order_by("seq")
    return list(events.filter(internal=False) if public_only else events)


def may_read_files(user: User, dossier: Dossier) -> bool:
    return visible_dossiers(user).filter(pk=dossier.pk).exists()


def may_answer(user: User, consultation: Consultation) -> bool:
    return covers(user, consultation.unit, PROCESSING_ROLES)


def available_actions(user: User, dossier: Dossier) -> list[Action]:
    """What ``user`` may do with ``dossier`` now: the buttons on its page (``duties.allowed_actions``)."""
    return duties.allowed_actions(place_of(dossier), hats_of(user, dossier), rule_set_of(dossier))


def action_label(action: str) -> str:
    try:
        return str(rules.ACTION_LABELS[Action(action)])
    except ValueError:
        return action


def refusal(actor, dossier: Dossier, action: Action):
    """Why ``actor`` may not do ``action`` on ``dossier`` now (None: allowed): a TransitionError
    (409) when the status or the step does not allow it, NotPermitted (403) when the actor's
    roles do not hold it."""
    return duties.refusal(action, place_of(dossier), hats_of(actor, dossier), rule_set_of(dossier))


def check(actor, dossier: Dossier, action: Action) -> None:
    """Refuse the action unless the dossier's state and step allow it and the actor holds it."""
    refused = refusal(actor, dossier, action)
    if refused is not None:
        raise refused


def hats_of(user, dossier: Dossier) -> frozenset[duties.Hat]:
    """What the user is to this dossier, from the roles they hold on its units."""
    if not is_user(user):
        return frozenset()
    hats = set()
    if is_desk(user, dossier.receiving_unit):
        hats.add(duties.Hat.DESK)
    if covers(user, dossier.processing_unit, [Role.PROCESSING_OFFICER]):
        hats.add(duties.Hat.OFFICER)
    if covers(user, dossier.processing_unit, [Role.UNIT_LEADER]):
        hats.add(duties.Hat.LEADER)
    if dossier.assignee_id is not None and dossier.assignee_id == user.pk:
        hats.add(duties.Hat.ASSIGNEE)
    if dossier.applicant_user_id is not None and dossier.applicant_user_id == user.pk:
        hats.add(duties.Hat.APPLICANT)
    return frozenset(hats)


def assignable(dossier: Dossier) -> list[User]:
    """Whom a leader may assign the dossier to: exactly those ``assign`` accepts (the processing
    roles over its processing unit, the desk officers of its receiving unit), those who can take
    the current step first."""

    def holding(roles, unit: Unit) -> QuerySet[User]:
        return User.objects.filter(is_active=True, roles__role__in=roles, roles__unit__path__in=unit.ancestor_paths())

    processing = list(holding(PROCESSING_ROLES, dossier.processing_unit).distinct().order_by("full_name", "username"))
    desk = [
        u
        for u in holding([Role.DESK_OFFICER], dossier.receiving_unit).distinct().order_by("full_name", "username")
        if u not in processing
    ]
    return desk + processing if current_role(dossier) == StepRole.DESK else processing + desk


def is_desk(user, unit: Unit) -> bool:
    return is_user(user) and covers(user, unit, [Role.DESK_OFFICER])


def is_applicant(actor, dossier: Dossier, holder: bool) -> bool:
    return holder or (is_user(actor) and dossier.applicant_user_id == actor.pk)
