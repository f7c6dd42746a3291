"""The report page: pick unit, period and grouping; the II.06a table; every cell drills down."""

from datetime import date
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.units.models import UnitKind

from . import exports, rules, services
from .rules import COLUMNS


def _choices(request):
    today = timezone.localdate()
    units = list(services.report_units(request.user).valid_on(today).exclude(kind=UnitKind.SERVICE_CENTER)[:300])
    if not units:
        raise Http404
    chosen = next((u for u in units if str(u.pk) == request.GET.get("unit")), units[0])
    first, last = _period(request.GET, today)
    by = request.GET.get("by") if request.GET.get("by") in {g.value for g in services.GroupBy} else "level"
    return units, chosen, first, last, by


def _period(params, today: date) -> tuple[date, date]:
    kind = params.get("period")
    if kind in {k.value for k in rules.PeriodKind}:
        try:
            return rules.period(kind, int(params.get("year") or today.year), int(params.get("number") or 1))
        except ValueError:
            pass
    try:
        first = date.fromisoformat(params.get("from", ""))
        last = date.fromisoformat(params.get("to", ""))
        if first <= last:
            return first, last
    except ValueError:
        pass
    return today.replace(day=1), today


@login_required
def settlement(request):
    units, unit, first, last, by = _choices(request)
    report = services.settlement_report(unit, first, last, by)
    fmt = request.GET.get("format")
    if fmt in exports.FORMATS:
        response = HttpResponse(exports.render(report, fmt, signer=""), content_type=exports.CONTENT_TYPES[fmt])
        response["Content-Disposition"] = (
            f'attachment; filename="bao-cao-II06a-{unit.code}-{first:%Y%m%d}-{last:%Y%m%d}.{fmt}"'
        )
        return response
    base = {"unit": unit.pk, "from": first.isoformat(), "to": last.isoformat(), "by": by}
    rows = [
        {"number": number, "row": row,
         "cells": [(getattr(row.counts, c), urlencode({**base, "key": row.key, "column": c})) for c in COLUMNS]}
        for number, row in exports.numbered(report.rows)
    ]  # fmt: skip
    context = {
        "units": units, "unit": unit, "first": first, "last": last, "by": by, "rows": rows,
        "header": exports.HEADER, "groupings": services.GroupBy, "query": urlencode(base),
        "periods": rules.PeriodKind, "today": timezone.localdate(),
    }  # fmt: skip
    return render(request, "reports/settlement.html", context)


@login_required
def cell(request):
    """The dossiers behind one number of the report, with a CSV export."""
    _units, unit, first, last, by = _choices(request)
    column = request.GET.get("column", "total")
    if column not in COLUMNS:
        raise Http404
    dossiers = services.cell_dossiers(unit, first, last, by, request.GET.get("key", "total"), column)
    dossiers = dossiers.order_by("received_at", "pk")
    if request.GET.get("format") == "csv":
        return HttpResponse(exports.dossier_list_csv(dossiers), content_type=exports.CONTENT_TYPES["csv"],
                            headers={"Content-Disposition": 'attachment; filename="ho-so.csv"'})  # fmt: skip
    page = Paginator(dossiers, 100).get_page(request.GET.get("page"))
    label = dict((h[0], h[2]) for h in exports.HEADER).get(column, column)
    context = {"unit": unit, "first": first, "last": last, "page": page, "column": label,
               "key": request.GET.get("key", "total"), "query": request.GET.urlencode(),
               "title": _("Dossiers behind the figure")}  # fmt: skip
    return render(request, "reports/cell.html", context)
