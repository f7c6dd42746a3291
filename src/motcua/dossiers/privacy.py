"""The applicant's identity number and phone: shown whole only to those who work with the applicant.

Desk officers of the receiving unit call the applicant and hand the result over; processing
officers of the processing unit check the identity. Leaders, reform staff and administrators read
dossiers for oversight and see the numbers masked, in lists, on the dossier's page and in exports.
"""

from __future__ import annotations

from dataclasses import dataclass

from motcua.people.models import Role, User
from motcua.people.services import covers

from .models import Dossier


def masked_id(number: str) -> str:
    """All but the last three characters hidden: 014095001234 → *********234."""
    number = number.strip()
    if len(number) <= 3:
        return "*" * len(number)
    return "*" * (len(number) - 3) + number[-3:]


def masked_phone(phone: str) -> str:
    """The first three and the last three digits kept: 0912345678 → 091****678."""
    phone = phone.strip()
    if len(phone) <= 6:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 6) + phone[-3:]


def sees_personal_data(user: User, dossier: Dossier) -> bool:
    if user.is_authenticated and dossier.applicant_user_id == user.pk:
        return True
    return covers(user, dossier.receiving_unit, [Role.DESK_OFFICER]) or covers(
        user, dossier.processing_unit, [Role.PROCESSING_OFFICER]
    )


@dataclass(frozen=True)
class Contact:
    id_number: str
    phone: str
    email: str


def contact_for(user: User, dossier: Dossier) -> Contact:
    """The applicant's identity number, phone and e-mail as this reader may see them."""
    if sees_personal_data(user, dossier):
        return Contact(dossier.applicant_id, dossier.applicant_phone, dossier.applicant_email)
    local, _, domain = dossier.applicant_email.partition("@")
    email = f"{local[:1]}***@{domain}" if domain else ""
    return Contact(masked_id(dossier.applicant_id), masked_phone(dossier.applicant_phone), email)
