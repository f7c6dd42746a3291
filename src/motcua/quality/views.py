"""The leaders' dashboard: the service index of a unit for a period (groups, indicators and what
pulls each down), its month-by-month trend, the ranking of the units under it, early warnings,
and the Circular 01/2018 evaluation where it applies."""

from datetime import date
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.people.access import official_required
from motcua.reports.exports import dossier_list_csv
from motcua.reports.periods import Choice, calendar_periods, period_choices

from . import exports, services
from .charts import group_chart, trend_data
from .figures import Catalog, index_scope, period
from .rules import NO_DATA, Measure
from .warnings import early_warnings

# The indicators whose shortfall is a count of dossiers (the others count procedures).
DOSSIER_MEASURES = {Measure.ON_TIME, Measure.ONLINE_DOSSIERS, Measure.PAID_ONLINE, Measure.E_RESULTS,
                    Measure.DIGITIZED, Measure.REUSED, Measure.SATISFACTION}  # fmt: skip


def _base(choice: Choice) -> dict:
    return {"unit": choice.unit.pk, "from": choice.first.isoformat(), "to": choice.last.isoformat()}


@official_required
def dashboard(request):
    choice = Choice(request)
    unit, first, last = choice.unit, choice.first, choice.last
    catalog = Catalog.read()
    span = period(first, last)
    scope = index_scope(unit, span)  # read once for every part of the page
    today = period(choice.today, choice.today)
    today_scope = scope if last >= choice.today else index_scope(unit, today)
    item = services.index(unit, first, last, catalog=catalog, scope=scope)
    fmt = request.GET.get("format")
    if fmt in exports.FORMATS:
        content = exports.render(item, fmt, services.ranking(unit, first, last))
        response = HttpResponse(content, content_type=exports.CONTENT_TYPES[fmt])
        name = f"chi-so-{unit.code}-{first:%Y%m%d}-{last:%Y%m%d}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    base = _base(choice)
    indicators = []
    for scored in item.scored:
        measure = scored.indicator.measure
        shortfall = None if scored.ratio is None else scored.ratio.whole - scored.ratio.part
        if measure == Measure.SATISFACTION and scored.ratio is not None:
            counts = item.figures.counts
            shortfall = counts.get("late", 0) + counts.get("disliked", 0)
        link = urlencode({**base, "measure": measure}) if measure not in NO_DATA and shortfall else ""
        indicators.append({"s": scored, "shortfall": shortfall, "link": link,
                           "unit_word": _("dossiers") if measure in DOSSIER_MEASURES else _("procedures")})  # fmt: skip
    trend = services.monthly_trend(unit, scope=today_scope, catalog=catalog)
    rank_by = request.GET.get("rank_by")
    rank_by = int(rank_by) if rank_by in {"1", "2", "3", "4", "5"} else None
    ranking = services.ranking(unit, first, last, group=rank_by, scope=scope, catalog=catalog)
    context = {
        "choice": choice, "unit": unit, "first": first, "last": last, "item": item, "indicators": indicators,
        "groups": item.groups, "ranking": _shortened(ranking, request.GET.get("ranking") == "all"),
        "rank_by": rank_by,
        "warnings": early_warnings(unit, scope=today_scope),
        "evaluation": services.circular_01(unit, first, last, scope=scope),
        "trend": trend_data(trend), "trend_rows": trend, "query": urlencode(base),
        "periods": period_choices(), "standard": _standard(choice.today),
        "chart": group_chart(item),
    }  # fmt: skip
    return render(request, "quality/dashboard.html", context)


RANKING_HEAD, RANKING_TAIL = 20, 10  # a long ranking shows its top and bottom, the rest on asking


def _shortened(tables: list[services.RankTable], whole: bool) -> list[dict]:
    shown = []
    for table in tables:
        rows = table.rows
        if whole or len(rows) <= RANKING_HEAD + RANKING_TAIL + 10:
            shown.append({"table": table, "head": rows, "tail": [], "hidden": 0})
        else:
            shown.append({"table": table, "head": rows[:RANKING_HEAD], "tail": rows[-RANKING_TAIL:],
                          "hidden": len(rows) - RANKING_HEAD - RANKING_TAIL})  # fmt: skip
    return shown


def _standard(today: date) -> list[tuple[str, dict]]:
    return [*calendar_periods(today), (_("Last year"), {"period": "year", "year": today.year - 1, "number": 1})]


@official_required
def pulling(request):
    """The dossiers or procedures that pull one indicator down, with a CSV export."""
    choice = Choice(request)
    try:
        measure = Measure(request.GET.get("measure", ""))
    except ValueError:
        raise Http404 from None
    found = services.pulling_down(choice.unit, choice.first, choice.last, measure)
    if found is None:
        raise Http404
    if request.GET.get("format") == "csv" and found.kind == "dossiers":
        response = HttpResponse(dossier_list_csv(found.rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="chi-so-{choice.unit.code}-{measure}.csv"'
        return response
    page = Paginator(found.rows, 100).get_page(request.GET.get("page"))
    context = {"unit": choice.unit, "first": choice.first, "last": choice.last, "found": found, "page": page,
               "measure": measure, "query": urlencode({**_base(choice), "measure": measure}),
               "back": urlencode(_base(choice)), "title": MEASURE_TITLES.get(measure, measure)}  # fmt: skip
    return render(request, "quality/pulling.html", context)


MEASURE_TITLES = {
    Measure.ON_TIME: gettext_lazy("Dossiers finished late or open and overdue"),
    Measure.SATISFACTION: gettext_lazy("Dossiers finished late or rated “not satisfied”"),
    Measure.DIGITIZED: gettext_lazy("Dossiers not digitized (or with a paper result and no e-result)"),
    Measure.ONLINE_DOSSIERS: gettext_lazy("Dossiers not counted as online"),
    Measure.E_RESULTS: gettext_lazy("Paper-result dossiers without an e-result"),
    Measure.PAID_ONLINE: gettext_lazy("Fee-bearing dossiers not paid online"),
    Measure.REUSED: gettext_lazy("Dossiers that reused no data held"),
    Measure.PROCEDURES_COMPLETE: gettext_lazy("Procedures published without every element"),
    Measure.PROCEDURES_ONLINE: gettext_lazy("Procedures not offered online"),
    Measure.ONLINE_SERVICES_USED: gettext_lazy("Online services with no online dossier in the period"),
    Measure.PROCEDURES_PAID_ONLINE: gettext_lazy("Fee-bearing procedures with no online payment in the period"),
}
