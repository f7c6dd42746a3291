"""The public face of the PAR app: frameworks (import, export, copy), scores (self-assessment,
appraisal, survey, computed), results, and publication."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.core.messages import Message as _
from motcua.core.tabular import ImportRejected, ImportResult, Problem, Row, missing_columns
from motcua.people.models import Role, User
from motcua.people.services import covers, units_in_scope
from motcua.units.models import Unit

from . import rules
from .models import (
    Assessment,
    AssessmentStatus,
    Assignment,
    Criterion,
    Framework,
    FrameworkUnit,
    GroupBand,
    Measure,
    Score,
    Source,
    Stage,
)


class ParError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


COUNCIL_ROLES = (Role.REFORM_STAFF, Role.ADMINISTRATOR)
UNIT_ROLES = (Role.UNIT_LEADER, Role.REFORM_STAFF, Role.PROCESSING_OFFICER)


# ---------------------------------------------------------------------------------------------
# Reading


def framework_by_code(code: str) -> Framework | None:
    return Framework.objects.filter(code=code).select_related("owner", "previous").first()


def units_of(framework: Framework) -> list[Unit]:
    return [link.unit for link in framework.scope.select_related("unit").order_by("unit__code")]


def leaves(framework: Framework) -> list[Criterion]:
    return list(framework.criteria.filter(children__isnull=True).order_by("order"))


def areas(framework: Framework) -> list[Criterion]:
    return list(framework.criteria.filter(parent__isnull=True).order_by("order"))


def bands_of(framework: Framework) -> list[rules.Band]:
    return [rules.Band(b.code, b.min_percent, b.label) for b in framework.bands.all()]


def leaf_points(score: Score | None, criterion: Criterion) -> Decimal:
    """The points a leaf counts: computed from data, or the appraised score (the self-score until
    appraised) plus any survey points."""
    if score is None:
        return Decimal(0)
    if criterion.source == Source.COMPUTED:
        return score.computed_score or Decimal(0)
    scored = score.appraised_score if score.appraised_score is not None else score.self_score
    return (scored or Decimal(0)) + (score.survey_score or Decimal(0))


def unit_points(framework: Framework) -> list[rules.UnitPoints]:
    """Each assessed unit's points, with the points of each area."""
    criteria = {c.pk: c for c in framework.criteria.all()}
    area_of = {}
    for criterion in criteria.values():
        top = criterion
        while top.parent_id is not None:
            top = criteria[top.parent_id]
        area_of[criterion.pk] = top.code
    leaf_ids = {c.pk for c in leaves(framework)}
    maximum = sum((c.max_points for c in criteria.values() if c.parent_id is None), Decimal(0))
    scores: dict[int, dict[int, Score]] = {}
    for score in Score.objects.filter(assessment__framework=framework).select_related("assessment"):
        scores.setdefault(score.assessment.unit_id, {})[score.criterion_id] = score
    result = []
    for unit in units_of(framework):
        mine = scores.get(unit.pk, {})
        by_area: dict[str, Decimal] = {c.code: Decimal(0) for c in criteria.values() if c.parent_id is None}
        for pk in leaf_ids:
            by_area[area_of[pk]] += leaf_points(mine.get(pk), criteria[pk])
        total = sum(by_area.values(), Decimal(0))
        result.append(rules.UnitPoints(unit.code, unit.name, total, maximum, by_area))
    return result


@dataclass(frozen=True)
class Results:
    framework: Framework
    rows: list[rules.ResultRow]
    summary: rules.Summary
    published: bool

    def as_dict(self) -> dict:
        return {
            "framework": self.framework.code,
            "name": self.framework.name,
            "year": self.framework.year,
            "published": self.published,
            "decision": self.framework.decision,
            "rows": [row.as_dict() for row in self.rows],
            "summary": self.summary.as_dict(),
        }


