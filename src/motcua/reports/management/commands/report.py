import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.reports import exports, services
from motcua.units.services import unit_on


class Command(BaseCommand):
    help = (
        "Reports. `motcua report settlement --unit CODE --from YYYY-MM-DD --to YYYY-MM-DD "
        "--by level|unit|field|procedure --format json|csv|xlsx|pdf [--output FILE]`: form II.06a."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="report", required=True)
        settlement = sub.add_parser("settlement", help="The settlement report (II.06a) of a unit and its subtree.")
        settlement.add_argument("--unit", required=True, help="The unit's code, as in force on the last day.")
        settlement.add_argument("--from", dest="first", required=True, type=date.fromisoformat)
        settlement.add_argument("--to", dest="last", required=True, type=date.fromisoformat)
        settlement.add_argument("--by", default="level", choices=[g.value for g in services.GroupBy])
        settlement.add_argument("--format", dest="fmt", default="json", choices=exports.FORMATS)
        settlement.add_argument("--output", help="The file to write (default: standard output).")

    def handle(self, report, unit, first, last, by, fmt, output=None, **options):
        if last < first:
            raise CommandError("Kỳ báo cáo kết thúc trước khi bắt đầu / The period ends before it starts.")
        found = unit_on(unit, min(last, timezone.localdate()))
        if found is None:
            raise CommandError(f"Không có đơn vị / No unit {unit} in force on {last}.")
        content = exports.render(services.settlement_report(found, first, last, by), fmt)
        if output:
            with open(output, "wb") as handle:
                handle.write(content)
            self.stderr.write(f"{output}: {len(content)} bytes")
        else:
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
