"""The API: every app's router mounted under /api, and the answers for refused input."""

from django.db import DataError
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError

from motcua.catalog.api import calendar_router
from motcua.catalog.api import router as catalog_router
from motcua.core.errors import Refused
from motcua.dossiers.api import public as lookup_router
from motcua.dossiers.api import router as dossiers_router
from motcua.par.api import refused as par_refused
from motcua.par.api import router as par_router
from motcua.plans.api import router as plans_router
from motcua.quality.api import router as quality_router
from motcua.reports.api import router as reports_router
from motcua.units.api import router as units_router

api = NinjaAPI(
    title="motcua API",
    version="1",
    description="Một cửa: đơn vị hành chính, danh mục thủ tục hành chính, lịch làm việc, hồ sơ. "
    "One-stop: administrative units, procedure catalog, working calendar, dossiers.",
    docs_url="/docs",
)
api.add_router("/units", units_router)
api.add_router("/", catalog_router)
api.add_router("/calendar", calendar_router)
api.add_router("/dossiers", dossiers_router)
api.add_router("/", lookup_router)
api.add_router("/reports", reports_router)
api.add_router("/quality", quality_router)
api.add_router("/par", par_router)
api.add_router("/plans", plans_router)
par_refused(api)


@api.exception_handler(Refused)
def refused_action(request, exc: Refused):
    """A refused action: its message in the reader's language, and nothing was changed."""
    return api.create_response(
        request, {"detail": str(exc.message), "kind": type(exc).__name__}, status=exc.status_code
    )


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def out_of_range(request, exc: Exception):
    """A number too large for its database column: the caller's input, refused (every service
    writes in one transaction, so nothing is half-written)."""
    return api.create_response(request, {"detail": _("A value is out of range.")}, status=422)


@api.exception_handler(MultiPartParserError)
def malformed_upload(request, exc: MultiPartParserError):
    return api.create_response(request, {"detail": _("The uploaded form data is malformed.")}, status=400)


@api.exception_handler(ValidationError)
def invalid_parameters(request, exc: ValidationError):
    problems = []
    for error in exc.errors:
        where = ".".join(str(part) for part in error.get("loc", ())[1:]) or "?"
        problems.append({"parameter": where, "message": error.get("msg", "")})
    names = ", ".join(p["parameter"] for p in problems)
    return api.create_response(
        request,
        {"detail": _("Invalid parameters: %(names)s") % {"names": names}, "errors": problems},
        status=422,
    )