def results(framework: Framework) -> Results:
    """The ranking with its changes against last year's framework; as frozen when published."""
    bands = bands_of(framework)
    if framework.stage == Stage.PUBLISHED and framework.published_rows:
        rows = [_row_from(data) for data in framework.published_rows]
        stored = framework.published_summary
        summary = rules.Summary(
            stored["count"],
            _decimal_or_none(stored["average"]),
            _decimal_or_none(stored["average_change"]),
            stored["groups"],
        )
        return Results(framework, rows, summary, True)
    previous, previous_points = {}, []
    if framework.previous_id:
        before = results(framework.previous)
        previous = {r.unit_code: rules.Previous(r.points, r.rank) for r in before.rows}
        previous_points = [r.points for r in before.rows]
    rows = rules.results(unit_points(framework), bands, previous)
    return Results(framework, rows, rules.summary(rows, bands, previous_points), False)


def history(framework: Framework, unit_code: str) -> list[tuple[int, Decimal | None, int | None]]:
    """(year, points, rank) of the unit in this framework and the earlier ones it follows, oldest first."""
    found = []
    current: Framework | None = framework
    seen = set()
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        row = next((r for r in results(current).rows if r.unit_code == unit_code), None)
        found.append((current.year, row.points if row else None, row.rank if row else None))
        current = current.previous
    return list(reversed(found))


def first_place_streak(framework: Framework, unit_code: str) -> int:
    return rules.streak([rank for _year, _points, rank in history(framework, unit_code)])


def lift(framework: Framework, unit: Unit) -> tuple[str, Decimal, list[rules.Lost]] | None:
    """What-if: the criteria whose lost points would lift the unit into the next group."""
    assessment = Assessment.objects.filter(framework=framework, unit=unit).first()
    scores = {s.criterion_id: s for s in assessment.scores.all()} if assessment else {}
    lost, total = [], Decimal(0)
    for criterion in leaves(framework):
        got = leaf_points(scores.get(criterion.pk), criterion)
        total += got
        if criterion.source != Source.COMPUTED:
            lost.append(rules.Lost(criterion.code, criterion.title, criterion.max_points - got))
    maximum = sum((a.max_points for a in areas(framework)), Decimal(0))
    return rules.lift_to_next_group(total, maximum, bands_of(framework), lost)


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


# ---------------------------------------------------------------------------------------------
# Frameworks: import, export, copy


FRAMEWORK_COLUMNS = ("code", "title", "max_points")


@dataclass(frozen=True)
class FrameworkSheets:
    """A framework file: the criteria, the groups (``code,min_percent,label``) and the units
    assessed (``unit_code``)."""

    criteria: tuple[list[str], list[Row]]
    groups: tuple[list[str], list[Row]]
    units: tuple[list[str], list[Row]]


def import_framework(
    sheets: FrameworkSheets, *, code: str, name: str, year: int, owner: Unit, previous: Framework | None = None
) -> Framework:
    """Create (or, while still being prepared, replace) a framework from its sheets; nothing is
    written if any row is wrong."""
    problems: list[Problem] = []
    existing = Framework.objects.filter(code=code).first()
    if existing is not None and existing.stage != Stage.DRAFT:
        raise ImportRejected([Problem(None, _("Framework %(code)s is in use; copy it instead.") % {"code": code})])
    header, rows = sheets.criteria
    problems += missing_columns(header, FRAMEWORK_COLUMNS)
    specs = _criteria_specs(rows, problems) if not problems else []
    bands = _band_specs(sheets.groups, problems)
    units = _unit_specs(sheets.units, year, problems)
    if problems:
        raise ImportRejected(problems)
    with transaction.atomic():
        if existing is not None:
            existing.delete()
        framework = Framework.objects.create(code=code, name=name, year=year, owner=owner, previous=previous)
        _write_criteria(framework, specs)
        GroupBand.objects.bulk_create(GroupBand(framework=framework, **band) for band in bands)
        FrameworkUnit.objects.bulk_create(FrameworkUnit(framework=framework, unit=unit) for unit in units)
    return framework


