"""The demo generator makes dossiers through the services, seeded and shaped like a real desk."""

from datetime import datetime

from motcua.demo.generator import generate
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.workdays.rules import VIETNAM

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
