import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from motcua.dossiers.models import Dossier, DossierEvent

pytestmark = pytest.mark.django_db


def test_the_history_check_finds_a_row_that_disagrees_with_its_events(accepted, capsys):
    call_command("check_history")
    assert "1 hồ sơ đã kiểm tra / dossiers checked, 0 lệch / disagree" in capsys.readouterr().out
    Dossier.objects.filter(pk=accepted.pk).update(status=10)  # behind the services' back
    with pytest.raises(SystemExit):
        call_command("check_history")
    out = capsys.readouterr().out
    assert f"{accepted.code}: status: 10 ≠ 2" in out and "1 lệch / disagree" in out


def test_events_cannot_be_changed_through_the_application(accepted):
    event = accepted.events.first()
    event.note = "sửa lịch sử"
    with pytest.raises(Exception, match="append-only"):
        event.save()
    with pytest.raises(Exception, match="append-only"):
        event.delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_changes_to_events_too(accepted):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        DossierEvent.objects.filter(dossier=accepted).update(note="sửa lịch sử")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        DossierEvent.objects.filter(dossier=accepted).delete()
    assert accepted.events.count() == 1
