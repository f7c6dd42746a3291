"""The production WSGI application with two endpoints for baselines: ``/bench-bare/`` answered
before Django (the server's floor) and ``/bench-django/`` through Django's whole middleware."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")

import django

django.setup()

from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402

from motcua.urls import urlpatterns  # noqa: E402
from motcua.wsgi import application as django_application  # noqa: E402

urlpatterns.insert(0, path("bench-django/", lambda request: HttpResponse("ok", content_type="text/plain")))


def application(environ, start_response):
    if environ.get("PATH_INFO") == "/bench-bare/":
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
        return [b"ok"]
    return django_application(environ, start_response)
