"""Random dossier histories, driven through the services and the migration writer: the ledger's
report equals the one read from every history, on random periods, units, maps and groupings,
before and after a back-dated import; every row adds up."""

from datetime import date, datetime, timedelta

from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from motcua.catalog.models import Procedure
from motcua.dossiers import services as dossiers
from motcua.dossiers.migration import write_migrated
from motcua.dossiers.rules import Action, Channel, DossierError
from motcua.people.models import Role
from motcua.reports import services
from motcua.reports.services import GroupBy
from motcua.units.services import unit_on
from motcua.workdays.rules import VIETNAM
from tests.factories import settle, step_on

from .conftest import intake_for
from .test_settlement import assert_agree, migrated

ORIGIN = datetime(2026, 9, 1, 8, tzinfo=VIETNAM)
DAY = date(2026, 11, 16)
MOVES = st.sampled_from(["forward", "forward", "supplement", "resume", "transfer", "finish", "stop", "withdraw"])
PLAN = st.tuples(
    st.integers(0, 110),  # the day it arrives, after 1/9/2026
    st.integers(0, 600),  # minutes into that day
    st.booleans(),  # online
    st.integers(0, 2),  # which procedure
    st.lists(st.tuples(MOVES, st.integers(1, 200)), max_size=7),  # what happens, each some hours later
)
OLD = st.tuples(
    st.integers(-560, 110),  # received, days after 1/9/2026 (back to the old unit map of early 2025)
    st.one_of(st.none(), st.integers(0, 1200)),  # hours until finished, or still open
    st.booleans(),  # online
    st.booleans(),  # digitized
)
READING = st.tuples(
    st.integers(-560, 140),  # the period's first day, after 1/9/2026
    st.integers(0, 75),  # its length
    st.sampled_from(list(GroupBy)),
    st.sampled_from(["province", "commune", "district"]),
    st.sampled_from(["period", "today"]),
)


@examples(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    first=st.lists(PLAN, min_size=1, max_size=8), imported=st.lists(OLD, max_size=5),
    later=st.lists(PLAN, max_size=5), backdated=st.lists(OLD, max_size=5),
    readings=st.lists(READING, min_size=2, max_size=4), clock=st.sampled_from(["restart", "pause"]),
    wait=st.integers(0, 40 * 24),
)  # fmt: skip
def test_random_histories_agree_and_add_up(people, settings, first, imported, later, backdated, readings, clock, wait):
    settings.MOTCUA_SUPPLEMENT_CLOCK = clock
    with transaction.atomic():  # each example starts from the same empty province
        world = World(people)
        last = max([world.play(plan) for plan in first] + [world.bring(imported)])
        now = last + timedelta(hours=wait, minutes=1)  # the report is read after the last event
        for reading in readings:
            world.check(reading, now)
        # More work, and an import of old dossiers after the first reports were read.
        last = max([last] + [world.play(plan) for plan in later] + [world.bring(backdated)])
        now = last + timedelta(hours=wait, minutes=1)  # the report is read after the last event
        for reading in readings:
            world.check(reading, now)
        transaction.set_rollback(True)


class World:
    def __init__(self, people):
        from tests.factories import UserFactory

        self.people = people
        self.boss = UserFactory(
            username="boss", roles=[(Role.PROCESSING_OFFICER, "14"), (Role.UNIT_LEADER, "14")]
        )  # processes, reviews and signs anywhere in the province
        self.procedures = [Procedure.objects.get(code=code) for code in ("1.012994", "1.001612", "1.000593")]
        self.targets = [unit_on("04105.PVHXH", DAY), unit_on("14.STP", DAY), unit_on("04105.PKT", DAY)]
        self.count = 0

    def play(self, plan) -> datetime:
        """One dossier's life through the services; returns the time of its last event."""
        day, minute, online, which, moves = plan
        at = ORIGIN + timedelta(days=day, minutes=minute)
        intake = intake_for(self.procedures[which], channel=Channel.ONLINE if online else Channel.IN_PERSON)
        desk = self.people.desk
        if online:
            d = dossiers.receive(None, intake, Action.SUBMIT, at=at - timedelta(hours=3))
            d = dossiers.accept(desk, d, at=at)
        else:
            d = dossiers.receive(desk, intake, Action.ACCEPT, at=at)
        last = at
        for index, (move, hours) in enumerate(moves):
            at += timedelta(hours=hours)
            try:
                d = self.move(d, move, at, index)
            except DossierError:
                continue  # a step the rules refuse (too late to supplement, nothing to resume…) is not taken
            last = at
        return last

    def move(self, d, move, at, index):
        desk, boss = self.people.desk, self.boss
        if move == "forward":
            return step_on(d, at, desk=desk, officer=boss, leader=boss)
        if move == "supplement":
            return dossiers.request_supplement(boss, d, "Thiếu giấy tờ", at=at)
        if move == "resume":
            return dossiers.resume(desk, d, at=at)
        if move == "transfer":
            return dossiers.transfer(boss, d, self.targets[index % 3], "Chuyển xử lý", at=at)
        if move == "finish":
            return settle(d, at, desk=desk, officer=boss, leader=boss, approved=index % 4 != 0,
                          reasons="Không đủ điều kiện")  # fmt: skip
        return getattr(dossiers, move)(desk, d, "Theo đề nghị", at=at)

    def bring(self, records) -> datetime:
        """Old dossiers through the migration writer (the old map's units before 1/7/2025)."""
        business = self.procedures[1]
        made, last = [], ORIGIN
        for received_day, hours, online, digitized in records:
            received = ORIGIN + timedelta(days=received_day, hours=1)
            finished = received + timedelta(hours=hours) if hours is not None else None
            old = received.date() < date(2025, 7, 1)
            self.count += 1
            made.append(migrated(
                business, received, finished, unit_code="04135" if old else "04105.PKT",
                desk_code="04135" if old else "04105.TTPVHCC", channel=2 if online else 1, digitized=digitized,
                code=f"CU-{self.count}-{received:%y%m%d}",
            ))  # fmt: skip
            last = max(last, finished or received)
        if made:
            write_migrated(made)
        return last

    def check(self, reading, now):
        start, length, by, which, unit_map = reading
        first = (ORIGIN + timedelta(days=start)).date()
        last = first + timedelta(days=length)
        if which == "district":
            unit, unit_map = unit_on("125", date(2025, 3, 1)), "period"
        else:
            unit = unit_on("14" if which == "province" else "04105", DAY)
        rows = assert_agree(unit, first, last, by, now, unit_map)
        total = rows[-1]
        for column in ("total", "carried_over", "open_overdue", "digitized", "new_online"):
            listed = services.cell_dossiers(unit, first, last, by, "total", column, now=now, unit_map=unit_map)
            assert listed.count() == getattr(total.counts, column), column
        group = rows[0]
        for column in ("late", "open_within"):
            listed = services.cell_dossiers(unit, first, last, by, group.key, column, now=now, unit_map=unit_map)
            assert listed.count() == getattr(group.counts, column), (group.key, column)
