from datetime import timedelta

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.people.access import official_required
from motcua.people.services import roles_of, units_in_scope
from motcua.workdays.services import days_off_between


@official_required
def home(request):
    today = timezone.localdate()
    scope = units_in_scope(request.user).valid_on(today)
    return render(
        request,
        "web/home.html",
        {
            "roles": roles_of(request.user),
            "unit_count": scope.count(),
            "procedure_count": Procedure.objects.filter(is_active=True).count(),
            "days_off": days_off_between(today, today + timedelta(days=365)),
        },
    )


class LoginView(auth_views.LoginView):
    """The login page, offering the national identity provider's login when one is configured."""

    def get_context_data(self, **kwargs):
        from motcua.people.oidc_urls import configured

        return {**super().get_context_data(**kwargs), "oidc": configured()}


@login_required
def after_login(request):
    """Officials go to their workspace, citizens to their own dossiers (or where they were going)."""
    from motcua.people.accounts import is_official

    return redirect("workspace" if is_official(request.user) else "portal:mine")
