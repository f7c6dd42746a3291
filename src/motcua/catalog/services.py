"""The public face of the catalog app: finding procedures, their process, and import."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from motcua.core.messages import Message as _
from motcua.core.tabular import ImportRejected, ImportResult, Problem, Row, missing_columns, split_list
from motcua.units.models import Level
from motcua.workdays.rules import HOURS_PER_WORKING_DAY

from .models import (
    Component,
    DurationUnit,
    Fee,
    Field,
    OnlineKind,
    Procedure,
    ProcessStep,
    ProcessTemplate,
    ResultType,
    StepRole,
    Way,
    WayChannel,
)
from .search import ranked, search_text

PROCEDURE_COLUMNS = ["code", "name", "field", "level", "duration_value", "duration_unit"]
FIRST_PROCESS_VALID_FROM = date(2000, 1, 1)
TRUE_WORDS = {"1", "true", "yes", "y", "x", "có", "co"}
FALSE_WORDS = {"", "0", "false", "no", "n", "không", "khong"}


def procedure_by_code(code: str) -> Procedure | None:
    return Procedure.objects.filter(code=code, is_active=True).select_related("field").first()


def search_procedures(query: str = "", *, field: str = "", level: str = "", online_kind: str = "") -> QuerySet:
    """Active procedures matching a word of ``query`` in code, name or field, with or without
    diacritics, best first (``search.ranked``)."""
    procedures = Procedure.objects.filter(is_active=True).select_related("field")
    if field:
        procedures = procedures.filter(field__code=field)
    if level:
        procedures = procedures.filter(level=level)
    if online_kind:
        procedures = procedures.filter(online_kind=online_kind)
    return ranked(procedures, query)


def current_process(procedure: Procedure, on: date | None = None) -> ProcessTemplate | None:
    """The process template in force on ``on`` (default today)."""
    on = on or timezone.localdate()
    return procedure.process_templates.filter(valid_from__lte=on).order_by("-version").first()


# ---------------------------------------------------------------------------------------------
# Import


def import_fields(header: list[str], rows: list[Row]) -> ImportResult:
    problems = missing_columns(header, ["code", "name"])
    if problems:
        raise ImportRejected(problems)
    seen: dict[str, int] = {}
    for row in rows:
        code = row.get("code")
        if not code or not row.get("name"):
            problems.append(Problem(row.line, _("code and name are both required")))
        elif code in seen:
            problems.append(
                Problem(
                    row.line,
                    _("duplicate code %(code)s (already on line %(other)s)") % {"code": code, "other": seen[code]},
                )
            )
        else:
            seen[code] = row.line
    if problems:
        raise ImportRejected(problems)
    result = ImportResult()
    with transaction.atomic():
        existing = {f.code: f for f in Field.objects.all()}
        for row in rows:
            field = existing.get(row.get("code"))
            if field is None:
                Field.objects.create(code=row.get("code"), name=row.get("name"))
                result.created += 1
            elif field.name != row.get("name"):
                field.name = row.get("name")
                field.save(update_fields=["name"])
                result.updated += 1
            else:
                result.unchanged += 1
    return result


@dataclass
class _StepSpec:
    title: str
    role: str
    hours: Decimal


@dataclass
class _ProcedureSpec:
    line: int
    values: dict
    field: Field
    components: list[tuple[str, bool, int, int]]
    fees: list[tuple[str, int]]
    steps: list[_StepSpec]
    ways: list[tuple[str, Decimal | None, str, str, str]]


def import_procedures(header: list[str], rows: list[Row], effective: date | None = None) -> ImportResult:
    """Create or update procedures with components, fees and process; all or nothing.

    A changed process becomes a new template version valid from ``effective`` (default today),
    so dossiers already started keep the process they began with.
    """
    problems = missing_columns(header, PROCEDURE_COLUMNS)
    if problems:
        raise ImportRejected(problems)
    fields_by_key = {}
    for field in Field.objects.all():
        fields_by_key[field.code] = field
        fields_by_key.setdefault(field.name, field)
    specs: list[_ProcedureSpec] = []
    seen: dict[str, int] = {}
    for row in rows:
        spec = _parse_procedure(row, fields_by_key, problems)
        if spec is None:
            continue
        code = spec.values["code"]
        if code in seen:
            problems.append(
                Problem(
                    row.line,
                    _("duplicate code %(code)s (already on line %(other)s)") % {"code": code, "other": seen[code]},
                )
            )
            continue
        seen[code] = row.line
        specs.append(spec)
    if problems:
        raise ImportRejected(problems)
    effective = effective or timezone.localdate()
    result = ImportResult()
    with transaction.atomic():
        for spec in specs:
            _write_procedure(spec, effective, result)
    return result


def _parse_procedure(row: Row, fields_by_key: dict, problems: list[Problem]) -> _ProcedureSpec | None:
    before = len(problems)

    def bad(message):
        problems.append(Problem(row.line, message))

    code, name = row.get("code"), row.get("name")
    if not code:
        bad(_("the procedure code is empty"))
    if not name:
        bad(_("the procedure name is empty"))
    field = fields_by_key.get(row.get("field"))
    if field is None:
        bad(_("unknown field code “%(field)s”") % {"field": row.get("field")})
    level = row.get("level")
    choice_columns = {
        "level": (level, Level.values),
        "duration_unit": (row.get("duration_unit"), DurationUnit.values),
        "result_type": (row.get("result_type") or ResultType.PAPER, ResultType.values),
        "online_kind": (row.get("online_kind") or OnlineKind.NONE, OnlineKind.values),
    }
    for column, (value, allowed) in choice_columns.items():
        if value not in allowed:
            bad(
                _("“%(value)s” is not allowed in column “%(column)s” (expected one of: %(allowed)s)")
                % {"value": value, "column": column, "allowed": ", ".join(allowed)}
            )
    duration = _decimal(row.get("duration_value"))
    if duration is None or duration < 0:
        bad(_("the processing time “%(value)s” is not a number ≥ 0") % {"value": row.get("duration_value")})
    multi = row.get("multi_agency").lower()
    if multi not in TRUE_WORDS | FALSE_WORDS:
        bad(_("multi_agency must be yes or no, not “%(value)s”") % {"value": row.get("multi_agency")})

    components = _parse_components(row, bad)
    fees = _parse_fees(row, bad)
    steps = _parse_steps(row, bad)
    ways = _parse_ways(row, bad)
    deciders = _parse_deciders(row, bad)
    if len(problems) > before:
        return None
    unit = choice_columns["duration_unit"][0]
    _check_step_hours(steps, duration, unit, bad)
    if len(problems) > before:
        return None
    values = {
        "code": code,
        "name": name,
        "level": level,
        "duration_value": duration,
        "duration_unit": unit,
        "result_type": choice_columns["result_type"][0],
        "online_kind": choice_columns["online_kind"][0],
        "multi_agency": multi in TRUE_WORDS,
        "agency": row.get("agency"),
        "deciders": deciders,
        "legal_basis": row.get("legal_basis"),
        "source": row.get("source"),
        "sequence": "\n".join(split_list(row.get("sequence"))),
        "applicants": row.get("applicants"),
        "result": row.get("result"),
        "search_text": search_text(code, name, field.name),
        "is_active": True,
    }
    return _ProcedureSpec(row.line, values, field, components, fees, steps, ways)


def _parse_components(row: Row, bad) -> list[tuple[str, bool, int, int]]:
    """``name|originals|copies`` (the counts optional); a leading ``?``: needed only in some cases."""
    components = []
    for item in split_list(row.get("components")):
        optional = item.startswith("?")
        name, *counts = [p.strip() for p in item.lstrip("? ").split("|")]
        if len(counts) not in (0, 2) or not all(c.isdigit() for c in counts) or not name:
            bad(_("the document “%(value)s” should read name or name|originals|copies") % {"value": item})
            continue
        originals, copies = (int(c) for c in counts) if counts else (0, 0)
        components.append((name, not optional, originals, copies))
    return components


def _parse_ways(row: Row, bad) -> list[tuple[str, Decimal | None, str, str, str]]:
    """``way|time|unit|fees|note``: in_person, postal or online, with its own processing time
    (empty: the procedure's) and fees."""
    ways, seen = [], set()
    for item in split_list(row.get("ways")):
        parts = [p.strip() for p in item.split("|")]
        parts += [""] * (5 - len(parts))
        channel, value, unit, fees, note = parts[:5]
        duration = _decimal(value) if value else None
        if (
            len(parts) > 5
            or channel not in WayChannel.values
            or channel in seen
            or (value and (duration is None or duration < 0))
            or bool(value) != bool(unit)
            or (unit and unit not in DurationUnit.values)
        ):
            bad(
                _("the way “%(value)s” should read way|time|unit|fees|note with a way among: %(ways)s")
                % {"value": item, "ways": ", ".join(WayChannel.values)}
            )
            continue
        seen.add(channel)
        ways.append((channel, duration, unit, fees, note))
    return ways


def _parse_deciders(row: Row, bad) -> dict[str, list[str]]:
    """``commune=PKT|PKTHT; province=SNNMT``: the agency types that decide, by level."""
    deciders: dict[str, list[str]] = {}
    for item in split_list(row.get("deciders")):
        level, _equals, types = item.partition("=")
        level, found = level.strip(), [t.strip().upper() for t in types.split("|") if t.strip()]
        if level not in Level.values or not found:
            bad(
                _("“%(value)s” in column deciders is not level=TYPE (levels: %(levels)s)")
                % {"value": item, "levels": ", ".join(Level.values)}
            )
            continue
        deciders[level] = found
    return deciders


def _parse_fees(row: Row, bad) -> list[tuple[str, int]]:
    fees = []
    if row.get("fee_vnd"):
        amount = _decimal(row.get("fee_vnd"))
        if amount is None or amount < 0 or amount != int(amount):
            bad(_("the fee “%(value)s” is not a whole number of đồng") % {"value": row.get("fee_vnd")})
        else:
            fees.append((str(_("Fee")), int(amount)))
    for item in split_list(row.get("fees")):
        name, _sep, amount_text = item.rpartition("=")
        amount = _decimal(amount_text)
        if not name.strip() or amount is None or amount < 0 or amount != int(amount):
            bad(_("the fee “%(value)s” should read name=amount in đồng") % {"value": item})
        else:
            fees.append((name.strip(), int(amount)))
    return fees


def _parse_steps(row: Row, bad) -> list[_StepSpec]:
    steps = []
    for item in split_list(row.get("steps")):
        parts = [p.strip() for p in item.split("|")]
        hours = _decimal(parts[2]) if len(parts) == 3 else None
        if len(parts) != 3 or parts[1] not in StepRole.values or hours is None or hours <= 0:
            bad(
                _("the step “%(value)s” should read work|role|hours with a role among: %(roles)s")
                % {"value": item, "roles": ", ".join(StepRole.values)}
            )
            continue
        steps.append(_StepSpec(parts[0], parts[1], hours))
    return steps


def _check_step_hours(steps: list[_StepSpec], duration: Decimal, unit: str, bad) -> None:
    if not steps:
        return
    total = sum(s.hours for s in steps)
    if unit == DurationUnit.WORKING_DAYS:
        limit = duration * HOURS_PER_WORKING_DAY
    elif unit == DurationUnit.WORKING_HOURS:
        limit = duration
    elif unit == DurationUnit.IN_DAY:
        limit = Decimal(HOURS_PER_WORKING_DAY)
    else:
        return  # calendar days hold weekends and holidays: no working-hour total to match
    exact = unit != DurationUnit.IN_DAY
    if (exact and total != limit) or total > limit:
        bad(
            _("the steps add up to %(total)s working hours but the processing time is %(limit)s")
            % {"total": _number(total), "limit": _number(limit)}
        )


def _write_procedure(spec: _ProcedureSpec, effective: date, result: ImportResult) -> None:
    procedure = Procedure.objects.filter(code=spec.values["code"]).first()
    created = procedure is None
    if created:
        procedure = Procedure.objects.create(field=spec.field, **spec.values)
        changed = True
    else:
        changed = procedure.field_id != spec.field.pk or any(getattr(procedure, k) != v for k, v in spec.values.items())
        if changed:
            procedure.field = spec.field
            for key, value in spec.values.items():
                setattr(procedure, key, value)
            procedure.save()
    changed |= _sync_components(procedure, spec.components)
    changed |= _sync_fees(procedure, spec.fees)
    changed |= _sync_process(procedure, spec.steps, effective)
    changed |= _sync_ways(procedure, spec.ways)
    result.count(created=created, changed=changed)


def _sync_components(procedure: Procedure, components: list[tuple[str, bool, int, int]]) -> bool:
    existing = {c.order: c for c in procedure.components.all()}
    changed = False
    names = ["name", "required", "originals", "copies"]
    for order, wanted in enumerate(components, start=1):
        component = existing.pop(order, None)
        if component is None:
            Component.objects.create(procedure=procedure, order=order, **dict(zip(names, wanted, strict=True)))
            changed = True
        elif tuple(getattr(component, n) for n in names) != wanted:
            for name, value in zip(names, wanted, strict=True):
                setattr(component, name, value)
            component.save(update_fields=names)
            changed = True
    if existing:
        Component.objects.filter(pk__in=[c.pk for c in existing.values()]).delete()
        changed = True
    return changed


def _sync_fees(procedure: Procedure, fees: list[tuple[str, int]]) -> bool:
    current = list(procedure.fees.values_list("name", "amount"))
    if current == fees:
        return False
    procedure.fees.all().delete()
    Fee.objects.bulk_create([Fee(procedure=procedure, name=n, amount=a) for n, a in fees])
    return True


def _sync_ways(procedure: Procedure, ways: list[tuple]) -> bool:
    current = [(w.channel, w.duration_value, w.duration_unit, w.fees, w.note) for w in procedure.ways.all()]
    if current == ways:
        return False
    procedure.ways.all().delete()
    fields = ("channel", "duration_value", "duration_unit", "fees", "note")
    Way.objects.bulk_create([Way(procedure=procedure, **dict(zip(fields, w, strict=True))) for w in ways])
    return True


def _sync_process(procedure: Procedure, steps: list[_StepSpec], effective: date) -> bool:
    latest = procedure.process_templates.order_by("-version").first()
    wanted = [(s.title, s.role, s.hours) for s in steps]
    if latest is not None:
        current = [(s.title, s.role, s.hours) for s in latest.steps.all()]
        if current == wanted:
            return False
    elif not steps:
        return False
    # The first process published for a procedure applies to its whole history.
    template = ProcessTemplate.objects.create(
        procedure=procedure,
        version=(latest.version + 1) if latest else 1,
        valid_from=effective if latest else FIRST_PROCESS_VALID_FROM,
    )
    ProcessStep.objects.bulk_create(
        [
            ProcessStep(template=template, order=i, title=s.title, role=s.role, hours=s.hours)
            for i, s in enumerate(steps, start=1)
        ]
    )
    return True


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", "."))
    except (InvalidOperation, AttributeError):
        return None
    return value if value.is_finite() else None


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"
