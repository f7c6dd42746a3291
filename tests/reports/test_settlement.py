"""The settlement report on real dossiers: exact figures, fast path = reference, drill-down."""

from datetime import date, datetime, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from motcua.catalog.models import Procedure
from motcua.demo.generator import generate_bulk
from motcua.dossiers import services as dossiers
from motcua.dossiers.rules import Action, Channel, DossierError
from motcua.reports import services
from motcua.reports.rules import COLUMNS, Counts
from motcua.reports.services import GroupBy
from motcua.units.services import unit_on
from motcua.workdays.rules import VIETNAM

from .conftest import intake_for, vn

DAY = date(2026, 11, 16)
NOW = datetime(2026, 12, 20, 12, tzinfo=VIETNAM)


def by_key(rows):
    return {r.key: r.counts.as_dict() for r in rows}


def test_a_month_of_a_commune_counted_exactly(people, land_procedure):
    """Four land dossiers at Xã Mai Sơn, reported for 16/11–15/12/2026."""
    business = Procedure.objects.get(code="1.001612")  # 3 working days
    dossiers.receive(people.desk, intake_for(land_procedure), Action.ACCEPT, at=vn(2026, 10, 20, 9))
    online = dossiers.receive(None, intake_for(business, channel=Channel.ONLINE), Action.SUBMIT,
                              at=vn(2026, 11, 16, 8))  # fmt: skip
    online = dossiers.accept(people.desk, online, at=vn(2026, 11, 16, 9))  # due 19/11 09:00
    slow = dossiers.receive(people.desk, intake_for(business), Action.ACCEPT, at=vn(2026, 11, 17, 9))  # due 20/11
    fast = dossiers.receive(people.desk, intake_for(business), Action.ACCEPT, at=vn(2026, 11, 18, 9))  # due 23/11
    for d, at in ((online, vn(2026, 11, 19, 8)), (slow, vn(2026, 11, 26, 9)), (fast, vn(2026, 11, 19, 10))):
        d = dossiers.forward(people.desk, d, at=at - timedelta(minutes=30))
        while dossiers.available_actions(people.processor, d).count(Action.FORWARD):
            d = dossiers.forward(people.processor, d, at=at - timedelta(minutes=10))
        dossiers.issue_result(people.processor, d, approved=True, at=at)
    commune = unit_on("04105", DAY)
    rows = services.settlement(commune, date(2026, 11, 16), date(2026, 12, 15), GroupBy.LEVEL, now=NOW)
    assert [r.key for r in rows] == ["level:commune", "total"]
    total = rows[-1].counts
    assert total.as_dict() | {} == {
        "total": 4, "new_online": 1, "new_offline": 2, "carried_over": 1, "finished": 3, "early": 1, "on_time": 1,
        "late": 1, "open": 1, "open_within": 0, "open_overdue": 1, "digitized": 4,
        "digitization_rate": total.digitization_rate, "online_rate": total.online_rate,
    }  # fmt: skip
    assert str(total.online_rate) == "33.33" and str(total.digitization_rate) == "100.00"
    # The land dossier (21 working days from 20/10) is overdue at 15/12 but was within on 16/11.
    earlier = services.settlement(commune, date(2026, 11, 16), date(2026, 11, 16), GroupBy.LEVEL, now=NOW)[-1]
    assert (earlier.counts.total, earlier.counts.open_within, earlier.counts.open_overdue) == (2, 2, 0)
    late = services.cell_dossiers(commune, date(2026, 11, 16), date(2026, 12, 15), "level", "total", "late", now=NOW)
    assert [d.pk for d in late] == [slow.pk]


@pytest.fixture
def generated(db):
    generate_bulk(4000, seed=11, days=200, communes=10, now=NOW)


@pytest.mark.parametrize("by", list(GroupBy))
def test_fast_path_equals_the_reference_on_a_generated_province(generated, by):
    province = unit_on("14", DAY)
    for first, last in ((date(2026, 10, 1), date(2026, 10, 31)), (date(2026, 6, 15), date(2026, 11, 14)),
                        (date(2026, 12, 1), date(2026, 12, 31))):  # fmt: skip
        fast = services.counts_by_unit_and_procedure(province, first, last, now=NOW)
        assert fast == services.reference_counts(province, first, last, now=NOW)
        rows = services.settlement(province, first, last, by, now=NOW, counts=fast)
        assert_adds_up(rows)
    assert rows[-1].counts.total > 100


