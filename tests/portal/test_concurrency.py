"""The same application submitted twice at once, with real threads and connections: one dossier."""

from datetime import date

import pytest

from motcua.core.errors import InvalidInput
from motcua.dossiers.models import Dossier
from motcua.portal import services
from motcua.portal.models import Application
from motcua.units.services import unit_on

from ..dossiers.test_concurrency import run_in_threads
from .conftest import pdf

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_application_submitted_twice_at_once_makes_one_dossier(citizen, birth):
    desk = unit_on("04105.TTPVHCC", date(2026, 11, 30))
    application = services.start_application(citizen, birth)
    data = services.ApplicationInput(desk, "Lò Văn Minh", "014095001234", "0912345678")
    services.save_draft(application, data, {c.pk: [pdf()] for c in birth.components.all()})

    def work(index):
        services.submit(Application.objects.get(pk=application.pk))

    errors = run_in_threads(work, 2)
    assert sum(e is None for e in errors) == 1
    assert [type(e) for e in errors if e is not None] == [InvalidInput]
    dossier = Dossier.objects.get()
    assert Application.objects.get(pk=application.pk).dossier == dossier
