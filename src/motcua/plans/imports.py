"""Importing a year's reform plan with its tasks (``motcua import plan FILE``) and staffing quotas
(``motcua import quotas FILE``): the whole file or nothing, every problem listed by line and column.

A plan file has one row per task; the plan's own columns (``plan_number``, ``plan_date``, ``year``,
``unit_code``, ``plan_title``) are given on the first row and, on the others, left empty or repeated
the same. The plan is found again by its unit, year and number: a re-import updates its tasks by
their ``code`` and keeps their progress; a task of the plan missing from the file is removed, unless
it has progress, which refuses the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

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
from motcua.people.models import Role, User
from motcua.people.services import covers
from motcua.units.models import Unit
from motcua.units.services import unit_on

from .models import Plan, ReformArea, StaffKind, Task, TaskStatus
from .services import may_plan, write_quota

PLAN_COLUMNS = ["plan_number", "plan_date", "year", "unit_code", "plan_title"]
TASK_COLUMNS = ["code", "task", "area", "lead_unit", "deadline"]
# The longest text each column's field holds.
LIMITS = {
    "plan_number": 60,
    "plan_title": 500,
    "unit_code": 40,
    "code": 20,
    "task": 500,
    "output": 500,
    "decision_number": 120,
    "issuer": 255,
}
YEARS = range(1990, 2101)
MOST = 10_000_000  # no unit's quota comes near
QUOTA_KEEPERS = (Role.REFORM_STAFF, Role.ADMINISTRATOR)
QUOTA_COLUMNS = ["unit_code", "year", "kind", "approved", "decision_number", "decision_date", "issuer"]
# The kinds of staff by their code and their Vietnamese names (Decree 62/2020, 106/2020, 111/2022).
KIND_NAMES = {
    "civil_servant": StaffKind.CIVIL_SERVANT,
    "công chức": StaffKind.CIVIL_SERVANT,
    "public_employee": StaffKind.PUBLIC_EMPLOYEE,
    "viên chức": StaffKind.PUBLIC_EMPLOYEE,
    "contract": StaffKind.CONTRACT,
    "hợp đồng lao động": StaffKind.CONTRACT,
}


class _Problems(list):
    def add(self, row: Row | None, column: str | None, message) -> None:
        self.append(Problem(row.line if row else None, message, column))


def _empty(problems: _Problems, row: Row, columns) -> None:
    for column in columns:
        if not row.get(column):
            problems.add(row, column, _("the cell is empty"))


def _date(problems: _Problems, row: Row, column: str) -> date | None:
    text = row.get(column)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.add(row, column, _("“%(value)s” is not a date (YYYY-MM-DD)") % {"value": text})
        return None


def _whole(problems: _Problems, row: Row, column: str) -> int | None:
    text = row.get(column).replace(".", "").replace(",", "")
    if not text:
        return None
    if not text.isascii() or not text.isdigit() or int(text) > MOST:
        problems.add(row, column, _("“%(value)s” is not a whole number") % {"value": row.get(column)})
        return None
    return int(text)


def _year(problems: _Problems, row: Row, column: str = "year") -> int | None:
    text = row.get(column)
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and int(text) in YEARS):
        problems.add(row, column, _("“%(value)s” is not a year") % {"value": text})
        return None
    return int(text)


def _unit(problems: _Problems, row: Row, column: str, code: str, day: date | None) -> Unit | None:
    if not code or day is None or "\x00" in code:  # a NUL is refused by check_text
        return None
    unit = unit_on(code, day)
    if unit is None:
        problems.add(row, column, _("no unit has the code “%(code)s” on %(day)s") % {"code": code, "day": day})
    return unit


# ---------------------------------------------------------------------------------------------
# Plans


@dataclass
class _PlanHead:
    number: str
    issued_on: date | None
    year: int | None
    unit: Unit | None
    title: str
    legal_basis: str


@dataclass
class _TaskRow:
    row: Row
    code: str
    title: str
    area: ReformArea
    lead: Unit
    partners: list[Unit]
    deadline: date
    output: str
    remarks: str


def import_plan(header: list[str], rows: list[Row], actor: User | None = None) -> ImportResult:
    """Create or update one plan and its tasks from ``rows``; all or nothing. Raises ImportRejected.
    An ``actor`` (an upload in the pages) must plan for the plan's unit; the command is not asked."""
    problems = _Problems(missing_columns(header, PLAN_COLUMNS + TASK_COLUMNS))
    if problems:
        raise ImportRejected(problems)
    if not rows:
        raise ImportRejected([Problem(None, _("The file has no rows."))])
    head = _plan_head(rows, problems)
    if actor is not None and head.unit is not None and not may_plan(actor, head.unit):
        problems.add(rows[0], "unit_code", _("Your roles do not cover this unit."))
    areas = {a.code: a for a in ReformArea.objects.all()} | {a.name.casefold(): a for a in ReformArea.objects.all()}
    tasks, seen = [], {}
    for row in rows:
        task = _task_row(row, head, areas, seen, problems)
        if task is not None:
            tasks.append(task)
    plan = _existing_plan(head, rows[0], problems) if not problems else None
    if plan is not None:
        kept = {t.code for t in tasks}
        for task in plan.tasks.exclude(code__in=kept).order_by("code", "id"):
            if task.notes.exists() or task.status != TaskStatus.NOT_STARTED:
                problems.add(
                    None,
                    None,
                    _("task %(code)s “%(title)s” has progress reported and cannot be removed: keep it in the file")
                    % {"code": task.code or "—", "title": task.title},
                )
    if problems:
        raise ImportRejected(problems)
    with transaction.atomic():
        return _write_plan(head, plan, tasks, actor)


