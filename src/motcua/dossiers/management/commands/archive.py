from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.core.tabular import Problem
from motcua.dossiers import archive


class Command(BaseCommand):
    help = (
        "Move a closed year's dossiers, with their history and what hangs on them, out of the live tables into "
        "the archive schema (PostgreSQL); reports and indexes of the year are unchanged. --restore puts it back."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--restore", action="store_true", help="Put an archived year back into the live tables.")

    def handle(self, year, restore=False, **options):
        try:
            done = archive.restore_year(year) if restore else archive.archive_year(year, timezone.localdate())
        except archive.ArchiveError as error:
            raise CommandError(Problem(None, error.message).bilingual()) from error
        verb = "Đã đưa trở lại / restored" if restore else "Đã lưu trữ / archived"
        others = ", ".join(f"{table} {count:,}" for table, count in done.rows.items())
        counted = f"{done.dossiers:,} hồ sơ / dossiers, {done.events:,} sự kiện / events"
        self.stdout.write(f"{verb} {year}: {counted}; {others}")
