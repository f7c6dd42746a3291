import time

from django.core.management.base import BaseCommand

from motcua.demo.generator import DEMO_PROVINCE, generate, generate_bulk
from motcua.demo.synthetic import make_province


class Command(BaseCommand):
    help = (
        "Demo data. `motcua demo generate --dossiers N --seed S`: a seeded year of dossiers, made through the "
        "services; with --bulk, written whole (for millions). `motcua demo province --code 99 --communes 395`: "
        "a made-up province of about five units per commune, for measuring at scale."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        make = sub.add_parser("generate", help="Make dossiers received over the past year.")
        make.add_argument("--dossiers", type=int, default=1000)
        make.add_argument("--seed", type=int, default=1)
        make.add_argument("--days", type=int, default=365)
        make.add_argument("--communes", type=int, default=8)
        make.add_argument("--province", default=DEMO_PROVINCE, help="The province's code (default: Sơn La, 14).")
        make.add_argument(
            "--bulk",
            action="store_true",
            help="Write each dossier whole (receipt, due time, outcome, return) in batches: for volume.",
        )

        synthetic = sub.add_parser("province", help="Make a made-up province of any size.")
        synthetic.add_argument("--code", default="99")
        synthetic.add_argument("--name", default="Tỉnh Mẫu")
        synthetic.add_argument("--communes", type=int, default=395)

    def handle(self, action, **options):
        if action == "province":
            result = make_province(options["code"], options["name"], options["communes"])
            self.stdout.write(f"{result.created} đơn vị mới / new units, {result.unchanged} không đổi / unchanged")
            return
        self.generate(**options)

    def generate(self, dossiers, seed, days, communes, province, bulk=False, **options):
        started = time.perf_counter()
        make = generate_bulk if bulk else generate
        stats = make(dossiers, seed=seed, days=days, communes=communes, province=province)
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{stats.created} hồ sơ / dossiers ({stats.finished} đã giải quyết / finished, "
            f"{stats.late} trễ hạn / late, {stats.refused_at_intake} từ chối tiếp nhận / refused at intake) "
            f"in {seconds:.1f} s "
            f"({stats.created / seconds:.0f}/s)"
        )
