"""The report page: pick unit, period, grouping and unit map; the II.06a table, every figure
drilling down to its dossiers; the month-by-month trend; signing the period off."""

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.dossiers.rules import DossierError
from motcua.people.access import official_required
from motcua.units.models import UnitKind

from . import exports, rules, services
from .models import SignedReport, UnitMap
from .rules import COLUMNS


class Choice:
    """What the reader asked for, read from the query string with safe defaults."""

    def __init__(self, request):
        params, today = request.GET if request.method == "GET" else request.POST, timezone.localdate()
        self.today = today
        self.kind = params.get("period") if params.get("period") in {k.value for k in rules.PeriodKind} else ""
        self.year = _int(params.get("year"), today.year)
        self.number = _int(params.get("number"), 1)
        self.first, self.last = self._period(params, today)
        self.by = params.get("by") if params.get("by") in {g.value for g in services.GroupBy} else "level"
        self.unit_map = params.get("map") if params.get("map") in UnitMap.values else UnitMap.PERIOD
        day = today if self.unit_map == UnitMap.TODAY else min(self.last, today)
        self.units = list(services.report_units(request.user).valid_on(day).exclude(kind=UnitKind.SERVICE_CENTER))
        if not self.units:
            raise Http404
        self.unit = next((u for u in self.units if str(u.pk) == params.get("unit")), self.units[0])

    def _period(self, params, today: date) -> tuple[date, date]:
        if self.kind:
            try:
                return rules.period(self.kind, self.year, self.number)
            except ValueError:
                self.kind = ""
        try:
            first, last = date.fromisoformat(params.get("from", "")), date.fromisoformat(params.get("to", ""))
            if first <= last:
                return first, last
        except ValueError:
            pass
        return today.replace(day=1), today

    @property
    def base(self) -> dict:
        return {"unit": self.unit.pk, "from": self.first.isoformat(), "to": self.last.isoformat(), "by": self.by,
                "map": self.unit_map}  # fmt: skip


def _int(text, default: int) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        return default


