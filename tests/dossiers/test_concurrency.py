"""Concurrent intake and concurrent actions on one dossier, with real threads and connections."""

import threading

import pytest
from django.db import close_old_connections, connection

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.rules import Action, DossierError

from .conftest import intake_for, vn

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8
EACH = 5


@pytest.fixture(autouse=True)
def reference_data(demo):
    """Transactional tests start from a flushed database: load the units and procedures first."""


def run_in_threads(work, count):
    """Start ``count`` threads at once; return what each raised (None when it did not)."""
    start = threading.Barrier(count)
    errors = [None] * count

    def body(index):
        try:
            start.wait()
            work(index)
        except Exception as error:  # collected, then asserted on by the test
            errors[index] = error
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=body, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_concurrent_intake_gives_unique_consecutive_codes(people, land_procedure):
    intake = intake_for(land_procedure)

    def work(index):
        for i in range(EACH):
            services.receive(people.desk, intake, Action.ACCEPT, at=vn(2026, 11, 16, 9, index, i))

    assert run_in_threads(work, THREADS) == [None] * THREADS
    codes = sorted(Dossier.objects.values_list("code", flat=True))
    assert codes == [f"04105.TTPVHCC-261116-{n:04d}" for n in range(1, THREADS * EACH + 1)]
    assert DossierEvent.objects.filter(action="accept").count() == THREADS * EACH


def test_only_one_of_two_concurrent_actions_on_a_dossier_wins(people, land_procedure):
    dossier = services.receive(people.desk, intake_for(land_procedure), Action.ACCEPT, at=vn(2026, 11, 16, 9))
    version = dossier.version

    def work(index):
        services.forward(people.desk, dossier, note=f"thread {index}", at=vn(2026, 11, 16, 10), version=version)

    errors = run_in_threads(work, 4)
    assert sum(e is None for e in errors) == 1
    assert all(isinstance(e, DossierError) for e in errors if e is not None)
    dossier.refresh_from_db()
    assert dossier.version == version + 1
    assert dossier.current_step == 2
    assert dossier.events.filter(action="forward").count() == 1
    assert services.differences(dossier) == {}


def test_the_same_intake_form_sent_twice_at_once_makes_one_dossier(people, land_procedure):
    from motcua.dossiers import once

    made = [None] * 2

    def work(index):
        made[index] = once.receive_once(people.desk, "same-form-key-000000000001", intake_for(land_procedure),
                                        Action.ACCEPT)  # fmt: skip

    assert run_in_threads(work, 2) == [None] * 2
    dossier = Dossier.objects.get()
    assert sorted((d.pk, created) for d, created in made) == [(dossier.pk, False), (dossier.pk, True)]
