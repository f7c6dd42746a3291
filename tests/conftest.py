import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # sync Playwright beside live_server

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the demo province once per test database; most tests read it and roll back."""
    from motcua.demo.services import load_reference_data

    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture
def demo(db):
    """The demo reference data, reloaded when a transactional test has flushed it."""
    from motcua.demo.services import load_reference_data
    from motcua.units.models import Unit

    if not Unit.objects.exists():
        load_reference_data()
    _notice_templates()


def _notice_templates():
    """The notices' templates, which migrations write as data, written again after a flush."""
    import importlib

    from django.apps import apps

    from motcua.notifications.models import Template

    if not Template.objects.exists():
        for migration in ("0002_templates", "0003_submitted"):
            importlib.import_module(f"motcua.notifications.migrations.{migration}").publish(apps, None)


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a request through the test client activates the
    reader's language in this thread and Django leaves it active after the response."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def private_cache(settings):
    """Each test its own cache (throttling counts), and no visitor counts carried between tests."""
    import uuid

    from motcua.portal.visitors import Tally, tally

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex}
    }
    fresh = Tally()
    tally.__dict__.update(fresh.__dict__)
    yield
