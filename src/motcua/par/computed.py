"""The criteria computed from motcua's own data: the service index's figures (quality) and the
yearly task-completion rating (plans). The only part of par that reads those apps."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from motcua.units.models import Unit

from . import rules
from .cycle import check_open
from .exceptions import ParError
from .models import Assessment, Framework, Measure, Score, Source
from .reading import leaves, units_of


def compute(framework: Framework, now: datetime | None = None) -> int:
    """Fill the computed criteria of every unit from motcua's own dossiers over the framework's
    year (to date): points = maximum × the rate, with the figures kept as evidence."""
    from motcua.quality import services as quality
    from motcua.quality.rules import Measure as IndexMeasure

    check_open(framework)
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
