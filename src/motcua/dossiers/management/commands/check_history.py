from django.core.management.base import BaseCommand

from motcua.dossiers.models import Dossier
from motcua.dossiers.services import differences


class Command(BaseCommand):
    help = (
        "Check that every dossier's row is what its events say (replaying them in order); lists the "
        "disagreeing fields and exits 1 if any dossier disagrees."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", help="Only this province's dossiers (its unit id).")

    def handle(self, province=None, **options):
        dossiers = Dossier.objects.order_by("pk")
        if province:
            dossiers = dossiers.filter(province_id=province)
        checked = wrong = 0
        for dossier in dossiers.iterator(chunk_size=2000):
            found = differences(dossier)
            checked += 1
            if found:
                wrong += 1
                fields = ", ".join(f"{name}: {row!r} ≠ {events!r}" for name, (row, events) in found.items())
                self.stdout.write(f"{dossier.code or dossier.pk}: {fields}")
        self.stdout.write(f"{checked} hồ sơ đã kiểm tra / dossiers checked, {wrong} lệch / disagree")
        if wrong:
            raise SystemExit(1)
