"""The report page: pick unit, period, grouping and unit map; the II.06a table, every figure
drilling down to its dossiers; the month-by-month trend; signing the period off."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from motcua.core.errors import Refused
from motcua.people.access import official_required

from . import exports, services
from .charts import trend_data, trend_rows
from .models import SignedReport, UnitMap
from .periods import Choice, period_choices, standard_periods
from .rules import COLUMNS


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
        content = exports.render(report, fmt, preparer=request.user.full_name or request.user.get_username())
        return _download(content, fmt, f"bao-cao-II06a-{unit.code}-{first:%Y%m%d}-{last:%Y%m%d}")
    signed = services.latest_signed(report)
    base = choice.base
    rows = [
        {"number": number, "row": row,
         "cells": [(getattr(row.counts, c), urlencode({**base, "key": row.key, "column": c})) for c in COLUMNS]}
        for number, row in exports.numbered(report.rows)
    ]  # fmt: skip
    trend = trend_data(services.monthly_trend(unit, last, unit_map=choice.unit_map))
    context = {
        "choice": choice, "unit": unit, "first": first, "last": last, "rows": rows, "header": HEADER,
        "query": urlencode(base), "periods": period_choices(),
        "groupings": [(g.value, GROUPING_LABELS[g]) for g in services.GroupBy], "maps": UnitMap.choices,
        "signed": signed, "differences": services.differences(signed, report.rows) if signed else [],
        "may_sign": last < choice.today and services.may_sign(request.user, unit),
        "trend": trend, "trend_rows": trend_rows(trend), "standard": standard_periods(choice.today),
    }  # fmt: skip
    return render(request, "reports/settlement.html", context)


def _column(text: str):
    return pgettext_lazy("report column", text)


# The table's heads in the reader's language (the printed form and its exports keep the form's words).
SETTLED, OPEN, TO_SETTLE = _column("Dossiers settled"), _column("Dossiers being settled"), _column("Dossiers to settle")
COLUMN_HEADS = {
    "total": (TO_SETTLE, _column("Total")),
    "new_online": (TO_SETTLE, _column("Newly received online")),
    "new_offline": (TO_SETTLE, _column("Newly received in person or by post")),
    "carried_over": (TO_SETTLE, _column("Carried over")),
    "finished": (SETTLED, _column("Total")),
    "early": (SETTLED, _column("Early")),
    "on_time": (SETTLED, _column("On time")),
    "late": (SETTLED, _column("Late")),
    "open": (OPEN, _column("Total")),
    "open_within": (OPEN, _column("Within the deadline")),
    "open_overdue": (OPEN, _column("Overdue")),
    "digitized": (_column("Digitization"), _column("Digitized dossiers")),
}
HEADER = [(key, *COLUMN_HEADS[key]) for key, _group, _label in exports.HEADER]


GROUPING_LABELS = {
    services.GroupBy.LEVEL: gettext_lazy("Level"), services.GroupBy.UNIT: gettext_lazy("Unit"),
    services.GroupBy.FIELD: gettext_lazy("Field"), services.GroupBy.PROCEDURE: gettext_lazy("Procedure"),
}  # fmt: skip


@official_required
@require_POST
def sign(request):
    """A leader signs the period's report off: it is kept as it stands now, and published on the
    portal, so the leader confirms it on a page of its own first (a post without the confirmation
    signs nothing)."""
    choice = Choice(request)
    back = f"{reverse('reports:settlement')}?{urlencode(choice.base)}"
    if request.POST.get("confirm") != "yes":
        if not services.may_sign(request.user, choice.unit):
            messages.error(request, _("Only the unit's leaders can sign its reports off."))
            return redirect(back)
        period = f"{choice.unit.name} · {choice.first:%d/%m/%Y}–{choice.last:%d/%m/%Y}"
        context = {
            "question": _("Publish this report?"), "what": period, "action": reverse("reports:sign"),
            "fields": [*choice.base.items(), ("note", request.POST.get("note", ""))],
            "confirm_label": _("Yes, sign off and publish"), "cancel": back,
        }  # fmt: skip
        return render(request, "web/confirm_publish.html", context)
    report = services.settlement_report(choice.unit, choice.first, choice.last, choice.by, unit_map=choice.unit_map)
    try:
        services.sign_off(request.user, report, request.POST.get("note", ""))
    except Refused as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The report has been signed off."))
    return redirect(back)


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
    label = " · ".join(str(part) for part in COLUMN_HEADS[column])
    context = {"unit": choice.unit, "first": choice.first, "last": choice.last, "page": page, "column": label,
               "key": key, "query": urlencode({**choice.base, "key": key, "column": column}),
               "back": urlencode(choice.base), "title": _("Dossiers behind the figure")}  # fmt: skip
    return render(request, "reports/cell.html", context)
