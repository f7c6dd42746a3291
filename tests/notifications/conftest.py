from dataclasses import replace

import pytest

from motcua.catalog.models import Procedure
from motcua.dossiers import services
from motcua.dossiers.rules import Action, Channel
from motcua.people import sms
from tests.dossiers.conftest import intake_for, vn
from tests.factories import UserFactory


class BrokenGateway:
    def send(self, phone, text):
        raise ConnectionError("SMS gateway unreachable")


@pytest.fixture(autouse=True)
def gateways(settings):
    """SMS into ``sms.outbox``, e-mail into ``mail.outbox``, tasks run as soon as they are queued."""
    settings.MOTCUA_SMS_BACKEND = "motcua.people.sms.MemoryBackend"
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MOTCUA_PUBLIC_URL = "https://dichvucong.sonla.gov.vn"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def people(db):
    class People:
        desk = UserFactory(username="desk", desk=True)
        processor = UserFactory(username="processor", processor=True)
        leader = UserFactory(username="leader", leader=True)

    return People


@pytest.fixture
def land():
    return Procedure.objects.get(code="1.012994")  # 21 working days


def intake(procedure, phone="0912345678", email="minh@example.vn", channel_online=False):
    base = intake_for(procedure, channel=Channel.ONLINE if channel_online else Channel.IN_PERSON)
    return replace(base, applicant=replace(base.applicant, phone=phone, email=email))


@pytest.fixture
def receive(people, land, django_capture_on_commit_callbacks):
    """Accept a land dossier at the Mai Sơn desk on Monday 16/11/2026 09:00, commit callbacks run."""

    def received(phone="0912345678", email="minh@example.vn", execute=True):
        with django_capture_on_commit_callbacks(execute=execute):
            return services.receive(people.desk, intake(land, phone, email), Action.ACCEPT, at=vn(2026, 11, 16, 9))

    return received
