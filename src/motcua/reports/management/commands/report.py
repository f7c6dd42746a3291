from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.core.commands import add_period, write_output
from motcua.reports import exports, ledger, services
from motcua.units.commands import province_id, unit_in_force
from motcua.units.maps import UnitMap


class Command(BaseCommand):
    help = (
        "Reports. `motcua report settlement --unit CODE --from YYYY-MM-DD --to YYYY-MM-DD "
        "--by level|unit|field|procedure --format json|csv|xlsx|pdf [--map period|today] [--output FILE]`: "
        "form II.06a. `motcua report rebuild-ledger [--province CODE]`: write the report ledger again from the "
        "dossiers' events."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="report", required=True)
        settlement = sub.add_parser("settlement", help="The settlement report (II.06a) of a unit and its subtree.")
        settlement.add_argument("--unit", required=True, help="The unit's code, as in force on the last day.")
        add_period(settlement)
        settlement.add_argument("--by", default="level", choices=[g.value for g in services.GroupBy])
        settlement.add_argument("--format", dest="fmt", default="json", choices=exports.FORMATS)
        settlement.add_argument(
            "--map", dest="unit_map", default=UnitMap.PERIOD, choices=UnitMap.values,
            help="period: the units as they were; today: ended units counted under those carrying them on today.",
        )  # fmt: skip
        settlement.add_argument("--output", help="The file to write (default: standard output).")
        rebuild = sub.add_parser("rebuild-ledger", help="Write the report ledger again from the dossiers' events.")
        rebuild.add_argument("--province", help="Only this province (its code).")

    def handle(self, report, **options):
        if report == "rebuild-ledger":
            count = ledger.rebuild(province_id(options.get("province")))
            self.stdout.write(f"{count} hồ sơ / dossiers")
            return
        self.settlement(**options)

    def settlement(self, unit, first, last, by, fmt, unit_map, output=None, **options):
        if last < first:
            raise CommandError("Kỳ báo cáo kết thúc trước khi bắt đầu / The period ends before it starts.")
        day = timezone.localdate() if unit_map == UnitMap.TODAY else min(last, timezone.localdate())
        found = unit_in_force(unit, day)
        content = exports.render(services.settlement_report(found, first, last, by, unit_map=unit_map), fmt)
        write_output(self, content, output)
