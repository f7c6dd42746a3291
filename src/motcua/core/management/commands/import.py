import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from motcua.core.imports import import_file, kinds, options
from motcua.core.tabular import ImportRejected


class Command(BaseCommand):
    help = (
        "Import from a CSV or xlsx file: units, fields, procedures, calendar, indicators, officials, a reform plan, "
        "staffing quotas, or dossiers (CSV) from another system. "
        "The file is refused as a whole, with every problem listed by line, if anything is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=kinds())
        parser.add_argument("file")
        parser.add_argument(
            "--effective",
            type=date.fromisoformat,
            help="For procedures: the date a changed internal process takes effect (default today).",
        )
        for option in options():
            extra = {"nargs": option.nargs, "const": option.const} if option.nargs else {"action": "store_true"}
            parser.add_argument(f"--{option.name.replace('_', '-')}", dest=option.name, help=option.help, **extra)

    def handle(self, kind, file, effective=None, **given):
        extra = {o.name: given.get(o.name) for o in options() if given.get(o.name) not in (None, False)}
        try:
            result = import_file(kind, file, effective, **extra)
        except FileNotFoundError as exc:
            raise CommandError(f"Không tìm thấy tệp / File not found: {file}") from exc
        except ImportRejected as rejected:
            self.stderr.write(f"Tệp bị từ chối, không có gì được ghi / File refused, nothing was written: {file}")
            for problem in rejected.problems:
                self.stderr.write(f"  {problem.bilingual()}")
            sys.exit(1)
        self.stdout.write(f"{kind}: {result.summary()}")
        for note in result.notes:
            self.stdout.write(f"  {note}")
