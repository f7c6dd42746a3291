from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.people.services import roles_of, units_in_scope
from motcua.workdays.services import days_off_between


@login_required
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
