"""What the `motcua` subcommands share."""

import sys


def write_output(command, content: bytes, output: str | None) -> None:
    """A report or export to the file ``output`` (its size said on stderr), or to standard output."""
    if output:
        with open(output, "wb") as handle:
            handle.write(content)
        command.stderr.write(f"{output}: {len(content)} bytes")
    else:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
