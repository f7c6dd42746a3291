from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.core import backup


class Command(BaseCommand):
    help = (
        "Back the whole system up (database and uploaded files) into one archive with a manifest of row counts "
        "and checksums; with --verify ARCHIVE, compare the running system with an archive's manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help="The archive to write (default var/backups/motcua-<time>.tar.gz).")
        parser.add_argument("--verify", metavar="ARCHIVE", help="Compare the system with this archive instead.")

    def handle(self, output=None, verify=None, **options):
        from django.conf import settings

        try:
            if verify:
                differences = backup.verify(backup.read_manifest(verify))
                report_differences(self, differences)
                return
            target = Path(
                output or Path(settings.VAR_DIR) / "backups" / f"motcua-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
            )
            contents = backup.backup(target)
        except (backup.BackupError, OSError) as error:
            raise CommandError(f"Sao lưu không thành công / Backup failed: {error}") from error
        rows = sum(t["rows"] for t in contents["tables"].values())
        self.stdout.write(
            f"{target}: {len(contents['tables'])} bảng / tables, {rows} dòng / rows, "
            f"{len(contents['media'])} tệp / files"
        )


def report_differences(command, differences) -> None:
    if differences:
        for difference in differences:
            command.stderr.write(f"  {difference}")
        raise CommandError(f"Không khớp / Mismatch: {len(differences)}")
    command.stdout.write("Khớp hoàn toàn / Everything matches.")
