import json

from django.core.management.base import BaseCommand

from motcua.notifications import services


class Command(BaseCommand):
    help = (
        "Notices to applicants. `motcua notify`: send the deliveries due now (new ones the worker has not "
        "sent, failed ones whose retry time has come); run it every few minutes from cron. `--queue`: hand "
        "them to the worker instead. `--summary`: counts of the delivery log (JSON)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--queue", action="store_true", help="enqueue a sweep for `motcua db_worker`")
        parser.add_argument("--summary", action="store_true")

    def handle(self, queue=False, summary=False, **options):
        if summary:
            self.stdout.write(json.dumps(services.summary()))
        elif queue:
            from motcua.notifications.tasks import send_notices

            self.stdout.write(f"Đã xếp hàng / queued: {send_notices.enqueue(None).id}")
        else:
            self.stdout.write(json.dumps(services.send_due().as_dict()))
