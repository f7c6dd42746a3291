"""Keep the service index's counters in step with every dossier write, in the writer's transaction."""

from collections import defaultdict

from django.dispatch import receiver

from motcua.catalog.models import ResultType
from motcua.dossiers import signals
from motcua.dossiers.signals import report_fields

from . import tally
from .rules import Standing, counter_change


@receiver(signals.recorded, dispatch_uid="quality.tally.recorded")
def dossier_recorded(sender, dossier, before, at, **kwargs):
    after = report_fields(dossier)
    if after["received_at"] is None:
        return
    procedures = {after["procedure_id"], *([before["procedure_id"]] if before else [])}
    loaded = dossier._state.fields_cache.get("procedure")  # the services have usually read it already
    if loaded is not None and procedures == {loaded.pk}:
        paper = {loaded.pk} if loaded.result_type == ResultType.PAPER else set()
    else:
        paper = tally.paper_results(procedures)
    old = Standing.of(before, before["procedure_id"] in paper) if before else None
    change = counter_change(old, Standing.of(after, after["procedure_id"] in paper))
    if change:
        tally.write({dossier.province_id: change})


@receiver(signals.migrated, dispatch_uid="quality.tally.migrated")
def dossiers_migrated(sender, rows, **kwargs):
    paper = tally.paper_results(row["procedure_id"] for row in rows)
    changes: dict[int, dict] = defaultdict(dict)
    for row in rows:
        mine = changes[row["province_id"]]
        for key, n in counter_change(None, Standing.of(row, row["procedure_id"] in paper)).items():
            mine[key] = mine.get(key, 0) + n
    tally.write(changes)
