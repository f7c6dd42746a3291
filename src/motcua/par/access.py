"""Who runs a framework, who assesses a unit, and which frameworks a user may read."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from motcua.people.models import Role, User
from motcua.people.services import covers, units_in_scope
from motcua.units.models import Unit

from .models import Framework, Stage

COUNCIL_ROLES = (Role.REFORM_STAFF, Role.ADMINISTRATOR)
UNIT_ROLES = (Role.UNIT_LEADER, Role.REFORM_STAFF, Role.PROCESSING_OFFICER)


def may_run(user: User, framework: Framework) -> bool:
    """Reform staff of the province running the framework (the appraisal council's secretariat)."""
    return covers(user, framework.owner, COUNCIL_ROLES)


def may_assess(user: User, unit: Unit) -> bool:
    return covers(user, unit, UNIT_ROLES)


def frameworks_for(user: User) -> QuerySet[Framework]:
    """Frameworks the user runs or whose units the user assesses."""
    scope = units_in_scope(user)
    found = Framework.objects.filter(Q(owner__in=scope) | Q(scope__unit__in=scope))
    return found.distinct().select_related("owner").order_by("-year", "code")


def published_frameworks() -> QuerySet[Framework]:
    return Framework.objects.filter(stage=Stage.PUBLISHED).select_related("owner").order_by("-year", "code")


def readable_frameworks(user: User) -> QuerySet[Framework]:
    """The published frameworks, and those the user runs or whose units the user assesses."""
    readable = Q(stage=Stage.PUBLISHED)
    if user.is_authenticated:
        readable |= Q(pk__in=frameworks_for(user).values("pk"))
    return Framework.objects.filter(readable).select_related("owner").order_by("-year", "code")
