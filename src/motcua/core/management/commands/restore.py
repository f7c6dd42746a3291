from django.core.management.base import BaseCommand, CommandError

from motcua.core import backup

from .backup import report_differences


class Command(BaseCommand):
    help = (
        "Replace the database and the uploaded files with those of a backup archive, then check the restored "
        "system against the archive's row counts and checksums. Everything stored now is replaced."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="Confirm that the current data may be replaced.")

    def handle(self, archive, yes=False, **options):
        if not yes:
            raise CommandError(
                "Khôi phục sẽ thay thế toàn bộ dữ liệu hiện có; thêm --yes để xác nhận. / "
                "Restoring replaces all current data; add --yes to confirm."
            )
        try:
            differences = backup.restore(archive)
        except (backup.BackupError, OSError) as error:
            raise CommandError(f"Khôi phục không thành công / Restore failed: {error}") from error
        report_differences(self, differences)
