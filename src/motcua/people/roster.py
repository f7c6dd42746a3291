"""Importing the officials of a province: accounts, contacts, their unit and roles, and an invitation
to set a password for each new one (``motcua import officials FILE``).

Columns: ``username, full_name, email, phone, unit_code, roles`` (roles separated by ``;``, each held
on the unit and covering its subtree). The whole file or nothing: an unknown unit or role, a bad
address, a username twice, a citizen's account or a password column refuse it, every problem listed.
A re-import updates names, contacts, unit and roles; it invites only officials never invited (and
without a password), or those named by ``reinvite`` (``"*"``: everyone in the file).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation

from motcua.core.messages import Message as _
from motcua.core.tabular import (
    ImportRejected,
    ImportResult,
    Problem,
    Row,
    check_text,
    missing_columns,
    split_list,
)
from motcua.units.models import Unit
from motcua.units.services import unit_on

from . import invitations
from .models import Invitation, Role, RoleAssignment, User
from .services import covers, units_in_scope

ADMINISTRATORS = (Role.ADMINISTRATOR,)
LIMITS = {"full_name": 150, "email": 254, "unit_code": 40, "roles": 200}
REQUIRED = ["username", "full_name", "email", "unit_code", "roles"]
EVERYONE = "*"


@dataclass(frozen=True)
class Official:
    line: int
    username: str
    full_name: str
    email: str
    phone: str
    unit: Unit
    roles: frozenset[str]


def import_officials(
    header: list[str], rows: list[Row], reinvite: str | None = None, actor: User | None = None
) -> ImportResult:
    """Create or update the officials of ``rows``; all or nothing. Raises ImportRejected.

    An ``actor`` (an upload in the pages) must administer every row's unit, and may touch only
    accounts that are officials of units they administer (never a staff or superuser account)."""
    problems = missing_columns(header, REQUIRED)
    if any("password" in column or "mat_khau" in column for column in header):
        problems.append(
            Problem(1, _("the file must not carry passwords: each official sets theirs from the invitation"))
        )
    if problems:
        raise ImportRejected(problems)
    today = timezone.localdate()
    names = _role_names()
    officials, seen = [], {}
    for row in rows:
        official = _parse(row, today, names, seen, problems)
        if official is not None:
            officials.append(official)
    existing = {u.username: u for u in User.objects.filter(username__in=[o.username for o in officials])}
    for official in officials:
        if actor is not None:
            _check_actor(actor, official, existing.get(official.username), problems)
        if _citizen(existing.get(official.username)):
            problems.append(
                Problem(
                    official.line,
                    _("“%(username)s” is a citizen’s account") % {"username": official.username},
                    "username",
                )
            )
    wanted = _reinvited(reinvite, [o.username for o in officials], rows, problems)
    if problems:
        raise ImportRejected(problems)
    with transaction.atomic():
        return _write(officials, existing, wanted)


def _check_actor(actor: User, official: Official, user: User | None, problems: list[Problem]) -> None:
    if not covers(actor, official.unit, ADMINISTRATORS):
        problems.append(Problem(official.line, _("Your roles do not cover this unit."), "unit_code"))
    if user is None:
        return
    units = [a.unit for a in RoleAssignment.objects.filter(user=user).exclude(role=Role.CITIZEN).select_related("unit")]
    if user.is_staff or user.is_superuser or not all(covers(actor, unit, ADMINISTRATORS) for unit in units):
        problems.append(
            Problem(
                official.line,
                _("“%(username)s” is an account you do not administer") % {"username": user.username},
                "username",
            )
        )


def _citizen(user: User | None) -> bool:
    """An account of the portal (signed up with its e-mail or phone, or holding the citizen role and
    no other): an import of officials must not take it over."""
    if user is None or user.is_staff:
        return False
    roles = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
    if roles - {Role.CITIZEN}:
        return False
    return Role.CITIZEN in roles or user.username in {user.email, user.phone}


def _role_names() -> dict[str, str]:
    """Each official role by its code and by its name in Vietnamese and English, folded."""
    found = {}
    for role in Role:
        if role == Role.CITIZEN:
            continue
        found[role.value] = role.value
        for language in ("vi", "en"):
            with translation.override(language):
                found[str(role.label).casefold()] = role.value
    return found


def _parse(row: Row, today, names: dict[str, str], seen: dict[str, int], problems: list[Problem]) -> Official | None:
    before = len(problems)

    def refuse(column: str, message) -> None:
        problems.append(Problem(row.line, message, column))

    for column in REQUIRED:
        if not row.get(column):
            refuse(column, _("the cell is empty"))
    if any("\x00" in value for value in row.values.values() if value):
        problems += check_text(row, LIMITS)
        return None  # nothing of the row is looked up
    problems += check_text(row, LIMITS)
    username = row.get("username")
    if username:
        try:
            UnicodeUsernameValidator()(username)
            if len(username) > 150:
                raise ValidationError("too long")
        except ValidationError:
            refuse(
                "username",
                _("“%(value)s” is not a username (letters, digits and @ . + - _ only, 150 at most)")
                % {"value": username},
            )
        if username in seen:
            refuse(
                "username", _("“%(value)s” is already on line %(other)s") % {"value": username, "other": seen[username]}
            )
        seen.setdefault(username, row.line)
    email = row.get("email").lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            refuse("email", _("“%(value)s” is not an e-mail address") % {"value": email})
    phone = _phone(row.get("phone"))
    if phone is None:
        refuse("phone", _("“%(value)s” is not a phone number") % {"value": row.get("phone")})
    unit = unit_on(row.get("unit_code"), today) if row.get("unit_code") else None
    if row.get("unit_code") and unit is None:
        refuse("unit_code", _("no unit has the code “%(value)s” today") % {"value": row.get("unit_code")})
    roles = set()
    for name in split_list(row.get("roles").replace(",", ";")):
        if name.casefold() in names:
            roles.add(names[name.casefold()])
        else:
            refuse(
                "roles",
                _("“%(value)s” is not an official’s role (%(known)s)")
                % {"value": name, "known": ", ".join(r.value for r in Role if r != Role.CITIZEN)},
            )
    if len(problems) > before:
        return None
    return Official(row.line, username, " ".join(row.get("full_name").split()), email, phone, unit, frozenset(roles))


def _phone(text: str) -> str | None:
    """Digits with a leading 0 (+84 read as 0), nine to ten after it; empty stays empty."""
    if not text:
        return ""
    digits = re.sub(r"[\s.\-()]", "", text)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    return digits if re.fullmatch(r"0[0-9]{9,10}", digits) else None


def _reinvited(reinvite: str | None, usernames: list[str], rows: list[Row], problems: list[Problem]) -> set[str]:
    if not reinvite:
        return set()
    if reinvite.strip() == EVERYONE:
        return set(usernames)
    named = set(split_list(reinvite.replace(",", ";")))
    in_file = {row.get("username") for row in rows}
    for name in sorted(named - in_file):
        problems.append(Problem(None, _("“%(value)s”, to invite again, is not in the file") % {"value": name}))
    return named


def _write(officials: list[Official], existing: dict[str, User], reinvite: set[str]) -> ImportResult:
    result = ImportResult()
    invited = set(Invitation.objects.filter(user__in=existing.values()).values_list("user_id", flat=True))
    to_invite, kept = [], []
    for official in officials:
        user = existing.get(official.username)
        created = user is None
        if created:
            user = User(username=official.username, is_active=True)
            user.set_unusable_password()
        changed = (user.full_name, user.email, user.phone) != (official.full_name, official.email, official.phone)
        user.full_name, user.email, user.phone = official.full_name, official.email, official.phone
        if created or changed:
            user.save()
        changed = _set_roles(user, official) or changed
        result.count(created=created, changed=changed)
        never = user.pk not in invited and not user.has_usable_password()
        if created or never or official.username in reinvite:
            to_invite.append(user)
        else:
            kept.append(user)
    invitations.invite(to_invite)
    resent = invitations.resend_unsent(kept)
    result.notes.append(
        f"{len(to_invite)} lời mời đặt mật khẩu / invitations to set a password"
        + (f", {len(resent)} gửi lại / sent again" if resent else "")
    )
    return result


def _set_roles(user: User, official: Official) -> bool:
    """Make the user's official roles exactly ``official.roles`` on its unit (a citizen role stays)."""
    held = RoleAssignment.objects.filter(user=user).exclude(role=Role.CITIZEN)
    want = {(role, official.unit.pk) for role in official.roles}
    have = {(a.role, a.unit_id): a.pk for a in held}
    gone = [pk for key, pk in have.items() if key not in want]
    RoleAssignment.objects.filter(pk__in=gone).delete()
    new = [RoleAssignment(user=user, role=role, unit_id=unit) for role, unit in want if (role, unit) not in have]
    RoleAssignment.objects.bulk_create(new)
    return bool(gone or new)


@dataclass(frozen=True)
class RosterLine:
    user: User
    roles: list[RoleAssignment]
    invitation: Invitation | None  # the latest one


def roster_for(actor: User, limit: int = 500) -> list[RosterLine]:
    """The officials holding roles on the units ``actor`` administers, with their last invitation."""
    scope = units_in_scope(actor, ADMINISTRATORS)
    held = (
        RoleAssignment.objects.filter(unit__in=scope)
        .exclude(role=Role.CITIZEN)
        .select_related("user", "unit")
        .order_by("user__username", "unit__path", "role")
    )
    lines: dict[int, list[RoleAssignment]] = {}
    for assignment in held:
        if len(lines) >= limit and assignment.user_id not in lines:
            break
        lines.setdefault(assignment.user_id, []).append(assignment)
    latest = {}
    for invitation in Invitation.objects.filter(user_id__in=list(lines)).order_by("created_at", "id"):
        latest[invitation.user_id] = invitation
    return [RosterLine(roles[0].user, roles, latest.get(pk)) for pk, roles in lines.items()]