def _download(content: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@official_required
def settlement(request):
    choice = Choice(request)
    unit, first, last = choice.unit, choice.first, choice.last
    report = services.settlement_report(unit, first, last, choice.by, unit_map=choice.unit_map)
    fmt = request.GET.get("format")
    if fmt in exports.FORMATS:
        return _download(exports.render(report, fmt), fmt, f"bao-cao-II06a-{unit.code}-{first:%Y%m%d}-{last:%Y%m%d}")
    signed = services.latest_signed(report)
    base = choice.base
    rows = [
        {"number": number, "row": row,
         "cells": [(getattr(row.counts, c), urlencode({**base, "key": row.key, "column": c})) for c in COLUMNS]}
        for number, row in exports.numbered(report.rows)
    ]  # fmt: skip
    trend = _trend_data(services.monthly_trend(unit, last, unit_map=choice.unit_map))
    context = {
        "choice": choice, "unit": unit, "first": first, "last": last, "rows": rows, "header": exports.HEADER,
        "query": urlencode(base), "periods": [(k.value, PERIOD_LABELS[k]) for k in rules.PeriodKind],
        "groupings": [(g.value, GROUPING_LABELS[g]) for g in services.GroupBy], "maps": UnitMap.choices,
        "signed": signed, "differences": services.differences(signed, report.rows) if signed else [],
        "may_sign": last < choice.today and services.may_sign(request.user, unit),
        "trend": trend, "trend_rows": _trend_rows(trend), "standard": _standard_periods(choice.today),
    }  # fmt: skip
    return render(request, "reports/settlement.html", context)


PERIOD_LABELS = {
    rules.PeriodKind.MONTH: gettext_lazy("Month"),
    rules.PeriodKind.QUARTER: gettext_lazy("Quarter"),
    rules.PeriodKind.HALF: gettext_lazy("Half year"),
    rules.PeriodKind.NINE_MONTHS: gettext_lazy("Nine months"),
    rules.PeriodKind.YEAR: gettext_lazy("Year"),
    rules.PeriodKind.OFFICIAL_MONTH: gettext_lazy("Official month (15th to 14th)"),
    rules.PeriodKind.OFFICIAL_QUARTER: gettext_lazy("Official quarter"),
    rules.PeriodKind.OFFICIAL_HALF: gettext_lazy("Official half year"),
    rules.PeriodKind.OFFICIAL_NINE_MONTHS: gettext_lazy("Official nine months"),
    rules.PeriodKind.OFFICIAL_YEAR: gettext_lazy("Official year (15/12 to 14/12)"),
}
GROUPING_LABELS = {
    services.GroupBy.LEVEL: gettext_lazy("Level"), services.GroupBy.UNIT: gettext_lazy("Unit"),
    services.GroupBy.FIELD: gettext_lazy("Field"), services.GroupBy.PROCEDURE: gettext_lazy("Procedure"),
}  # fmt: skip


def _trend_data(trend) -> dict:
    """The month-by-month figures the chart draws (and the table under it lists)."""
    return {
        "labels": [f"{m.first:%m/%Y}" for m in trend],
        "series": [
            {"label": _("Received (new)"), "values": [m.counts.new_online + m.counts.new_offline for m in trend]},
            {"label": _("Finished early or on time"), "values": [m.counts.early + m.counts.on_time for m in trend]},
            {"label": _("Finished late"), "values": [m.counts.late for m in trend]},
            {"label": _("Open and overdue at the month's end"), "values": [m.counts.open_overdue for m in trend]},
        ],
        "rate": {"label": _("Digitization rate (%)"), "values": [float(m.counts.digitization_rate) for m in trend]},
    }


def _trend_rows(trend: dict) -> list[tuple[str, list[int], float]]:
    return [
        (label, [series["values"][index] for series in trend["series"]], trend["rate"]["values"][index])
        for index, label in enumerate(trend["labels"])
    ]


def _standard_periods(today: date) -> list[tuple[str, dict]]:
    """Links to the periods a one-stop unit reports on: the official months (the one running and
    the last closed), the calendar month, quarter and year, and the official year."""
    year, month = (today.year, today.month) if today.day < 15 else _following(today.year, today.month)
    last_year, last_month = _preceding(year, month)
    calendar_year, calendar_month = _preceding(today.year, today.month)
    official_year = today.year + 1 if (today.month, today.day) >= (12, 15) else today.year
    return [
        (_("Official month (15th to 14th)"), {"period": "official_month", "year": year, "number": month}),
        (_("Last official month"), {"period": "official_month", "year": last_year, "number": last_month}),
        (_("This month"), {"period": "month", "year": today.year, "number": today.month}),
        (_("Last month"), {"period": "month", "year": calendar_year, "number": calendar_month}),
        (_("This quarter"), {"period": "quarter", "year": today.year, "number": (today.month - 1) // 3 + 1}),
        (_("This year"), {"period": "year", "year": today.year, "number": 1}),
        (_("Official year (15/12 to 14/12)"), {"period": "official_year", "year": official_year, "number": 1}),
    ]  # fmt: skip


def _following(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _preceding(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


@official_required
@require_POST
def sign(request):
    """A leader signs the period's report off: it is kept as it stands now."""
    choice = Choice(request)
    report = services.settlement_report(choice.unit, choice.first, choice.last, choice.by, unit_map=choice.unit_map)
    try:
        services.sign_off(request.user, report, request.POST.get("note", ""))
    except DossierError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The report has been signed off."))
    return redirect(f"{reverse('reports:settlement')}?{urlencode(choice.base)}")


@official_required
def signed_copy(request, pk: int):
    signed = get_object_or_404(SignedReport.objects.select_related("unit"), pk=pk)
    if not services.may_read(request.user, signed.unit):
        raise Http404
    fmt = request.GET.get("format") if request.GET.get("format") in exports.FORMATS else "pdf"
    name = f"bao-cao-II06a-{signed.unit.code}-{signed.first:%Y%m%d}-{signed.last:%Y%m%d}-da-ky"
    return _download(exports.render(services.signed_report(signed), fmt), fmt, name)


@official_required
def cell(request):
    """The dossiers behind one figure of the report, with a CSV export."""
    choice = Choice(request)
    column = request.GET.get("column", "total")
    if column not in COLUMNS:
        raise Http404
    key = request.GET.get("key", "total")
    dossiers = services.cell_dossiers(choice.unit, choice.first, choice.last, choice.by, key, column,
                                      unit_map=choice.unit_map).order_by("received_at", "pk")  # fmt: skip
    if request.GET.get("format") == "csv":
        return _download(exports.dossier_list_csv(dossiers), "csv", f"ho-so-{choice.unit.code}-{column}")
    page = Paginator(dossiers, 100).get_page(request.GET.get("page"))
    label = dict((h[0], h[2]) for h in exports.HEADER).get(column, column)
    context = {"unit": choice.unit, "first": choice.first, "last": choice.last, "page": page, "column": label,
               "key": key, "query": urlencode({**choice.base, "key": key, "column": column}),
               "back": urlencode(choice.base), "title": _("Dossiers behind the figure")}  # fmt: skip
    return render(request, "reports/cell.html", context)
