"""A dossier in the fields of the national exchange (đồng bộ hồ sơ lên Cổng Dịch vụ công quốc
gia): codes, channel, status code, times as yyyyMMddHHmmss in Vietnam time, the applicant's
identity document, the processing history, the documents with their digitized and reused flags,
the fees and the result."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.urls import reverse

from motcua.dossiers.models import Dossier
from motcua.workdays.rules import VIETNAM

ID_KINDS = {"personal": 1, "other": 9}  # 1: số định danh cá nhân


def stamp(moment: datetime | None) -> str:
    return moment.astimezone(VIETNAM).strftime("%Y%m%d%H%M%S") if moment else ""


def build(dossier: Dossier) -> dict:
    procedure = dossier.procedure
    events = dossier.events.filter(internal=False).select_related("unit").order_by("seq")
    base = getattr(settings, "MOTCUA_PUBLIC_URL", "").rstrip("/")
    return {
        "MaHoSo": dossier.code,
        "PhienBan": dossier.version,  # the receiver keeps the highest version: sending twice is harmless
        "MaTTHC": procedure.code,
        "TenTTHC": procedure.name,
        "MaLinhVuc": procedure.field.code,
        "TenLinhVuc": procedure.field.name,
        "KenhThucHien": dossier.channel,
        "TrangThaiHoSo": dossier.status,
        "MaDonViTiepNhan": dossier.receiving_unit.electronic_id or dossier.receiving_unit.code,
        "MaDonViXuLy": dossier.processing_unit.electronic_id or dossier.processing_unit.code,
        "ChuHoSo": dossier.applicant_name,
        "LoaiGiayToChuHoSo": ID_KINDS.get(dossier.applicant_id_kind, 9),
        "SoGiayToChuHoSo": dossier.applicant_id,
        "NgayNopHoSo": stamp(dossier.submitted_at),
        "NgayTiepNhan": stamp(dossier.received_at),
        "NgayHenTra": stamp(dossier.appointment_at),
        "NgayKetThucXuLy": stamp(dossier.finished_at),
        "NgayTra": stamp(dossier.returned_at),
        "HinhThucTra": dossier.return_method,
        "KetQua": dossier.outcome,
        "DaThanhToanTrucTuyen": dossier.paid_online,
        "QuaTrinhXuLy": [
            {
                "ThuTu": e.seq,
                "ThaoTac": e.action,
                "TrangThai": e.to_status,
                "ThoiDiem": stamp(e.at),
                "DonVi": e.unit.code if e.unit_id else "",
                "NguoiXuLy": e.actor_name,
            }
            for e in events
        ],
        "TaiLieuNop": [
            {
                "ThuTu": c.order,
                "TenTaiLieu": c.name,
                "DaNop": c.provided,
                "DuocSoHoa": c.digitized,
                "DuocTaiSuDung": c.reused,
            }
            for c in dossier.components.all()
        ],
        "DanhSachLePhi": [
            {"TenPhiLePhi": f.name, "MucPhi": f.amount, "DaThu": f.paid_at is not None, "ThuTrucTuyen": f.paid_online}
            for f in dossier.fees.all()
        ],
        "DanhSachGiayToKetQua": [
            {
                "SoKyHieu": dossier.result_number,
                "DienTu": dossier.result_electronic,
                "DuongDan": f"{base}{reverse('lookup')}?code={dossier.code}" if dossier.result_electronic else "",
            }
        ]
        if dossier.result_number
        else [],
    }
