"""What the dossiers app tells other apps, inside the writing transaction, so that what they keep
from dossiers (the report ledger) changes with the dossier or not at all.

``recorded``: one event was appended. Arguments: ``dossier`` (the row as it now stands),
``before`` (``REPORT_FIELDS`` of the row before the event, or None for a new dossier) and ``at``
(the event's time).

``migrated``: dossiers were written whole by the migration writer. Argument: ``rows``, each a dict
of the dossier's columns (``REPORT_FIELDS`` among them).
"""

from django.dispatch import Signal

recorded = Signal()
migrated = Signal()

# The fields of a dossier that its place in the reports (the settlement report and the service
# index) depends on.
REPORT_FIELDS = (
    "province_id", "procedure_id", "processing_unit_id", "channel", "status", "received_at", "due_at",
    "finished_at", "digitized", "outcome", "result_electronic", "reused", "fee_bearing", "paid_online", "rating",
)  # fmt: skip


def report_fields(dossier) -> dict:
    return {name: getattr(dossier, name) for name in REPORT_FIELDS}
