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

    def __init__(self, message, field: str = ""):
        super().__init__(str(message))
        self.message = message
        self.field = field  # the form field the refusal is about, when it is about one


class InvalidInput(Refused):
    """The request itself is wrong: a missing reason, an unknown component, a bad ID number."""


class Problems:
    """Several messages shown as one, each translated when shown; ``fields`` keeps the name of
    the form field each one is about (empty: the whole form), so a page shows it there."""

    def __init__(self, problems: list):
        self.fields = [item if isinstance(item, tuple) else ("", item) for item in problems]
        self.messages = [message for _, message in self.fields]

    def __str__(self) -> str:
        return " ".join(str(m) for m in self.messages)


def field_problems(error: Refused, default: str = "") -> list[tuple[str, str]]:
    """A refusal as (field name, text) pairs: each problem against its field, or ``default``."""
    message = error.message
    if isinstance(message, Problems):
        return [(name or default, str(text)) for name, text in message.fields]
    return [(getattr(error, "field", "") or default, str(message))]


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


def error_context(problems: list[tuple[str, str]]) -> dict:
    """What a form's page needs to show its problems: ``errors`` by field name (beside each
    field) and ``error_summary``, the (field name, text) pairs listed at the top with links."""
    errors: dict[str, list[str]] = {}
    for name, text in problems:
        errors.setdefault(name or "form", []).append(str(text))
    return {"errors": errors, "error_summary": [(name, str(text)) for name, text in problems]}