def _criteria_specs(rows: list[Row], problems: list[Problem]) -> list[dict]:
    specs, codes = [], set()
    for row in rows:
        code = row.get("code")
        if not code:
            problems.append(Problem(row.line, _("column “%(column)s” is empty") % {"column": "code"}))
            continue
        if code in codes:
            problems.append(Problem(row.line, _("criterion %(code)s appears twice") % {"code": code}))
        codes.add(code)
        parent = row.get("parent_code") or (code.rsplit(".", 1)[0] if "." in code else "")
        points = parse_points(row.get("max_points"))
        if points is None:
            problems.append(
                Problem(row.line, _("“%(value)s” is not a number of points") % {"value": row.get("max_points")})
            )
        source = row.get("source") or Source.SELF
        if source not in Source.values:
            problems.append(
                Problem(row.line, _("“%(value)s” is not one of self, survey, computed") % {"value": source})
            )
        measure = row.get("measure")
        if source == Source.COMPUTED and measure not in Measure.values:
            problems.append(
                Problem(
                    row.line, _("a computed criterion needs a measure: %(list)s") % {"list": ", ".join(Measure.values)}
                )
            )
        specs.append(
            {
                "line": row.line,
                "code": code,
                "parent": parent,
                "title": row.get("title"),
                "max_points": points,
                "source": source,
                "measure": measure if source == Source.COMPUTED else "",
                "guidance": row.get("guidance"),
                "evidence": row.get("evidence"),
            }
        )
    by_code = {s["code"]: s for s in specs}
    for spec in specs:
        if spec["parent"] and spec["parent"] not in by_code:
            problems.append(
                Problem(
                    spec["line"],
                    _("criterion %(code)s has no parent %(parent)s in the file")
                    % {"code": spec["code"], "parent": spec["parent"]},
                )
            )
    children: dict[str, list[dict]] = {}
    for spec in specs:
        children.setdefault(spec["parent"], []).append(spec)
    for spec in specs:
        below = children.get(spec["code"])
        if below and spec["max_points"] is not None and all(c["max_points"] is not None for c in below):
            total = sum(c["max_points"] for c in below)
            if total != spec["max_points"]:
                problems.append(
                    Problem(
                        spec["line"],
                        _("criterion %(code)s has %(max)s points but its parts add up to %(sum)s")
                        % {"code": spec["code"], "max": spec["max_points"], "sum": total},
                    )
                )
    return specs


def _band_specs(sheet, problems: list[Problem]) -> list[dict]:
    header, rows = sheet
    if not rows:
        return []
    problems += missing_columns(header, ("code", "min_percent"))
    bands = []
    for row in rows:
        value = parse_points(row.get("min_percent"))
        if value is None or not 0 <= value <= 100:
            problems.append(Problem(row.line, _("“%(value)s” is not a percent") % {"value": row.get("min_percent")}))
            continue
        bands.append({"code": row.get("code"), "min_percent": value, "label": row.get("label")})
    return bands


def _unit_specs(sheet, year: int, problems: list[Problem]) -> list[Unit]:
    from motcua.units.services import unit_on

    header, rows = sheet
    problems += missing_columns(header, ("unit_code",)) if rows else []
    units = []
    for row in rows:
        unit = _unit_in_year(row.get("unit_code"), year, unit_on)
        if unit is None:
            problems.append(
                Problem(
                    row.line, _("no unit with code %(code)s in %(year)s") % {"code": row.get("unit_code"), "year": year}
                )
            )
        else:
            units.append(unit)
    return units


def _unit_in_year(code: str, year: int, unit_on) -> Unit | None:
    return (
        unit_on(code, date(year, 12, 31))
        or Unit.objects.filter(code=code, valid_from__year__lte=year).order_by("-valid_from").first()
    )


def _write_criteria(framework: Framework, specs: list[dict]) -> None:
    made: dict[str, Criterion] = {}
    for order, spec in enumerate(specs):
        made[spec["code"]] = Criterion.objects.create(
            framework=framework,
            parent=made.get(spec["parent"]),
            code=spec["code"],
            title=spec["title"] or spec["code"],
            max_points=spec["max_points"],
            source=spec["source"],
            measure=spec["measure"],
            guidance=spec["guidance"] or "",
            evidence=spec["evidence"] or "",
            order=order,
        )


