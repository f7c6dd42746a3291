from django.core.management.base import BaseCommand, CommandError

from motcua.core.commands import add_period, write_output
from motcua.plans import exports, services
from motcua.units.services import unit_on


class Command(BaseCommand):
    help = (
        "The reform programme. `motcua plans review --unit CODE --from YYYY-MM-DD --to YYYY-MM-DD "
        "[--format pdf|xlsx] [--output FILE]`: where the year's tasks stood at the end of the period. "
        "`motcua plans remind [--now]`: e-mail the leaders of units with tasks falling due (run daily)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        review = sub.add_parser("review")
        review.add_argument("--unit", required=True)
        add_period(review)
        review.add_argument("--format", dest="fmt", default="pdf", choices=sorted(exports.CONTENT_TYPES))
        review.add_argument("--output")
        remind = sub.add_parser("remind")
        remind.add_argument("--now", action="store_true")

    def handle(self, action, **options):
        getattr(self, action)(**options)

    def review(self, unit, first, last, fmt, output=None, **options):
        found = unit_on(unit, last)
        if found is None:
            raise CommandError(f"Không có đơn vị / No unit: {unit}")
        write_output(self, exports.render(services.review(found, first.year, first, last), fmt), output)

    def remind(self, now=False, **options):
        from motcua.plans.reminders import send_task_reminders

        if now:
            self.stdout.write(f"{send_task_reminders.call()} thư / e-mails")
        else:
            self.stdout.write(f"Đã xếp hàng / queued: {send_task_reminders.enqueue().id}")
