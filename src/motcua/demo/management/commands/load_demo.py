from django.core.management.base import BaseCommand
from django.utils import timezone

from motcua.demo.services import ensure_accounts, load_reference_data


class Command(BaseCommand):
    help = "Load the demo province (Sơn La: units in every period, fields, procedures) and demo accounts."

    def handle(self, **options):
        for name, result in load_reference_data():
            self.stdout.write(
                f"{name}: {result.created} tạo mới / created, {result.updated} cập nhật / updated, "
                f"{result.unchanged} không đổi / unchanged"
            )
        self.stdout.write("\nTài khoản thử nghiệm / Demo accounts:")
        for account, password in ensure_accounts(timezone.localdate()):
            self.stdout.write(f"  {account.username:<16} {password:<14} {account.role.label} — {account.unit_code}")
