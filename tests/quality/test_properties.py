"""Random dossier histories, driven through the services and the migration writer (payments,
e-results, returns, ratings, reused documents, transfers, back-dated imports): the kept index
counters equal those counted from the dossier table, for random units and periods, and the units
under a province add up to it."""

from datetime import date, timedelta

from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from motcua.dossiers import services as dossiers
from motcua.dossiers.rules import Action, Channel, DossierError, Rating, ReturnMethod
from motcua.quality import services
from motcua.quality.models import MonthFigures
from motcua.units.services import unit_on
from tests.factories import settle
from tests.reports.test_properties import OLD, ORIGIN, World

from .conftest import intake_for

MOVES = st.sampled_from(["forward", "supplement", "resume", "transfer", "pay", "pay_online", "finish",
                         "finish_electronic", "stop", "return", "rate"])  # fmt: skip
PLAN = st.tuples(
    st.integers(0, 110),  # the day it arrives, after 1/9/2026
    st.integers(0, 600),  # minutes into that day
    st.booleans(),  # online
    st.integers(0, 2),  # which procedure
    st.booleans(),  # a document reused from data held
    st.lists(st.tuples(MOVES, st.integers(1, 200)), max_size=8),
)
READING = st.tuples(st.integers(-400, 140), st.integers(0, 95), st.sampled_from(["province", "commune", "office"]))


@examples(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(plans=st.lists(PLAN, min_size=1, max_size=8), imported=st.lists(OLD, max_size=5),
       readings=st.lists(READING, min_size=2, max_size=4))  # fmt: skip
def test_kept_counters_equal_the_dossier_table(people, plans, imported, readings):
    with transaction.atomic():
        world = IndexWorld(people)
        province = unit_on("14", date(2026, 11, 16))
        for plan in plans[: len(plans) // 2]:
            world.play(plan)
        services.monthly_trend(province, months=6)  # keeps the months before last month
        for plan in plans[len(plans) // 2 :]:
            world.play(plan)
        world.bring(imported)
        # The kept months are counted again where the later work and the import reached them.
        kept = [(m.month, m.total, m.reachable) for m in services.monthly_trend(province, months=6)]
        MonthFigures.objects.all().delete()
        assert kept == [(m.month, m.total, m.reachable) for m in services.monthly_trend(province, months=6)]
        for start, length, which in readings:
            first = (ORIGIN + timedelta(days=start)).date()
            last = first + timedelta(days=length)
            unit = unit_on({"province": "14", "commune": "04105", "office": "04105.PKT"}[which], date(2026, 11, 16))
            kept = services.kept_counts(unit, first, last)
            assert kept == services.reference_counts(unit, first, last), (which, first, last)
            assert all(n >= 0 for n in kept.values())
            assert kept["online"] <= kept["received"] and kept["paid_online"] <= kept["fee_bearing"]
            assert kept["e_result"] <= kept["paper_result"] <= kept["with_result"] <= kept["finished"]
        first, last = ORIGIN.date(), (ORIGIN + timedelta(days=140)).date()
        whole = services.index(province, first, last, ORIGIN + timedelta(days=150))
        parts = services.branch_indices(province, first, last, ORIGIN + timedelta(days=150))
        for name in ("received", "finished", "late", "paid_online", "e_result"):
            assert sum(p.figures.counts.get(name, 0) for p in parts) == whole.figures.counts.get(name, 0), name
        assert sum(p.figures.handled for p in parts) == whole.figures.handled
        transaction.set_rollback(True)


class IndexWorld(World):
    def play(self, plan):
        day, minute, online, which, reused, moves = plan
        at = ORIGIN + timedelta(days=day, minutes=minute)
        intake = intake_for(self.procedures[which], channel=Channel.ONLINE if online else Channel.IN_PERSON)
        if reused:
            components = [dossiers.ComponentInput(order=c.order, provided=True, digitized=c.digitized,
                                                  reused=c.order == 1) for c in intake.components]  # fmt: skip
            intake = dossiers.Intake(**{**intake.__dict__, "components": components})
        desk = self.people.desk
        if online:
            d = dossiers.receive(None, intake, Action.SUBMIT, at=at - timedelta(hours=3))
            d = dossiers.accept(desk, d, at=at)
        else:
            d = dossiers.receive(desk, intake, Action.ACCEPT, at=at)
        for index, (move, hours) in enumerate(moves):
            at += timedelta(hours=hours)
            try:
                d = self.move(d, move, at, index)
            except DossierError:
                continue

    def move(self, d, move, at, index):
        boss, desk = self.boss, self.people.desk
        if move in ("pay", "pay_online"):
            d = dossiers.request_payment(boss, d, [("Lệ phí", 50_000)], at=at)
            return dossiers.record_payment(boss, d, online=move == "pay_online", at=at + timedelta(minutes=30))
        if move == "finish_electronic":
            return settle(d, at, desk=desk, officer=boss, leader=boss, electronic=True, result_number="1/KQ")
        if move == "return":
            method = ReturnMethod.ONLINE if d.channel == Channel.ONLINE else ReturnMethod.DESK
            return dossiers.hand_over(desk, d, method, at=at)
        if move == "rate":
            return dossiers.rate(d, Rating.NOT_SATISFIED if index % 2 else Rating.SATISFIED, at=at)
        return super().move(d, move, at, index)
