"""The service index on real dossiers: hand-computed indicator values for a month of a commune,
the ranking, what pulls each indicator down, the kept counters against the dossier table."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from motcua.catalog.models import Procedure
from motcua.core.text import fold
from motcua.dossiers import services as dossiers
from motcua.dossiers.rules import DossierError
from motcua.quality import services
from motcua.quality.rules import Measure
from motcua.units.models import Unit
from motcua.units.services import unit_on

from .conftest import FIRST, LAST, NOW, vn

D = Decimal


def points(item) -> dict[str, Decimal | None]:
    return {s.indicator.code: s.points for s in item.scored}


def rate_of(item, code):
    found = next(s for s in item.scored if s.indicator.code == code)
    return None if found.ratio is None else (found.ratio.part, found.ratio.whole, found.ratio.percent)


def catalog_counts(level: str) -> tuple[int, int, int]:
    """Commune procedures: all active, those offered online, those published with every element."""
    active = Procedure.objects.filter(is_active=True, level=level)
    online = active.exclude(online_kind="none")
    complete = [p for p in active if p.agency.strip() and p.legal_basis.strip() and p.duration_value
                and p.components.exists() and p.process_templates.exists()]  # fmt: skip
    return active.count(), online.count(), len(complete)


def test_a_month_of_a_commune_by_hand(month):
    item = services.index(month, FIRST, LAST, NOW)
    # Handled: A, B, C, D, E, F. In time: A, B, F finished early; C open within. D late, E overdue.
    assert rate_of(item, "2.1") == (4, 6, D("66.67"))
    assert points(item)["2.1"] == D("13.33")  # 20 × 66.67 / 100
    # Received in November: A, B, C, F. Online counted: none (B's result is on paper only).
    assert rate_of(item, "3.3") == (0, 4, D("0.00"))
    # Fee-bearing: B, paid online.
    assert rate_of(item, "3.6") == (1, 1, D("100.00"))
    assert points(item)["3.6"] == D(6)
    # Finished in November with a result: A, B, D, all paper-result; A's was issued electronically.
    assert rate_of(item, "4.1") == (1, 3, D("33.33"))
    assert points(item)["4.1"] == D("2.00")  # 6 × 33.33 / 100 = 1.9998
    # Digitized for the index: A only (B, C, F have no e-result for their paper result).
    assert rate_of(item, "4.2") == (1, 4, D("25.00"))
    assert points(item)["4.2"] == D("1.25")  # 4 × 25 / 80
    assert rate_of(item, "4.3") == (1, 4, D("25.00"))  # C reused a document
    assert points(item)["4.3"] == D("0.63")  # 2 × 25 / 80 = 0.625
    # Finished in November: A, B, D, F; D late, B rated "not satisfied": 100 − 25 − 25.
    assert rate_of(item, "5.4") == (2, 4, D("50.00"))
    assert points(item)["5.4"] == D("3.33")  # 6 × 50 / 90
    # Procedure indicators from the catalogue of commune procedures.
    active, online, complete = catalog_counts("commune")
    assert rate_of(item, "3.1")[:2] == (online, active)
    assert rate_of(item, "1.3")[:2] == (complete, active)
    assert rate_of(item, "3.2") == (0, online, D("0.00"))  # no online dossier counted
    # No data: left out of the total, not zero, not full.
    for code in ("1.1", "1.2", "1.4", "3.5", "4.4", "4.5", "5.1", "5.2", "5.3"):
        assert points(item)[code] is None and rate_of(item, code) is None
    scored = [s for s in item.scored if s.points is not None]
    assert item.total == sum(s.points for s in scored)
    assert item.reachable == sum(s.indicator.max_points for s in scored) == D(62)
    assert [g.full for g in item.groups] == [D(18), D(20), D(22), D(22), D(18)]
    assert sum(g.points for g in item.groups) == item.total


def test_kept_counters_equal_the_dossier_table(month):
    for unit, first, last in [(month, FIRST, LAST), (month, date(2026, 10, 1), date(2026, 12, 31)),
                              (unit_on("14", LAST), date(2026, 11, 10), date(2026, 11, 19))]:  # fmt: skip
        assert services.kept_counts(unit, first, last) == services.reference_counts(unit, first, last)
    kept = services.kept_counts(month, FIRST, LAST)
    assert kept == {
        "received": 4, "online": 0, "digitized": 1, "reused": 1, "fee_bearing": 1, "paid_online": 1,
        "finished": 4, "late": 1, "with_result": 3, "paper_result": 3, "e_result": 1, "disliked": 1,
    }  # fmt: skip


def test_the_counters_follow_later_changes(month, people):
    """A transfer moves C's counts to its new unit; the kept counters still equal the table."""
    c = dossiers_of(month).get(reused=True)
    c = dossiers.forward(people.desk, c, at=vn(2026, 11, 20, 8))  # on to the officer's step, who transfers it
    c = dossiers.forward(people.leader, c, at=vn(2026, 11, 20, 8, 30))
    dossiers.transfer(people.processor, c, unit_on("04105.PVHXH", LAST), "Chuyển xử lý", at=vn(2026, 11, 20, 9))
    partner_unit = unit_on("04105.PVHXH", LAST)
    assert services.kept_counts(partner_unit, FIRST, LAST)["reused"] == 1
    assert services.kept_counts(unit_on("04105.PKT", LAST), FIRST, LAST)["reused"] == 0
    assert services.kept_counts(month, FIRST, LAST) == services.reference_counts(month, FIRST, LAST)