def export_framework(framework: Framework) -> bytes:
    """The framework as an xlsx workbook that ``import_framework`` reads back."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "criteria"
    sheet.append(["code", "parent_code", "title", "max_points", "source", "measure", "guidance", "evidence"])
    for c in framework.criteria.select_related("parent").order_by("order"):
        sheet.append(
            [
                c.code,
                c.parent.code if c.parent else "",
                c.title,
                float(c.max_points),
                c.source,
                c.measure,
                c.guidance,
                c.evidence,
            ]
        )
    groups = book.create_sheet("groups")
    groups.append(["code", "min_percent", "label"])
    for band in framework.bands.all():
        groups.append([band.code, float(band.min_percent), band.label])
    units = book.create_sheet("units")
    units.append(["unit_code", "unit_name"])
    for unit in units_of(framework):
        units.append([unit.code, unit.name])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_framework_file(path, content: bytes | None = None) -> FrameworkSheets:
    """The three sheets of a framework workbook, or a CSV of criteria alone."""
    from pathlib import Path

    from motcua.core.tabular import read_table

    path = Path(path)
    if path.suffix.lower() not in {".xlsx", ".xlsm"}:
        return FrameworkSheets(read_table(path, content), ([], []), ([], []))
    import io

    from openpyxl import Workbook, load_workbook

    data = content if content is not None else path.read_bytes()
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a damaged file raises many kinds
        raise ImportRejected([Problem(None, _("The file is not a readable xlsx workbook."))]) from exc
    sheets = {}
    for name in ("criteria", "groups", "units"):
        if name not in book.sheetnames:
            sheets[name] = ([], [])
            continue
        single = Workbook()
        single.remove(single.active)
        copy = single.create_sheet(name)
        for values in book[name].iter_rows(values_only=True):
            copy.append(list(values))
        out = io.BytesIO()
        single.save(out)
        sheets[name] = read_table(path, out.getvalue())
    book.close()
    if not sheets["criteria"][1]:
        raise ImportRejected([Problem(None, _("The workbook has no “criteria” sheet with rows."))])
    return FrameworkSheets(sheets["criteria"], sheets["groups"], sheets["units"])


def copy_framework(framework: Framework, code: str, year: int, name: str | None = None) -> Framework:
    """Start next year's framework from this one: criteria, groups, units and assignments (their
    deadlines a year on), with this one as last year's."""
    if Framework.objects.filter(code=code).exists():
        raise ParError(_("A framework with code %(code)s already exists.") % {"code": code})
    with transaction.atomic():
        new = Framework.objects.create(
            code=code,
            name=name or framework.name.replace(str(framework.year), str(year)),
            year=year,
            owner=framework.owner,
            previous=framework,
        )
        made: dict[int, Criterion] = {}
        for c in framework.criteria.order_by("order"):
            made[c.pk] = Criterion.objects.create(
                framework=new,
                parent=made.get(c.parent_id),
                code=c.code,
                title=c.title,
                max_points=c.max_points,
                source=c.source,
                measure=c.measure,
                guidance=c.guidance,
                evidence=c.evidence,
                order=c.order,
            )
        GroupBand.objects.bulk_create(
            GroupBand(framework=new, code=b.code, label=b.label, min_percent=b.min_percent)
            for b in framework.bands.all()
        )
        FrameworkUnit.objects.bulk_create(
            FrameworkUnit(framework=new, unit_id=s.unit_id) for s in framework.scope.all()
        )
        Assignment.objects.bulk_create(
            Assignment(
                criterion=made[a.criterion_id], unit_id=a.unit_id, deadline=_year_on(a.deadline, year - framework.year)
            )
            for a in Assignment.objects.filter(criterion__framework=framework)
        )
    return new


def _year_on(day: date | None, years: int) -> date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# ---------------------------------------------------------------------------------------------
# Scores


SCORE_COLUMNS = ("framework", "unit_code", "criterion_code", "self_score", "appraised_score", "survey_score")


