"""The service index's pure rules, with exact values."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from motcua.quality import rules
from motcua.quality.rules import Figures, Measure, Ratio, Standing
from motcua.workdays.rules import VIETNAM

D = Decimal


def vn(*args) -> datetime:
    return datetime(*args, tzinfo=VIETNAM)


@pytest.mark.parametrize(
    ("rate", "target", "maximum", "expected"),
    [
        (D("97.41"), D(100), D(20), D("19.48")),  # 20 × 97.41 / 100
        (D("11.10"), D(50), D(6), D("1.33")),  # 6 × 11.10 / 50 = 1.332
        (D("60"), D(50), D(6), D(6)),  # above the target: capped at the maximum
        (D("80"), D(80), D(4), D(4)),
        (D("0"), D(80), D(2), D("0.00")),
        (D("96.40"), D(90), D(6), D(6)),
        (D("45"), D(90), D(6), D("3.00")),
        (D("33.335"), D(100), D(3), D("1.00")),  # 1.00005 rounds half up to two places
        (D("50"), D(0), D(2), D(2)),  # no target: full marks
    ],
)
def test_score(rate, target, maximum, expected):
    assert rules.score(rate, target, maximum) == expected


def test_ratio_percent_and_no_data():
    assert Ratio(1, 3).percent == D("33.33")
    assert Ratio(2, 3).percent == D("66.67")
    assert rules.ratio(0, 0) is None
    assert rules.ratio(0, 5) == Ratio(0, 5)


def test_satisfaction_is_hundred_less_late_and_disliked_shares():
    found = rules.satisfaction(finished=917, late=23, disliked=10)
    # 100 − 23/917×100 − 10/917×100 = 100 − 2.5082 − 1.0905 = 96.4013
    assert found.percent == D("96.40")
    assert (found.part, found.whole) == (884, 917)
    assert rules.satisfaction(0, 0, 0) is None
    assert rules.satisfaction(4, 3, 3).percent == D(0)  # never below zero


def standing(**changes) -> Standing:
    values = dict(unit=7, procedure=3, received_at=vn(2026, 10, 31, 16), online=True, digitized=True, reused=False,
                  fee_bearing=True, paid_online=True, paper_result=True)  # fmt: skip
    values.update(changes)
    return Standing(**values)


def test_counters_of_an_open_online_dossier_with_a_paper_result():
    # Online and digitized, but a paper result and no e-result yet: neither counts for the index.
    found = rules.counters(standing())
    day = date(2026, 10, 31)
    assert found == {(7, 3, day, "received"): 1, (7, 3, day, "fee_bearing"): 1, (7, 3, day, "paid_online"): 1}


def test_counters_of_a_finished_dossier_land_on_the_day_it_finished():
    s = standing(finished_at=vn(2026, 11, 2, 10), due_at=vn(2026, 11, 1, 17), outcome="approved",
                 result_electronic=True, rating="not_satisfied", reused=True)  # fmt: skip
    found = rules.counters(s)
    received, finished = date(2026, 10, 31), date(2026, 11, 2)
    assert {k[3] for k in found if k[2] == received} == {"received", "online", "digitized", "reused", "fee_bearing",
                                                         "paid_online"}  # fmt: skip
    assert {k[3] for k in found if k[2] == finished} == {"finished", "late", "with_result", "paper_result",
                                                         "e_result", "disliked"}  # fmt: skip


def test_a_stopped_dossier_has_no_result_and_an_unpaid_fee_is_not_paid_online():
    s = standing(finished_at=vn(2026, 11, 2, 10), due_at=vn(2026, 11, 5, 17), outcome="stopped",
                 fee_bearing=False, paid_online=True, online=False)  # fmt: skip
    names = {k[3] for k in rules.counters(s)}
    assert names == {"received", "finished"}


def test_counter_change_moves_with_the_unit_and_nets_out():
    before = standing()
    after = standing(unit=9, result_electronic=True)
    change = rules.counter_change(before, after)
    day = date(2026, 10, 31)
    assert change == {
        (7, 3, day, "received"): -1, (7, 3, day, "fee_bearing"): -1, (7, 3, day, "paid_online"): -1,
        (9, 3, day, "received"): 1, (9, 3, day, "fee_bearing"): 1, (9, 3, day, "paid_online"): 1,
        (9, 3, day, "online"): 1, (9, 3, day, "digitized"): 1,
    }  # fmt: skip
    assert rules.counter_change(before, before) == {}
    assert rules.counter_change(None, None) == {}


@pytest.mark.parametrize(
    ("first", "end", "months", "days"),
    [
        (date(2026, 1, 1), date(2027, 1, 1), [date(2026, m, 1) for m in range(1, 13)], []),
        (date(2026, 10, 15), date(2026, 11, 15), [], [(date(2026, 10, 15), date(2026, 11, 15))]),
        (date(2026, 10, 15), date(2026, 12, 3), [date(2026, 11, 1)],
         [(date(2026, 10, 15), date(2026, 11, 1)), (date(2026, 12, 1), date(2026, 12, 3))]),
        (date(2026, 12, 1), date(2027, 1, 1), [date(2026, 12, 1)], []),
        (date(2026, 11, 1), date(2026, 11, 30), [], [(date(2026, 11, 1), date(2026, 11, 30))]),
    ],
)  # fmt: skip
def test_month_cover(first, end, months, days):
    assert rules.month_cover(first, end) == (months, days)


def figures() -> Figures:
    return Figures(
        handled=927, in_time=903,
        counts={"received": 910, "online": 101, "digitized": 365, "reused": 268, "fee_bearing": 311,
                "paid_online": 16, "finished": 917, "late": 23, "with_result": 884, "paper_result": 799,
                "e_result": 334, "disliked": 10},
        procedures={1, 2, 3, 4, 5}, complete={1, 2, 3, 9}, offered_online={1, 2, 3, 8}, fee_bearing={2, 3, 7},
        used_online={2, 8}, paid_online={3},
    )  # fmt: skip


@pytest.mark.parametrize(
    ("measure", "part", "whole", "percent"),
    [
        (Measure.ON_TIME, 903, 927, D("97.41")),
        (Measure.PROCEDURES_COMPLETE, 3, 5, D("60.00")),
        (Measure.PROCEDURES_ONLINE, 3, 5, D("60.00")),
        (Measure.ONLINE_SERVICES_USED, 1, 3, D("33.33")),  # 8 is used but not under the unit's authority
        (Measure.ONLINE_DOSSIERS, 101, 910, D("11.10")),
        (Measure.PROCEDURES_PAID_ONLINE, 1, 2, D("50.00")),
        (Measure.PAID_ONLINE, 16, 311, D("5.14")),
        (Measure.E_RESULTS, 334, 799, D("41.80")),
        (Measure.DIGITIZED, 365, 910, D("40.11")),
        (Measure.REUSED, 268, 910, D("29.45")),
        (Measure.SATISFACTION, 884, 917, D("96.40")),
    ],
)
def test_measured(measure, part, whole, percent):
    found = rules.measured(measure, figures())
    assert (found.part, found.whole, found.percent) == (part, whole, percent)


@pytest.mark.parametrize("measure", sorted(rules.NO_DATA))
def test_indicators_without_data_say_so(measure):
    assert rules.measured(measure, figures()) is None


def test_nothing_to_count_is_no_data_not_zero():
    assert rules.measured(Measure.PAID_ONLINE, Figures(counts={"received": 4})) is None
    assert rules.measured(Measure.ON_TIME, Figures()) is None


def step(due, done) -> rules.StepTime:
    return rules.StepTime(due, done)


@pytest.mark.parametrize(
    ("finished", "steps", "supplements", "online", "returned_online", "disliked", "expected"),
    [
        # early, every step early, no supplement, online with the result online, no complaint
        (vn(2026, 11, 18, 10), [step(vn(2026, 11, 17, 17), vn(2026, 11, 16, 15))], 0, True, True, False,
         {1: 2, 2: 2, 3: 2, 4: 2, 7: 2}),
        # on the due day; one step on its due day; one supplement; at the desk
        (vn(2026, 11, 20, 9), [step(vn(2026, 11, 17, 17), vn(2026, 11, 16, 15)),
                               step(vn(2026, 11, 19, 17), vn(2026, 11, 19, 8))], 1, False, False, False,
         {1: 1, 2: 1, 3: 1, 4: 1, 7: 1}),
        # late; a step late; two supplements; online but fetched at the desk; rated "not satisfied"
        (vn(2026, 11, 21, 9), [step(vn(2026, 11, 17, 17), vn(2026, 11, 18, 8))], 2, True, False, True,
         {1: 0, 2: 0, 3: 0, 4: 1, 7: 0}),
        # early but rated "not satisfied"; no steps recorded: index 2 follows the whole dossier
        (vn(2026, 11, 18, 10), [], 0, False, False, True, {1: 2, 2: 2, 3: 2, 4: 1, 7: 0}),
    ],
)  # fmt: skip
def test_circular_01_dossier_indices(finished, steps, supplements, online, returned_online, disliked, expected):
    evaluated = rules.Evaluated(vn(2026, 11, 20, 17), finished, tuple(steps), supplements, online, returned_online,
                                disliked)  # fmt: skip
    assert rules.dossier_indices(evaluated) == expected


@pytest.mark.parametrize(
    ("procedures", "share", "late", "expected"),
    [(D(25), D(30), 0, 2), (D(25), D(30), 1, 1), (D(19), D(45), 0, 1), (D(50), D("14.99"), 0, 0),
     (D(50), D(15), 0, 1), (None, D(40), 0, 1), (D(50), None, 0, 0)],
)  # fmt: skip
def test_circular_01_online_index(procedures, share, late, expected):
    assert rules.online_service_index(procedures, share, late) == expected


@pytest.mark.parametrize(
    ("points", "available", "scaled", "band"),
    [
        (D("15.0"), 9, D("15.0"), rules.Band.EXCELLENT),
        (D("14.9"), 9, D("14.9"), rules.Band.GOOD),
        (D("9.0"), 6, D("13.5"), rules.Band.GOOD),  # 9 of 12 reachable points on the 18-point scale
        (D("6.0"), 6, D("9.0"), rules.Band.FAIR),
        (D("5.9"), 9, D("5.9"), rules.Band.WEAK),
        (D("4.0"), 6, D("6.0"), rules.Band.AVERAGE),
    ],
)
def test_agency_band(points, available, scaled, band):
    assert rules.agency_band(points, available) == (scaled, band)


def test_mean_index_rounds_to_one_decimal():
    assert rules.mean_index([2, 1, 1]) == D("1.3")
    assert rules.mean_index([2, 2, 1, 0]) == D("1.3")  # 1.25 rounds half up
