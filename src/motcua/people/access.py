"""Who may open the back office's pages at all; what they see there is scoped by their roles."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .accounts import is_official


def official_required(view):
    """Sign in first; a signed-in citizen is refused (403) rather than shown an empty office."""

    @wraps(view)
    @login_required
    def checked(request, *args, **kwargs):
        if not is_official(request.user):
            raise PermissionDenied(_("This page is for officials. Citizens follow their dossiers under My dossiers."))
        return view(request, *args, **kwargs)

    return checked
