"""What the `motcua` subcommands share."""

import sys
from datetime import date

from django.core.management.base import CommandError
from django.utils import timezone


def write_output(command, content: bytes, output: str | None) -> None:
    """A report or export to the file ``output`` (its size said on stderr), or to standard output."""
    if output:
        with open(output, "wb") as handle:
            handle.write(content)
        command.stderr.write(f"{output}: {len(content)} bytes")
    else:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()


def province_id(code: str | None, day: date | None = None) -> int | None:
    """The id of the province carrying ``code`` on ``day`` (today by default); None for no code."""
    if not code:
        return None
    from motcua.units.services import unit_on

    found = unit_on(code, day or timezone.localdate())
    if found is None:
        raise CommandError(f"Không có tỉnh / No province {code}.")
    return found.pk
