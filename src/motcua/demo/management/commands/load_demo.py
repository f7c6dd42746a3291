from django.core.management.base import BaseCommand
from django.utils import timezone

from motcua.demo.generator import generate
from motcua.demo.par_content import ensure_par_content
from motcua.demo.plans_content import ensure_plans_content
from motcua.demo.portal_content import ensure_portal_content
from motcua.demo.services import ensure_accounts, load_reference_data
from motcua.dossiers.models import Dossier


class Command(BaseCommand):
    help = "Load the demo province (Sơn La: units in every period, fields, procedures) and demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--dossiers", type=int, default=1000, help="A year of dossiers, made once (0: none).")

    def handle(self, dossiers=1000, **options):
        for name, result in load_reference_data():
            self.stdout.write(f"{name}: {result.summary()}")
        self.stdout.write("\nTài khoản thử nghiệm / Demo accounts:")
        for account, password in ensure_accounts(timezone.localdate()):
            self.stdout.write(f"  {account.username:<16} {password:<14} {account.role.label} — {account.unit_code}")
        ensure_portal_content(timezone.now())
        ensure_par_content(timezone.now())
        ensure_plans_content(timezone.now())
        if dossiers and not Dossier.objects.exists():
            stats = generate(dossiers, seed=1)
            self.stdout.write(f"\nHồ sơ mẫu / Demo dossiers: {stats.created} ({stats.late} trễ hạn / late)")
