"""Numbered letters on a dossier: the apology (form 04) is numbered in its processing unit's
yearly sequence and signed by the unit's head, whoever records it."""

from __future__ import annotations

from motcua.core import counters
from motcua.people.services import DEFAULT_POSITION, head_of
from motcua.units.organs import abbreviation
from motcua.workdays.rules import VIETNAM

from .models import Dossier, DossierEvent, Letter, LetterCounter

# The notation's document kind (Decree 30/2020, Appendix III) of each numbered form.
KINDS = {"04": "XL"}


def issue(dossier: Dossier, event: DossierEvent, form: str) -> Letter:
    """Number the letter ``event`` sends and fix its signer, in the caller's transaction (a
    rolled-back action gives the number back)."""
    unit = dossier.processing_unit
    year = event.at.astimezone(VIETNAM).year
    number = counters.next_number(LetterCounter, unit=unit.pk, year=year)
    head = head_of(unit)
    return Letter.objects.create(
        dossier=dossier,
        seq=event.seq,
        form=form,
        unit=unit,
        year=year,
        number=number,
        notation=f"{KINDS[form]}-{abbreviation(unit)}",
        signer=head.user if head else None,
        signer_name=head.name if head else "",
        signer_position=head.position if head else DEFAULT_POSITION,
    )


def letter_for(dossier: Dossier, event: DossierEvent) -> Letter | None:
    return Letter.objects.filter(dossier=dossier, seq=event.seq).first()
