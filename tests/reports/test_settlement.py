"""The settlement report on real dossiers: exact figures, the ledger equal to the reference read
from every history, the drill-down, reproducible closed periods, the unit maps."""

import io
from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command

from motcua.catalog.models import Procedure
from motcua.demo.generator import generate, generate_bulk
from motcua.dossiers import services as dossiers
from motcua.dossiers.migration import MigratedDossier, write_migrated
from motcua.dossiers.rules import Action, Channel
from motcua.reports import services
from motcua.reports.models import Tally, TallyMove
from motcua.reports.rules import COLUMNS, Counts
from motcua.reports.services import GroupBy
from motcua.units.services import unit_on
from motcua.workdays.rules import VIETNAM
from tests.factories import settle

from .conftest import intake_for, vn

DAY = date(2026, 11, 16)
NOW = datetime(2026, 12, 20, 12, tzinfo=VIETNAM)


def figures(rows):
    return [(r.key, r.kind, r.counts.as_dict()) for r in rows]


def assert_agree(unit, first, last, by, now, unit_map="period"):
    """The ledger's rows equal the reference's, and they add up."""
    fast = services.settlement(unit, first, last, by, now=now, unit_map=unit_map)
    reference = services.reference_settlement(unit, first, last, by, now=now, unit_map=unit_map)
    assert figures(fast) == figures(reference), (unit.code, first, last, by, now, unit_map)
    assert_adds_up(fast)
    return fast


def assert_adds_up(rows):
    total = rows[-1]
    assert total.key == "total"
    groups = [r for r in rows if r.kind == "group"]
    summed = Counts()
    for row in rows[:-1]:
        assert row.counts.balanced()
        assert min(getattr(row.counts, c) for c in COLUMNS) >= 0
        assert row.counts.digitized <= row.counts.total
    for row in groups:
        summed.add(row.counts)
    assert summed == total.counts and total.counts.balanced()
    for subtotal in (r for r in rows if r.kind == "subtotal"):
        part = Counts()
        for row in groups:
            if row.level == subtotal.level:
                part.add(row.counts)
        assert part == subtotal.counts


def finish(people, dossier, at):
    dossier = dossiers.forward(people.desk, dossier, at=at - timedelta(minutes=30))
    return settle(dossier, at - timedelta(minutes=10), desk=people.desk, officer=people.processor,
                  leader=people.leader, approved=True)  # fmt: skip


def test_a_month_of_a_commune_counted_exactly(people, land_procedure):
    """Four land and business dossiers at Xã Mai Sơn, reported for 16/11–15/12/2026."""
    business = Procedure.objects.get(code="1.001612")  # 3 working days
    dossiers.receive(people.desk, intake_for(land_procedure), Action.ACCEPT, at=vn(2026, 10, 20, 9))
    online = dossiers.receive(None, intake_for(business, channel=Channel.ONLINE), Action.SUBMIT,
                              at=vn(2026, 11, 16, 8))  # fmt: skip
    online = dossiers.accept(people.desk, online, at=vn(2026, 11, 16, 9))  # due 19/11 09:00
    slow = dossiers.receive(people.desk, intake_for(business), Action.ACCEPT, at=vn(2026, 11, 17, 9))  # due 20/11
    fast = dossiers.receive(people.desk, intake_for(business), Action.ACCEPT, at=vn(2026, 11, 18, 9))  # due 23/11
    for d, at in ((online, vn(2026, 11, 19, 8)), (slow, vn(2026, 11, 26, 9)), (fast, vn(2026, 11, 19, 10))):
        finish(people, d, at)
    commune = unit_on("04105", DAY)
    rows = assert_agree(commune, date(2026, 11, 16), date(2026, 12, 15), GroupBy.LEVEL, NOW)
    assert [r.key for r in rows] == ["level:commune", "total"]
    total = rows[-1].counts
    assert {name: getattr(total, name) for name in COLUMNS} == {
        "total": 4, "new_online": 1, "new_offline": 2, "carried_over": 1, "finished": 3, "early": 1, "on_time": 1,
        "late": 1, "open": 1, "open_within": 0, "open_overdue": 1, "digitized": 4,
    }  # fmt: skip
    assert str(total.online_rate) == "33.33" and str(total.digitization_rate) == "100.00"
    # The land dossier (21 working days from 20/10) is overdue at 15/12 but was within on 16/11.
    earlier = assert_agree(commune, date(2026, 11, 16), date(2026, 11, 16), GroupBy.LEVEL, NOW)[-1]
    assert (earlier.counts.total, earlier.counts.open_within, earlier.counts.open_overdue) == (2, 2, 0)
    late = services.cell_dossiers(commune, date(2026, 11, 16), date(2026, 12, 15), "level", "total", "late", now=NOW)
    assert [d.pk for d in late] == [slow.pk]


