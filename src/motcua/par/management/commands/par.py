import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.core.commands import write_output
from motcua.core.tabular import ImportRejected, read_table
from motcua.par import exports, services
from motcua.units.services import unit_on


class Command(BaseCommand):
    help = (
        "The PAR index. `motcua par import-framework FILE --code CODE --name NAME --year YYYY --owner UNIT "
        "[--previous CODE]`; `motcua par export-framework CODE [--output FILE]`; `motcua par copy CODE NEW --year "
        "YYYY`; `motcua par import-scores FILE`; `motcua par compute CODE`; "
        "`motcua par remind [--now]`; `motcua par results --framework CODE [--format json|xlsx|pdf] [--output FILE]`."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import-framework", help="A framework from xlsx (criteria, groups, units) or CSV.")
        imp.add_argument("file")
        imp.add_argument("--code", required=True)
        imp.add_argument("--name", required=True)
        imp.add_argument("--year", type=int, required=True)
        imp.add_argument("--owner", required=True, help="The province running it (its unit code).")
        imp.add_argument("--previous", help="Last year's framework code, for the changes.")
        exp = sub.add_parser("export-framework", help="A framework as xlsx.")
        exp.add_argument("code")
        exp.add_argument("--output")
        copy = sub.add_parser("copy", help="Start a new year's framework from an old one.")
        copy.add_argument("code")
        copy.add_argument("new_code")
        copy.add_argument("--year", type=int, required=True)
        scores = sub.add_parser(
            "import-scores", help="framework,unit_code,criterion_code,self_score,appraised_score,survey_score"
        )
        scores.add_argument("file")
        compute = sub.add_parser("compute", help="Fill the criteria computed from motcua's data.")
        compute.add_argument("code")
        remind = sub.add_parser("remind", help="E-mail unit leaders what is due (run daily).")
        remind.add_argument("--now", action="store_true", help="Send now instead of queueing for the worker.")
        res = sub.add_parser("results", help="The ranking, groups, averages and changes.")
        res.add_argument("--framework", required=True)
        res.add_argument("--format", dest="fmt", default="json", choices=exports.FORMATS)
        res.add_argument("--output")

    def handle(self, action, **options):
        getattr(self, action.replace("-", "_"))(**options)

    def _framework(self, code):
        framework = services.framework_by_code(code)
        if framework is None:
            raise CommandError(f"Không có bộ chỉ số / No framework: {code}")
        return framework

    def _refused(self, file, rejected):
        self.stderr.write(f"Tệp bị từ chối, không có gì được ghi / File refused, nothing was written: {file}")
        for problem in rejected.problems:
            self.stderr.write(f"  {problem.bilingual()}")
        sys.exit(1)

    def import_framework(self, file, code, name, year, owner, previous=None, **options):
        from datetime import date

        owner_unit = unit_on(owner, date(year, 12, 31))
        if owner_unit is None:
            raise CommandError(f"Không có đơn vị / No unit: {owner}")
        before = self._framework(previous) if previous else None
        if not Path(file).exists():
            raise CommandError(f"Không tìm thấy tệp / File not found: {file}")
        try:
            sheets = services.read_framework_file(file)
            framework = services.import_framework(
                sheets, code=code, name=name, year=year, owner=owner_unit, previous=before
            )
        except ImportRejected as rejected:
            self._refused(file, rejected)
        self.stdout.write(
            f"{framework.code}: {framework.criteria.count()} tiêu chí / criteria, "
            f"{framework.scope.count()} đơn vị / units"
        )

    def export_framework(self, code, output=None, **options):
        write_output(self, services.export_framework(self._framework(code)), output)

    def copy(self, code, new_code, year, **options):
        try:
            new = services.copy_framework(self._framework(code), new_code, year)
        except services.ParError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{new.code}: {new.criteria.count()} tiêu chí / criteria")

    def import_scores(self, file, **options):
        if not Path(file).exists():
            raise CommandError(f"Không tìm thấy tệp / File not found: {file}")
        try:
            header, rows = read_table(file)
            result = services.import_scores(header, rows)
        except ImportRejected as rejected:
            self._refused(file, rejected)
        self.stdout.write(f"scores: {result.summary()}")

    def compute(self, code, **options):
        try:
            written = services.compute(self._framework(code))
        except services.ParError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{written} điểm tính từ dữ liệu / computed scores")

    def remind(self, now=False, **options):
        from motcua.par.reminders import send_reminders

        if now:
            self.stdout.write(f"{send_reminders.call()} thư / e-mails")
        else:
            self.stdout.write(f"Đã xếp hàng / queued: {send_reminders.enqueue().id}")

    def results(self, framework, fmt, output=None, **options):
        write_output(self, exports.render(services.results(self._framework(framework)), fmt), output)