def import_scores(header: list[str], rows: list[Row]) -> ImportResult:
    """``framework,unit_code,criterion_code,self_score,appraised_score,survey_score`` (empty cells
    allowed): every row checked, then all written in one transaction, or none."""
    problems = missing_columns(header, SCORE_COLUMNS)
    if problems:
        raise ImportRejected(problems)
    frameworks: dict[str, Framework | None] = {}
    criteria: dict[tuple[int, str], Criterion | None] = {}
    scope: dict[int, dict[str, Unit]] = {}
    parsed = []
    for row in rows:
        code = row.get("framework")
        if code not in frameworks:
            frameworks[code] = framework_by_code(code)
        framework = frameworks[code]
        if framework is None:
            problems.append(Problem(row.line, _("no framework with code %(code)s") % {"code": code}))
            continue
        if framework.stage == Stage.PUBLISHED:
            problems.append(
                Problem(row.line, _("framework %(code)s is published; its scores cannot change") % {"code": code})
            )
            continue
        if framework.pk not in scope:
            scope[framework.pk] = {u.code: u for u in units_of(framework)}
        unit = scope[framework.pk].get(row.get("unit_code"))
        if unit is None:
            problems.append(
                Problem(
                    row.line,
                    _("unit %(unit)s is not assessed by framework %(code)s")
                    % {"unit": row.get("unit_code"), "code": code},
                )
            )
            continue
        key = (framework.pk, row.get("criterion_code"))
        if key not in criteria:
            criteria[key] = framework.criteria.filter(code=key[1]).first()
        criterion = criteria[key]
        if criterion is None:
            problems.append(
                Problem(
                    row.line,
                    _("no criterion %(criterion)s in framework %(code)s") % {"criterion": key[1], "code": code},
                )
            )
            continue
        if criterion.children.exists():
            problems.append(
                Problem(
                    row.line, _("criterion %(criterion)s has parts: score its parts") % {"criterion": criterion.code}
                )
            )
            continue
        values = {}
        for column in ("self_score", "appraised_score", "survey_score"):
            text = row.get(column)
            value = parse_points(text) if text else None
            if text and value is None:
                problems.append(Problem(row.line, _("“%(value)s” is not a number of points") % {"value": text}))
            elif value is not None and not 0 <= value <= criterion.max_points:
                problems.append(
                    Problem(
                        row.line,
                        _("%(value)s is outside 0–%(max)s, the points of criterion %(code)s")
                        % {"value": value, "max": criterion.max_points, "code": criterion.code},
                    )
                )
            values[column] = value
        scored = values["appraised_score"] if values["appraised_score"] is not None else values["self_score"]
        if (
            scored is not None
            and values["survey_score"] is not None
            and scored + values["survey_score"] > criterion.max_points
        ):
            problems.append(
                Problem(
                    row.line,
                    _("the points and survey points of criterion %(code)s exceed its %(max)s points")
                    % {"code": criterion.code, "max": criterion.max_points},
                )
            )
        parsed.append((framework, unit, criterion, values))
    if problems:
        raise ImportRejected(problems)
    result = ImportResult()
    with transaction.atomic():
        for framework, unit, criterion, values in parsed:
            assessment, _created = Assessment.objects.get_or_create(framework=framework, unit=unit)
            score, created = Score.objects.get_or_create(assessment=assessment, criterion=criterion)
            changed = any(getattr(score, name) != value for name, value in values.items())
            for name, value in values.items():
                setattr(score, name, value)
            score.save()
            if created:
                result.created += 1
            elif changed:
                result.updated += 1
            else:
                result.unchanged += 1
    return result


