"""The lifecycle through the service functions, with exact times on the office calendar."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.rules import (
    Action,
    Channel,
    InvalidInput,
    NotPermitted,
    Rating,
    ReturnMethod,
    Status,
    TransitionError,
)
from motcua.units.models import Unit
from motcua.units.services import rebuild_tree, unit_on

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


def test_full_path_through_steps_supplement_transfer_return_and_rating(accepted, people):
    d = services.forward(people.desk, accepted, at=vn(2026, 11, 16, 10))  # routed the same morning
    assert (d.status, d.current_step) == (Status.PROCESSING, 2)
    d = services.assign(people.leader, d, people.processor, at=vn(2026, 11, 16, 11))
    d = services.forward(people.leader, d, at=vn(2026, 11, 16, 14))
    assert d.current_step == 3
    # Supplement within 3 working days: Thursday 19/11 09:00 is exactly 24 working hours.
    d = services.request_supplement(people.processor, d, "Thiếu bản vẽ sơ đồ thửa đất", at=vn(2026, 11, 19, 9))
    assert (d.status, d.supplement_count) == (Status.WAITING_SUPPLEMENT, 1)
    d = services.resume(people.desk, d, at=vn(2026, 11, 23, 10))
    # Restart rule: 168 working hours again from Monday 23/11 10:00 (24/11 off) → 23/12 10:00.
    assert d.due_at == vn(2026, 12, 23, 10) and d.status == Status.PROCESSING and d.current_step == 3
    assert d.supplement_seconds == 4 * 24 * 3600 + 3600
    d = services.transfer(people.processor, d, unit_on("04105.PVHXH", DAY), "Phối hợp xác minh", at=vn(2026, 11, 24, 8))
    assert d.processing_unit.code == "04105.PVHXH" and d.assignee is None
    d = services.forward(people.partner, d, at=vn(2026, 12, 1, 9))
    d = services.forward(people.partner, d, at=vn(2026, 12, 2, 9))
    d = services.forward(people.partner, d, at=vn(2026, 12, 3, 9))
    assert d.current_step == 6
    with pytest.raises(TransitionError):
        services.forward(people.partner, d, at=vn(2026, 12, 3, 10))  # the last step
    d = services.issue_result(people.partner, d, approved=True, result_number="GCN 123456", at=vn(2026, 12, 3, 10))
    assert (d.status, d.outcome, d.finished_at) == (Status.RESULT_READY, "approved", vn(2026, 12, 3, 10))
    d = services.hand_over(people.desk, d, ReturnMethod.POST, tracking_number="EB123456789VN", at=vn(2026, 12, 4, 8))
    assert (d.status, d.returned_at, d.tracking_number) == (Status.RETURNED, vn(2026, 12, 4, 8), "EB123456789VN")
    d = services.rate(d, Rating.VERY_SATISFIED, "Nhanh", at=vn(2026, 12, 4, 9))
    with pytest.raises(TransitionError):
        services.rate(d, Rating.NOT_SATISFIED)
    actions = list(d.events.values_list("action", flat=True))
    assert actions == ["accept", "forward", "assign", "forward", "request_supplement", "resume", "transfer",
                       "forward", "forward", "forward", "issue_result", "hand_over", "rate"]  # fmt: skip
    assert services.differences(d) == {}
    late = [(s.order, s.late) for s in d.steps.all()]
    assert late[0] == (1, False) and len(late) == 8  # step 3 twice (supplement) and again after the transfer


def test_supplement_after_three_working_days_is_refused(accepted, people):
    d = services.forward(people.desk, accepted, at=vn(2026, 11, 16, 10))
    with pytest.raises(TransitionError, match="3"):
        services.request_supplement(people.processor, d, "Thiếu giấy tờ", at=vn(2026, 11, 19, 9, 1))
    d.refresh_from_db()
    assert d.status == Status.PROCESSING and d.events.count() == 2


def test_pause_rule_adds_the_waiting_time(accepted, people, settings):
    settings.MOTCUA_SUPPLEMENT_CLOCK = "pause"
    d = services.forward(people.desk, accepted, at=vn(2026, 11, 16, 10))
    d = services.request_supplement(people.processor, d, "Thiếu", at=vn(2026, 11, 17, 9))
    d = services.resume(people.desk, d, at=vn(2026, 11, 18, 9))  # waited 8 working hours
    assert d.due_at == vn(2026, 12, 17, 9)


def test_apology_moves_the_appointment_once_and_keeps_the_due_time(accepted, people):
    d = services.forward(people.desk, accepted, at=vn(2026, 11, 16, 10))
    d = services.apologize(people.processor, d, vn(2026, 12, 21, 17), "Chờ kết quả đo đạc", at=vn(2026, 12, 14, 9))
    assert d.appointment_at == vn(2026, 12, 21, 17) and d.due_at == vn(2026, 12, 16, 9)
    with pytest.raises(TransitionError, match="1"):
        services.apologize(people.processor, d, vn(2026, 12, 28, 17), "Lần hai", at=vn(2026, 12, 15, 9))
    assert Dossier.objects.get(pk=d.pk).apology_count == 1


def test_apology_after_the_appointment_is_refused(accepted, people):
    with pytest.raises(TransitionError):
        services.apologize(people.processor, accepted, vn(2026, 12, 30, 17), "Trễ", at=vn(2026, 12, 17, 9))


def test_wrong_transitions_change_nothing(accepted, people):
    with pytest.raises(TransitionError):
        services.hand_over(people.desk, accepted, ReturnMethod.DESK)  # returning an unfinished dossier
    d = services.forward(people.desk, accepted, at=vn(2026, 11, 16, 10))
    d = services.issue_result(people.processor, d, approved=False, reasons="Không đủ điều kiện", at=vn(2026, 11, 17, 9))
    d = services.hand_over(people.desk, d, ReturnMethod.DESK, at=vn(2026, 11, 17, 10))
    for attempt in (
        lambda: services.request_supplement(people.processor, d, "Thiếu"),  # supplementing a closed dossier
        lambda: services.stop(people.desk, d, "Xin dừng"),
        lambda: services.forward(people.processor, d),
    ):
        with pytest.raises(TransitionError):
            attempt()
    assert Dossier.objects.get(pk=d.pk).status == Status.RETURNED and d.events.count() == 4


def test_stale_version_is_refused(accepted, people):
    stale = accepted.version
    services.forward(people.desk, accepted, at=vn(2026, 11, 16, 10))
    with pytest.raises(TransitionError):
        services.stop(people.desk, accepted, "Xin dừng", version=stale)


def test_roles_outside_the_dossier_cannot_act(accepted, people):
    with pytest.raises(NotPermitted):
        services.forward(people.other_desk, accepted)
    d = services.forward(people.desk, accepted, at=vn(2026, 11, 16, 10))
    with pytest.raises(NotPermitted):
        services.assign(people.processor, d, people.processor)  # only the unit leader assigns
    with pytest.raises(NotPermitted):
        services.issue_result(people.other_desk, d, approved=True)
    assert services.dossier_for(people.other_desk, d.code) is None
    assert services.dossier_for(people.processor, d.code) == d


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
    assert d.status == Status.SUBMITTED and d.code is None
    d = services.accept(people.desk, d, at=vn(2026, 11, 16, 8))
    assert d.code.endswith("261116-0001") and d.digitized
    with pytest.raises(InvalidInput):
        services.receive(None, intake_for(land_procedure), Action.SUBMIT)  # in person is decided at once


def test_bad_id_number_and_unknown_component(people, land_procedure):
    with pytest.raises(InvalidInput, match="12"):
        services.receive(people.desk, intake_for(land_procedure, applicant_id="12345"), Action.ACCEPT)
    assert Dossier.objects.count() == 0


def test_consultation_blocks_result_until_answered(accepted, people):
    d = services.forward(people.desk, accepted, at=vn(2026, 11, 16, 10))
    d = services.consult(people.processor, d, [unit_on("04105.PVHXH", DAY)], "Xác nhận nhân thân", Decimal(16),
                         at=vn(2026, 11, 17, 8))  # fmt: skip
    consultation = d.consultations.get()
    assert consultation.due_at == vn(2026, 11, 19, 8)  # 16 working hours from Tuesday 08:00
    with pytest.raises(TransitionError):
        services.issue_result(people.processor, d, approved=True)
    with pytest.raises(NotPermitted):
        services.answer_consultation(people.processor, consultation, "Đồng ý")
    services.answer_consultation(people.partner, consultation, "Đồng ý", at=vn(2026, 11, 18, 9))
    d = services.issue_result(people.processor, d, approved=True, at=vn(2026, 11, 18, 10))
    assert d.status == Status.RESULT_READY


def test_payment_stop_and_withdraw(accepted, people):
    d = services.forward(people.desk, accepted, at=vn(2026, 11, 16, 10))
    d = services.request_payment(people.processor, d, [("Lệ phí cấp giấy chứng nhận", 100000)], at=vn(2026, 11, 17, 9))
    assert d.status == Status.WAITING_PAYMENT
    d = services.record_payment(people.desk, d, online=True, at=vn(2026, 11, 17, 10))
    assert d.status == Status.PROCESSING and d.fees.get().paid_online
    d = services.stop(people.desk, d, "Người dân xin dừng", at=vn(2026, 11, 18, 9))
    assert (d.status, d.outcome, d.finished_at) == (Status.STOPPED, "stopped", vn(2026, 11, 18, 9))


def test_upload_is_checked_by_content(accepted, people):
    pdf = SimpleUploadedFile("so-do.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
    stored = services.attach_file(people.desk, accepted, 1, pdf)
    assert stored.content_type == "application/pdf" and stored.size == 12
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(InvalidInput, match="PDF"):
        services.attach_file(people.desk, accepted, 1, fake)


def test_events_are_append_only(accepted):
    event = accepted.events.get()
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    assert DossierEvent.objects.filter(pk=event.pk).exists()


def test_lookup_needs_code_and_secret(accepted):
    assert services.lookup(accepted.code, accepted.secret.lower()) == accepted
    assert services.lookup(accepted.code, "WRONG123") is None
    assert services.lookup("", accepted.secret) is None


def test_transfer_goes_up_to_the_province_never_to_another_commune_or_province(accepted, people):
    d = services.forward(people.desk, accepted, at=vn(2026, 11, 16, 10))
    d = services.forward(people.processor, d, at=vn(2026, 11, 16, 14))
    targets = {u.code for u in services.transfer_targets(d, DAY)}
    assert {"04105", "04105.VP", "04105.PVHXH", "14", "14.SNNMT", "14.STC"} <= targets
    assert "04105.PKT" not in targets  # where it is now
    assert "04105.TTPVHCC" not in targets and "14.TTPVHCC" not in targets  # desks receive, they do not process
    assert "14.STNMT" not in targets  # merged into 14.SNNMT in 2025
    communes = [u.code for u in services.transfer_targets(d, DAY) if u.kind == "commune"]
    assert communes == ["04105"]  # the commune's own authority, not its neighbours
    elsewhere = Unit.objects.create(code="01", name="Thành phố Hà Nội", kind="province", valid_from=DAY)
    rebuild_tree()
    with pytest.raises(InvalidInput, match="cùng tỉnh"):
        services.transfer(people.processor, d, elsewhere, "Sai tỉnh", at=vn(2026, 11, 17, 9))
    d = services.transfer(people.processor, d, unit_on("14.SNNMT", DAY), "Thẩm định", at=vn(2026, 11, 17, 9))
    assert d.processing_unit.code == "14.SNNMT"


def test_history_runs_forward_and_its_first_event_says_who_processes(accepted, people):
    first = accepted.events.get()
    assert first.changes["processing_unit_id"] == unit_on("04105.PKT", DAY).pk
    assert first.changes["procedure_id"] == accepted.procedure_id and first.changes["channel"] == Channel.IN_PERSON
    with pytest.raises(InvalidInput, match=r"trước thao tác liền trước|before the dossier's previous action"):
        services.forward(people.desk, accepted, at=vn(2026, 11, 16, 8, 59))
    assert Dossier.objects.get(pk=accepted.pk).events.count() == 1
