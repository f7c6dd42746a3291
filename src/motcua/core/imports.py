"""The kinds of reference data `motcua import KIND FILE` knows, each handled by its app's service."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from motcua.catalog.services import import_fields, import_procedures
from motcua.core.tabular import ImportResult, read_table
from motcua.dossiers.migration import import_dossiers
from motcua.quality.services import import_indicators
from motcua.units.services import import_units
from motcua.workdays.services import import_overrides

# Each importer takes the header, the rows and the effective date (used by procedures only).
IMPORTERS: dict[str, Callable[..., ImportResult]] = {
    "units": lambda header, rows, effective: import_units(header, rows),
    "fields": lambda header, rows, effective: import_fields(header, rows),
    "procedures": lambda header, rows, effective: import_procedures(header, rows, effective=effective),
    "calendar": lambda header, rows, effective: import_overrides(header, rows),
    "indicators": lambda header, rows, effective: import_indicators(header, rows),
}
# Kinds read as a stream from the file itself (a migration file can hold millions of rows).
FILE_IMPORTERS: dict[str, Callable[[Path], ImportResult]] = {"dossiers": import_dossiers}


def import_file(kind: str, path: Path | str, effective: date | None = None) -> ImportResult:
    """Import one file of ``kind``; raises ImportRejected (nothing written) on any problem."""
    if kind in FILE_IMPORTERS:
        return FILE_IMPORTERS[kind](Path(path))
    header, rows = read_table(path)
    return IMPORTERS[kind](header, rows, effective)
