"""What other apps keep from dossiers, kept in step inside the writer's transaction.

A projection is a reader that must change with the dossier or not at all: the report ledger, the
service index's counters, the national portal's outbox. Each app registers its own from its
``AppConfig.ready()``; the journal calls every registered projection for each event it appends,
and the migration writer for each batch it writes whole. A projection that raises undoes the write.
"""

from __future__ import annotations

from datetime import datetime


class Projection:
    """A reader of dossier writes. Override what you need; every hook runs in the writer's
    transaction, so a failure rolls the dossier back too."""

    name: str = ""
    # The row fields this projection compares before and after an event; the journal reads them
    # from the row before it changes and hands them over as ``before``.
    fields: tuple[str, ...] = ()
    # The projection's tables with a row per dossier, (table, dossier column): they go with a
    # closed year into the archive and come back with it (``motcua archive``).
    tables: tuple[tuple[str, str], ...] = ()

    def changing(self, dossier, before: dict | None, at: datetime) -> None:
        """The row is about to be saved with the event's changes: the projection may stamp the
        row's own bookkeeping columns (nothing else)."""

    def recorded(self, dossier, before: dict | None, at: datetime) -> None:
        """One event was appended. ``dossier`` is the row as it now stands; ``before`` holds the
        watched fields as they stood before the event (None for a new dossier)."""

    def migrated(self, rows: list[dict]) -> None:
        """Dossiers were written whole by the migration writer; ``rows`` hold their columns."""


_registry: dict[str, Projection] = {}
_watched: tuple[str, ...] = ()


def register(projection: Projection) -> Projection:
    """Add ``projection`` (once per name: registering again replaces it)."""
    global _watched
    if not projection.name:
        raise ValueError("A projection needs a name.")
    _registry[projection.name] = projection
    _watched = tuple(dict.fromkeys(name for p in _registry.values() for name in p.fields))
    return projection


def registered() -> list[Projection]:
    return list(_registry.values())


def tables() -> list[tuple[str, str]]:
    """Every registered projection's tables with a row per dossier."""
    return [table for projection in _registry.values() for table in projection.tables]


def snapshot(dossier) -> dict:
    """The watched fields of the row as it stands."""
    return {name: getattr(dossier, name) for name in _watched}


def changing(dossier, before: dict | None, at: datetime) -> None:
    for projection in _registry.values():
        projection.changing(dossier, before, at)


def recorded(dossier, before: dict | None, at: datetime) -> None:
    for projection in _registry.values():
        projection.recorded(dossier, before, at)


def migrated(rows: list[dict]) -> None:
    for projection in _registry.values():
        projection.migrated(rows)
