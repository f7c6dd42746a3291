"""E-mail the leaders of each lead unit about tasks falling due within three days or overdue."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.utils import timezone, translation

from motcua.core.messages import Message as _
from motcua.people.models import Role, RoleAssignment

from .services import tasks_due


@task
def send_task_reminders(day: str | None = None) -> int:
    """Returns the number of e-mails sent; each task is reminded at most once a day."""
    when = date.fromisoformat(day) if day else timezone.localdate()
    due = list(tasks_due(when))
    by_unit: dict[int, list[str]] = {}
    with translation.override(settings.LANGUAGE_CODE):
        for item in due:
            by_unit.setdefault(item.lead_unit_id, []).append(
                str(_("%(task)s — due %(day)s") % {"task": item.title, "day": item.deadline.strftime("%d/%m/%Y")})
            )
        leaders = RoleAssignment.objects.filter(role=Role.UNIT_LEADER, unit_id__in=list(by_unit), user__is_active=True)
        sent = 0
        for leader in leaders.exclude(user__email="").select_related("user"):
            send_mail(
                str(_("motcua: reform tasks falling due")),
                "\n".join(by_unit[leader.unit_id]),
                None,
                [leader.user.email],
            )
            sent += 1
    if due:
        type(due[0]).objects.filter(pk__in=[t.pk for t in due]).update(reminded_on=when)
    return sent
