from django.core.management.base import BaseCommand
from django.utils import timezone

from motcua.dossiers import partitions


class Command(BaseCommand):
    help = (
        "Make the monthly partitions of the dossier and event tables for the months ahead (run daily, from cron) "
        "and list the partitions with their rows. PostgreSQL only; nothing to do on SQLite."
    )

    def add_arguments(self, parser):
        parser.add_argument("--ahead", type=int, default=partitions.AHEAD, help="Months ahead to have (default 3).")
        parser.add_argument("--list", action="store_true", help="List the partitions and their estimated rows.")

    def handle(self, ahead, list=False, **options):
        if not partitions.partitioned():
            self.stdout.write("Cơ sở dữ liệu này không chia phân vùng / This database has no partitions (SQLite).")
            return
        made = partitions.ensure_ahead(timezone.localdate(), ahead)
        self.stdout.write(f"Đã tạo / made: {len(made)} {' '.join(made)}".rstrip())
        if list:
            for p in partitions.partitions():
                self.stdout.write(f"{p.name:40} {p.rows:>12,}")
        archived = partitions.archived_years()
        if archived:
            self.stdout.write(f"Năm đã lưu trữ / archived years: {', '.join(map(str, archived))}")
