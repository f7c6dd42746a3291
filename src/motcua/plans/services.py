"""The public face of the plans app: plans, tasks and their progress, reviews, inspections, the
yearly task-completion rating and staffing quotas, all within the user's units."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.core.errors import Refused
from motcua.core.messages import Message as _
from motcua.people.models import Role, User
from motcua.people.services import covers, units_in_scope
from motcua.units.models import Level, Unit

from . import links as task_links
from . import rules
from .models import (
    Directive,
    Fix,
    Inspection,
    Plan,
    ProgressNote,
    Quota,
    QuotaChange,
    RatingRule,
    ReformArea,
    Task,
    TaskStatus,
)


class PlanError(Refused):
    """A refused planning action: a task, review, inspection or quota that does not hold."""


OFFICIALS = (Role.DESK_OFFICER, Role.PROCESSING_OFFICER, Role.UNIT_LEADER, Role.REFORM_STAFF, Role.ADMINISTRATOR)
PLANNERS = (Role.REFORM_STAFF, Role.UNIT_LEADER, Role.ADMINISTRATOR)


def may_plan(user: User, unit: Unit) -> bool:
    return covers(user, unit, PLANNERS)


def _require(allowed: bool, message) -> None:
    if not allowed:
        raise PlanError(message)


# ---------------------------------------------------------------------------------------------
# Plans and tasks


def plans_for(user: User) -> QuerySet[Plan]:
    scope = units_in_scope(user, OFFICIALS)
    return Plan.objects.filter(Q(unit__in=scope) | Q(tasks__lead_unit__in=scope)).distinct().select_related("unit")


def tasks_for(user: User) -> QuerySet[Task]:
    """Tasks the user's units lead or co-operate on, or of plans the user's units own."""
    scope = units_in_scope(user, OFFICIALS)
    found = Task.objects.filter(Q(lead_unit__in=scope) | Q(partners__in=scope) | Q(plan__unit__in=scope))
    return found.distinct().select_related("plan", "area", "lead_unit")


def create_plan(
    user: User,
    unit: Unit,
    year: int,
    title: str,
    number: str = "",
    issued_on: date | None = None,
    legal_basis: str = "",
) -> Plan:
    _require(may_plan(user, unit), _("Your roles do not cover this unit."))
    _require(bool(title.strip()), _("Give the plan's title."))
    return Plan.objects.create(
        unit=unit,
        year=year,
        title=title.strip(),
        number=number.strip(),
        issued_on=issued_on,
        legal_basis=legal_basis.strip(),
        created_by=user,
    )


def add_directive(user: User, plan: Plan, number: str, issued_on: date, issuer: str, title: str, file=None):
    _require(may_plan(user, plan.unit), _("Your roles do not cover this unit."))
    _require(all(v.strip() for v in (number, issuer, title)), _("Give the number, issuer and title."))
    directive = Directive(
        plan=plan, number=number.strip(), issued_on=issued_on, issuer=issuer.strip(), title=title.strip()
    )
    if file is not None:
        from motcua.core.uploads import check_upload

        check_upload(file)
        directive.file.save(file.name, file, save=False)
    directive.save()
    return directive


def add_task(
    user: User,
    plan: Plan,
    *,
    area: ReformArea,
    title: str,
    lead_unit: Unit,
    deadline: date,
    output: str = "",
    partners=(),
    links: dict[str, list[str]] | None = None,
) -> Task:
    """``links``: the ids chosen for each kind of task link other apps register (``links.py``)."""
    _require(may_plan(user, plan.unit), _("Your roles do not cover this unit."))
    _require(bool(title.strip()), _("Give the task."))
    _require(lead_unit.path.startswith(plan.unit.path), _("The lead unit must be within the plan's unit."))
    with transaction.atomic():
        task = Task.objects.create(
            plan=plan, area=area, title=title.strip(), lead_unit=lead_unit, deadline=deadline, output=output.strip()
        )
        task.partners.set(partners)
        for link in task_links.registered():
            if links and link.name in links:
                link.save(task, links[link.name])
    return task


def report_progress(
    user: User, task: Task, text: str, status: TaskStatus | str, file=None, at: datetime | None = None
) -> ProgressNote:
    """The lead unit (or the plan's owner) reports progress; "done" dates the task."""
    at = at or timezone.now()
    status = TaskStatus(status)
    _require(
        covers(user, task.lead_unit, OFFICIALS) or may_plan(user, task.plan.unit),
        _("Only the lead unit reports on this task."),
    )
    _require(bool(text.strip()), _("Say what was done."))
    with transaction.atomic():
        note = ProgressNote(task=task, at=at, author=user, author_name=str(user), text=text.strip(), status=status)
        if file is not None:
            from motcua.core.uploads import check_upload

            check_upload(file)
            note.file.save(file.name, file, save=False)
        note.save()
        task.status = status
        task.done_on = timezone.localdate(at) if status == TaskStatus.DONE else None
        task.save(update_fields=["status", "done_on"])
    return note


def standing_of(task: Task, as_of: date, closed: bool = False) -> rules.Standing:
    return rules.standing(task.deadline, task.status, task.done_on, as_of, closed)


# ---------------------------------------------------------------------------------------------
# Reviews


@dataclass
class ReviewRow:
    key: str
    label: str
    counts: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def cells(self) -> list[int]:
        return [self.counts.get(s, 0) for s in rules.ORDER]


@dataclass
class Review:
    unit: Unit
    year: int
    first: date
    last: date
    as_of: date
    by_unit: list[ReviewRow]
    by_area: list[ReviewRow]
    total: ReviewRow
    unfinished: list[tuple[Task, rules.Standing]]


def review(unit: Unit, year: int, first: date, last: date, today: date | None = None) -> Review:
    """Where the year's tasks of ``unit`` and the units under it stood at the end of [first, last]
    (or today, if sooner): per lead unit and per area, and the tasks overdue or not done that were
    due by then."""
    today = today or timezone.localdate()
    as_of, closed = min(last, today), last < today
    tasks = list(
        Task.objects.filter(plan__year=year, lead_unit__path__startswith=unit.path)
        .select_related("area", "lead_unit")
        .order_by("lead_unit__path", "deadline", "id")
    )
    units: dict[int, ReviewRow] = {}
    areas: dict[int, ReviewRow] = {a.pk: ReviewRow(a.code, a.name) for a in ReformArea.objects.all()}
    total = ReviewRow("total", str(_("Total")))
    unfinished = []
    for task in tasks:
        state = standing_of(task, as_of, closed)
        units.setdefault(task.lead_unit_id, ReviewRow(task.lead_unit.code, task.lead_unit.name)).counts[state] += 1
        areas[task.area_id].counts[state] += 1
        total.counts[state] += 1
        if state not in (rules.Standing.DONE_ON_TIME, rules.Standing.DONE_LATE) and task.deadline <= last:
            unfinished.append((task, state))
    by_area = [row for row in areas.values() if row.total]
    return Review(unit, year, first, last, as_of, list(units.values()), by_area, total, unfinished)


def units_with_unfinished(found: Review) -> list[tuple[Unit, int]]:
    counts = Counter(task.lead_unit for task, _state in found.unfinished)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0].path))


