"""The kinds of reference data `motcua import KIND FILE` knows. Each app registers its own kinds,
from its AppConfig.ready, with the service that imports them: the core knows none of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.utils.module_loading import import_string

from motcua.core.tabular import ImportResult, read_table


@dataclass(frozen=True)
class Importer:
    service: str  # the import function's dotted path, imported when a file of the kind comes
    streamed: bool  # read by the service from the file itself (a migration file can hold millions of rows)
    dated: bool  # given the effective date (procedures: when a changed process takes effect)

    def __call__(self, path: Path | str, effective: date | None) -> ImportResult:
        service: Callable[..., ImportResult] = import_string(self.service)
        if self.streamed:
            return service(Path(path))
        header, rows = read_table(path)
        return service(header, rows, effective=effective) if self.dated else service(header, rows)


IMPORTERS: dict[str, Importer] = {}


def register(kind: str, service: str, *, streamed: bool = False, dated: bool = False) -> None:
    """Make files of ``kind`` importable by ``service`` (a dotted path): called with the file's header
    and rows (and ``effective=`` the effective date when ``dated``), or with its path when ``streamed``."""
    IMPORTERS[kind] = Importer(service, streamed, dated)


def kinds() -> list[str]:
    """The kinds registered, in alphabetical order."""
    return sorted(IMPORTERS)


def import_file(kind: str, path: Path | str, effective: date | None = None) -> ImportResult:
    """Import one file of ``kind``; raises ImportRejected (nothing written) on any problem."""
    return IMPORTERS[kind](path, effective)
