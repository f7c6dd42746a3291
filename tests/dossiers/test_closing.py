"""The end of a dossier: fees, stopping and withdrawal."""

from motcua.dossiers import services
from motcua.dossiers.rules import (
    Status,
)

from .conftest import vn


def test_payment_stop_and_withdraw(accepted, people):
    d = services.forward(people.desk, accepted, at=vn(2026, 11, 16, 10))
    d = services.forward(people.leader, d, at=vn(2026, 11, 16, 14))
    d = services.request_payment(people.processor, d, [("Lệ phí cấp giấy chứng nhận", 100000)], at=vn(2026, 11, 17, 9))
    assert d.status == Status.WAITING_PAYMENT
    d = services.record_payment(people.desk, d, online=True, at=vn(2026, 11, 17, 10))
    assert d.status == Status.PROCESSING and d.fees.get().paid_online
    d = services.stop(people.desk, d, "Người dân xin dừng", at=vn(2026, 11, 18, 9))
    assert (d.status, d.outcome, d.finished_at) == (Status.STOPPED, "stopped", vn(2026, 11, 18, 9))
