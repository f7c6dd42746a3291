import json
from datetime import date

from django.core.management.base import BaseCommand

from motcua.national import services


class Command(BaseCommand):
    help = "National figures per province over a period, from the dossiers the province instances sent."

    def add_arguments(self, parser):
        parser.add_argument("first", type=date.fromisoformat, help="First day, YYYY-MM-DD.")
        parser.add_argument("last", type=date.fromisoformat, help="Last day, YYYY-MM-DD.")
        parser.add_argument("--json", action="store_true")

    def handle(self, first, last, json=False, **options):
        rows = services.figures(first, last)
        if json:
            self.stdout.write(_dumps([row.as_dict() for row in rows]))
            return
        self.stdout.write(f"{'tỉnh':6} {'nhận':>9} {'trực tuyến':>11} {'giải quyết':>11} {'đúng hạn':>9} "
                          f"{'trễ hạn':>8} {'tồn':>8}")  # fmt: skip
        for r in rows:
            self.stdout.write(f"{r.province:6} {r.received:>9,} {r.online:>11,} {r.finished:>11,} {r.on_time:>9,} "
                              f"{r.late:>8,} {r.open:>8,}")  # fmt: skip


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)