def _plan_head(rows: list[Row], problems: _Problems) -> _PlanHead:
    first = rows[0]
    _empty(problems, first, PLAN_COLUMNS)
    for row in rows[1:]:
        for column in [*PLAN_COLUMNS, "legal_basis"]:
            if row.get(column) and row.get(column) != first.get(column):
                problems.add(
                    row,
                    column,
                    _("differs from the first row’s “%(value)s”: one file, one plan") % {"value": first.get(column)},
                )
    issued_on = _date(problems, first, "plan_date")
    year = _year(problems, first)
    if year is not None and issued_on is not None and abs(issued_on.year - year) > 1:
        problems.add(first, "plan_date", _("the plan’s date is far from its year %(year)s") % {"year": year})
    unit = _unit(problems, first, "unit_code", first.get("unit_code"), issued_on)
    return _PlanHead(first.get("plan_number"), issued_on, year, unit, first.get("plan_title"), first.get("legal_basis"))


def _task_row(row: Row, head: _PlanHead, areas, seen: dict[str, int], problems: _Problems) -> _TaskRow | None:
    before = len(problems)
    _empty(problems, row, TASK_COLUMNS)
    problems += check_text(row, LIMITS)
    code = row.get("code")
    if code in seen:
        problems.add(row, "code", _("task %(code)s is already on line %(other)s") % {"code": code, "other": seen[code]})
    seen.setdefault(code, row.line)
    area = areas.get(row.get("area").casefold()) if row.get("area") else None
    if row.get("area") and area is None:
        problems.add(row, "area", _("“%(value)s” is not a reform area (1 to 8)") % {"value": row.get("area")})
    lead = _unit(problems, row, "lead_unit", row.get("lead_unit"), head.issued_on)
    if lead is not None and head.unit is not None and not lead.path.startswith(head.unit.path):
        problems.add(row, "lead_unit", _("%(unit)s is not within the plan’s unit") % {"unit": lead.name})
    partners = [
        _unit(problems, row, "partner_units", code, head.issued_on) for code in split_list(row.get("partner_units"))
    ]
    deadline = _date(problems, row, "deadline")
    if len(problems) > before:
        return None
    return _TaskRow(
        row,
        code,
        " ".join(row.get("task").split()),
        area,
        lead,
        [p for p in partners if p is not None],
        deadline,
        row.get("output"),
        row.get("notes"),
    )


def _existing_plan(head: _PlanHead, first: Row, problems: _Problems) -> Plan | None:
    plan = Plan.objects.filter(unit=head.unit, year=head.year, number=head.number).first()
    clash = Plan.objects.filter(unit=head.unit, year=head.year, title=head.title)
    if clash.exclude(pk=plan.pk if plan else None).exists():
        problems.add(first, "plan_title", _("another plan of the unit and year has this title"))
    return plan


