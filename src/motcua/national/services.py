"""The national layer: province instances send it every dossier through the synchronisation they
already run for the national portal (the same payload, ``motcua.sync.payload``); it keeps the
latest version of each and computes national figures per province from them.

A province instance points its synchronisation here (``SYNC_URL`` = this layer's
``/quoc-gia/dong-bo/``, ``SYNC_TOKEN`` = the province's token); this layer knows the tokens from
``NATIONAL_TOKENS`` (``code:token`` pairs), so a province can only write its own rows.
"""

from __future__ import annotations

import hmac
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from motcua.workdays.rules import VIETNAM

from .models import NationalDossier

OPEN = (1, 2, 4, 5, 6, 9)  # the exchange's status codes of a dossier not yet closed
ONLINE = 2


class InvalidPayload(Exception):
    pass


def province_for(token: str) -> str | None:
    """The province whose token this is (compared in constant time), or None."""
    found = None
    for pair in getattr(settings, "NATIONAL_TOKENS", ()):
        code, _, known = pair.partition(":")
        if known and hmac.compare_digest(known.encode(), token.encode()):
            found = code
    return found


def _moment(text, name: str) -> datetime | None:
    if text in ("", None):
        return None
    try:
        return datetime.strptime(str(text), "%Y%m%d%H%M%S").replace(tzinfo=VIETNAM)
    except ValueError:
        raise InvalidPayload(f"{name}: expected yyyyMMddHHmmss, got {str(text)[:40]!r}") from None


def _int(payload: dict, name: str) -> int:
    value = payload.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**31:
        raise InvalidPayload(f"{name}: expected a whole number")
    return value


def _text(payload: dict, name: str, limit: int) -> str:
    value = payload.get(name)
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise InvalidPayload(f"{name}: expected text of at most {limit} characters")
    return value.strip()


def receive(province: str, payload: dict, now: datetime | None = None) -> bool:
    """Keep the payload if it is newer than what is held; True when something changed."""
    if not isinstance(payload, dict):
        raise InvalidPayload("the body must be a JSON object")
    fields = {
        "version": _int(payload, "PhienBan"),
        "procedure_code": _text(payload, "MaTTHC", 40),
        "field_code": _text(payload, "MaLinhVuc", 40),
        "channel": _int(payload, "KenhThucHien"),
        "status": _int(payload, "TrangThaiHoSo"),
        "received_at": _moment(payload.get("NgayTiepNhan"), "NgayTiepNhan"),
        "appointment_at": _moment(payload.get("NgayHenTra"), "NgayHenTra"),
        "finished_at": _moment(payload.get("NgayKetThucXuLy"), "NgayKetThucXuLy"),
        "returned_at": _moment(payload.get("NgayTra"), "NgayTra"),
        "payload": payload,
        "updated_at": now or timezone.now(),
    }
    code = _text(payload, "MaHoSo", 60)
    with transaction.atomic():
        held = NationalDossier.objects.select_for_update().filter(province=province, code=code).first()
        if held is None:
            NationalDossier.objects.create(province=province, code=code, **fields)
            return True
        if held.version >= fields["version"]:  # sent again, or overtaken by a later version
            return False
        for name, value in fields.items():
            setattr(held, name, value)
        held.save()
        return True


@dataclass(frozen=True)
class ProvinceFigures:
    province: str
    received: int
    online: int
    finished: int
    on_time: int
    late: int
    open: int

    def as_dict(self) -> dict:
        return asdict(self)


def figures(first: date, last: date) -> list[ProvinceFigures]:
    """Per province over [first, last]: received (and online), finished (on time by the appointment
    the province sent, or late), and open at the end of the period."""
    start = datetime.combine(first, time.min, VIETNAM)
    end = datetime.combine(last + timedelta(days=1), time.min, VIETNAM)
    received = Q(received_at__gte=start, received_at__lt=end)
    finished = Q(finished_at__gte=start, finished_at__lt=end)
    rows = (
        NationalDossier.objects.filter(received_at__lt=end)
        .values("province")
        .annotate(
            received=Count("pk", filter=received),
            online=Count("pk", filter=received & Q(channel=ONLINE)),
            finished=Count("pk", filter=finished),
            on_time=Count("pk", filter=finished & Q(finished_at__lte=F("appointment_at"))),
            late=Count("pk", filter=finished & Q(finished_at__gt=F("appointment_at"))),
            open=Count("pk", filter=Q(finished_at__isnull=True) & Q(status__in=OPEN) | Q(finished_at__gte=end)),
        )
        .order_by("province")
    )
    return [ProvinceFigures(**row) for row in rows]
