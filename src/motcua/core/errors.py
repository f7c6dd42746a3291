"""The server-error page. A database that cannot be reached (restarting, failing over, locked)
answers 503 with a message and Retry-After rather than 500: the caller knows to try again, and
nothing was written (each request's writes are one transaction). Installed as ``handler500``, so
it covers failures in middleware (the session, the user) as well as in views."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.views.defaults import server_error as django_server_error

MESSAGE = (
    "Hệ thống tạm thời không kết nối được cơ sở dữ liệu; không có gì được ghi. Vui lòng thử lại sau ít giây. / "
    "The database cannot be reached for the moment; nothing was written. Please try again in a few seconds."
)


def server_error(request, *args, **kwargs):
    error = sys.exc_info()[1]
    if not isinstance(error, (OperationalError, InterfaceError)):
        return django_server_error(request, *args, **kwargs)
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": MESSAGE}, status=503)
    else:  # no template: the site's pages would ask the database again
        response = HttpResponse(MESSAGE, status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = "5"
    return response