# ---------------------------------------------------------------------------------------------
# Inspections


def inspections_for(user: User) -> QuerySet[Inspection]:
    scope = units_in_scope(user, OFFICIALS)
    return Inspection.objects.filter(Q(organiser__in=scope) | Q(units__in=scope)).distinct().select_related("organiser")


def record_inspection(
    user: User, organiser: Unit, kind: str, visited_on: date, team: str, units: list[Unit], findings: str = ""
) -> Inspection:
    _require(may_plan(user, organiser), _("Your roles do not cover this unit."))
    _require(bool(team.strip()) and bool(units), _("Give the team and the units visited."))
    _require(all(u.path.startswith(organiser.path) for u in units), _("The units visited must be within yours."))
    with transaction.atomic():
        inspection = Inspection.objects.create(
            organiser=organiser, kind=kind, visited_on=visited_on, team=team.strip(), findings=findings.strip()
        )
        inspection.units.set(units)
    return inspection


def require_fix(user: User, inspection: Inspection, unit: Unit, description: str, deadline: date) -> Fix:
    _require(may_plan(user, inspection.organiser), _("Your roles do not cover this unit."))
    _require(inspection.units.filter(pk=unit.pk).exists(), _("The fix must be for a unit visited."))
    _require(bool(description.strip()), _("Describe the fix required."))
    return Fix.objects.create(inspection=inspection, unit=unit, description=description.strip(), deadline=deadline)


def follow_up(user: User, fix: Fix, note: str, done_on: date | None) -> Fix:
    """The unit (or the inspectors) record what was done about a fix."""
    _require(
        covers(user, fix.unit, OFFICIALS) or may_plan(user, fix.inspection.organiser),
        _("Your roles do not cover this unit."),
    )
    fix.follow_up = "\n".join(filter(None, [fix.follow_up, note.strip()]))
    fix.done_on = done_on
    fix.save(update_fields=["follow_up", "done_on"])
    return fix


# ---------------------------------------------------------------------------------------------
# Yearly task-completion rating


def rule_for(year: int) -> RatingRule:
    found = RatingRule.objects.filter(year__lte=year).order_by("-year").first()
    if found is None:
        raise PlanError(_("No task-completion rating rule for %(year)s.") % {"year": year})
    return found


