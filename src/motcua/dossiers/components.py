"""The documents (thành phần hồ sơ) of a dossier: as handed in at intake, as updated by the desk,
and what they say of the dossier (complete, digitized, reused)."""

from __future__ import annotations

from dataclasses import dataclass

from motcua.core.messages import Message as _

from .models import Dossier, DossierComponent
from .rules import Channel, InvalidInput


@dataclass(frozen=True)
class ComponentInput:
    order: int
    provided: bool = True
    digitized: bool = False
    reused: bool = False
    note: str = ""


def new_components(components: list[ComponentInput], documents: list, channel: Channel) -> list[DossierComponent]:
    """The procedure's documents as handed in at intake (not yet stored: the dossier has no id)."""
    given = {c.order: c for c in components}
    online = channel is Channel.ONLINE
    rows = []
    for c in documents:
        item = given.get(c.order)
        rows.append(
            DossierComponent(
                component=c,
                order=c.order,
                name=c.name,
                required=c.required,
                provided=item.provided if item else False,
                digitized=(item.digitized or online) if item else False,
                reused=item.reused if item else False,
                note=item.note if item else "",
            )
        )
    return rows


def update_components(dossier: Dossier, components: list[ComponentInput]) -> None:
    by_order = {c.order: c for c in dossier.components.all()}
    for item in components:
        row = by_order.get(item.order)
        if row is None:
            raise InvalidInput(_("No document number %(order)s in this dossier.") % {"order": item.order})
        row.provided, row.reused, row.note = item.provided, item.reused, item.note
        row.digitized = item.digitized or row.digitized or row.files.exists()
        row.save(update_fields=["provided", "digitized", "reused", "note"])


def missing_required(dossier: Dossier) -> list[str]:
    return [c.name for c in dossier.components.all() if c.required and not c.provided]


def is_digitized(components) -> bool:
    """Every document handed in was scanned, received electronically, or reused from data held."""
    provided = [c for c in components if c.provided]
    return bool(provided) and all(c.digitized or c.reused for c in provided)


def is_reused(components) -> bool:
    """At least one document handed in was taken from data already held (the 766 index's reuse)."""
    return any(c.provided and c.reused for c in components)
