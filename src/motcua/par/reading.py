"""Reading a framework: its units, criteria and groups, each unit's points, the results with their
changes against last year (as frozen when published), a unit's history and what lifts it a group."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from motcua.units.models import Unit

from . import rules
from .models import Assessment, Criterion, Framework, Score, Source, Stage


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
        if score.not_applicable or any(getattr(score, name) is not None for name in SCORE_FIELDS):
            scores.setdefault(score.assessment.unit_id, {})[score.criterion_id] = score
    result = []
    for unit in units_of(framework):
        mine = scores.get(unit.pk, {})
        off = {pk for pk, score in mine.items() if score.not_applicable and pk in leaf_ids}
        by_area: dict[str, Decimal] = {c.code: Decimal(0) for c in criteria.values() if c.parent_id is None}
        for pk in leaf_ids - off:
            by_area[area_of[pk]] += leaf_points(mine.get(pk), criteria[pk])
        total = sum(by_area.values(), Decimal(0))
        reachable = maximum - sum((criteria[pk].max_points for pk in off), Decimal(0))
        scored = any(pk not in off for pk in mine)
        result.append(rules.UnitPoints(unit.code, unit.name, total, reachable, by_area, has_data=scored))
    return result


SCORE_FIELDS = ("self_score", "appraised_score", "survey_score", "computed_score")


@dataclass(frozen=True)
class Listed:
    """A unit listed apart from the ranking."""

    unit_code: str
    unit_name: str

    def as_dict(self) -> dict:
        return {"unit_code": self.unit_code, "unit_name": self.unit_name}


@dataclass(frozen=True)
class Results:
    framework: Framework
    rows: list[rules.ResultRow]
    summary: rules.Summary
    published: bool
    no_data: list[Listed] = field(default_factory=list)  # not a single score: no rank, not counted
    awaiting: list[Listed] = field(default_factory=list)  # scores not appraised yet: no rank so far

    @property
    def ranked(self) -> bool:
        """False while the units assess themselves: the framework shows their progress, not ranks."""
        return self.framework.stage != Stage.SELF_ASSESSMENT

    def as_dict(self) -> dict:
        return {
            "framework": self.framework.code,
            "name": self.framework.name,
            "year": self.framework.year,
            "published": self.published,
            "decision": self.framework.decision,
            "rows": [row.as_dict() for row in self.rows],
            "summary": self.summary.as_dict(),
            "no_data": [unit.as_dict() for unit in self.no_data],
            "awaiting_appraisal": [unit.as_dict() for unit in self.awaiting],
        }


def results(framework: Framework, final: bool = False) -> Results:
    """The ranking with its changes against last year's framework; as frozen when published. Units
    without a single score are listed apart. Before publication (unless ``final``, as when it is
    published) ranks wait for the appraisal: none during the self-assessment, and during the
    appraisal only the units whose appraisal has been sent."""
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
        no_data = [Listed(u["unit_code"], u["unit_name"]) for u in stored.get("no_data", [])]
        return Results(framework, rows, summary, True, no_data)
    previous, previous_points = {}, []
    if framework.previous_id:
        before = results(framework.previous, final=True)
        previous = {r.unit_code: rules.Previous(r.points, r.rank) for r in before.rows}
        previous_points = [r.points for r in before.rows]
    units = unit_points(framework)
    no_data = [Listed(u.unit_code, u.unit_name) for u in rules.without_data(units)]
    awaiting: list[Listed] = []
    if not final and framework.stage in (Stage.SELF_ASSESSMENT, Stage.APPRAISAL):
        appraised = set()
        if framework.stage == Stage.APPRAISAL:
            appraised = set(
                Assessment.objects.filter(framework=framework, status__in=rules.APPRAISED_STATUSES).values_list(
                    "unit__code", flat=True
                )
            )
        awaiting = [Listed(u.unit_code, u.unit_name) for u in units if u.has_data and u.unit_code not in appraised]
        units = [u for u in units if u.unit_code in appraised]
    rows = rules.results(units, bands, previous)
    return Results(framework, rows, rules.summary(rows, bands, previous_points), False, no_data, awaiting)


@dataclass(frozen=True)
class UnitProgress:
    unit: Unit
    state: rules.Progress
    assessment: Assessment | None


def progress(framework: Framework) -> tuple[list[UnitProgress], rules.ProgressSummary]:
    """Each unit's self-assessment: not started, in progress, submitted or appraised."""
    assessments = {a.unit_id: a for a in framework.assessments.all()}
    scored = dict(
        Score.objects.filter(assessment__framework=framework, self_score__isnull=False)
        .values("assessment__unit_id")
        .annotate(n=Count("pk"))
        .values_list("assessment__unit_id", "n")
    )
    found = []
    for unit in units_of(framework):
        mine = assessments.get(unit.pk)
        found.append(UnitProgress(unit, rules.progress_of(mine.status if mine else None, scored.get(unit.pk, 0)), mine))
    return found, rules.progress_summary(item.state for item in found)


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
    maximum = sum((a.max_points for a in areas(framework)), Decimal(0))
    for criterion in leaves(framework):
        if criterion.pk in scores and scores[criterion.pk].not_applicable:
            maximum -= criterion.max_points  # out of the unit's maximum
            continue
        got = leaf_points(scores.get(criterion.pk), criterion)
        total += got
        if criterion.source != Source.COMPUTED:
            lost.append(rules.Lost(criterion.code, criterion.title, criterion.max_points - got))
    return rules.lift_to_next_group(total, maximum, bands_of(framework), lost)


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