def assert_adds_up(rows):
    total = rows[-1]
    assert total.key == "total"
    groups = [r for r in rows if r.kind == "group"]
    summed = Counts()
    for row in groups:
        summed.add(row.counts)
        assert row.counts.balanced()
    assert summed == total.counts and total.counts.balanced()
    for subtotal in (r for r in rows if r.kind == "subtotal"):
        part = Counts()
        for row in groups:
            if row.level == subtotal.level:
                part.add(row.counts)
        assert part == subtotal.counts


def test_every_cell_drills_down_to_its_dossiers(generated):
    province = unit_on("14", DAY)
    first, last = date(2026, 11, 1), date(2026, 11, 30)
    rows = services.settlement(province, first, last, GroupBy.UNIT, now=NOW)
    for row in rows[:4] + rows[-1:]:
        for column in COLUMNS:
            listed = services.cell_dossiers(province, first, last, GroupBy.UNIT, row.key, column, now=NOW)
            assert listed.count() == getattr(row.counts, column), (row.key, column)


# ---------------------------------------------------------------------------------------------
# Random histories through the services


MOVES = st.sampled_from(["finish", "supplement", "transfer", "stop", "withdraw", "nothing"])
HISTORY = st.lists(st.tuples(st.integers(0, 40), st.booleans(), MOVES, st.integers(1, 60)), min_size=1, max_size=6)


@examples(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    history=HISTORY, start=st.integers(0, 60), length=st.integers(0, 45), clock=st.sampled_from(["restart", "pause"])
)
def test_random_histories_agree_and_add_up(people, land_procedure, settings, history, start, length, clock):
    settings.MOTCUA_SUPPLEMENT_CLOCK = clock
    with transaction.atomic():  # each example starts from the same empty desk
        check_history(people, land_procedure, history, start, length)
        transaction.set_rollback(True)


def check_history(people, land_procedure, history, start, length):
    business = Procedure.objects.get(code="1.001612")
    origin = vn(2026, 9, 1, 8)
    made = []
    for day, online, move, later in history:
        at = origin + timedelta(days=day, hours=day % 7)
        procedure = land_procedure if day % 3 == 0 else business
        channel = Channel.ONLINE if online else Channel.IN_PERSON
        try:
            d = dossiers.receive(people.desk, intake_for(procedure, channel=channel), Action.ACCEPT, at=at)
            made.append(d)
            at += timedelta(hours=2)
            d = dossiers.forward(people.desk, d, at=at)
            at += timedelta(days=later % 5, hours=1)
            if move == "supplement":
                d = dossiers.request_supplement(people.processor, d, "Thiếu giấy tờ", at=at)
                d = dossiers.resume(people.desk, d, at=at + timedelta(days=later % 9))
                at += timedelta(days=later % 9, hours=1)
            elif move == "transfer":
                d = dossiers.transfer(people.processor, d, unit_on("04105.PVHXH", DAY), "Phối hợp", at=at)
            elif move in ("stop", "withdraw"):
                getattr(dossiers, move)(people.desk, d, "Theo đề nghị", at=at)
                continue
            if move != "nothing":
                actor = people.partner if move == "transfer" else people.processor
                at += timedelta(days=later // 2)
                while Action.FORWARD in dossiers.available_actions(actor, d):
                    d = dossiers.forward(actor, d, at=at)
                dossiers.issue_result(actor, d, approved=True, at=at + timedelta(minutes=5))
        except DossierError:
            pass  # a path the rules refuse (too late to supplement, …) simply stops there
    commune = unit_on("04105", DAY)
    first = (origin + timedelta(days=start)).date()
    last = first + timedelta(days=length)
    now = origin + timedelta(days=120)
    fast = services.counts_by_unit_and_procedure(commune, first, last, now=now)
    assert fast == services.reference_counts(commune, first, last, now=now)
    for by in GroupBy:
        assert_adds_up(services.settlement(commune, first, last, by, now=now, counts=fast))
    assert sum(c.total for c in fast.values()) <= len(made) == len(history)
