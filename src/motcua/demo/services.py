"""The demo province: Sơn La's real unit map and catalog, with one account per role."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction

from motcua.core.imports import import_file
from motcua.people.models import Role, User
from motcua.people.services import assign_role
from motcua.quality.services import SET_FILE
from motcua.units.services import unit_on

DATA = Path(__file__).resolve().parent / "data"
DATA_FILES = [
    ("units", "units-sonla.csv"),
    ("units", "agencies-sonla.csv"),
    ("fields", "fields.csv"),
    ("procedures", "procedures-sonla.csv"),
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: Role
    unit_code: str
    superuser: bool = False
    staff: bool = False  # works in the administration pages (reform staff write the news there)
    position: str = ""  # printed over a leader's signature


ACCOUNTS = [
    DemoAccount("quantri", "Quản trị hệ thống", Role.ADMINISTRATOR, "14", superuser=True),
    DemoAccount("motcua.tinh", "Lò Thị Mai", Role.DESK_OFFICER, "14.TTPVHCC"),
    DemoAccount("motcua.maison", "Cầm Văn Thắng", Role.DESK_OFFICER, "04105.TTPVHCC"),
    DemoAccount("xuly.maison", "Quàng Thị Hoa", Role.PROCESSING_OFFICER, "04105.PKT"),
    DemoAccount("vanphong.maison", "Hà Văn Toàn", Role.PROCESSING_OFFICER, "04105.VP"),  # civil status (hộ tịch)
    DemoAccount("lanhdao.maison", "Lường Văn Sơn", Role.UNIT_LEADER, "04105", position="Chủ tịch"),
    DemoAccount("cchc.snv", "Hà Thị Thu", Role.REFORM_STAFF, "14", staff=True),
    DemoAccount("nguoidan", "Nguyễn Văn An", Role.CITIZEN, "14"),
]


def load_reference_data() -> list[tuple[str, object]]:
    from motcua.plans.models import RatingRule, ReformArea
    from motcua.plans.reference import ensure

    ensure(ReformArea, RatingRule)  # a flushed test database gets them back here
    loaded = [(name, import_file(kind, DATA / name)) for kind, name in DATA_FILES]
    # The national indicator set ships with the app (a migration loads it); a flushed database gets it back here.
    return [*loaded, (SET_FILE.name, import_file("indicators", SET_FILE))]


def ensure_accounts(today: date) -> list[tuple[DemoAccount, str]]:
    """Create the demo accounts once; their passwords live in var/, never in the repository."""
    password_file = Path(settings.VAR_DIR) / "demo-accounts.txt"
    known = {}
    if password_file.exists():
        for line in password_file.read_text().splitlines():
            name, _, password = line.partition(" ")
            known[name] = password
    result = []
    with transaction.atomic():
        for account in ACCOUNTS:
            password = known.get(account.username) or secrets.token_urlsafe(9)
            user, _ = User.objects.get_or_create(username=account.username)
            user.full_name = account.full_name
            user.is_superuser = account.superuser
            user.is_staff = account.superuser or account.staff
            if not user.check_password(password):
                user.set_password(password)
            user.save()
            assign_role(user, account.role, unit_on(account.unit_code, today), position=account.position)
            known[account.username] = password
            result.append((account, password))
    password_file.parent.mkdir(parents=True, exist_ok=True)
    password_file.write_text("".join(f"{name} {pw}\n" for name, pw in known.items()))
    password_file.chmod(0o600)
    return result
