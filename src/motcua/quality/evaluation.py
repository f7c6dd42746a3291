"""Circular 01/2018/TT-VPCP: a unit's nine evaluation indices over the dossiers finished in a
period, where the rules the dossiers were received under call for them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy

from motcua.dossiers.models import Dossier, DossierStep
from motcua.dossiers.rules import RULE_SETS, Channel, Rating, rule_set_on
from motcua.units.maps import Scope
from motcua.units.models import Unit

from . import rules
from .figures import Catalog, figures, index_scope, period
from .rules import Figures


@dataclass
class Evaluation:
    """A unit's Circular 01/2018 evaluation over the dossiers finished in a period."""

    dossiers: int
    indices: dict[int, Decimal | None]  # 1–9 → score (None: no data)
    points: Decimal
    scaled: Decimal  # on the 18-point scale the bands are set on
    band: rules.Band | None

    @property
    def available(self) -> int:
        return sum(1 for v in self.indices.values() if v is not None)

    @property
    def band_label(self) -> str:
        return str(BAND_LABELS[self.band]) if self.band else ""


BAND_LABELS = {
    rules.Band.EXCELLENT: gettext_lazy("Excellent"), rules.Band.GOOD: gettext_lazy("Good"),
    rules.Band.FAIR: gettext_lazy("Fair"), rules.Band.AVERAGE: gettext_lazy("Average"),
    rules.Band.WEAK: gettext_lazy("Weak"),
}  # fmt: skip


def evaluation_rule_sets() -> list[str]:
    return [r.name for r in RULE_SETS if r.evaluation_indices]


def circular_01(
    unit: Unit, first: date, last: date, now: datetime | None = None, scope: Scope | None = None
) -> Evaluation | None:
    """None when the rules in force at the period's start do not call for the evaluation (those of
    Decree 61 do, until 30/6/2025), or when no dossier received under them finished in the period."""
    if not rule_set_on(first).evaluation_indices:
        return None
    span = period(first, last, now)
    scope = scope or index_scope(unit, span)
    finished = Dossier.objects.filter(
        scope.where("processing_unit_id"), finished_at__gte=span.start, finished_at__lt=span.end,
        rule_set__in=evaluation_rule_sets(), received_at__isnull=False,
    )  # fmt: skip
    rows = list(finished.values_list("pk", "due_at", "finished_at", "supplement_count", "channel", "return_method",
                                     "rating"))  # fmt: skip
    if not rows:
        return None
    steps: dict[int, list[rules.StepTime]] = defaultdict(list)
    for dossier, due, done in DossierStep.objects.filter(
        dossier__in=finished.values("pk"), finished_at__isnull=False
    ).values_list("dossier_id", "due_at", "finished_at"):
        steps[dossier].append(rules.StepTime(due, done))
    scores: dict[int, list[int]] = defaultdict(list)
    online_late = 0
    for pk, due, done, supplements, channel, method, rating in rows:
        evaluated = rules.Evaluated(due, done, tuple(steps.get(pk, ())), supplements, channel == Channel.ONLINE,
                                    method == "online", rating == Rating.NOT_SATISFIED)  # fmt: skip
        for number, value in rules.dossier_indices(evaluated).items():
            scores[number].append(value)
        online_late += channel == Channel.ONLINE and done > due
    indices: dict[int, Decimal | None] = dict.fromkeys(rules.CIRCULAR_01_INDICES)
    for number, values in scores.items():
        indices[number] = rules.mean_index(values)
    catalog = Catalog.read()
    found = figures(scope, span, None, catalog).get(0, Figures())
    procedures = rules.ratio(len(found.offered_online & found.procedures), len(found.procedures))
    online = rules.ratio(found.counts.get("online", 0), found.counts.get("received", 0))
    overdue_online = Dossier.objects.filter(
        scope.where("processing_unit_id"), channel=Channel.ONLINE, received_at__lt=span.end, finished_at__isnull=True,
        due_at__lt=span.cutoff,
    ).count()  # fmt: skip
    indices[9] = Decimal(rules.online_service_index(procedures and procedures.percent, online and online.percent,
                                                    online_late + overdue_online))  # fmt: skip
    points = sum((v for v in indices.values() if v is not None), Decimal(0))
    available = sum(1 for v in indices.values() if v is not None)
    scaled, band = rules.agency_band(points, available)
    return Evaluation(len(rows), indices, points, scaled, band)
