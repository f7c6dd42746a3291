import time

from django.core.management.base import BaseCommand

from motcua.demo.generator import generate, generate_bulk


class Command(BaseCommand):
    help = (
        "Demo data. `motcua demo generate --dossiers N --seed S`: a seeded year of dossiers, made through the "
        "services; with --bulk, written whole (for millions)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        make = sub.add_parser("generate", help="Make dossiers received over the past year.")
        make.add_argument("--dossiers", type=int, default=1000)
        make.add_argument("--seed", type=int, default=1)
        make.add_argument("--days", type=int, default=365)
        make.add_argument("--communes", type=int, default=8)
        make.add_argument(
            "--bulk",
            action="store_true",
            help="Write each dossier whole (receipt, due time, outcome, return) in batches: for volume.",
        )

    def handle(self, action, dossiers, seed, days, communes, bulk=False, **options):
        started = time.perf_counter()
        stats = (generate_bulk if bulk else generate)(dossiers, seed=seed, days=days, communes=communes)
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{stats.created} hồ sơ / dossiers ({stats.finished} đã giải quyết / finished, "
            f"{stats.late} trễ hạn / late, {stats.refused_at_intake} từ chối tiếp nhận / refused at intake) "
            f"in {seconds:.1f} s "
            f"({stats.created / seconds:.0f}/s)"
        )
