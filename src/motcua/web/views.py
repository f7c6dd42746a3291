from base64 import b32encode
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from motcua.catalog.models import Procedure
from motcua.core.imports import import_upload
from motcua.people import invitations, roster, two_factor
from motcua.people.access import official_required
from motcua.people.accounts import is_official
from motcua.people.models import Role
from motcua.people.services import roles_of, units_in_scope
from motcua.workdays.services import days_off_between


@official_required
def home(request):
    today = timezone.localdate()
    scope = units_in_scope(request.user).valid_on(today)
    roles = roles_of(request.user)
    return render(
        request,
        "web/home.html",
        {
            "roles": roles,
            "administers": any(r.role == Role.ADMINISTRATOR for r in roles),
            "unit_count": scope.count(),
            "procedure_count": Procedure.objects.filter(is_active=True).count(),
            "days_off": days_off_between(today, today + timedelta(days=365)),
        },
    )


@official_required
def officials(request):
    """Administrators import their units' officials from a file (each new one invited to set a
    password) and see who holds which role and whether the invitation went."""
    if not units_in_scope(request.user, [Role.ADMINISTRATOR]).exists():
        raise PermissionDenied(_("This page is for administrators."))
    if request.method == "POST":
        import_upload(request, "officials", reinvite=roster.EVERYONE if request.POST.get("reinvite") else None)
        return redirect("officials")
    return render(request, "web/officials.html", {"lines": roster.roster_for(request.user)})


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """An invited official sets the first password from the one-time link (then logs in)."""

    template_name = "web/set_password.html"
    token_generator = invitations.tokens
    reset_url_token = "dat-mat-khau"

    def get_success_url(self):
        messages.success(self.request, _("Your password is set. Log in with your username and the new password."))
        return resolve_url("login")


class LoginView(auth_views.LoginView):
    """The login page, offering the national identity provider's login when one is configured."""

    def get_context_data(self, **kwargs):
        from motcua.people.oidc_urls import configured

        return {**super().get_context_data(**kwargs), "oidc": configured()}


@login_required
def after_login(request):
    """Officials go to their workspace, citizens to their own dossiers (or where they were going)."""
    return redirect("workspace" if is_official(request.user) else "portal:mine")


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url("after-login")


@login_required
def second_step(request):
    """The code from the authenticator app, after the password."""
    if not two_factor.waiting_for_code(request):
        return redirect(_next(request))
    wrong = False
    if request.method == "POST":
        if two_factor.verify(request, request.POST.get("code", "")):
            return redirect(_next(request))
        wrong = True
    return render(
        request, "web/second_step.html", {"wrong": wrong, "next": _next(request)}, status=400 if wrong else 200
    )


@login_required
def two_factor_settings(request):
    """Turn the second step on (scan, then confirm a first code) or off."""
    user = request.user
    if not is_official(user):
        raise PermissionDenied(_("The second sign-in step is for officials' accounts."))
    if two_factor.waiting_for_code(request):  # a password alone must not replace the authenticator
        return redirect("second-step")
    wrong = False
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "start":
            two_factor.start(user)
        elif action == "confirm" and (device := two_factor.pending(user)) is not None:
            if two_factor.confirm(request, device, request.POST.get("code", "")):
                messages.success(request, _("The second sign-in step is on."))
                return redirect(_next(request) if request.POST.get("next") else "two-factor")
            wrong = True
        elif action == "off" and not two_factor.required_for(user):
            two_factor.turn_off(user)
            messages.success(request, _("The second sign-in step is off."))
            return redirect("two-factor")
    device = two_factor.pending(user)
    context = {
        "on": two_factor.has_second_step(user),
        "required": two_factor.required_for(user),
        "device": device,
        "qr": two_factor.qr_svg(device) if device else "",
        "secret": b32encode(device.bin_key).decode().rstrip("=") if device else "",
        "wrong": wrong,
        "next": request.GET.get("next") or request.POST.get("next") or "",
    }
    return render(request, "web/two_factor.html", context, status=400 if wrong else 200)