def compute(framework: Framework, now: datetime | None = None) -> int:
    """Fill the computed criteria of every unit from motcua's own dossiers over the framework's
    year (to date): points = maximum × the rate, with the figures kept as evidence."""
    from motcua.quality import services as quality
    from motcua.quality.rules import Measure as IndexMeasure

    _check_open(framework)
    wanted = {
        Measure.ON_TIME: IndexMeasure.ON_TIME,
        Measure.DIGITIZED: IndexMeasure.DIGITIZED,
        Measure.ONLINE: IndexMeasure.ONLINE_DOSSIERS,
        Measure.PUBLISHED: IndexMeasure.PROCEDURES_COMPLETE,
    }
    computed = [c for c in leaves(framework) if c.source == Source.COMPUTED]
    if not computed:
        return 0
    by_tasks = [c for c in computed if c.measure == Measure.TASKS]
    computed = [c for c in computed if c.measure != Measure.TASKS]
    today = timezone.localdate(now)
    first, last = date(framework.year, 1, 1), min(date(framework.year, 12, 31), today)
    written = 0
    with transaction.atomic():
        for unit in units_of(framework):
            item = quality.index(unit, first, last, now=now) if computed else None
            ratios = {s.indicator.measure: s.ratio for s in item.scored} if item else {}
            assessment, _created = Assessment.objects.get_or_create(framework=framework, unit=unit)
            for criterion in computed:
                ratio = ratios.get(wanted[Measure(criterion.measure)])
                score, _ = Score.objects.get_or_create(assessment=assessment, criterion=criterion)
                if ratio is None or not ratio.whole:
                    score.computed_score = Decimal(0)
                    score.computed_figures = {"part": 0, "whole": 0, "from": str(first), "to": str(last)}
                else:
                    share = Decimal(ratio.part) / Decimal(ratio.whole)
                    score.computed_score = rules.two(criterion.max_points * share)
                    score.computed_figures = {
                        "part": ratio.part,
                        "whole": ratio.whole,
                        "percent": str(rules.two(share * 100)),
                        "from": str(first),
                        "to": str(last),
                    }
                score.save()
                written += 1
            written += _task_points(framework, unit, assessment, by_tasks, today)
    return written


def _task_points(framework: Framework, unit: Unit, assessment: Assessment, criteria: list, today: date) -> int:
    """Criteria scored on the unit's yearly task-completion rating: maximum × score ÷ 100."""
    from motcua.plans import services as plans

    for criterion in criteria:
        try:
            found = plans.rating(unit, framework.year, today)
        except plans.PlanError as error:
            raise ParError(error.message) from None
        score, _created = Score.objects.get_or_create(assessment=assessment, criterion=criterion)
        score.computed_score = rules.two(criterion.max_points * found.score / 100)
        score.computed_figures = {
            "rating": str(found.score),
            "band": found.band.label if found.band else "",
            "tasks": found.tasks,
            "on_time": found.on_time,
            "late": found.late,
            "fixes_missed": found.fixes_missed,
        }
        score.save()
    return len(criteria)


def assessment_for(framework: Framework, unit: Unit) -> Assessment:
    if not framework.scope.filter(unit=unit).exists():
        raise ParError(_("%(unit)s is not assessed by this framework.") % {"unit": unit.name})
    assessment, _created = Assessment.objects.get_or_create(framework=framework, unit=unit)
    return assessment


def self_score(
    user: User, assessment: Assessment, criterion: Criterion, value: Decimal | None, explanation: str = "", files=()
) -> Score:
    """The unit scores itself on a criterion, with its explanation and evidence documents."""
    from motcua.dossiers.uploads import check_upload

    _check_open(assessment.framework, Stage.SELF_ASSESSMENT)
    if not may_assess(user, assessment.unit):
        raise ParError(_("Your roles do not cover this unit."))
    if assessment.status != AssessmentStatus.DRAFT:
        raise ParError(_("The self-assessment has been submitted; it cannot change now."))
    _check_leaf(assessment.framework, criterion, Source.SELF)
    _check_range(value, criterion)
    for upload in files:
        check_upload(upload)
    with transaction.atomic():
        score, _created = Score.objects.get_or_create(assessment=assessment, criterion=criterion)
        score.self_score = value
        score.explanation = explanation.strip()
        score.save()
        for upload in files:
            stored = score.evidence.model(score=score, original_name=upload.name[:255])
            stored.file.save(upload.name, upload, save=False)
            stored.save()
    return score


def submit(user: User, assessment: Assessment, at: datetime | None = None) -> Assessment:
    _check_open(assessment.framework, Stage.SELF_ASSESSMENT)
    if not may_assess(user, assessment.unit):
        raise ParError(_("Your roles do not cover this unit."))
    if assessment.status != AssessmentStatus.DRAFT:
        raise ParError(_("The self-assessment has already been submitted."))
    missing = [
        c.code
        for c in leaves(assessment.framework)
        if c.source == Source.SELF and not assessment.scores.filter(criterion=c, self_score__isnull=False).exists()
    ]
    if missing:
        raise ParError(_("Score every self-scored criterion first: %(codes)s.") % {"codes": ", ".join(missing)})
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = at or timezone.now()
    assessment.save()
    return assessment


