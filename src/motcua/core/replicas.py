"""Reads to a read replica, writes to the primary, and a user kept on the primary right after
they write, so that they see what they just did whatever the replica's lag.

With ``DATABASE_REPLICA_URL`` set, the replica serves the reads of safe requests (GET, HEAD) from
users who have not written within ``MOTCUA_PRIMARY_AFTER_WRITE`` seconds: the public lookup, the
reports and the dashboards. A view marked ``reads_only_when(test)`` is served so too on a POST
that only reads (the lookup posts its secret in the body, to keep it out of addresses).
Everything else — writes, the reads of a request that writes, commands and background tasks —
uses the primary.
"""

from __future__ import annotations

import contextvars
import time

from django.conf import settings

_reads_to_replica = contextvars.ContextVar("reads_to_replica", default=False)
COOKIE = "mc_primary"


def aliases() -> tuple[str, str | None]:
    """(primary, replica or None): the replica alias is set with the replica's database."""
    return getattr(settings, "MOTCUA_PRIMARY_DB", "default"), getattr(settings, "MOTCUA_REPLICA_DB", None) or None


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        primary, replica = aliases()
        return replica if replica and _reads_to_replica.get() else primary

    def db_for_write(self, model, **hints):
        return aliases()[0]

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != aliases()[1]  # a replica gets its schema from the primary


def reads_only_when(test):
    """Mark a view whose POST only reads when ``test(request)`` holds: its reads go where a GET's do."""

    def mark(view):
        view.reads_only_when = test
        return view

    return mark


class ReplicaMiddleware:
    """Sends a request's reads to the replica when it is safe and its user has not just written."""

    SAFE = frozenset({"GET", "HEAD", "OPTIONS"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.replica_pinned = _pinned_until(request) > time.time()
        token = _reads_to_replica.set(request.method in self.SAFE and not request.replica_pinned)
        try:
            response = self.get_response(request)
        finally:
            _reads_to_replica.reset(token)
        if request.method not in self.SAFE and not getattr(request, "reads_only", False) and aliases()[1]:
            window = int(getattr(settings, "MOTCUA_PRIMARY_AFTER_WRITE", 10))
            response.set_cookie(COOKIE, str(int(time.time()) + window), max_age=window, httponly=True, samesite="Lax")
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        test = getattr(view_func, "reads_only_when", None)
        if request.method == "POST" and test is not None and test(request):
            request.reads_only = True
            _reads_to_replica.set(not getattr(request, "replica_pinned", True))


def _pinned_until(request) -> float:
    try:
        return float(request.COOKIES.get(COOKIE, 0))
    except ValueError:
        return 0.0
