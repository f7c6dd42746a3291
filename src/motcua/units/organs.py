"""A unit as a document's issuing organ names it (Decree 30/2020/NĐ-CP): a territorial unit acts
through its People's Committee, an agency under its own name."""

from __future__ import annotations

from motcua.core.documents import place_name

from .models import Unit, UnitKind

TERRITORIAL = {UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE}
# The receiver of a province's reports on administrative procedures (Circular 01/2018/TT-VPCP).
NATIONAL_RECEIVER = "Văn phòng Chính phủ"


def organ_name(unit: Unit) -> str:
    """``Ủy ban nhân dân xã Mai Sơn`` for the commune Xã Mai Sơn; ``Sở Tư pháp`` for the agency."""
    if unit.kind in TERRITORIAL:
        return f"Ủy ban nhân dân {unit.name[:1].lower()}{unit.name[1:]}"
    return unit.name


def superior_name(unit: Unit) -> str:
    """The organ directly above: the parent's organ (empty for a province)."""
    return organ_name(unit.parent) if unit.parent_id else ""


def receiver_name(unit: Unit) -> str:
    """Who a unit's periodic report goes to: the organ above it, and for a province the
    Government Office."""
    return superior_name(unit) or NATIONAL_RECEIVER


def place(unit: Unit) -> str:
    """Where the unit's documents are dated: its province's name (``Sơn La``)."""
    province = unit.province if unit.province_id else unit
    return place_name(province.name)


def abbreviation(unit: Unit) -> str:
    """The organ's short name in a document's notation: an agency's code after its parent's
    (``14.STP`` → ``STP``), the People's Committee's ``UBND`` for a territorial unit."""
    if unit.kind in TERRITORIAL:
        return "UBND"
    return unit.code.rsplit(".", 1)[-1]