def dossiers_of(unit):
    from motcua.dossiers.models import Dossier

    return Dossier.objects.filter(processing_unit__path__startswith=unit.path)


def test_what_pulls_each_indicator_down(month):
    late = services.pulling_down(month, FIRST, LAST, Measure.ON_TIME, NOW).rows
    assert sorted(d.due_at for d in late) == [vn(2026, 10, 30, 17), vn(2026, 11, 15, 10)]  # D late, E overdue
    digitized = services.pulling_down(month, FIRST, LAST, Measure.DIGITIZED, NOW).rows
    assert digitized.count() == 3  # B, C, F
    e_results = services.pulling_down(month, FIRST, LAST, Measure.E_RESULTS, NOW).rows
    assert e_results.count() == 2  # B, D
    assert services.pulling_down(month, FIRST, LAST, Measure.PAID_ONLINE, NOW).rows.count() == 0
    satisfaction = services.pulling_down(month, FIRST, LAST, Measure.SATISFACTION, NOW).rows
    assert satisfaction.count() == 2  # D late, B not satisfied
    offline = services.pulling_down(month, FIRST, LAST, Measure.PROCEDURES_ONLINE, NOW)
    active, online, _complete = catalog_counts("commune")
    assert offline.kind == "procedures" and offline.rows.count() == active - online
    unused = services.pulling_down(month, FIRST, LAST, Measure.ONLINE_SERVICES_USED, NOW)
    assert unused.rows.count() == online
    assert services.pulling_down(month, FIRST, LAST, Measure.SYNCED, NOW) is None


def test_ranking_of_communes_with_the_previous_period(month):
    province = unit_on("14", LAST)
    tables = services.ranking(province, FIRST, LAST, NOW)
    communes = next(t for t in tables if t.level == "commune")
    # Only Mai Sơn had dossiers in November: it alone is ranked, first of one.
    assert [(r.rank, r.index.code) for r in communes.rows] == [(1, "04105")]
    mai_son = communes.rows[0]
    item = services.index(month, FIRST, LAST, NOW)
    assert (mai_son.points, mai_son.reachable) == (item.total, item.reachable) == (mai_son.index.total, D(62))
    assert mai_son.share == (item.total * 100 / D(62)).quantize(D("0.01")) == item.percent
    # Every other commune had none: listed apart by name, with no rank, whatever its catalogue points.
    others = Unit.objects.valid_on(LAST).filter(parent=province, level="commune", kind=communes.kind)
    expected = [(u.name, u.code) for u in sorted(others.exclude(code="04105"), key=lambda u: (fold(u.name), u.code))]
    assert [(i.name, i.code) for i in communes.no_data] == expected and len(expected) > 50
    assert all(i.total > 0 and not i.figures.has_dossiers() for i in communes.no_data)
    # October: D and E were received, nothing finished; Mai Sơn was ranked, first, then too.
    assert mai_son.previous_rank == 1 and mai_son.places_up == 0
    by_group = next(t for t in services.ranking(province, FIRST, LAST, NOW, group=2) if t.level == "commune")
    assert [r.index.code for r in by_group.rows] == ["04105"] and len(by_group.no_data) == len(expected)
    assert (by_group.rows[0].points, by_group.rows[0].reachable, by_group.rows[0].share) == (
        D("13.33"), D(20), D("66.65"))  # fmt: skip


