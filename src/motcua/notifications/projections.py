"""Notices to applicants decided in the writer's transaction: the delivery rows change with the
dossier or not at all, and are sent once it commits (``services.queue_for_dossier``)."""

from motcua.dossiers.projections import Projection

from . import rules, services


class Notices(Projection):
    name = "notices"
    fields = rules.WATCHED
    tables = (("notifications_delivery", "dossier_id"),)

    def recorded(self, dossier, before, at):
        after = {name: getattr(dossier, name) for name in rules.WATCHED}
        event = rules.notice_due(before, after)
        if event is None or not (dossier.applicant_phone.strip() or dossier.applicant_email.strip()):
            return
        services.queue_for_dossier(dossier, event, at)

    # Migrated dossiers: their applicants heard from the old system; nothing is sent.
