"""Visitor counters (online now, today, this week, total) without a database write per page view.

Each worker process counts in memory and adds its counts to the database at most every
``FLUSH_SECONDS``: one upsert of the day's visits and one of the visit tokens seen. A visit is a
browser's run of page views with no gap over ``VISIT_GAP``, carried by a random cookie that
names no one; no address, agent or account is kept.
"""

from __future__ import annotations

import secrets
import threading
import time
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import F, Sum
from django.utils import timezone

from .models import Article, OnlineVisitor, VisitDay

COOKIE = "mc_visit"
VISIT_GAP = timedelta(minutes=30)
ONLINE_WINDOW = timedelta(minutes=5)
FLUSH_SECONDS = 10.0
READ_SECONDS = 15.0
COUNTED_PREFIXES = ("/static/", "/media/", "/api/", "/quan-tri/", "/i18n/", "/captcha/", "/favicon")


class Tally:
    """One process's counts since its last flush."""

    def __init__(self):
        self.lock = threading.Lock()
        self.visits: dict = {}  # day → new visits
        self.seen: dict[str, datetime] = {}  # token → last seen
        self.article_views: dict[int, int] = {}
        self.flushed = time.monotonic()
        self.read_at = 0.0
        self.figures: dict[str, int] | None = None

    def count(self, token: str | None, now: datetime) -> str:
        """Count one page view; returns the visit's token (a new one starts a visit)."""
        with self.lock:
            if token is None:
                token = secrets.token_hex(16)
                day = timezone.localdate(now)
                self.visits[day] = self.visits.get(day, 0) + 1
            self.seen[token] = now
        return token

    def view_article(self, article_id: int) -> None:
        with self.lock:
            self.article_views[article_id] = self.article_views.get(article_id, 0) + 1

    def due(self) -> bool:
        return time.monotonic() - self.flushed >= FLUSH_SECONDS

    def flush(self, now: datetime | None = None) -> None:
        """Add this process's counts to the database and forget them."""
        now = now or timezone.now()
        with self.lock:
            visits, seen, views = self.visits, self.seen, self.article_views
            self.visits, self.seen, self.article_views = {}, {}, {}
            self.flushed = time.monotonic()
        if not (visits or seen or views):
            return
        with transaction.atomic():
            if visits:
                with connection.cursor() as cursor:
                    cursor.executemany(
                        f"INSERT INTO {VisitDay._meta.db_table} (day, visits) VALUES (%s, %s) "
                        f"ON CONFLICT (day) DO UPDATE SET visits = {VisitDay._meta.db_table}.visits + excluded.visits",
                        sorted(visits.items()),
                    )
            if seen:
                OnlineVisitor.objects.bulk_create(
                    [OnlineVisitor(token=token, seen_at=at) for token, at in sorted(seen.items())],
                    update_conflicts=True,
                    unique_fields=["token"],
                    update_fields=["seen_at"],
                )
            OnlineVisitor.objects.filter(seen_at__lt=now - ONLINE_WINDOW).delete()
            for article_id, n in sorted(views.items()):
                Article.objects.filter(pk=article_id).update(view_count=F("view_count") + n)
        self.figures = None

    def read(self, now: datetime | None = None) -> dict[str, int]:
        """The four figures, read from the database at most every ``READ_SECONDS``."""
        if self.figures is not None and time.monotonic() - self.read_at < READ_SECONDS:
            return self.figures
        now = now or timezone.now()
        self.flush(now)
        today = timezone.localdate(now)
        monday = today - timedelta(days=today.weekday())
        days = VisitDay.objects
        self.figures = {
            "online": OnlineVisitor.objects.filter(seen_at__gte=now - ONLINE_WINDOW).count(),
            "today": days.filter(day=today).aggregate(n=Sum("visits"))["n"] or 0,
            "week": days.filter(day__gte=monday, day__lte=today).aggregate(n=Sum("visits"))["n"] or 0,
            "total": days.aggregate(n=Sum("visits"))["n"] or 0,
        }
        self.read_at = time.monotonic()
        return self.figures


tally = Tally()


class VisitorMiddleware:
    """Counts public page views (GET, HTML pages) and keeps the visit cookie alive."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "GET" and not request.path.startswith(COUNTED_PREFIXES) and _is_page(response):
            token = request.COOKIES.get(COOKIE)
            if token is not None and (len(token) != 32 or not token.isalnum()):
                token = None
            token = tally.count(token, timezone.now())
            response.set_cookie(COOKIE, token, max_age=int(VISIT_GAP.total_seconds()), samesite="Lax", httponly=True)
            if tally.due():
                tally.flush()
        return response


def _is_page(response) -> bool:
    return response.status_code == 200 and response.get("Content-Type", "").startswith("text/html")


def counters(request):
    """Template context: ``visitors`` read lazily, only by pages that show them."""
    return {"visitors": _Lazy()}


class _Lazy:
    def __init__(self):
        self._figures = None

    def __getitem__(self, name):
        if self._figures is None:
            self._figures = tally.read()
        return self._figures[name]