def test_while_the_period_runs_open_dossiers_turn_overdue_at_their_due_time(people, land_procedure):
    business = Procedure.objects.get(code="1.001612")
    dossiers.receive(people.desk, intake_for(business), Action.ACCEPT, at=vn(2026, 11, 17, 9))  # due 20/11 09:00
    waiting = dossiers.receive(people.desk, intake_for(business), Action.ACCEPT, at=vn(2026, 11, 17, 10))
    waiting = dossiers.forward(people.desk, waiting, at=vn(2026, 11, 17, 11))
    dossiers.request_supplement(people.processor, waiting, "Thiếu giấy tờ", at=vn(2026, 11, 18, 9))
    commune = unit_on("04105", DAY)

    def read(*moment):
        total = assert_agree(commune, date(2026, 11, 15), date(2026, 12, 14), GroupBy.LEVEL, vn(*moment))[-1].counts
        return total.new_offline, total.open_within, total.open_overdue

    assert read(2026, 11, 20, 8, 59) == (2, 2, 0)
    assert read(2026, 11, 20, 9, 1) == (2, 1, 1)  # the one waiting for a supplement stays within


@pytest.fixture
def generated(db):
    generate(250, seed=5, days=150, communes=4, now=NOW)  # step by step: supplements, transfers, stops
    generate_bulk(3000, seed=11, days=200, communes=10, now=NOW)


PERIODS = [
    (date(2026, 10, 1), date(2026, 10, 31)),  # a calendar month
    (date(2026, 10, 15), date(2026, 11, 14)),  # an official month
    (date(2026, 6, 15), date(2026, 11, 14)),
    (date(2026, 9, 3), date(2026, 11, 21)),  # ragged edges
    (date(2026, 12, 1), date(2026, 12, 31)),  # still open on NOW
    (date(2026, 12, 20), date(2026, 12, 20)),  # today
]


def test_the_ledger_equals_the_reference_on_a_generated_province(generated):
    province = unit_on("14", DAY)
    for by in GroupBy:
        totals = [assert_agree(province, first, last, by, NOW)[-1].counts for first, last in PERIODS]
        assert totals[0].total > 300 and totals[4].open_overdue > 0 and totals[5].carried_over > 0
        for first, last in PERIODS[:3]:
            assert_agree(unit_on("04105", DAY), first, last, by, NOW)
            assert_agree(province, first, last, by, NOW, "today")


