"""Early warning: dossiers and process steps falling due within one working day, and processing
officers with overdue work, for a unit's subtree; sent to leaders as a daily e-mail digest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Count, Min, Q
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation

from motcua.dossiers.models import Dossier, DossierStep
from motcua.dossiers.rules import Status
from motcua.people.models import Role, RoleAssignment
from motcua.units.maps import Scope, UnitMap, scope_for
from motcua.units.models import Unit
from motcua.workdays.services import add_working_hours

WORKING_DAY_HOURS = 8
LISTED = 50  # at most this many of each list on the page and in the e-mail


@dataclass
class OfficerLoad:
    name: str
    username: str
    overdue_steps: int
    oldest_due: datetime


@dataclass
class Warnings:
    unit: Unit
    now: datetime
    until: datetime  # one working day from now
    due_soon: list[Dossier]
    due_soon_count: int
    steps_due_soon: list[DossierStep]
    steps_due_soon_count: int
    officers: list[OfficerLoad]

    @property
    def empty(self) -> bool:
        return not (self.due_soon_count or self.steps_due_soon_count or self.officers)


def early_warnings(unit: Unit, now: datetime | None = None, scope: Scope | None = None) -> Warnings:
    """``scope``: the unit's on today's unit map, if the caller has it already."""
    now = now or timezone.now()
    until = add_working_hours(now, WORKING_DAY_HOURS)
    scope = scope or scope_for(unit, UnitMap.TODAY, today=timezone.localdate(now))
    open_dossiers = Dossier.objects.filter(
        scope.where("processing_unit_id"), received_at__isnull=False, finished_at__isnull=True
    ).exclude(status=Status.WAITING_SUPPLEMENT)
    due_soon = open_dossiers.filter(due_at__gte=now, due_at__lt=until).select_related("procedure", "processing_unit")
    mine = (
        Q(dossier__province_id=scope.province)
        if scope.whole_province
        else Q(dossier__processing_unit_id__in=sorted(scope.home))
    )
    steps = (
        DossierStep.objects.filter(mine, finished_at__isnull=True, dossier__finished_at__isnull=True)
        .exclude(dossier__status=Status.WAITING_SUPPLEMENT)
        .select_related("dossier", "unit", "assignee")
    )
    steps_due_soon = steps.filter(due_at__gte=now, due_at__lt=until).order_by("due_at")
    officers = (
        steps.filter(due_at__lt=now, assignee__isnull=False)
        .values("assignee__username", "assignee__full_name", "assignee__first_name", "assignee__last_name")
        .annotate(n=Count("pk"), oldest=Min("due_at"))
        .order_by("-n", "oldest")
    )
    return Warnings(
        unit=unit, now=now, until=until,
        due_soon=list(due_soon.order_by("due_at")[:LISTED]), due_soon_count=due_soon.count(),
        steps_due_soon=list(steps_due_soon[:LISTED]), steps_due_soon_count=steps_due_soon.count(),
        officers=[OfficerLoad(_name(o), o["assignee__username"], o["n"], o["oldest"]) for o in officers[:LISTED]],
    )  # fmt: skip


def _name(row: dict) -> str:
    full = row["assignee__full_name"] or f"{row['assignee__last_name']} {row['assignee__first_name']}".strip()
    return full or row["assignee__username"]


def digest_recipients() -> list[tuple[str, Unit]]:
    """Each leader with an e-mail address, once per unit they lead."""
    rows = RoleAssignment.objects.filter(role=Role.UNIT_LEADER, user__is_active=True).exclude(user__email="")
    return [(a.user.email, a.unit) for a in rows.select_related("user", "unit").order_by("unit__path", "user__email")]


@task
def send_daily_digest(now: str | None = None) -> int:
    """E-mail each leader the early warnings of their units (nothing when there is nothing to say).
    Returns the number of e-mails sent."""
    moment = datetime.fromisoformat(now) if now else timezone.now()
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for email, unit in digest_recipients():
            found = early_warnings(unit, moment)
            if found.empty:
                continue
            context = {"w": found}
            subject = render_to_string("quality/digest_subject.txt", context).strip()
            body = render_to_string("quality/digest.txt", context)
            send_mail(subject, body, None, [email])
            sent += 1
    return sent