def _write_plan(head: _PlanHead, plan: Plan | None, rows: list[_TaskRow], actor: User | None) -> ImportResult:
    result = ImportResult()
    fields = {"title": head.title, "issued_on": head.issued_on, "legal_basis": head.legal_basis}
    if plan is None:
        plan = Plan.objects.create(unit=head.unit, year=head.year, number=head.number, created_by=actor, **fields)
        result.notes.append(f"Kế hoạch mới / new plan: {plan.number} ({plan.year})")
    elif any(getattr(plan, k) != v for k, v in fields.items()):
        for key, value in fields.items():
            setattr(plan, key, value)
        plan.save(update_fields=list(fields))
        result.notes.append(f"Kế hoạch được cập nhật / plan updated: {plan.number} ({plan.year})")
    existing = {t.code: t for t in plan.tasks.prefetch_related("partners")}
    removed = plan.tasks.exclude(code__in=[r.code for r in rows])
    result.notes.append(f"{removed.count()} nhiệm vụ bị bỏ / tasks removed")
    removed.delete()
    for item in rows:
        task = existing.get(item.code)
        values = {
            "title": item.title,
            "area_id": item.area.pk,
            "lead_unit_id": item.lead.pk,
            "deadline": item.deadline,
            "output": item.output,
            "remarks": item.remarks,
        }
        created = task is None
        changed = created or any(getattr(task, k) != v for k, v in values.items())
        if created:
            task = Task.objects.create(plan=plan, code=item.code, **values)
        elif changed:
            for key, value in values.items():
                setattr(task, key, value)
            task.save(update_fields=[k.removesuffix("_id") for k in values])
        partners = {u.pk for u in item.partners}
        if created or partners != {u.pk for u in task.partners.all()}:
            task.partners.set(partners)
            changed = True
        result.count(created=created, changed=changed)
    return result


# ---------------------------------------------------------------------------------------------
# Staffing quotas


def import_quotas(header: list[str], rows: list[Row], actor: User | None = None) -> ImportResult:
    """Set each row's quota (unit, year, kind) as its decision does, keeping every change with the
    decision; a row that changes nothing is left alone. All or nothing; raises ImportRejected.
    An ``actor`` (an upload in the pages) must be reform staff or administrator over every unit."""
    problems = _Problems(missing_columns(header, QUOTA_COLUMNS))
    if problems:
        raise ImportRejected(problems)
    parsed, seen = [], {}
    for row in rows:
        before = len(problems)
        _empty(problems, row, QUOTA_COLUMNS)
        problems += check_text(row, LIMITS)
        year, approved = _year(problems, row), _whole(problems, row, "approved")
        actual = _whole(problems, row, "actual") if "actual" in header else None
        kind = KIND_NAMES.get(row.get("kind").casefold()) if row.get("kind") else None
        if row.get("kind") and kind is None:
            problems.add(
                row,
                "kind",
                _("“%(value)s” is not a kind of staff (%(known)s)")
                % {"value": row.get("kind"), "known": ", ".join(StaffKind.values)},
            )
        decided_on = _date(problems, row, "decision_date")
        unit = _unit(problems, row, "unit_code", row.get("unit_code"), decided_on)
        if actor is not None and unit is not None and not covers(actor, unit, QUOTA_KEEPERS):
            problems.add(row, "unit_code", _("Your roles do not cover this unit."))
        key = (unit.pk if unit else None, year, kind)
        if None not in key:
            if key in seen:
                problems.add(
                    row, "unit_code", _("the same unit, year and kind as line %(other)s") % {"other": seen[key]}
                )
            seen.setdefault(key, row.line)
        if len(problems) == before:
            parsed.append((row, unit, year, kind, approved, actual, decided_on))
    if problems:
        raise ImportRejected(problems)
    result = ImportResult()
    with transaction.atomic():
        for row, unit, year, kind, approved, actual, decided_on in parsed:
            _quota, created, changed = write_quota(
                unit, year, kind, approved, actual, row.get("decision_number"), decided_on, row.get("issuer"), actor
            )
            result.count(created=created, changed=changed)
    return result
