"""A month of dossiers at Xã Mai Sơn whose index is worked out by hand in the tests."""

from datetime import date

import pytest

from motcua.dossiers import services as dossiers
from motcua.dossiers.migration import write_migrated
from motcua.dossiers.rules import Action, Channel, Rating, ReturnMethod
from motcua.units.services import unit_on
from tests.dossiers.conftest import accepted, intake_for, land_procedure, people, vn  # noqa: F401
from tests.factories import settle
from tests.reports.test_settlement import migrated

NOW = vn(2026, 12, 20, 12)
FIRST, LAST = date(2026, 11, 1), date(2026, 11, 30)


def finish(people, d, at, electronic):  # noqa: F811
    return settle(d, at, desk=people.desk, officer=people.processor, leader=people.leader, result_number="12/KQ",
                  electronic=electronic)  # fmt: skip


@pytest.fixture
def month(people, land_procedure):  # noqa: F811
    """November 2026 at Xã Mai Sơn, with the land procedure (paper result, no fixed fee):
    A in person, finished early with an e-result, rated very satisfied;
    B online, asked for a fee and paid it online, finished early with a paper result only, rated
      "not satisfied";
    C in person with a reused document, still open and within its deadline;
    D brought over: received in October, finished late on 5/11 with a paper result;
    E brought over: received in October, open and overdue since 15/11;
    F brought over: received 3/11, stopped early on 10/11."""
    desk, processor = people.desk, people.processor
    a = dossiers.receive(desk, intake_for(land_procedure), Action.ACCEPT, at=vn(2026, 11, 16, 9))
    a = finish(people, a, vn(2026, 11, 18, 9), electronic=True)
    a = dossiers.hand_over(desk, a, ReturnMethod.DESK, at=vn(2026, 11, 18, 15))
    dossiers.rate(a, Rating.VERY_SATISFIED, at=vn(2026, 11, 18, 15, 5))

    online = intake_for(land_procedure, channel=Channel.ONLINE)
    b = dossiers.receive(None, online, Action.SUBMIT, at=vn(2026, 11, 16, 7))
    b = dossiers.accept(desk, b, at=vn(2026, 11, 16, 10))
    b = dossiers.forward(desk, b, at=vn(2026, 11, 16, 11))
    b = dossiers.forward(people.leader, b, at=vn(2026, 11, 16, 14))  # on to the officer's appraisal
    b = dossiers.request_payment(processor, b, [("Lệ phí cấp giấy chứng nhận", 100_000)], at=vn(2026, 11, 17, 9))
    b = dossiers.record_payment(processor, b, online=True, at=vn(2026, 11, 17, 10))
    b = finish(people, b, vn(2026, 11, 19, 9), electronic=False)
    b = dossiers.hand_over(desk, b, ReturnMethod.DESK, at=vn(2026, 11, 19, 15))
    dossiers.rate(b, Rating.NOT_SATISFIED, at=vn(2026, 11, 19, 15, 5))

    intake = intake_for(land_procedure)
    reused = [dossiers.ComponentInput(order=c.order, provided=True, digitized=False, reused=c.order == 1)
              for c in intake.components]  # fmt: skip
    intake = dossiers.Intake(**{**intake.__dict__, "components": reused})
    dossiers.receive(desk, intake, Action.ACCEPT, at=vn(2026, 11, 17, 9))

    write_migrated([
        migrated(land_procedure, vn(2026, 10, 2, 9), vn(2026, 11, 5, 9), due_at=vn(2026, 10, 30, 17)),
        migrated(land_procedure, vn(2026, 10, 20, 9), None, due_at=vn(2026, 11, 15, 10)),
        migrated(land_procedure, vn(2026, 11, 3, 9), vn(2026, 11, 10, 9), outcome="stopped"),
    ])  # fmt: skip
    return unit_on("04105", date(2026, 11, 16))