def rating(unit: Unit, year: int, today: date | None = None) -> rules.Rating:
    """The unit's (and its subtree's) tasks of the year as they stood at the year's end (or today),
    less its inspection fixes not made by their deadlines."""
    today = today or timezone.localdate()
    as_of, closed = min(date(year, 12, 31), today), date(year, 12, 31) < today
    rule = rule_for(year)
    tasks = Task.objects.filter(plan__year=year, lead_unit__path__startswith=unit.path, deadline__lte=as_of)
    standings = [standing_of(t, as_of, closed) for t in tasks]
    fixes = Fix.objects.filter(unit__path__startswith=unit.path, deadline__year=year, deadline__lte=as_of)
    missed = sum(1 for f in fixes if f.done_on is None or f.done_on > f.deadline)
    bands = [rules.Band(b["code"], b.get("label", b["code"]), Decimal(str(b["min"]))) for b in rule.bands]
    return rules.rate(standings, missed, rule.on_time_weight, rule.late_weight, rule.fix_penalty, bands)


# ---------------------------------------------------------------------------------------------
# Staffing quotas


def set_quota(
    user: User,
    unit: Unit,
    year: int,
    kind: str,
    approved: int,
    actual: int,
    decision: str,
    decided_on: date,
    issuer: str = "",
) -> Quota:
    """Record a unit's quota and headcount as a decision sets them, keeping the change."""
    _require(covers(user, unit, (Role.REFORM_STAFF, Role.ADMINISTRATOR)), _("Your roles do not cover this unit."))
    _require(approved >= 0 and actual >= 0, _("Quotas and headcounts are not negative."))
    _require(bool(decision.strip()), _("Give the decision that sets the quota."))
    with transaction.atomic():
        quota, _created, _changed = write_quota(
            unit, year, kind, approved, actual, decision, decided_on, issuer, user, unchanged_too=True
        )
    return quota


def write_quota(
    unit: Unit,
    year: int,
    kind: str,
    approved: int,
    actual: int | None,
    decision: str,
    decided_on: date,
    issuer: str,
    by: User | None,
    unchanged_too: bool = False,
) -> tuple[Quota, bool, bool]:
    """Within a transaction: the quota as a decision sets it (``actual`` None keeps the headcount),
    with the change kept; a decision that changes nothing is kept only if ``unchanged_too``.
    Returns the quota, whether it is new and whether it changed."""
    quota = Quota.objects.select_for_update().filter(unit=unit, year=year, kind=kind).first()
    created = quota is None
    quota = quota or Quota(unit=unit, year=year, kind=kind)
    before = (None, None) if created else (quota.approved, quota.actual)
    actual = quota.actual if actual is None else actual
    changed = created or before != (approved, actual)
    if changed or unchanged_too:
        quota.approved, quota.actual = approved, actual
        quota.save()
        QuotaChange.objects.create(
            quota=quota,
            approved_before=before[0],
            approved_after=approved,
            actual_before=before[1],
            actual_after=actual,
            decision=(decision or "").strip(),
            decided_on=decided_on,
            issuer=(issuer or "").strip(),
            by=by,
        )
    return quota, created, changed


@dataclass(frozen=True)
class QuotaTotal:
    level: str
    kind: str
    approved: int
    actual: int
    previous: int | None

    @property
    def level_label(self) -> str:
        """The level's name in the reader's language ("Cấp tỉnh"), not its stored value."""
        return str(Level(self.level).label) if self.level in Level.values else self.level

    @property
    def change(self) -> int | None:
        return None if self.previous is None else self.approved - self.previous


def quota_totals(unit: Unit, year: int) -> list[QuotaTotal]:
    """Approved quotas and headcounts summed per level and kind over ``unit``'s subtree, with last
    year's approved total (e.g. 2,619 → 2,579, −40)."""

    def sums(y):
        found: dict[tuple[str, str], list[int]] = {}
        for q in Quota.objects.filter(year=y, unit__path__startswith=unit.path).select_related("unit"):
            row = found.setdefault((q.unit.level, q.kind), [0, 0])
            row[0] += q.approved
            row[1] += q.actual
        return found

    now, before = sums(year), sums(year - 1)
    keys = sorted(set(now) | set(before))
    result = [
        QuotaTotal(
            level, kind, *now.get((level, kind), [0, 0]), before[(level, kind)][0] if (level, kind) in before else None
        )
        for level, kind in keys
    ]
    for kind in sorted({k for _l, k in keys}):
        rows = [r for r in result if r.kind == kind]
        previous = [r.previous for r in rows if r.previous is not None]
        result.append(
            QuotaTotal(
                "total",
                kind,
                sum(r.approved for r in rows),
                sum(r.actual for r in rows),
                sum(previous) if previous else None,
            )
        )
    return result


# ---------------------------------------------------------------------------------------------
# Reminders


def tasks_due(day: date, within_days: int = 3) -> QuerySet[Task]:
    """Tasks not done, due within ``within_days`` or overdue, not yet reminded today."""
    return (
        Task.objects.exclude(status=TaskStatus.DONE)
        .filter(deadline__lte=day + timedelta(days=within_days))
        .exclude(reminded_on=day)
        .select_related("lead_unit", "plan")
    )
