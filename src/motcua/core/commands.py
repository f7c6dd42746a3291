"""What the `motcua` subcommands share."""

import sys
from datetime import date


def add_period(parser, *, required: bool = True) -> None:
    """``--from`` and ``--to`` (YYYY-MM-DD), read as the dates ``first`` and ``last``."""
    parser.add_argument("--from", dest="first", required=required, type=date.fromisoformat)
    parser.add_argument("--to", dest="last", required=required, type=date.fromisoformat)


def write_output(command, content: bytes, output: str | None) -> None:
    """A report or export to the file ``output`` (its size said on stderr), or to standard output."""
    if output:
        with open(output, "wb") as handle:
            handle.write(content)
        command.stderr.write(f"{output}: {len(content)} bytes")
    else:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
