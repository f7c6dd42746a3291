"""Refusals and the server-error page.

A service refuses a request by raising a ``Refused`` (or one of its kinds): its ``message`` is
a Message shown in the reader's language and its ``status_code`` is the HTTP status a page or
the API answers with. Nothing was written: each request's writes are one transaction.

The server-error page: a database that cannot be reached (restarting, failing over, locked)
answers 503 with a message and Retry-After rather than 500: the caller knows to try again, and
nothing was written. Installed as ``handler500``, so it covers failures in middleware (the
session, the user) as well as in views."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.views.defaults import server_error as django_server_error


class Refused(Exception):
    """A refused action; ``message`` is a Message, shown in the reader's language."""

    status_code = 422

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class InvalidInput(Refused):
    """The request itself is wrong: a missing reason, an unknown component, a bad ID number."""


class TransitionError(Refused):
    """The object's state does not allow the action (or changed while the form was open)."""

    status_code = 409


class NotPermitted(Refused):
    """The actor's roles do not cover the object for this action."""

    status_code = 403


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
