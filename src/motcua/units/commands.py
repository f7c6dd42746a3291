"""What the `motcua` subcommands ask of the units: a code given on the command line, found or refused."""

from datetime import date

from django.core.management.base import CommandError
from django.utils import timezone

from .models import Unit
from .services import unit_on


def province_id(code: str | None, day: date | None = None) -> int | None:
    """The id of the province carrying ``code`` on ``day`` (today by default); None for no code."""
    if not code:
        return None
    found = unit_on(code, day or timezone.localdate())
    if found is None:
        raise CommandError(f"Không có tỉnh / No province {code}.")
    return found.pk


def unit_in_force(code: str, day: date) -> Unit:
    """The unit carrying ``code`` on ``day``; refused when there is none."""
    found = unit_on(code, day)
    if found is None:
        raise CommandError(f"Không có đơn vị {code} vào ngày {day:%d/%m/%Y} / No unit {code} in force on {day}.")
    return found
