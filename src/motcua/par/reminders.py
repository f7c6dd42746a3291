"""Reminders before PAR deadlines: each unit leader hears of the criteria their unit must prepare
and of a self-assessment not yet submitted, three days ahead and every day once late."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.utils import timezone, translation

from motcua.core.messages import Message as _
from motcua.people.models import Role, RoleAssignment

from .cycle import assignments_due
from .models import Assessment, AssessmentStatus, Framework, Stage

AHEAD = 3  # days


def reminders(day: date) -> dict[int, list[str]]:
    """Lines to send, by unit id."""
    lines: dict[int, list[str]] = {}
    for assignment in assignments_due(day, AHEAD):
        lines.setdefault(assignment.unit_id, []).append(
            str(
                _("Criterion %(code)s of %(framework)s is due on %(day)s.")
                % {
                    "code": assignment.criterion.code,
                    "framework": assignment.criterion.framework.name,
                    "day": assignment.deadline.strftime("%d/%m/%Y"),
                }
            )
        )
    due = Framework.objects.filter(stage=Stage.SELF_ASSESSMENT, self_deadline__lte=day + timedelta(days=AHEAD))
    for framework in due:
        submitted = set(
            Assessment.objects.filter(framework=framework)
            .exclude(status=AssessmentStatus.DRAFT)
            .values_list("unit_id", flat=True)
        )
        for link in framework.scope.exclude(unit_id__in=submitted):
            lines.setdefault(link.unit_id, []).append(
                str(
                    _("The self-assessment for %(framework)s is due on %(day)s and not submitted yet.")
                    % {"framework": framework.name, "day": framework.self_deadline.strftime("%d/%m/%Y")}
                )
            )
    return lines


@task
def send_reminders(day: str | None = None) -> int:
    """E-mail the leaders of each unit with something due; returns the number of e-mails."""
    when = date.fromisoformat(day) if day else timezone.localdate()
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        found = reminders(when)
        leaders = RoleAssignment.objects.filter(role=Role.UNIT_LEADER, unit_id__in=list(found), user__is_active=True)
        for leader in leaders.exclude(user__email="").select_related("user"):
            body = "\n".join(found[leader.unit_id])
            send_mail(str(_("motcua: PAR index deadlines")), body, None, [leader.user.email])
            sent += 1
    return sent