def appraise(user: User, score: Score, value: Decimal, reason: str = "") -> Score:
    """The council accepts (the same value) or adjusts a self-score, with a reason for any change."""
    assessment = score.assessment
    _check_open(assessment.framework, Stage.APPRAISAL)
    if not may_run(user, assessment.framework):
        raise ParError(_("Only the appraisal council appraises."))
    if assessment.status not in (AssessmentStatus.SUBMITTED, AssessmentStatus.APPRAISED, AssessmentStatus.RESPONDED):
        raise ParError(_("This assessment is not waiting for appraisal."))
    _check_range(value, score.criterion)
    if value != score.self_score and not reason.strip():
        raise ParError(_("Give the reason for changing the unit's score."))
    score.appraised_score = value
    score.appraisal_reason = reason.strip()
    score.save()
    return score


def set_survey(user: User, assessment: Assessment, criterion: Criterion, value: Decimal | None) -> Score:
    """Survey points entered by the council for a survey-scored criterion."""
    _check_open(assessment.framework)
    if not may_run(user, assessment.framework):
        raise ParError(_("Only the appraisal council appraises."))
    _check_leaf(assessment.framework, criterion, Source.SURVEY)
    _check_range(value, criterion)
    score, _created = Score.objects.get_or_create(assessment=assessment, criterion=criterion)
    score.survey_score = value
    score.save(update_fields=["survey_score"])
    return score


def send_appraisal(user: User, assessment: Assessment, at: datetime | None = None) -> Assessment:
    """The council sends its appraisal to the unit, which may respond once."""
    if not may_run(user, assessment.framework):
        raise ParError(_("Only the appraisal council appraises."))
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise ParError(_("This assessment is not waiting for appraisal."))
    for score in assessment.scores.filter(appraised_score__isnull=True, self_score__isnull=False):
        score.appraised_score = score.self_score  # what the council left alone it accepted
        score.save(update_fields=["appraised_score"])
    assessment.status = AssessmentStatus.APPRAISED
    assessment.appraised_at = at or timezone.now()
    assessment.save()
    return assessment


def respond(user: User, assessment: Assessment, responses: dict[int, str], at: datetime | None = None) -> Assessment:
    """The unit answers the council's adjustments, once."""
    if not may_assess(user, assessment.unit):
        raise ParError(_("Your roles do not cover this unit."))
    if assessment.status != AssessmentStatus.APPRAISED:
        raise ParError(_("A response is possible once, after the appraisal."))
    with transaction.atomic():
        for score in assessment.scores.filter(pk__in=list(responses)):
            score.response = responses[score.pk].strip()
            score.save(update_fields=["response"])
        assessment.status = AssessmentStatus.RESPONDED
        assessment.responded_at = at or timezone.now()
        assessment.save()
    return assessment


def finalise(user: User, assessment: Assessment, at: datetime | None = None) -> Assessment:
    if not may_run(user, assessment.framework):
        raise ParError(_("Only the appraisal council finalises."))
    if assessment.status not in (AssessmentStatus.APPRAISED, AssessmentStatus.RESPONDED):
        raise ParError(_("Send the appraisal to the unit before finalising."))
    assessment.status = AssessmentStatus.FINAL
    assessment.finalised_at = at or timezone.now()
    assessment.save()
    return assessment


def set_stage(user: User, framework: Framework, stage: Stage, self_deadline: date | None = None) -> Framework:
    if not may_run(user, framework):
        raise ParError(_("Only reform staff of the province run the framework."))
    if framework.stage == Stage.PUBLISHED:
        raise ParError(_("The results are published; nothing can change."))
    order = [Stage.DRAFT, Stage.SELF_ASSESSMENT, Stage.APPRAISAL]
    if stage not in order or order.index(stage) < order.index(Stage(framework.stage)):
        raise ParError(_("A framework moves forward only."))
    framework.stage = stage
    if self_deadline is not None:
        framework.self_deadline = self_deadline
    framework.save(update_fields=["stage", "self_deadline"])
    return framework


