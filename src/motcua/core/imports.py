"""The kinds of reference data `motcua import KIND FILE` knows. Each app registers its own kinds,
from its AppConfig.ready, with the service that imports them: the core knows none of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.utils.module_loading import import_string

from motcua.core.messages import Message as _
from motcua.core.tabular import ImportRejected, ImportResult, read_table


@dataclass(frozen=True)
class Option:
    """A command-line option a kind takes beyond the file (``--reinvite`` for officials), passed to
    its service as the keyword ``name``. ``nargs``/``const`` as argparse has them."""

    name: str
    help: str
    nargs: str | None = None
    const: object = None


@dataclass(frozen=True)
class Importer:
    service: str  # the import function's dotted path, imported when a file of the kind comes
    streamed: bool  # read by the service from the file itself (a migration file can hold millions of rows)
    dated: bool  # given the effective date (procedures: when a changed process takes effect)
    options: tuple[Option, ...] = ()

    def __call__(self, path: Path | str, effective: date | None, **options) -> ImportResult:
        service: Callable[..., ImportResult] = import_string(self.service)
        if self.streamed:
            return service(Path(path))
        header, rows = read_table(path)
        return self.call(service, header, rows, effective, options)

    def call(self, service, header, rows, effective, options) -> ImportResult:
        given = {o.name: options[o.name] for o in self.options if options.get(o.name) is not None}
        if self.dated:
            given["effective"] = effective
        return service(header, rows, **given)


IMPORTERS: dict[str, Importer] = {}


def register(
    kind: str, service: str, *, streamed: bool = False, dated: bool = False, options: tuple[Option, ...] = ()
) -> None:
    """Make files of ``kind`` importable by ``service`` (a dotted path): called with the file's header
    and rows (and ``effective=`` the effective date when ``dated``, and each of ``options`` given),
    or with its path when ``streamed``."""
    IMPORTERS[kind] = Importer(service, streamed, dated, options)


def kinds() -> list[str]:
    """The kinds registered, in alphabetical order."""
    return sorted(IMPORTERS)


def options() -> list[Option]:
    """Every kind's extra options, once each by name."""
    found = {o.name: o for importer in IMPORTERS.values() for o in importer.options}
    return [found[name] for name in sorted(found)]


def import_file(kind: str, path: Path | str, effective: date | None = None, **options) -> ImportResult:
    """Import one file of ``kind``; raises ImportRejected (nothing written) on any problem."""
    return IMPORTERS[kind](path, effective, **options)


UPLOAD_LIMIT = 5 * 1024 * 1024  # a province's whole roster or plan is far smaller


def import_upload(request, kind: str, **options) -> ImportResult | None:
    """Import the file uploaded as ``file`` for ``kind`` as ``request.user`` (whose scope the service
    checks), telling the page's messages how it went; returns None when it was refused."""
    from django.contrib import messages

    upload = request.FILES.get("file")
    if upload is None or upload.size == 0:
        messages.error(request, _("Choose a CSV or xlsx file."))
        return None
    if upload.size > UPLOAD_LIMIT:
        messages.error(request, _("The file is larger than %(limit)s MB.") % {"limit": UPLOAD_LIMIT >> 20})
        return None
    try:
        header, rows = read_table(upload.name, upload.read())
        result = import_string(IMPORTERS[kind].service)(header, rows, actor=request.user, **options)
    except ImportRejected as rejected:
        messages.error(request, _("The file was refused and nothing was saved:"))
        for problem in rejected.problems:
            messages.error(request, problem.render(request.LANGUAGE_CODE))
        return None
    counts = {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
    messages.success(
        request, _("File imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.") % counts
    )
    return result
