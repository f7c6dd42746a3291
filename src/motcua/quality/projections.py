"""The service index's counters kept in step with every dossier write, in the writer's transaction."""

from collections import defaultdict

from motcua.catalog.models import ResultType
from motcua.dossiers.projections import Projection

from . import tally
from .rules import INDEX_FIELDS, Standing, counter_change


class IndexCounters(Projection):
    name = "index"
    fields = INDEX_FIELDS

    def recorded(self, dossier, before, at):
        after = {name: getattr(dossier, name) for name in INDEX_FIELDS}
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

    def migrated(self, rows):
        paper = tally.paper_results(row["procedure_id"] for row in rows)
        changes: dict[int, dict] = defaultdict(dict)
        for row in rows:
            mine = changes[row["province_id"]]
            for key, n in counter_change(None, Standing.of(row, row["procedure_id"] in paper)).items():
                mine[key] = mine.get(key, 0) + n
        tally.write(changes)
