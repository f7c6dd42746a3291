"""The public portal's pages. Thin: each reads the request, calls a service, renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.catalog.competence import level_on
from motcua.catalog.models import Component, Field, OnlineKind, Procedure
from motcua.catalog.services import current_process, search_procedures
from motcua.core.throttle import FEEDBACK, RESETS, SIGN_UPS
from motcua.dossiers.rules import DossierError
from motcua.people import accounts
from motcua.people.access import official_required
from motcua.units.models import Level

from . import services
from .forms import FeedbackForm, ResetForm, ResetRequestForm, SignUpForm, VerifyForm
from .lookup import follow, too_many
from .visitors import tally

PAGE_SIZE = 20


def home(request):
    if accounts.is_official(request.user):
        return redirect("workspace")
    context = {
        "articles": services.published_articles()[:4],
        "procedure_count": Procedure.objects.filter(is_active=True).count(),
        "online_count": Procedure.objects.filter(is_active=True).exclude(online_kind=OnlineKind.NONE).count(),
        "fields": Field.objects.all(),
    }
    return render(request, "portal/home.html", context)


# ---------------------------------------------------------------------------------------------
# Catalog


def procedures(request):
    query = request.GET.get("q", "").strip()
    chosen = {name: request.GET.get(name, "") for name in ("field", "level", "online")}
    found = search_procedures(query, field=chosen["field"], level=chosen["level"], online_kind=chosen["online"])
    page = Paginator(found.select_related("field"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "query": query,
        "chosen": chosen,
        "page": page,
        "fields": Field.objects.all(),
        "levels": Level.choices,
        "online_kinds": OnlineKind.choices,
        "filters": "&".join(f"{k}={v}" for k, v in {"q": query, **chosen}.items() if v),
    }
    return render(request, "portal/procedures.html", context)


def procedure(request, code: str):
    item = get_object_or_404(Procedure.objects.select_related("field"), code=code, is_active=True)
    process = current_process(item)
    today = timezone.localdate()
    level = level_on(item, today)
    context = {
        "p": item,
        "level": Level(level).label,
        "level_moved": level != item.level,
        "ways": item.ways.all(),
        "components": item.components.all(),
        "fees": item.fees.all(),
        "steps": process.steps.all() if process else [],
        "desks": services.desks_for(item, today)[:200],
        "online": item.online_kind != OnlineKind.NONE,
    }
    return render(request, "portal/procedure.html", context)


def form_file(request, pk: int):
    component = get_object_or_404(Component, pk=pk, procedure__is_active=True)
    if not component.form_file:
        raise Http404
    name = component.form_file.name.rsplit("/", 1)[-1]
    return FileResponse(component.form_file.open("rb"), as_attachment=True, filename=name)


# ---------------------------------------------------------------------------------------------
# Citizen accounts


def sign_up(request):
    form = SignUpForm(request.POST or None)
    if request.method == "POST":
        if SIGN_UPS.blocked(request):
            return _too_many(request)
        if form.is_valid():
            SIGN_UPS.hit(request)
            data = form.cleaned_data
            try:
                user = accounts.register_citizen(data["contact"], data["full_name"], data["password"])
            except accounts.AccountError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("We sent a six-digit code to %(contact)s.") % {"contact": user.username})
                query = {"contact": user.username, **({"next": onward} if (onward := _onward(request)) else {})}
                return redirect(f"{reverse('portal:verify')}?{urlencode(query)}")
    context = {"form": form, "next": _onward(request)}
    return render(request, "portal/sign_up.html", context, status=422 if form.errors else 200)


def _onward(request) -> str:
    """Where a citizen who signs up from a page goes back to once the account is ready: a path on
    this site only, else nowhere (the citizen's page)."""
    onward = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(onward, {request.get_host()}, require_https=request.is_secure())
    return onward if onward.startswith("/") and safe else ""


def verify(request):
    form = VerifyForm(request.POST or None, initial={"contact": request.GET.get("contact", "")})
    if request.method == "POST" and form.is_valid():
        try:
            user = accounts.verify_contact(form.cleaned_data["contact"], form.cleaned_data["code"])
        except accounts.AccountError as error:
            form.add_error("code", str(error.message))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your account is ready."))
            return redirect(_onward(request) or "portal:mine")
    context = {"form": form, "next": _onward(request)}
    return render(request, "portal/verify.html", context, status=422 if form.errors else 200)


@require_POST
def resend(request):
    contact = request.POST.get("contact", "")
    if RESETS.blocked(request):
        return _too_many(request)
    RESETS.hit(request)
    try:
        user = accounts.User.objects.filter(username=accounts.parse_contact(contact).value, is_active=False).first()
        if user is not None:
            accounts.send_code(user)
        messages.success(request, _("If an account waits for this contact, a new code is on its way."))
    except accounts.AccountError as error:
        messages.error(request, str(error.message))
    return redirect(f"{reverse('portal:verify')}?contact={contact}")


def forgot_password(request):
    form = ResetRequestForm(request.POST or None)
    if request.method == "POST":
        if RESETS.blocked(request):
            return _too_many(request)
        if form.is_valid():
            RESETS.hit(request)
            try:
                accounts.request_password_reset(form.cleaned_data["contact"])
            except accounts.AccountError as error:
                form.add_error("contact", str(error.message))
            else:
                messages.success(request, _("If an account uses this contact, a code is on its way."))
                contact = accounts.parse_contact(form.cleaned_data["contact"]).value
                return redirect(f"{reverse('portal:reset')}?contact={contact}")
    return render(request, "portal/forgot.html", {"form": form}, status=422 if form.errors else 200)


def reset_password(request):
    form = ResetForm(request.POST or None, initial={"contact": request.GET.get("contact", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            accounts.reset_password(data["contact"], data["code"], data["password"])
        except accounts.AccountError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Your password is changed. Log in with it."))
            return redirect("login")
    return render(request, "portal/reset.html", {"form": form}, status=422 if form.errors else 200)


# ---------------------------------------------------------------------------------------------
# Online applications and the citizen's dossiers


@login_required
def mine(request):
    rows = services.dossiers_of(request.user).order_by("-submitted_at")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "drafts": services.drafts_of(request.user),
        "notices": services.notice_choice(request.user),
    }
    return render(request, "portal/mine.html", context)


@login_required
@require_POST
def notices(request):
    """The citizen's choice of how to be told of their dossiers."""
    try:
        services.choose_notices(
            request.user,
            sms="sms" in request.POST,
            email="email" in request.POST,
            language=request.POST.get("language", ""),
        )
    except DossierError as error:
        messages.error(request, str(error.message))
        return redirect(f"{reverse('portal:mine')}#notices")
    messages.success(request, _("Your choice of notices is saved."))
    return redirect(f"{reverse('portal:mine')}#notices")


@login_required
def own_dossier(request, pk: int):
    dossier = services.dossiers_of(request.user).filter(pk=pk).first()
    if dossier is None:
        raise Http404
    return follow(request, dossier, holder=False, here=reverse("portal:dossier", args=[pk]))


def _too_many(request):
    return too_many(request)


# ---------------------------------------------------------------------------------------------
# Feedback (PAKN)


def feedback(request):
    units = services.feedback_units(timezone.localdate())
    form = FeedbackForm(request.POST or None, units=units, initial={"dossier_code": request.GET.get("dossier", "")})
    if request.method == "POST":
        if FEEDBACK.blocked(request):
            return _too_many(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                sent = services.send_feedback(
                    services.FeedbackInput(
                        unit=units.filter(pk=data["unit"]).first() if data["unit"] else None,
                        name=data["name"],
                        contact=data["contact"],
                        address=data["address"],
                        title=data["title"],
                        content=data["content"],
                        dossier_code=data["dossier_code"],
                    )
                )
            except DossierError as error:
                form.add_error(None, str(error.message))
            else:
                FEEDBACK.hit(request)
                messages.success(
                    request,
                    _("Received as %(code)s and sent to %(unit)s.") % {"code": sent.code, "unit": sent.unit.name},
                )
                return redirect("portal:feedback")
    page = Paginator(services.published_feedback(), 10).get_page(request.GET.get("page"))
    return render(request, "portal/feedback.html", {"form": form, "page": page}, status=422 if form.errors else 200)


@official_required
def feedback_inbox(request):
    rows = services.feedback_inbox(request.user)
    if not accounts.is_official(request.user):
        raise Http404
    tab = "answered" if request.GET.get("tab") == "answered" else "new"
    rows = rows.filter(status=tab)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/feedback_inbox.html", {"page": page, "tab": tab})


@official_required
def feedback_answer(request, pk: int):
    item = services.feedback_inbox(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404
    status = 200
    if request.method == "POST":
        try:
            services.answer_feedback(request.user, item, request.POST.get("answer", ""), "publish" in request.POST)
            messages.success(request, _("Answer saved."))
            return redirect("portal:feedback-inbox")
        except DossierError as error:
            messages.error(request, str(error.message))
            status = 422
    return render(request, "portal/feedback_answer.html", {"f": item}, status=status)


# ---------------------------------------------------------------------------------------------
# News


def news(request):
    query = request.GET.get("q", "").strip()
    found = services.search_articles(query) if query else services.published_articles()
    page = Paginator(found, 10).get_page(request.GET.get("page"))
    return render(request, "portal/news.html", {"page": page, "query": query, "filters": f"q={query}" if query else ""})


def article(request, slug: str):
    item = services.published_articles().filter(slug=slug).first()
    if item is None:
        raise Http404
    tally.view_article(item.pk)
    paragraphs = [p.strip() for p in item.body.replace("\r\n", "\n").split("\n\n") if p.strip()]
    others = services.published_articles().exclude(pk=item.pk)[:5]
    return render(request, "portal/article.html", {"a": item, "paragraphs": paragraphs, "others": others})
