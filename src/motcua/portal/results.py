"""Public results: the signed-off settlement reports and the province's service index, with charts."""

from __future__ import annotations

from datetime import date

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.par import services as par
from motcua.quality import services as quality
from motcua.quality.charts import trend_data
from motcua.reports import exports
from motcua.reports import services as reports
from motcua.reports.models import SignedReport
from motcua.units.models import Unit, UnitKind


def _province(request, day: date) -> Unit:
    provinces = Unit.objects.valid_on(day).filter(kind=UnitKind.PROVINCE).order_by("code")
    chosen = request.GET.get("unit")
    unit = provinces.filter(pk=chosen).first() if chosen and chosen.isdigit() else None
    unit = unit or provinces.first()
    if unit is None:
        raise Http404
    return unit


def results(request):
    """The province's service index this year so far, its ranking of units and its trend, and the
    settlement reports its leaders signed off."""
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    year = min(max(year, 2000), today.year)
    first, last = date(year, 1, 1), min(date(year, 12, 31), today)
    province = _province(request, last)
    catalog = quality.Catalog.read()
    scope = quality.index_scope(province, quality.period(first, last))
    item = quality.index(province, first, last, catalog=catalog, scope=scope)
    tables = quality.ranking(province, first, last, scope=scope, catalog=catalog)
    trend = quality.monthly_trend(province, catalog=catalog)
    signed = SignedReport.objects.select_related("unit").order_by("-last", "-signed_at")
    page = Paginator(signed, 12).get_page(request.GET.get("page"))
    latest = page[0] if page else None
    context = {
        "province": province,
        "year": year,
        "years": range(today.year, today.year - 5, -1),
        "first": first,
        "last": last,
        "item": item,
        "tables": tables,
        "ranking_chart": _ranking_chart(tables),
        "trend": trend_data(trend),
        "trend_rows": trend,
        "page": page,
        "report_chart": _report_chart(latest) if latest else None,
        "latest": latest,
        "par_frameworks": par.published_frameworks()[:10],
    }
    return render(request, "portal/results.html", context)


def signed_report(request, pk: int):
    """A signed-off settlement report, as PDF or xlsx, for anyone."""
    signed = get_object_or_404(SignedReport.objects.select_related("unit"), pk=pk)
    fmt = request.GET.get("format") if request.GET.get("format") in ("pdf", "xlsx") else "pdf"
    content = exports.render(reports.signed_report(signed), fmt)
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES[fmt])
    name = f"bao-cao-II06a-{signed.unit.code}-{signed.first:%Y%m%d}-{signed.last:%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def _ranking_chart(tables) -> dict | None:
    """The first table with ranked units (those without data are listed apart), its top fifteen."""
    table = next((t for t in tables if t.rows), None)
    if table is None:
        return None
    rows = table.rows[:15]
    return {
        "table": table.label,
        "labels": [row.index.name for row in rows],
        "total": [float(row.share) for row in rows],
        "name": _("Share of the points within reach (%)"),
    }


def _report_chart(signed: SignedReport) -> dict:
    rows = reports.signed_rows(signed)
    total = next((row for row in rows if row.kind == "total"), rows[-1] if rows else None)
    counts = total.counts if total else None
    names = [_("Finished early"), _("Finished on time"), _("Finished late"), _("Open, within time"), _("Open, overdue")]
    values = [counts.early, counts.on_time, counts.late, counts.open_within, counts.open_overdue] if counts else []
    return {"labels": names, "values": values, "total": counts.total if counts else 0}
