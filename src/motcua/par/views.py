"""PAR pages: the frameworks a user runs or is assessed under, a unit's self-assessment and its
appraisal, results with charts, and the public page of published results."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.core.tabular import ImportRejected
from motcua.people.access import official_required
from motcua.people.services import units_in_scope
from motcua.units.models import Unit

from . import exports, services
from .models import Assessment, AssessmentStatus, Criterion, Framework, Source, Stage
from .rules import Progress


def _framework(request, code: str) -> Framework:
    framework = services.framework_by_code(code)
    if framework is None or not services.frameworks_for(request.user).filter(pk=framework.pk).exists():
        raise Http404
    return framework


@official_required
def frameworks(request):
    found = services.frameworks_for(request.user)
    if request.method == "POST" and request.FILES.get("file"):
        return _import_framework(request)
    owners = units_in_scope(request.user, services.COUNCIL_ROLES).filter(kind="province")
    return render(
        request, "par/frameworks.html", {"frameworks": found, "owners": owners, "year": timezone.localdate().year}
    )


def _import_framework(request):
    owner = units_in_scope(request.user, services.COUNCIL_ROLES).filter(pk=request.POST.get("owner")).first()
    if owner is None:
        raise Http404
    upload = request.FILES["file"]
    try:
        year = int(request.POST.get("year", ""))
        previous = (
            services.framework_by_code(request.POST.get("previous", "")) if request.POST.get("previous") else None
        )
        sheets = services.read_framework_file(upload.name, upload.read())
        framework = services.import_framework(
            sheets,
            code=request.POST.get("code", "").strip(),
            name=request.POST.get("name", "").strip(),
            year=year,
            owner=owner,
            previous=previous,
        )
    except ImportRejected as rejected:
        for problem in rejected.problems:
            messages.error(request, problem.render(request.LANGUAGE_CODE))
        return redirect("par:frameworks")
    except ValueError:
        messages.error(request, _("Give the year as a number."))
        return redirect("par:frameworks")
    messages.success(request, _("Framework %(code)s imported.") % {"code": framework.code})
    return redirect("par:framework", code=framework.code)


@official_required
def framework(request, code: str):
    item = _framework(request, code)
    runs = services.may_run(request.user, item)
    found = services.results(item)
    criteria = list(item.criteria.select_related("parent").prefetch_related("assignments__unit").order_by("order"))
    progress, summary = services.progress(item)
    if not runs:  # the counts cover every unit; the rows, the units of the user's
        progress = [p for p in progress if services.may_assess(request.user, p.unit)]
    fmt = request.GET.get("format")
    if fmt in exports.FORMATS:
        response = HttpResponse(exports.render(found, fmt), content_type=exports.CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="chi-so-cchc-{item.code}.{fmt}"'
        return response
    if request.GET.get("export") == "xlsx" and runs:
        response = HttpResponse(services.export_framework(item), content_type=exports.CONTENT_TYPES["xlsx"])
        response["Content-Disposition"] = f'attachment; filename="khung-{item.code}.xlsx"'
        return response
    chosen = _chosen_unit(request, item)
    context = {
        "f": item,
        "runs": runs,
        "criteria": criteria,
        "progress": [(p, PROGRESS_LABELS[p.state]) for p in progress],
        "progress_summary": summary,
        "progress_counts": [(PROGRESS_LABELS[state], n) for state, n in summary.counts.items()],
        "results": found,
        "chart": ranking_chart(found, item),
        "stages": Stage,
        "chosen": chosen,
        "lift": services.lift(item, chosen) if chosen else None,
        "radar": radar_chart(found, chosen, item) if chosen else None,
        "history": history_chart(item, chosen) if chosen else None,
        "streak": services.first_place_streak(item, chosen.code) if chosen else 0,
        "scope_units": services.units_of(item) if runs else [],
        "chart_units": services.units_of(item),
    }
    return render(request, "par/framework.html", context)


PROGRESS_LABELS = {
    Progress.NOT_STARTED: gettext_lazy("Not started"),
    Progress.IN_PROGRESS: gettext_lazy("Self-assessment in progress"),
    Progress.SUBMITTED: gettext_lazy("Submitted for appraisal"),
    Progress.APPRAISED: gettext_lazy("Appraised"),
}


def _chosen_unit(request, item: Framework) -> Unit | None:
    pk = request.GET.get("unit")
    return next((u for u in services.units_of(item) if str(u.pk) == pk), None) if pk else None


@official_required
@require_POST
def run(request, code: str):
    """The council's steps on a framework: open self-assessment, open appraisal, compute, assign,
    copy to next year, publish."""
    item = _framework(request, code)
    step = request.POST.get("step")
    try:
        if not services.may_run(request.user, item):
            raise services.ParError(_("Only reform staff of the province run the framework."))
        if step in (Stage.SELF_ASSESSMENT, Stage.APPRAISAL):
            deadline = request.POST.get("deadline")
            services.set_stage(request.user, item, Stage(step), date.fromisoformat(deadline) if deadline else None)
        elif step == "compute":
            services.compute(item)
        elif step == "assign":
            criterion = item.criteria.get(pk=request.POST.get("criterion"))
            unit = Unit.objects.get(pk=request.POST.get("unit"))
            deadline = request.POST.get("deadline") or None
            services.assign(request.user, criterion, unit, deadline)
        elif step == "copy":
            new = services.copy_framework(item, request.POST.get("new_code", "").strip(), int(request.POST["year"]))
            messages.success(request, _("Framework %(code)s created from this one.") % {"code": new.code})
            return redirect("par:framework", code=new.code)
        elif step == "publish":
            decision = request.POST.get("decision", "")
            if request.POST.get("confirm") != "yes" and decision.strip():
                return _confirm_publish(request, item, decision)
            services.publish(request.user, item, decision)
        else:
            raise Http404
    except services.ParError as error:
        messages.error(request, str(error.message))
    except (Criterion.DoesNotExist, Unit.DoesNotExist, ValueError, KeyError):
        messages.error(request, _("Check the form: something is missing or not a number."))
    else:
        messages.success(request, _("Done."))
    return redirect("par:framework", code=item.code)


def _confirm_publish(request, item: Framework, decision: str):
    """The step before publishing: the results become public, so the council says so twice."""
    context = {
        "question": _("Publish these results?"),
        "what": f"{item.name} · {_('Decision')} {decision.strip()}",
        "action": reverse("par:run", args=[item.code]),
        "fields": [("step", "publish"), ("decision", decision)],
        "confirm_label": _("Yes, publish"),
        "cancel": reverse("par:framework", args=[item.code]),
    }
    return render(request, "web/confirm_publish.html", context)


@official_required
def assessment(request, code: str, unit_id: int):
    item = _framework(request, code)
    unit = next((u for u in services.units_of(item) if u.pk == unit_id), None)
    runs = services.may_run(request.user, item)
    if unit is None or not (runs or services.may_assess(request.user, unit)):
        raise Http404
    record = services.assessment_for(item, unit)
    if request.method == "POST":
        try:
            with transaction.atomic():  # a refused score undoes the whole form
                _act(request, item, record, runs)
        except services.ParError as error:
            messages.error(request, str(error.message))
        return redirect("par:assessment", code=code, unit_id=unit_id)
    scores = {s.criterion_id: s for s in record.scores.prefetch_related("evidence")}
    rows = []
    for criterion in item.criteria.order_by("order"):
        leaf = not criterion.children.exists()
        score = scores.get(criterion.pk)
        off = leaf and score is not None and score.not_applicable
        rows.append(
            {
                "c": criterion,
                "leaf": leaf and not off,  # a criterion that does not apply is shown, not scored
                "not_applicable": off,
                "s": score,
                "points": services.leaf_points(score, criterion) if leaf and not off else None,
            }
        )
    context = {
        "f": item,
        "unit": unit,
        "a": record,
        "rows": rows,
        "runs": runs,
        "may_self": services.may_assess(request.user, unit)
        and item.stage == Stage.SELF_ASSESSMENT
        and record.status == AssessmentStatus.DRAFT,
        "may_appraise": runs
        and item.stage == Stage.APPRAISAL
        and record.status in (AssessmentStatus.SUBMITTED, AssessmentStatus.APPRAISED, AssessmentStatus.RESPONDED),
        "may_respond": services.may_assess(request.user, unit) and record.status == AssessmentStatus.APPRAISED,
        "may_survey": runs and item.stage != Stage.PUBLISHED,
        "total": sum((r["points"] for r in rows if r["leaf"]), Decimal(0)),
        "Source": Source,
        "Status": AssessmentStatus,
    }
    return render(request, "par/assessment.html", context)


def _act(request, item: Framework, record: Assessment, runs: bool) -> None:
    step = request.POST.get("step")
    leaves = {c.pk: c for c in services.leaves(item)}
    if step in ("save", "submit"):
        for pk, criterion in leaves.items():
            if criterion.source != Source.SELF or f"score_{pk}" not in request.POST:
                continue
            value = _decimal(request.POST.get(f"score_{pk}"), criterion)
            services.self_score(
                request.user,
                record,
                criterion,
                value,
                request.POST.get(f"explain_{pk}", ""),
                request.FILES.getlist(f"files_{pk}"),
            )
        if step == "submit":
            services.submit(request.user, record)
            messages.success(request, _("Submitted for appraisal."))
        else:
            messages.success(request, _("Saved."))
    elif step in ("appraise", "send", "survey") and runs:
        for pk, criterion in leaves.items():
            if criterion.source == Source.SURVEY and f"survey_{pk}" in request.POST:
                services.set_survey(request.user, record, criterion, _decimal(request.POST[f"survey_{pk}"], criterion))
        if step == "survey":
            messages.success(request, _("Saved."))
            return
        for score in record.scores.select_related("criterion"):
            if f"appraised_{score.pk}" in request.POST and request.POST[f"appraised_{score.pk}"] != "":
                value = _decimal(request.POST[f"appraised_{score.pk}"], score.criterion)
                services.appraise(request.user, score, value, request.POST.get(f"reason_{score.pk}", ""))
        if step == "send":
            services.send_appraisal(request.user, record)
        messages.success(request, _("Saved."))
    elif step == "respond":
        responses = {
            s.pk: request.POST.get(f"response_{s.pk}", "")
            for s in record.scores.all()
            if request.POST.get(f"response_{s.pk}")
        }
        services.respond(request.user, record, responses)
        messages.success(request, _("Your response is sent to the council."))
    elif step == "finalise" and runs:
        services.finalise(request.user, record)
        messages.success(request, _("Finalised."))
    else:
        raise Http404


def _decimal(text: str | None, criterion: Criterion) -> Decimal | None:
    if text is None or text.strip() == "":
        return None
    value = services.parse_points(text.strip())
    if value is None:
        raise services.ParError(
            _("“%(value)s” is not a number of points (criterion %(code)s).") % {"value": text, "code": criterion.code}
        )
    return value


@official_required
def evidence(request, code: str, pk: int):
    """An evidence document, for the unit that gave it and the council."""
    from django.http import FileResponse

    from .models import Evidence

    item = _framework(request, code)
    stored = Evidence.objects.filter(pk=pk, score__assessment__framework=item).select_related("score__assessment__unit")
    stored = stored.first()
    if stored is None:
        raise Http404
    unit = stored.score.assessment.unit
    if not (services.may_run(request.user, item) or services.may_assess(request.user, unit)):
        raise Http404
    return FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.original_name)


# ---------------------------------------------------------------------------------------------
# Charts' data


GROUP_COLOURS = ["#1b5e20", "#0b4f9c", "#8a5a00", "#b3261e", "#5f6368", "#6a1b9a"]


def ranking_chart(found: services.Results, item: Framework) -> dict:
    codes = [band.code for band in item.bands.all()]
    colour = {code: GROUP_COLOURS[n % len(GROUP_COLOURS)] for n, code in enumerate(codes)}
    return {
        "labels": [r.unit_name for r in found.rows],
        "values": [float(r.percent) for r in found.rows],
        "colours": [colour.get(r.group, "#5f6368") for r in found.rows],
        "groups": [{"code": c, "colour": colour[c]} for c in codes],
        "name": _("Index (%)"),
    }


def radar_chart(found: services.Results, unit: Unit, item: Framework) -> dict | None:
    """A unit's points in each area against the average, as percents of the area's maximum."""
    row = next((r for r in found.rows if r.unit_code == unit.code), None)
    if row is None:
        return None
    areas = services.areas(item)
    count = len(found.rows)

    def share(points: Decimal, area) -> float:
        return float(points * 100 / area.max_points) if area.max_points else 0.0

    average = [share(sum((r.areas.get(a.code, Decimal(0)) for r in found.rows), Decimal(0)) / count, a) for a in areas]
    return {
        "labels": [f"{a.code}. {a.title[:28]}" for a in areas],
        "unit": [share(row.areas.get(a.code, Decimal(0)), a) for a in areas],
        "average": average,
        "names": [unit.name, _("Average")],
    }


def history_chart(item: Framework, unit: Unit) -> dict:
    rows = services.history(item, unit.code)
    word = _("rank")
    return {
        "labels": [f"{year}" + (f" ({word} {rank})" if rank else "") for year, _p, rank in rows],
        "points": [None if p is None else float(p) for _y, p, _r in rows],
        "name": _("Points"),
    }


# ---------------------------------------------------------------------------------------------
# Public


def public_results(request, code: str):
    item = services.published_frameworks().filter(code=code).first()
    if item is None:
        raise Http404
    found = services.results(item)
    chosen = _chosen_unit(request, item)
    context = {
        "f": item,
        "results": found,
        "chart": ranking_chart(found, item),
        "chosen": chosen,
        "radar": radar_chart(found, chosen, item) if chosen else None,
        "history": history_chart(item, chosen) if chosen else None,
        "streak": services.first_place_streak(item, chosen.code) if chosen else 0,
        "units": services.units_of(item),
    }
    return render(request, "par/public.html", context)


def public_list(request):
    return render(request, "par/public_list.html", {"frameworks": services.published_frameworks()})