def test_every_cell_drills_down_to_its_dossiers(generated):
    province = unit_on("14", DAY)
    for (first, last), moment in (((date(2026, 11, 1), date(2026, 11, 30)), NOW),
                                  ((date(2026, 12, 1), date(2026, 12, 31)), NOW),
                                  ((date(2026, 9, 1), date(2026, 9, 30)), NOW)):  # fmt: skip
        rows = services.settlement(province, first, last, GroupBy.UNIT, now=moment)
        for row in rows[:4] + rows[-1:]:
            for column in COLUMNS:
                listed = services.cell_dossiers(province, first, last, GroupBy.UNIT, row.key, column, now=moment)
                assert listed.count() == getattr(row.counts, column), (first, row.key, column)
    rows = services.settlement(province, date(2026, 11, 1), date(2026, 11, 30), GroupBy.FIELD, now=NOW)
    row = rows[0]
    for column in ("total", "late", "open", "digitized"):
        listed = services.cell_dossiers(province, date(2026, 11, 1), date(2026, 11, 30), "field", row.key, column,
                                        now=NOW)  # fmt: skip
        assert listed.count() == getattr(row.counts, column)


def test_the_ledger_rebuilt_from_the_events_is_the_ledger_kept_live(generated):
    def contents():
        tally = {tuple(r[:5]): r[5:] for r in Tally.objects.values_list(
            "unit_id", "procedure_id", "span", "day", "province_id", "new_online", "new_offline", "early", "on_time",
            "late", "finished_digitized", "open", "overdue", "open_digitized") if any(r[5:])}  # fmt: skip
        moves = {tuple(r[:4]): r[4:] for r in TallyMove.objects.values_list(
            "unit_id", "procedure_id", "day", "known", "new_online", "new_offline") if any(r[4:])}  # fmt: skip
        return tally, moves

    live = contents()
    assert live[1], "the step-by-step generator transfers some dossiers"
    out = io.StringIO()
    call_command("report", "rebuild-ledger", stdout=out)
    assert int(out.getvalue().split()[0]) > 3000
    assert contents() == live


# ---------------------------------------------------------------------------------------------
# Reproducible closed periods


def test_a_closed_period_gives_the_same_figures_after_more_work(people, land_procedure):
    business = Procedure.objects.get(code="1.001612")
    waiting = dossiers.receive(people.desk, intake_for(land_procedure), Action.ACCEPT, at=vn(2026, 11, 2, 9))
    waiting = dossiers.forward(people.desk, waiting, at=vn(2026, 11, 2, 10))
    waiting = dossiers.request_supplement(people.leader, waiting, "Thiếu bản vẽ", at=vn(2026, 11, 4, 9))
    moving = dossiers.receive(people.desk, intake_for(business), Action.ACCEPT, at=vn(2026, 11, 5, 9))
    overdue = dossiers.receive(people.desk, intake_for(business), Action.ACCEPT, at=vn(2026, 11, 6, 9))
    commune, province = unit_on("04105", DAY), unit_on("14", DAY)
    first, last = date(2026, 11, 1), date(2026, 11, 14)
    signed = {(u.pk, by): figures(services.settlement(u, first, last, by, now=vn(2026, 11, 15, 8)))
              for u in (commune, province) for by in GroupBy}  # fmt: skip
    # After the period: the waiting one resumes (a new due date), one goes to the province, one
    # finishes late, and new dossiers arrive.
    dossiers.resume(people.desk, waiting, at=vn(2026, 11, 16, 9))
    moving = dossiers.forward(people.desk, moving, at=vn(2026, 11, 16, 10))
    dossiers.transfer(people.processor, moving, unit_on("14.STP", DAY), "Chuyển Sở Tư pháp", at=vn(2026, 11, 16, 11))
    finish(people, overdue, vn(2026, 11, 17, 9))
    dossiers.receive(people.desk, intake_for(business), Action.ACCEPT, at=vn(2026, 11, 18, 9))
    for moment in (vn(2026, 11, 20, 9), NOW):
        for (unit_id, by), before in signed.items():
            unit = commune if unit_id == commune.pk else province
            assert figures(assert_agree(unit, first, last, by, moment)) == before
    total = dict(signed[commune.pk, GroupBy.LEVEL][-1][2])
    assert (total["total"], total["open_within"], total["open_overdue"]) == (3, 1, 2)
    # …while the month after sees the transfer: the commune no longer holds the moved dossier.
    after = services.settlement(commune, date(2026, 11, 15), date(2026, 11, 30), GroupBy.LEVEL, now=NOW)[-1]
    assert after.counts.carried_over == 2


