from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.core.commands import add_period, write_output
from motcua.quality import exports, services, tally, warnings
from motcua.units.commands import province_id, unit_in_force


class Command(BaseCommand):
    help = (
        "The service index (Decision 766). `motcua index show --unit CODE --from YYYY-MM-DD --to YYYY-MM-DD "
        "[--format json|xlsx] [--output FILE]`: a unit's index with the ranking of the units under it. "
        "`motcua index digest [--now]`: queue the leaders' daily early-warning e-mail (or send it now). "
        "`motcua index rebuild [--province CODE]`: count the index's counters again from the dossiers."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("show", help="A unit's index and the ranking of the units under it.")
        show.add_argument("--unit", required=True, help="The unit's code, as in force on the last day.")
        add_period(show)
        show.add_argument("--format", dest="fmt", default="json", choices=exports.FORMATS)
        show.add_argument("--output", help="The file to write (default: standard output).")
        digest = sub.add_parser("digest", help="The leaders' early-warning e-mail (run daily).")
        digest.add_argument("--now", action="store_true", help="Send now instead of queueing for the worker.")
        rebuild = sub.add_parser("rebuild", help="Count the index's counters again from the dossiers.")
        rebuild.add_argument("--province", help="Only this province (its code).")

    def handle(self, action, **options):
        getattr(self, action)(**options)

    def show(self, unit, first, last, fmt, output=None, **options):
        if last < first:
            raise CommandError("Kỳ kết thúc trước khi bắt đầu / The period ends before it starts.")
        day = min(last, timezone.localdate())
        found = unit_in_force(unit, day)
        content = exports.render(services.index(found, first, last), fmt, services.ranking(found, first, last))
        write_output(self, content, output)

    def digest(self, now=False, **options):
        if now:
            sent = warnings.send_daily_digest.call()
            self.stdout.write(f"{sent} thư / e-mails")
        else:
            result = warnings.send_daily_digest.enqueue()
            self.stdout.write(f"Đã xếp hàng / queued: {result.id}")

    def rebuild(self, province=None, **options):
        self.stdout.write(f"{tally.rebuild(province_id(province))} hồ sơ / dossiers")