def test_previous_period():
    assert services.previous_period(date(2026, 11, 1), date(2026, 11, 30)) == (date(2026, 10, 1), date(2026, 10, 31))
    assert services.previous_period(date(2026, 1, 1), date(2026, 3, 31)) == (date(2025, 10, 1), date(2025, 12, 31))
    assert services.previous_period(date(2026, 1, 1), date(2026, 12, 31)) == (date(2025, 1, 1), date(2025, 12, 31))
    assert services.previous_period(date(2026, 10, 15), date(2026, 11, 14)) == (date(2026, 9, 14), date(2026, 10, 14))


def test_monthly_trend_ends_with_this_month(month):
    trend = services.monthly_trend(month, months=3, now=NOW)
    assert [m.month for m in trend] == [date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1)]
    november = services.index(month, FIRST, LAST, NOW)
    assert trend[1].total == november.total


def test_a_year_set_is_chosen_by_the_period(month):
    from motcua.quality.models import IndicatorSet

    assert services.indicator_set_for(2026).year == 2022
    source = IndicatorSet.objects.get(year=2022)
    later = services.copy_indicator_set(source, 2027)
    later.indicators.filter(code="2.1").update(max_points=D(30))
    with pytest.raises(DossierError):
        services.copy_indicator_set(source, 2027)
    assert services.indicator_set_for(2027) == later
    assert services.indicator_set_for(2026) == source
    item = services.index(month, FIRST, LAST, NOW, indicator_set=later)
    assert points(item)["2.1"] == D("20.00")  # 30 × 66.67 / 100 = 20.001
    assert next(g for g in item.groups if g.number == 2).full == D(30)


def test_early_warning(accepted, people):
    from motcua.quality.warnings import early_warnings

    step = accepted.steps.get(finished_at__isnull=True)
    step.assignee = people.processor
    step.save(update_fields=["assignee"])
    soon = early_warnings(unit_on("04105", LAST), step.due_at - timedelta(hours=2))
    assert [s.pk for s in soon.steps_due_soon] == [step.pk] and soon.officers == []
    assert soon.due_soon_count == 0  # the dossier itself is due weeks later
    late = early_warnings(unit_on("04105", LAST), step.due_at + timedelta(hours=1))
    assert [(o.username, o.overdue_steps) for o in late.officers] == [("processor", 1)]
    near_due = early_warnings(unit_on("04105", LAST), accepted.due_at - timedelta(hours=3))
    assert [d.pk for d in near_due.due_soon] == [accepted.pk]
    # Another commune's leader sees none of it.
    assert early_warnings(unit_on("03646", LAST), step.due_at + timedelta(hours=1)).empty


def test_trend_keeps_old_months_until_a_change_reaches_them(people, land_procedure):
    from django.utils import timezone

    from motcua.dossiers import services as dossiers
    from motcua.dossiers.migration import write_migrated
    from motcua.dossiers.rules import Rating
    from motcua.quality.models import MonthFigures
    from tests.reports.test_settlement import migrated

    june = date(2026, 6, 1)
    write_migrated([
        migrated(land_procedure, vn(2026, 6, 2, 9), vn(2026, 6, 5, 9), returned_at=vn(2026, 6, 5, 15),
                 code="CU-JUNE-1"),
        migrated(land_procedure, vn(2026, 6, 3, 9), vn(2026, 6, 6, 9), returned_at=vn(2026, 6, 6, 15),
                 code="CU-JUNE-2"),
    ])  # fmt: skip
    commune = unit_on("04105", date(2026, 11, 16))
    today = timezone.localdate()
    months = (today.year - 2026) * 12 + today.month - 6 + 1

    def june_total():
        return next(m for m in services.monthly_trend(commune, months) if m.month == june).total

    first = june_total()
    kept = MonthFigures.objects.get(unit=commune, month=june)
    assert kept.figures["counts"]["finished"] == 2 and kept.figures["handled"] == 2
    # The kept figures are what the trend reads while nothing reaches June...
    kept.figures["in_time"] = 0
    kept.save()
    assert june_total() < first
    # ...and a rating given today to a June dossier makes it count June again.
    from motcua.dossiers.models import Dossier

    dossiers.rate(Dossier.objects.get(code="CU-JUNE-1"), Rating.NOT_SATISFIED)
    again = june_total()
    MonthFigures.objects.all().delete()
    assert again == june_total() < first  # 5.4 lost points to the "not satisfied" rating
