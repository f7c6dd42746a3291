"""Who may act where: roles held on units, each covering the unit's subtree."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from motcua.core.documents import Signature
from motcua.units.models import Unit
from motcua.units.organs import TERRITORIAL

from .models import Role, RoleAssignment, User


def assign_role(user: User, role: Role | str, unit: Unit, position: str = "") -> RoleAssignment:
    assignment, _ = RoleAssignment.objects.get_or_create(user=user, role=role, unit=unit)
    if position and assignment.position != position:
        assignment.position = position
        assignment.save(update_fields=["position"])
    user.__dict__.pop("_role_paths", None)
    user.__dict__.pop("_is_official", None)
    return assignment


@dataclass(frozen=True)
class Head:
    """Who signs for a unit: the holder of its leader role, with the position printed above the name."""

    user: User
    name: str
    position: str


DEFAULT_POSITION = "Thủ trưởng cơ quan"


def head_of(unit: Unit) -> Head | None:
    """The unit's head: the person holding the leader role on the unit itself (the earliest
    appointed, when several do), or None."""
    found = (
        RoleAssignment.objects.filter(unit=unit, role=Role.UNIT_LEADER, user__is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if found is None:
        return None
    user = found.user
    return Head(user, user.full_name or user.get_username(), found.position or DEFAULT_POSITION)


def signature_for(unit: Unit) -> Signature:
    """The signature block of the unit's documents: its head's position and name (the name left
    to be written by hand when the unit has no head recorded), on behalf of the People's Committee
    for a territorial unit."""
    head = head_of(unit)
    competence = "TM. Ủy ban nhân dân" if unit.kind in TERRITORIAL else ""
    return Signature(head.position if head else DEFAULT_POSITION, head.name if head else "", competence)


def roles_of(user: User) -> list[RoleAssignment]:
    if not user.is_authenticated:
        return []
    return list(RoleAssignment.objects.filter(user=user).select_related("unit").order_by("role", "unit__path"))


def units_in_scope(user: User, roles: Iterable[Role | str] | None = None) -> QuerySet[Unit]:
    """Every unit the user's roles (all, or only ``roles``) cover: the assigned units and their subtrees.

    A superuser or administrator on a province covers that province like any other role; nobody
    covers units outside their assignments.
    """
    if not user.is_authenticated:
        return Unit.objects.none()
    assignments = RoleAssignment.objects.filter(user=user)
    if roles is not None:
        assignments = assignments.filter(role__in=list(roles))
    paths = list(assignments.values_list("unit__path", flat=True))
    if not paths:
        return Unit.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return Unit.objects.filter(condition)


def covers(user: User, unit: Unit, roles: Iterable[Role | str] | None = None) -> bool:
    """Whether one of the user's roles (all, or only ``roles``) covers ``unit``.

    The user's assignments are read once per user object (one request, or one batch job).
    """
    if not user.is_authenticated:
        return False
    held = getattr(user, "_role_paths", None)
    if held is None:
        held = user._role_paths = list(RoleAssignment.objects.filter(user=user).values_list("role", "unit__path"))
    wanted = None if roles is None else {str(r) for r in roles}
    return any(unit.path.startswith(path) for role, path in held if wanted is None or role in wanted)
