"""Backup and restore, round trip, on the engine the suite runs on (SQLite, and PostgreSQL in CI)."""

import pytest
from django.core.management import CommandError, call_command

from motcua.core import backup
from motcua.dossiers.models import Dossier, DossierEvent, DossierFile
from motcua.units.models import Unit

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def stored(transactional_db, demo, settings, tmp_path):
    """A dossier with an uploaded scan, committed (a backup reads what is committed)."""
    from motcua.catalog.models import Procedure
    from motcua.dossiers import services
    from motcua.dossiers.rules import Action
    from motcua.people.models import Role, User
    from motcua.people.services import assign_role
    from motcua.units.services import unit_on
    from tests.dossiers.conftest import DAY, intake_for, vn
    from tests.security.conftest import pdf

    settings.MEDIA_ROOT = tmp_path / "media"
    desk = User.objects.create_user("desk", password=None)
    assign_role(desk, Role.DESK_OFFICER, unit_on("04105.TTPVHCC", DAY))
    dossier = services.receive(
        desk, intake_for(Procedure.objects.get(code="1.012994")), Action.ACCEPT, at=vn(2026, 11, 16, 9)
    )
    services.attach_file(desk, dossier, dossier.components.first().order, pdf("don.pdf"))
    return dossier


def test_a_backup_restores_what_was_there_and_checks_itself(stored, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "--output", str(archive))
    expected = backup.read_manifest(archive)
    assert expected["tables"]["dossiers_dossier"]["rows"] == 1
    assert expected["tables"]["units_unit"]["rows"] == Unit.objects.count()
    assert len(expected["media"]) == 1
    call_command("backup", "--verify", str(archive))  # nothing changed yet

    # Things go wrong after the backup: a dossier is lost, a unit renamed, a scan damaged.
    scan = DossierFile.objects.get()
    DossierFile.objects.all().delete()
    Dossier.objects.filter(pk=stored.pk).update(applicant_name="Sai")
    Unit.objects.filter(code="04105").update(name="Đổi tên")
    with open(scan.file.path, "wb") as handle:
        handle.write(b"hong")
    with pytest.raises(CommandError, match="Mismatch"):
        call_command("backup", "--verify", str(archive))

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive))
    call_command("restore", str(archive), "--yes")
    assert backup.verify(expected) == []
    assert Dossier.objects.get().applicant_name == "Lò Văn Minh"
    assert Unit.objects.filter(code="04105", name="Đổi tên").count() == 0
    assert DossierFile.objects.get().file.read().startswith(b"%PDF")
    assert DossierEvent.objects.filter(dossier=stored).count() >= 2


def test_a_damaged_archive_is_refused_and_nothing_is_replaced(stored, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    archive.write_bytes(b"not an archive")
    with pytest.raises(CommandError):
        call_command("restore", str(archive), "--yes")
    assert Dossier.objects.count() == 1


def test_the_manifest_is_the_same_for_the_same_data(stored):
    assert backup.table_manifest() == backup.table_manifest()
    before = backup.table_manifest()["dossiers_dossier"]
    Dossier.objects.update(applicant_name="Khác")
    assert backup.table_manifest()["dossiers_dossier"] != before
