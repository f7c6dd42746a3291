import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.sync import services
from motcua.units.services import unit_on


class Command(BaseCommand):
    help = (
        "Synchronisation with the national public service portal. `motcua sync push [--limit N]`: send what is "
        "due now. `motcua sync mark [--province CODE]`: make every received dossier due once more (a new "
        "receiver gets the whole history). `motcua sync report [--province CODE] [--from YYYY-MM-DD "
        "--to YYYY-MM-DD]`: synced, pending and failed among the dossiers received in the period (JSON)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        push = sub.add_parser("push")
        push.add_argument("--limit", type=int, default=services.BATCH)
        mark = sub.add_parser("mark")
        mark.add_argument("--province")
        report = sub.add_parser("report")
        report.add_argument("--province")
        report.add_argument("--from", dest="first", type=date.fromisoformat)
        report.add_argument("--to", dest="last", type=date.fromisoformat)

    def handle(self, action, **options):
        getattr(self, action)(**options)

    def push(self, limit, **options):
        found = services.push(limit)
        self.stdout.write(json.dumps({"sent": found.sent, "retried": found.retried, "rejected": found.rejected}))

    def mark(self, province=None, **options):
        pk = None
        if province:
            unit = unit_on(province, timezone.localdate())
            if unit is None:
                raise CommandError(f"Không có tỉnh mã {province} / no province {province}")
            pk = unit.pk
        self.stdout.write(json.dumps({"marked": services.mark_all(pk)}))

    def report(self, province=None, first=None, last=None, **options):
        today = timezone.localdate()
        first, last = first or today.replace(day=1), last or today
        pk = None
        if province:
            unit = unit_on(province, last)
            if unit is None:
                raise CommandError(f"Không có tỉnh / No province: {province}")
            pk = unit.pk
        found = services.reconcile(pk, first, last)
        self.stdout.write(json.dumps({"from": str(first), "to": str(last), **found.as_dict()}, ensure_ascii=False))
