"""Public portal pages in process (Django's test client, the whole middleware stack): the visitor
counters' cost per page view and their database writes, and the lookup against a bare view and a
raw SQL lookup (see README.md)."""

import argparse
import os
import re
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import path  # noqa: E402

from motcua.dossiers.models import Dossier  # noqa: E402
from motcua.portal.visitors import VisitorMiddleware, tally  # noqa: E402
from motcua.urls import urlpatterns  # noqa: E402

MIDDLEWARE = django.conf.settings.MIDDLEWARE
VISITORS = f"{VisitorMiddleware.__module__}.{VisitorMiddleware.__name__}"


def bare(request):
    from django.http import HttpResponse

    return HttpResponse("ok", content_type="text/html")


urlpatterns.insert(0, path("bench-bare/", bare))


def timed(client: Client, url: str, n: int, fresh_visits: bool, posted: dict | None = None) -> float:
    start = time.perf_counter()
    for _ in range(n):
        if fresh_visits:
            client.cookies.clear()
        client.post(url, posted) if posted is not None else client.get(url)
    return (time.perf_counter() - start) / n


def writes(client: Client, url: str, n: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        for _ in range(n):
            client.cookies.clear()
            client.get(url)
        tally.flush()
    verbs = ("INSERT", "UPDATE", "DELETE")
    # Django logs an executemany as "N times: SQL".
    statements = [re.sub(r"^\d+ times: ", "", q["sql"]).lstrip().upper() for q in queries.captured_queries]
    return sum(1 for sql in statements if sql.startswith(verbs))


def raw_lookup(code: str, secret: str, n: int) -> float:
    start = time.perf_counter()
    with connection.cursor() as cursor:
        for _ in range(n):
            cursor.execute("SELECT id, status, secret FROM dossiers_dossier WHERE code = %s", [code])
            row = cursor.fetchone()
            assert row[2] == secret
    return (time.perf_counter() - start) / n


def main():
    # The visits the benchmark makes are not kept: everything is rolled back at the end.
    with transaction.atomic():
        run()
        transaction.set_rollback(True)


def run():
    parser = argparse.ArgumentParser()
    parser.add_argument("--views", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    client = Client()
    dossier = Dossier.objects.exclude(code=None).order_by("id").first()
    lookup = {"code": dossier.code, "secret": dossier.secret} if dossier else None
    rows = []

    def median(fn):
        return statistics.median(fn() for _ in range(args.runs))

    bare_s = median(lambda: timed(client, "/bench-bare/", args.views, True))
    rows.append(("bare view, whole middleware", bare_s, 1.0))
    with override_settings(MIDDLEWARE=[m for m in MIDDLEWARE if m != VISITORS]):
        without = median(lambda: timed(client, "/bench-bare/", args.views, True))
    rows.append(("bare view, without the visitor counter", without, without / bare_s))
    page = median(lambda: timed(client, "/thu-tuc/", args.views // 4, False))
    rows.append(("procedure list page, one visit", page, page / bare_s))
    if lookup:
        found = median(lambda: timed(client, "/tra-cuu/", args.views // 4, False, lookup))
        raw = median(lambda: raw_lookup(dossier.code, dossier.secret, args.views))
        rows.append(("lookup page by code and secret", found, found / bare_s))
        rows.append(("lookup, raw SQL", raw, raw / bare_s))
    print(f"{'path':<42} {'ms per view':>12} {'ratio to bare':>14}")
    for name, seconds, ratio in rows:
        print(f"{name:<42} {seconds * 1000:>12.3f} {ratio:>14.2f}")
    counted = writes(client, "/bench-bare/", args.views)
    print(f"\ndatabase writes for {args.views} new visits (counted, then flushed): {counted}")


if __name__ == "__main__":
    main()
