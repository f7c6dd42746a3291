from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError

from .routers import calendar_router, catalog_router, units_router

api = NinjaAPI(
    title="motcua API",
    version="1",
    description="Một cửa: đơn vị hành chính, danh mục thủ tục hành chính, lịch làm việc. "
    "One-stop: administrative units, procedure catalog, working calendar.",
    docs_url="/docs",
)
api.add_router("/units", units_router)
api.add_router("/", catalog_router)
api.add_router("/calendar", calendar_router)


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
