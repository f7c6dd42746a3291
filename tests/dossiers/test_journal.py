"""The writer: refused transitions change nothing, versions, append-only events, time order."""

import pytest
from django.core.exceptions import PermissionDenied

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.rules import (
    Channel,
    InvalidInput,
    ReturnMethod,
    Status,
    TransitionError,
)
from motcua.units.services import unit_on

from .conftest import DAY, vn, walk_to_last_step


def test_wrong_transitions_change_nothing(accepted, people):
    with pytest.raises(TransitionError):
        services.hand_over(people.desk, accepted, ReturnMethod.DESK)  # returning an unfinished dossier
    d = walk_to_last_step(accepted, people, vn(2026, 11, 16, 10))
    d = services.issue_result(people.processor, d, approved=True, at=vn(2026, 11, 17, 9))
    d = services.hand_over(people.desk, d, ReturnMethod.DESK, at=vn(2026, 11, 17, 10))
    for attempt in (
        lambda: services.request_supplement(people.processor, d, "Thiếu"),  # supplementing a closed dossier
        lambda: services.stop(people.desk, d, "Xin dừng"),
        lambda: services.forward(people.processor, d),
    ):
        with pytest.raises(TransitionError):
            attempt()
    assert Dossier.objects.get(pk=d.pk).status == Status.RETURNED and d.events.count() == 8


def test_stale_version_is_refused(accepted, people):
    stale = accepted.version
    services.forward(people.desk, accepted, at=vn(2026, 11, 16, 10))
    with pytest.raises(TransitionError):
        services.stop(people.desk, accepted, "Xin dừng", version=stale)


def test_events_are_append_only(accepted):
    event = accepted.events.get()
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    assert DossierEvent.objects.filter(pk=event.pk).exists()


def test_history_runs_forward_and_its_first_event_says_who_processes(accepted, people):
    first = accepted.events.get()
    assert first.changes["processing_unit_id"] == unit_on("04105.PKT", DAY).pk
    assert first.changes["procedure_id"] == accepted.procedure_id and first.changes["channel"] == Channel.IN_PERSON
    with pytest.raises(InvalidInput, match=r"trước thao tác liền trước|before the dossier's previous action"):
        services.forward(people.desk, accepted, at=vn(2026, 11, 16, 8, 59))
    assert Dossier.objects.get(pk=accepted.pk).events.count() == 1
