"""The assessment cycle: the unit's self-scores with evidence, submission, the council's appraisal
and survey points, the unit's response, finalising, the framework's stages, publication, the
assignments of criteria to units, and score sheets imported whole."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from motcua.core.messages import Message as _
from motcua.core.tabular import ImportRejected, ImportResult, Problem, Row, missing_columns
from motcua.people.models import User
from motcua.units.models import Unit

from .access import may_assess, may_run
from .exceptions import ParError
from .frameworks import parse_points
from .models import Assessment, AssessmentStatus, Assignment, Criterion, Framework, Score, Source, Stage
from .reading import framework_by_code, leaves, results, units_of


def assessment_for(framework: Framework, unit: Unit) -> Assessment:
    if not framework.scope.filter(unit=unit).exists():
        raise ParError(_("%(unit)s is not assessed by this framework.") % {"unit": unit.name})
    assessment, _created = Assessment.objects.get_or_create(framework=framework, unit=unit)
    return assessment


def self_score(
    user: User, assessment: Assessment, criterion: Criterion, value: Decimal | None, explanation: str = "", files=()
) -> Score:
    """The unit scores itself on a criterion, with its explanation and evidence documents."""
    from motcua.core.uploads import check_upload

    check_open(assessment.framework, Stage.SELF_ASSESSMENT)
    if not may_assess(user, assessment.unit):
        raise ParError(_("Your roles do not cover this unit."))
    if assessment.status != AssessmentStatus.DRAFT:
        raise ParError(_("The self-assessment has been submitted; it cannot change now."))
    _check_leaf(assessment.framework, criterion, Source.SELF)
    _check_applies(assessment, criterion)
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
    check_open(assessment.framework, Stage.SELF_ASSESSMENT)
    if not may_assess(user, assessment.unit):
        raise ParError(_("Your roles do not cover this unit."))
    if assessment.status != AssessmentStatus.DRAFT:
        raise ParError(_("The self-assessment has already been submitted."))
    off = set(assessment.scores.filter(not_applicable=True).values_list("criterion_id", flat=True))
    missing = [
        c.code
        for c in leaves(assessment.framework)
        if c.source == Source.SELF
        and c.pk not in off
        and not assessment.scores.filter(criterion=c, self_score__isnull=False).exists()
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
    check_open(assessment.framework, Stage.APPRAISAL)
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
    check_open(assessment.framework)
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
    found = results(framework, final=True)
    with transaction.atomic():
        framework.published_rows = [
            {**row.as_dict(), "areas": {k: str(v) for k, v in row.areas.items()}} for row in found.rows
        ]
        framework.published_summary = {**found.summary.as_dict(), "no_data": [u.as_dict() for u in found.no_data]}
        framework.stage = Stage.PUBLISHED
        framework.decision = decision.strip()
        framework.published_at = at or timezone.now()
        framework.published_by = user
        framework.save()
        Assessment.objects.filter(framework=framework).update(status=AssessmentStatus.FINAL)
    return framework


def assign(user: User, criterion: Criterion, unit: Unit, deadline: date | str | None = None) -> Assignment:
    """Make a unit responsible for preparing a criterion's evidence, by a deadline."""
    if not may_run(user, criterion.framework):
        raise ParError(_("Only reform staff of the province run the framework."))
    check_open(criterion.framework)
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


SCORE_COLUMNS = ("framework", "unit_code", "criterion_code", "self_score", "appraised_score", "survey_score")


def import_scores(header: list[str], rows: list[Row]) -> ImportResult:
    """``framework,unit_code,criterion_code,self_score,appraised_score,survey_score`` (empty cells
    allowed; an optional ``not_applicable`` column, ``x`` where the criterion does not apply to the
    unit): every row checked, then all written in one transaction, or none."""
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
        if "not_applicable" in header:
            values["not_applicable"] = _not_applicable(row, criterion, values, problems)
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
            result.count(created=created, changed=changed)
    return result


def check_open(framework: Framework, stage: Stage | None = None) -> None:
    if framework.stage == Stage.PUBLISHED:
        raise ParError(_("The results are published; nothing can change."))
    if stage is not None and framework.stage != stage:
        raise ParError(_("The framework is not at this stage (%(stage)s).") % {"stage": Stage(framework.stage).label})


def _check_leaf(framework: Framework, criterion: Criterion, source: Source) -> None:
    if criterion.framework_id != framework.pk:
        raise ParError(_("This criterion is not in the framework."))
    if criterion.children.exists() or criterion.source != source:
        raise ParError(_("Criterion %(code)s is not scored this way.") % {"code": criterion.code})


def _not_applicable(row: Row, criterion: Criterion, values: dict, problems: list[Problem]) -> bool:
    text = (row.get("not_applicable") or "").strip().lower()
    if text not in ("", "0", "x", "1"):
        problems.append(Problem(row.line, _("“%(value)s”: write x where the criterion does not apply, or nothing")
                                % {"value": text}))  # fmt: skip
    off = text in ("x", "1")
    if off and any(value is not None for value in values.values()):
        problems.append(Problem(row.line, _("criterion %(code)s does not apply: leave its points empty")
                                % {"code": criterion.code}))  # fmt: skip
    return off


def _check_applies(assessment: Assessment, criterion: Criterion) -> None:
    if assessment.scores.filter(criterion=criterion, not_applicable=True).exists():
        raise ParError(_("Criterion %(code)s does not apply to this unit.") % {"code": criterion.code})


def _check_range(value: Decimal | None, criterion: Criterion) -> None:
    if value is not None and not 0 <= value <= criterion.max_points:
        raise ParError(
            _("%(value)s is outside 0–%(max)s, the points of criterion %(code)s")
            % {"value": value, "max": criterion.max_points, "code": criterion.code}
        )