def publish(user: User, framework: Framework, decision: str, at: datetime | None = None) -> Framework:
    """Sign off the results as a decision: they are frozen from now on."""
    if not may_run(user, framework):
        raise ParError(_("Only reform staff of the province run the framework."))
    if framework.stage == Stage.PUBLISHED:
        raise ParError(_("The results are already published."))
    if not decision.strip():
        raise ParError(_("Give the number of the decision publishing the results."))
    found = results(framework)
    with transaction.atomic():
        framework.published_rows = [
            {**row.as_dict(), "areas": {k: str(v) for k, v in row.areas.items()}} for row in found.rows
        ]
        framework.published_summary = found.summary.as_dict()
        framework.stage = Stage.PUBLISHED
        framework.decision = decision.strip()
        framework.published_at = at or timezone.now()
        framework.published_by = user
        framework.save()
        Assessment.objects.filter(framework=framework).update(status=AssessmentStatus.FINAL)
    return framework


def published_frameworks() -> QuerySet[Framework]:
    return Framework.objects.filter(stage=Stage.PUBLISHED).select_related("owner").order_by("-year", "code")


def readable_frameworks(user: User) -> QuerySet[Framework]:
    """The published frameworks, and those the user runs or whose units the user assesses."""
    readable = Q(stage=Stage.PUBLISHED)
    if user.is_authenticated:
        readable |= Q(pk__in=frameworks_for(user).values("pk"))
    return Framework.objects.filter(readable).select_related("owner").order_by("-year", "code")


def _check_open(framework: Framework, stage: Stage | None = None) -> None:
    if framework.stage == Stage.PUBLISHED:
        raise ParError(_("The results are published; nothing can change."))
    if stage is not None and framework.stage != stage:
        raise ParError(_("The framework is not at this stage (%(stage)s).") % {"stage": Stage(framework.stage).label})


def _check_leaf(framework: Framework, criterion: Criterion, source: Source) -> None:
    if criterion.framework_id != framework.pk:
        raise ParError(_("This criterion is not in the framework."))
    if criterion.children.exists() or criterion.source != source:
        raise ParError(_("Criterion %(code)s is not scored this way.") % {"code": criterion.code})


def _check_range(value: Decimal | None, criterion: Criterion) -> None:
    if value is not None and not 0 <= value <= criterion.max_points:
        raise ParError(
            _("%(value)s is outside 0–%(max)s, the points of criterion %(code)s")
            % {"value": value, "max": criterion.max_points, "code": criterion.code}
        )


def parse_points(text: str | None) -> Decimal | None:
    """Points as written in a sheet or a form (a decimal comma allowed); None if not a finite number."""
    try:
        value = Decimal((text or "").replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _decimal_or_none(text) -> Decimal | None:
    return None if text is None else Decimal(text)


def _row_from(data: dict) -> rules.ResultRow:
    return rules.ResultRow(
        unit_code=data["unit_code"],
        unit_name=data["unit_name"],
        points=Decimal(data["points"]),
        max_points=Decimal(data["max_points"]),
        percent=Decimal(data["percent"]),
        rank=data["rank"],
        rank_change=data["rank_change"],
        points_change=_decimal_or_none(data["points_change"]),
        group=data["group"],
        areas={k: Decimal(v) for k, v in data.get("areas", {}).items()},
    )


def assign(user: User, criterion: Criterion, unit: Unit, deadline: date | str | None = None) -> Assignment:
    """Make a unit responsible for preparing a criterion's evidence, by a deadline."""
    if not may_run(user, criterion.framework):
        raise ParError(_("Only reform staff of the province run the framework."))
    _check_open(criterion.framework)
    if isinstance(deadline, str):
        deadline = date.fromisoformat(deadline)
    assignment, _created = Assignment.objects.update_or_create(
        criterion=criterion, unit=unit, defaults={"deadline": deadline}
    )
    return assignment


def assignments_due(day: date, within_days: int = 3) -> QuerySet[Assignment]:
    """Assignments of open frameworks due within ``within_days`` of ``day`` (or overdue)."""
    from datetime import timedelta

    return Assignment.objects.filter(
        deadline__isnull=False,
        deadline__lte=day + timedelta(days=within_days),
        criterion__framework__stage__in=[Stage.DRAFT, Stage.SELF_ASSESSMENT],
    ).select_related("criterion__framework", "unit")
