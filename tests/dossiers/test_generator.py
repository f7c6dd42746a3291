"""The demo generator makes dossiers through the services, seeded and shaped like a real desk."""

from datetime import date, datetime

from django.db import transaction

from motcua.demo.generator import generate, generate_bulk
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierCounter
from motcua.dossiers.rules import Channel
from motcua.workdays.rules import VIETNAM
from motcua.workdays.services import office_calendar

NOW = datetime(2026, 11, 20, 17, 0, tzinfo=VIETNAM)


def test_generated_year_is_shaped_like_a_desk_and_rows_match_their_events(db):
    stats = generate(60, seed=7, days=60, now=NOW)
    codes = sorted(Dossier.objects.exclude(code=None).values_list("code", flat=True))
    assert stats.created == Dossier.objects.count() >= 55
    assert all(d.received_at is None or d.received_at < NOW for d in Dossier.objects.all())
    finished = Dossier.objects.exclude(finished_at=None)
    late = sum(d.finished_at > d.due_at for d in finished)
    assert finished.count() >= 45 and late <= 0.1 * finished.count()
    assert all(services.differences(d) == {} for d in Dossier.objects.all())
    assert len(codes) == len(set(codes))


def _shape():
    dossiers = list(Dossier.objects.order_by("code"))
    finished = [d for d in dossiers if d.finished_at]
    return dossiers, finished, [d for d in finished if d.finished_at > d.due_at]


def test_bulk_generation_has_the_same_shape_and_is_reproducible(db):
    stats = generate_bulk(3000, seed=3, days=120, communes=12, now=NOW)
    dossiers, finished, late = _shape()
    assert stats.created == len(dossiers) and stats.finished == len(finished) and stats.late == len(late)
    assert len(dossiers) >= 2950
    assert 0.01 <= len(late) / len(finished) <= 0.05  # 95–99 % on time
    assert 0.7 <= sum(d.digitized for d in dossiers) / len(dossiers) <= 0.99
    assert 0.05 <= sum(d.channel == Channel.ONLINE for d in dossiers) / len(dossiers) <= 0.6
    assert {d.outcome for d in finished} == {"approved", "refused", "stopped", "withdrawn"}
    calendar = office_calendar(2026)
    for d in dossiers:
        assert d.received_at < NOW and calendar.is_working_day(d.received_at.astimezone(VIETNAM).date())
        assert d.finished_at is None or d.received_at < d.finished_at < NOW
        assert d.returned_at is None or d.finished_at < d.returned_at < NOW
    sample = dossiers[:: len(dossiers) // 50]
    assert all(services.differences(d) == {} for d in sample)
    # Codes run 0001, 0002, … per desk and day, and the counters continue after them.
    by_day = {}
    for code in (d.code for d in dossiers):
        prefix, number = code.rsplit("-", 1)
        by_day.setdefault(prefix, []).append(int(number))
    assert all(sorted(numbers) == list(range(1, len(numbers) + 1)) for numbers in by_day.values())
    first = dossiers[0]
    day = first.received_at.astimezone(VIETNAM).date()
    counter = DossierCounter.objects.get(unit=first.receiving_unit, day=day)
    assert counter.last == len(by_day[first.code.rsplit("-", 1)[0]])


def test_bulk_generation_is_reproducible(db):
    def run():
        with transaction.atomic():
            generate_bulk(500, seed=5, days=60, communes=6, now=NOW)
            made = [(d.code, d.status, d.due_at, d.finished_at, d.outcome) for d in _shape()[0]]
            transaction.set_rollback(True)
        return made

    first = run()
    assert len(first) >= 490 and run() == first


def test_bulk_generation_in_spans_of_days_side_by_side(db):
    """Writers given separate spans (the benchmarks' parallel fill) receive only within their own
    days, and together number each desk's days as one writer would."""
    first = generate_bulk(400, seed=8, days=29, communes=4, now=NOW, until=date(2026, 9, 30))
    second = generate_bulk(400, seed=9, days=29, communes=4, now=NOW, until=date(2026, 10, 31))
    dossiers = list(Dossier.objects.all())
    days = {d.received_at.astimezone(VIETNAM).date() for d in dossiers}
    assert first.created == 400 and second.created == 400 and len(dossiers) == 800
    assert min(days) >= date(2026, 9, 1) and max(days) <= date(2026, 10, 31)
    september = [d for d in dossiers if d.received_at.astimezone(VIETNAM).month == 9]
    assert len(september) == 400
    by_day = {}
    for code in (d.code for d in dossiers):
        prefix, number = code.rsplit("-", 1)
        by_day.setdefault(prefix, []).append(int(number))
    assert all(sorted(numbers) == list(range(1, len(numbers) + 1)) for numbers in by_day.values())