def test_a_late_migration_changes_a_closed_period(people, land_procedure):
    business = Procedure.objects.get(code="1.001612")
    dossiers.receive(people.desk, intake_for(business), Action.ACCEPT, at=vn(2026, 10, 5, 9))
    commune = unit_on("04105", DAY)
    first, last = date(2026, 10, 1), date(2026, 10, 31)
    before = services.settlement(commune, first, last, GroupBy.LEVEL, now=NOW)[-1].counts
    assert before.total == 1
    # The checkpoints made for that report are stale once older dossiers arrive.
    write_migrated([migrated(business, vn(2026, 9, 28, 9), vn(2026, 10, 2, 9)),
                    migrated(business, vn(2026, 10, 8, 9), None)])  # fmt: skip
    after = assert_agree(commune, first, last, GroupBy.LEVEL, NOW)[-1].counts
    assert (after.total, after.carried_over, after.new_offline, after.open_overdue) == (3, 1, 2, 2)


def migrated(procedure, received, finished, unit_code="04105.PKT", desk_code="04105.TTPVHCC", channel=1, **extra):
    day = received.date()
    record = dict(
        line=0, code=f"CU-{received:%y%m%d%H%M}-{unit_code}", receiving=unit_on(desk_code, day),
        procedure=(procedure.pk, procedure.duration), processing=unit_on(unit_code, day), channel=channel,
        received_at=received, due_at=None, finished_at=finished, outcome="approved" if finished else "",
        returned_at=None, digitized=True, result_digitized=False, applicant_name="Lò Văn Minh", applicant_id="",
    )  # fmt: skip
    return MigratedDossier(**{**record, **extra})


# ---------------------------------------------------------------------------------------------
# The unit map: as it was, or as it is today


def test_old_units_roll_up_into_their_successors(people, land_procedure):
    business = Procedure.objects.get(code="1.001612")
    spring = date(2025, 3, 10)
    # Xã Hát Lót and Thị trấn Hát Lót merged into Xã Mai Sơn on 1/7/2025; the district office ended.
    write_migrated([
        migrated(business, vn(2025, 3, 10, 9), vn(2025, 3, 12, 9), unit_code="04135", desk_code="04135"),
        migrated(business, vn(2025, 3, 11, 9), None, unit_code="04105", desk_code="04105"),
        migrated(business, vn(2025, 3, 11, 10), vn(2025, 3, 20, 9), unit_code="125.PTP", desk_code="125.MC"),
    ])  # fmt: skip
    first, last = date(2025, 3, 1), date(2025, 3, 31)
    district = unit_on("125", spring)
    then = assert_agree(district, first, last, GroupBy.UNIT, NOW)
    assert [(r.key, r.counts.total) for r in then] == [
        ("level:district", 1),
        ("125.PTP", 1),
        ("level:commune", 2),
        ("04105", 1),
        ("04135", 1),
        ("total", 3),
    ]
    today = unit_on("04105", DAY)  # Xã Mai Sơn
    now_map = assert_agree(today, first, last, GroupBy.UNIT, NOW, "today")
    assert [(r.key, r.label, r.counts.total) for r in now_map] == [
        ("level:commune", "Cấp xã", 2),
        ("04105", "Xã Mai Sơn", 2),
        ("total", "Tổng cộng", 2),
    ]
    province = assert_agree(unit_on("14", DAY), first, last, GroupBy.LEVEL, NOW, "today")
    assert [(r.key, r.counts.total) for r in province] == [("level:province", 1), ("level:commune", 2), ("total", 3)]
    listed = services.cell_dossiers(today, first, last, "unit", "04105", "open", now=NOW, unit_map="today")
    assert [d.processing_unit.code for d in listed] == ["04105"]
