"""`motcua import dossiers FILE`: validation first, then every row with a history saying so."""

from datetime import datetime

import pytest
from django.core.management import call_command

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierCounter
from motcua.dossiers.rules import Action, Status

from .conftest import intake_for, vn

HEADER = ("code,procedure_code,receiving_unit,processing_unit,channel,received_at,due_at,finished_at,outcome,"
          "returned_at,digitized,result_digitized,applicant_name,applicant_id\n")  # fmt: skip
ROWS = [
    # returned early, due given
    "04105.TTPVHCC-260302-0001,1.012994,04105.TTPVHCC,04105.PKT,1,2026-03-02T08:00:00,2026-03-31T08:00:00+07:00,"
    "2026-03-20T10:00:00+07:00,approved,2026-03-23T09:00:00+07:00,1,1,Lò Văn A,014090001234",
    # open, due computed: 3 working days from Monday 02/03 09:00 → Thursday 05/03 09:00
    "04105.TTPVHCC-260302-0002,1.001612,04105.TTPVHCC,04105.PKT,2,2026-03-02T09:00:00+07:00,,,,,0,0,Cầm Thị B,",
    # stopped; a unit code read as of 2024 (the old district Mai Sơn)
    "H55-240510-0007,1.001612,04105,04105,3,2024-05-10T14:00:00+07:00,,2024-05-13T08:00:00+07:00,stopped,,1,0,"
    "Quàng Văn C,ABC123",
]


def write(tmp_path, rows):
    path = tmp_path / "dossiers.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_import_sets_status_due_and_history(db, tmp_path, people):
    call_command("import", "dossiers", str(write(tmp_path, ROWS)))
    returned = Dossier.objects.get(code="04105.TTPVHCC-260302-0001")
    assert (returned.status, returned.received_at) == (Status.RETURNED, vn(2026, 3, 2, 8))
    assert returned.due_at == vn(2026, 3, 31, 8) and returned.digitized and returned.result_electronic
    open_one = Dossier.objects.get(code="04105.TTPVHCC-260302-0002")
    assert (open_one.status, open_one.due_at, open_one.channel) == (Status.PROCESSING, vn(2026, 3, 5, 9), 2)
    stopped = Dossier.objects.get(code="H55-240510-0007")
    assert stopped.status == Status.STOPPED and stopped.receiving_unit.valid_to is not None
    event = stopped.events.get()
    assert event.action == "migrate" and "dòng 4" in event.note
    for dossier in (returned, open_one, stopped):
        assert services.differences(dossier) == {}
    assert DossierCounter.objects.get(unit=returned.receiving_unit, day=datetime(2026, 3, 2).date()).last == 2


def test_reimport_changes_nothing(db, tmp_path, capsys):
    path = write(tmp_path, ROWS)
    call_command("import", "dossiers", str(path))
    call_command("import", "dossiers", str(path))
    assert Dossier.objects.count() == 3
    assert "0 tạo mới / created" in capsys.readouterr().out and Dossier.objects.filter(migrated=True).count() == 3


def test_any_bad_row_imports_nothing_and_lists_every_problem(db, tmp_path, capsys):
    bad = [
        *ROWS,
        "X-1,9.999999,04105.TTPVHCC,04105.PKT,4,2026-13-01T08:00,,,,,2,0,,",
        "04105.TTPVHCC-260302-0001,1.012994,04105.TTPVHCC,04105.PKT,1,2026-03-02T08:00:00,,,approved,,1,0,D,",
    ]
    with pytest.raises(SystemExit):
        call_command("import", "dossiers", str(write(tmp_path, bad)))
    err = capsys.readouterr().err
    assert Dossier.objects.count() == 0
    for text in ("Dòng 5", "9.999999", "Line 5", "channel", "Dòng 6", "dòng 2"):
        assert text in err


def test_live_intake_numbers_after_imported_codes(db, tmp_path, people, land_procedure):
    call_command("import", "dossiers", str(write(tmp_path, ROWS)))
    live = services.receive(people.desk, intake_for(land_procedure), Action.ACCEPT, at=vn(2026, 3, 2, 15))
    assert live.code == "04105.TTPVHCC-260302-0003"
