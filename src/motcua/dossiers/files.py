"""Scans attached to a dossier's documents, and the applicant's answer to a supplement request."""

from __future__ import annotations

from django.utils import timezone

from motcua.core.messages import Message as _
from motcua.core.uploads import check_upload
from motcua.people.models import User

from . import journal, rules
from .access import is_applicant, is_desk
from .components import is_digitized
from .models import Dossier, DossierEvent, DossierFile
from .rules import Action, InvalidInput, NotPermitted
from .steps import state_of


def attach_file(actor: User | None, dossier: Dossier, order: int, upload, at=None, holder: bool = False) -> DossierFile:
    """Attach a scan to a component; the component counts as digitized from then on.

    ``holder``: the caller checked the code and secret of the receipt, so the applicant may add
    documents without an account (answering a supplement request from the lookup page).
    """
    at = at or timezone.now()
    content_type = check_upload(upload)
    with journal.locked(dossier, None) as dossier:
        rules.check(Action.UPLOAD, state_of(dossier))
        if not (is_desk(actor, dossier.receiving_unit) or is_applicant(actor, dossier, holder)):
            raise NotPermitted(_("Only the desk or the applicant can add documents."))
        component = dossier.components.filter(order=order).first()
        if component is None:
            raise InvalidInput(_("No document number %(order)s in this dossier.") % {"order": order})
        stored = DossierFile(
            component=component,
            original_name=upload.name[:255],
            content_type=content_type,
            size=upload.size,
            uploaded_by=actor if actor and actor.is_authenticated else None,
        )
        stored.file.save(upload.name, upload, save=False)
        stored.save()
        component.provided = component.digitized = True
        component.save(update_fields=["provided", "digitized"])
        journal.record(
            dossier,
            Action.UPLOAD,
            actor,
            at,
            note=f"{component.name}: {upload.name}",
            internal=True,
            changes={"digitized": is_digitized(dossier.components.all())},
        )
    return stored


def send_supplement(actor: User | None, dossier: Dossier, note: str = "", at=None, holder: bool = False) -> Dossier:
    """The applicant says the requested documents are sent (uploaded, or posted): the desk checks
    them and resumes the dossier (or accepts it, at intake). The clock stays stopped till then."""
    at = at or timezone.now()
    with journal.locked(dossier, None) as dossier:
        rules.check(Action.SEND_SUPPLEMENT, state_of(dossier))
        if not is_applicant(actor, dossier, holder):
            raise NotPermitted(_("Only the applicant can send the supplement."))
        journal.record(dossier, Action.SEND_SUPPLEMENT, actor, at, note=note.strip())
    return dossier


def supplement_sent(dossier: Dossier) -> bool:
    """Whether the applicant has answered the latest supplement request."""
    return dossier.pk in supplements_sent([dossier.pk])


def supplements_sent(dossier_ids: list[int]) -> set[int]:
    """Of ``dossier_ids``, those whose applicant answered the latest supplement request online."""
    last: dict[int, str] = {}
    events = DossierEvent.objects.filter(
        dossier_id__in=dossier_ids, action__in=[Action.REQUEST_SUPPLEMENT, Action.SEND_SUPPLEMENT]
    )
    for dossier_id, action in events.order_by("dossier_id", "seq").values_list("dossier_id", "action"):
        last[dossier_id] = action
    return {pk for pk, action in last.items() if action == Action.SEND_SUPPLEMENT}
