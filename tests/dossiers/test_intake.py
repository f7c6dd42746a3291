"""Intake: codes, due times, the desk's decisions, supplements and the clock."""

import pytest

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.rules import (
    Action,
    Channel,
    InvalidInput,
    Status,
    TransitionError,
)
from motcua.units.services import unit_on

from .conftest import DAY, intake_for, vn


def test_acceptance_gives_code_due_time_first_step_and_fees(accepted):
    d = accepted
    assert d.code == "04105.TTPVHCC-261116-0001"
    assert len(d.secret) == 8
    assert d.status == Status.ACCEPTED
    # 21 working days = 168 h from Monday 16/11 09:00, skipping 24/11 (a day off in 2026).
    assert d.due_at == vn(2026, 12, 16, 9) and d.appointment_at == d.due_at
    assert d.digitized is True
    step = d.steps.get()
    assert (step.order, step.role, step.unit.code) == (1, "desk", "04105.TTPVHCC")
    assert step.due_at == vn(2026, 11, 16, 15)  # 4 working hours: 2.5 before lunch, 1.5 after
    event = d.events.get()
    assert (event.action, event.from_status, event.to_status, event.actor.username) == ("accept", None, 2, "desk")


def test_codes_run_per_unit_and_day(people, land_procedure):
    codes = [
        services.receive(people.desk, intake_for(land_procedure), Action.ACCEPT, at=vn(2026, 11, 16, 9, m)).code
        for m in range(3)
    ]
    next_day = services.receive(people.desk, intake_for(land_procedure), Action.ACCEPT, at=vn(2026, 11, 17, 8))
    assert codes == [f"04105.TTPVHCC-261116-000{n}" for n in (1, 2, 3)]
    assert next_day.code == "04105.TTPVHCC-261117-0001"


def test_code_prefers_the_electronic_identifier_and_grows_past_four_digits(people, land_procedure):
    unit = unit_on("04105.TTPVHCC", DAY)
    unit.electronic_id = "H55.17.05"
    unit.save()
    from motcua.dossiers.models import DossierCounter

    DossierCounter.objects.create(unit=unit, day=DAY, last=9999)
    d = services.receive(people.desk, intake_for(land_procedure), Action.ACCEPT, at=vn(2026, 11, 16, 9))
    assert d.code == "H55.17.05-261116-10000"


def test_intake_supplement_then_accept_and_refusal(people, land_procedure):
    missing_deed = intake_for(land_procedure, provided=[1])  # the land-right papers (2) are required
    with pytest.raises(InvalidInput, match="yêu cầu bổ sung"):
        services.receive(people.desk, missing_deed, Action.ACCEPT, at=vn(2026, 11, 16, 9))
    d = services.receive(people.desk, missing_deed, Action.REQUEST_SUPPLEMENT, "Thiếu: giấy tờ về quyền sử dụng đất",
                         at=vn(2026, 11, 16, 9))  # fmt: skip
    assert (d.status, d.code, d.received_at) == (Status.WAITING_SUPPLEMENT, None, None)
    complete = [services.ComponentInput(order=o, provided=True, digitized=True) for o in (1, 2, 3, 4)]
    d = services.accept(people.desk, d, components=complete, at=vn(2026, 11, 18, 8))
    assert d.code == "04105.TTPVHCC-261118-0001" and d.received_at == vn(2026, 11, 18, 8)
    refused = services.receive(
        people.desk, missing_deed, Action.REFUSE, "Không thuộc thẩm quyền", at=vn(2026, 11, 18, 9)
    )
    assert (refused.status, refused.code) == (Status.REFUSED, None)
    with pytest.raises(InvalidInput):
        services.receive(people.desk, missing_deed, Action.REFUSE, "  ")


def test_online_submission_waits_for_the_desk(people, land_procedure):
    d = services.receive(
        None, intake_for(land_procedure, channel=Channel.ONLINE), Action.SUBMIT, at=vn(2026, 11, 14, 20)
    )
    assert d.status == Status.SUBMITTED and d.code == "04105.TTPVHCC-261114-0001"  # its reference at once
    d = services.accept(people.desk, d, at=vn(2026, 11, 16, 8))
    assert d.code == "04105.TTPVHCC-261114-0001" and d.digitized and d.received_at == vn(2026, 11, 16, 8)
    with pytest.raises(InvalidInput):
        services.receive(None, intake_for(land_procedure), Action.SUBMIT)  # in person is decided at once


def test_bad_id_number_and_unknown_component(people, land_procedure):
    with pytest.raises(InvalidInput, match="12"):
        services.receive(people.desk, intake_for(land_procedure, applicant_id="12345"), Action.ACCEPT)
    assert Dossier.objects.count() == 0


def test_supplement_after_three_working_days_is_refused(accepted, people):
    d = services.forward(people.desk, accepted, at=vn(2026, 11, 16, 10))
    with pytest.raises(TransitionError, match="3"):
        services.request_supplement(people.leader, d, "Thiếu giấy tờ", at=vn(2026, 11, 19, 9, 1))
    d.refresh_from_db()
    assert d.status == Status.PROCESSING and d.events.count() == 2


def test_pause_rule_adds_the_waiting_time(accepted, people, settings):
    settings.MOTCUA_SUPPLEMENT_CLOCK = "pause"
    d = services.forward(people.desk, accepted, at=vn(2026, 11, 16, 10))
    d = services.request_supplement(people.leader, d, "Thiếu", at=vn(2026, 11, 17, 9))
    d = services.resume(people.desk, d, at=vn(2026, 11, 18, 9))  # waited 8 working hours
    assert d.due_at == vn(2026, 12, 17, 9)
