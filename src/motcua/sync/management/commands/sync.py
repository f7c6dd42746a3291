import json

from django.core.management.base import BaseCommand
from django.utils import timezone

from motcua.core.commands import add_period
from motcua.sync import services
from motcua.units.commands import province_id


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
        add_period(report, required=False)

    def handle(self, action, **options):
        getattr(self, action)(**options)

    def push(self, limit, **options):
        found = services.push(limit)
        self.stdout.write(json.dumps({"sent": found.sent, "retried": found.retried, "rejected": found.rejected}))

    def mark(self, province=None, **options):
        self.stdout.write(json.dumps({"marked": services.mark_all(province_id(province))}))

    def report(self, province=None, first=None, last=None, **options):
        today = timezone.localdate()
        first, last = first or today.replace(day=1), last or today
        found = services.reconcile(province_id(province, last), first, last)
        self.stdout.write(json.dumps({"from": str(first), "to": str(last), **found.as_dict()}, ensure_ascii=False))
