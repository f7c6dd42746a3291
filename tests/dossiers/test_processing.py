"""Processing: the whole path through the steps, apologies, consultations, transfers."""

from decimal import Decimal

import pytest

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.rules import (
    InvalidInput,
    NotPermitted,
    Rating,
    ReturnMethod,
    Status,
    TransitionError,
)
from motcua.units.models import Unit
from motcua.units.services import rebuild_tree, unit_on

from .conftest import DAY, vn, walk_to_last_step


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
    with pytest.raises(NotPermitted):  # the review is the leader's
        services.forward(people.partner, d, at=vn(2026, 12, 2, 9))
    d = services.forward(people.leader, d, at=vn(2026, 12, 2, 9))
    with pytest.raises(NotPermitted):  # so is the signature
        services.issue_result(people.partner, d, approved=True, at=vn(2026, 12, 3, 9))
    d = services.leader_approve(people.leader, d, at=vn(2026, 12, 3, 9))
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
                       "forward", "forward", "leader_approve", "issue_result", "hand_over", "rate"]  # fmt: skip
    assert services.differences(d) == {}
    late = [(s.order, s.late) for s in d.steps.all()]
    assert late[0] == (1, False) and len(late) == 8  # step 3 twice (supplement) and again after the transfer


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


def test_consultation_blocks_result_until_answered(accepted, people):
    d = services.forward(people.desk, accepted, at=vn(2026, 11, 16, 10))
    d = services.forward(people.leader, d, at=vn(2026, 11, 16, 14))
    d = services.consult(people.processor, d, [unit_on("04105.PVHXH", DAY)], "Xác nhận nhân thân", Decimal(16),
                         at=vn(2026, 11, 17, 8))  # fmt: skip
    consultation = d.consultations.get()
    assert consultation.due_at == vn(2026, 11, 19, 8)  # 16 working hours from Tuesday 08:00
    with pytest.raises(TransitionError):
        services.issue_result(people.processor, d, approved=True)
    with pytest.raises(NotPermitted):
        services.answer_consultation(people.processor, consultation, "Đồng ý")
    services.answer_consultation(people.partner, consultation, "Đồng ý", at=vn(2026, 11, 18, 9))
    d = walk_to_last_step(d, people, vn(2026, 11, 18, 9, 10))
    d = services.issue_result(people.processor, d, approved=True, at=vn(2026, 11, 18, 14))
    assert d.status == Status.RESULT_READY


def test_transfer_goes_up_to_the_province_never_to_another_commune_or_province(accepted, people):
    d = services.forward(people.desk, accepted, at=vn(2026, 11, 16, 10))
    d = services.forward(people.leader, d, at=vn(2026, 11, 16, 14))
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
