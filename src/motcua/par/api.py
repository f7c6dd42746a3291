"""PAR results and score sheets through the API."""

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from ninja.security import django_auth

from motcua.core.tabular import ImportRejected, read_table

from . import exports, services
from .models import Stage

router = Router(tags=["par"])


class FrameworkOut(Schema):
    code: str
    name: str
    year: int
    stage: str
    decision: str
    previous: str | None


class ImportOut(Schema):
    created: int
    updated: int
    unchanged: int


def _readable(request, code: str):
    framework = services.framework_by_code(code)
    if framework is None:
        raise Http404(_("No such framework."))
    if framework.stage == Stage.PUBLISHED:
        return framework
    user = request.user
    if user.is_authenticated and (
        services.may_run(user, framework) or services.frameworks_for(user).filter(pk=framework.pk).exists()
    ):
        return framework
    raise Http404(_("No such framework."))


@router.get(
    "/frameworks", response=list[FrameworkOut], summary="PAR frameworks: published ones, and those of your units"
)
def frameworks(request):
    found = services.readable_frameworks(request.user)
    return [
        {
            "code": f.code,
            "name": f.name,
            "year": f.year,
            "stage": f.stage,
            "decision": f.decision,
            "previous": f.previous.code if f.previous_id else None,
        }
        for f in found.select_related("previous")
    ]


@router.get("/results", url_name="par_results", summary="PAR results of a framework: rank, group, changes, averages")
def results(request, framework: str, format: str = "json"):
    """One row per unit (``unit_code``, ``unit_name``, ``points``, ``max_points``, ``percent``, ``rank``,
    ``rank_change``, ``points_change``, ``group``) and a summary (``average``, ``average_change``, the
    count per group). Ties share a rank. Published results are public and frozen."""
    if format not in exports.FORMATS:
        raise Http404(_("Unknown format %(format)s.") % {"format": format})
    found = services.results(_readable(request, framework))
    response = HttpResponse(exports.render(found, format), content_type=exports.CONTENT_TYPES[format])
    if format != "json":
        response["Content-Disposition"] = f'attachment; filename="chi-so-cchc-{framework}.{format}"'
    return response


@router.post("/scores", response={200: ImportOut}, auth=django_auth, summary="Import a score sheet (CSV or xlsx)")
def import_scores(request, file: File[UploadedFile]):
    """``framework,unit_code,criterion_code,self_score,appraised_score,survey_score``, empty cells
    allowed, and an optional ``not_applicable`` column (``x`` where the criterion does not apply to
    the unit: out of its points and its maximum); refused whole (422, every problem by line) if
    anything is wrong. Reform staff of the province running each framework only."""
    header, rows = read_table(file.name, file.read())
    codes = {row.get("framework") for row in rows}
    for code in codes:
        framework = services.framework_by_code(code)
        if framework is not None and not services.may_run(request.user, framework):
            raise Http404(_("No such framework."))
    result = services.import_scores(header, rows)
    return {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}


def refused(api):
    """Register the answers for refused PAR changes and files on ``api``."""

    @api.exception_handler(services.ParError)
    def par_refused(request, exc: services.ParError):
        return api.create_response(request, {"detail": str(exc.message)}, status=422)

    @api.exception_handler(ImportRejected)
    def file_refused(request, exc: ImportRejected):
        return api.create_response(
            request,
            {
                "detail": _("The file was refused; nothing was written."),
                "problems": [{"line": p.line, "message": p.render(request.LANGUAGE_CODE)} for p in exc.problems],
            },
            status=422,
        )
