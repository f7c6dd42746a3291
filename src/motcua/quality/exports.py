"""The service index of a unit (and the ranking of the units under it) as JSON and xlsx."""

from __future__ import annotations

import io
import json
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from motcua.reports.periods import period_title

from .services import RankTable, UnitIndex

FORMATS = ("json", "xlsx")
CONTENT_TYPES = {
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def as_data(item: UnitIndex, ranking: list[RankTable] | None = None) -> dict:
    data = {
        "unit": item.code, "name": item.name, "from": item.first.isoformat(), "to": item.last.isoformat(),
        "indicator_set": {"year": item.indicator_set.year, "name": item.indicator_set.name,
                          "basis": item.indicator_set.basis},
        "total": _number(item.total), "reachable": _number(item.reachable), "percent": _number(item.percent),
        "groups": [{"group": g.number, "label": str(g.label), "points": _number(g.points),
                    "reachable": _number(g.reachable), "max_points": _number(g.full)} for g in item.groups],
        "indicators": [
            {"code": s.indicator.code, "group": s.indicator.group, "name": s.indicator.name,
             "measure": s.indicator.measure, "target": _number(s.indicator.target),
             "max_points": _number(s.indicator.max_points), "points_assumed": s.indicator.assumed,
             "no_data": s.no_data, "part": s.ratio.part if s.ratio else None,
             "whole": s.ratio.whole if s.ratio else None, "rate": _number(s.ratio.percent) if s.ratio else None,
             "points": _number(s.points)}
            for s in item.scored
        ],
    }  # fmt: skip
    if ranking is not None:
        data["ranking"] = [
            {"level": t.level, "kind": t.kind, "label": t.label, "rows": [
                {"rank": r.rank, "unit": r.index.code, "name": r.index.name, "total": _number(r.index.total),
                 "reachable": _number(r.index.reachable), "share": _number(r.share),
                 "groups": {str(g.number): _number(g.points) for g in r.index.groups},
                 "previous_rank": r.previous_rank, "places_up": r.places_up,
                 "points_change": _number(r.points_change)}
                for r in t.rows],
             "no_data": [{"unit": i.code, "name": i.name} for i in t.no_data]}
            for t in ranking
        ]  # fmt: skip
    return data


def as_json(item: UnitIndex, ranking: list[RankTable] | None = None) -> bytes:
    return json.dumps(as_data(item, ranking), ensure_ascii=False, indent=2).encode()


def as_xlsx(item: UnitIndex, ranking: list[RankTable] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Chỉ số"
    bold = Font(bold=True)
    sheet.append([f"CHỈ SỐ CHẤT LƯỢNG PHỤC VỤ {period_title(item.first, item.last)} — {item.name}"])
    sheet.append([f"Từ ngày {item.first:%d/%m/%Y} đến ngày {item.last:%d/%m/%Y} · {item.indicator_set.basis}"])
    sheet.append([])
    sheet.append(["Mã", "Chỉ tiêu", "Đạt / Tổng", "Tỷ lệ (%)", "Mục tiêu (%)", "Điểm", "Điểm tối đa"])
    for cell in sheet[4]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    scored_by_group: dict[int, list] = {}
    for s in item.scored:
        scored_by_group.setdefault(s.indicator.group, []).append(s)
    for group in item.groups:
        sheet.append([str(group.number), str(group.label), None, None, None, group.points, group.full])
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for s in scored_by_group.get(group.number, []):
            if s.no_data:
                sheet.append([s.indicator.code, s.indicator.name, "Không có dữ liệu", None, s.indicator.target, None,
                              s.indicator.max_points])  # fmt: skip
            else:
                counted = f"{s.ratio.part:,} / {s.ratio.whole:,}".replace(",", ".")
                sheet.append([s.indicator.code, s.indicator.name, counted, s.ratio.percent, s.indicator.target,
                              s.points, s.indicator.max_points])  # fmt: skip
    sheet.append(["", "Tổng điểm (các chỉ tiêu có dữ liệu)", None, item.percent, None, item.total, item.reachable])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for column, width in zip("ABCDEFG", (7, 60, 16, 11, 12, 9, 11), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=5):
        for cell in row[3:]:
            if isinstance(cell.value, Decimal):
                cell.number_format = "0.00"
    if ranking:
        ranks = book.create_sheet("Xếp hạng")
        ranks.append(["Nhóm", "Hạng", "Mã", "Đơn vị", "Tổng điểm", "Tối đa có dữ liệu", "Tỷ lệ đạt (%)", "Nhóm 1",
                      "Nhóm 2", "Nhóm 3", "Nhóm 4", "Nhóm 5", "Hạng kỳ trước", "Tăng (bậc)"])  # fmt: skip
        for cell in ranks[1]:
            cell.font = bold
        for table in ranking:
            for r in table.rows:
                ranks.append([table.label, r.rank, r.index.code, r.index.name, r.index.total, r.index.reachable,
                              r.share, *[g.points for g in r.index.groups], r.previous_rank, r.places_up])  # fmt: skip
        apart = [(table.label, i) for table in ranking for i in table.no_data]
        if apart:  # listed apart, with no rank
            ranks.append([])
            ranks.append(["Chưa có dữ liệu trong kỳ (không xếp hạng)"])
            ranks.cell(ranks.max_row, 1).font = bold
            for label, i in apart:
                ranks.append([label, None, i.code, i.name])
        ranks.column_dimensions["A"].width = 36
        ranks.column_dimensions["D"].width = 40
    sheet.append([])
    sheet.append([f"Lập lúc {timezone.localtime():%H:%M %d/%m/%Y}"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def render(item: UnitIndex, fmt: str, ranking: list[RankTable] | None = None) -> bytes:
    return as_json(item, ranking) if fmt == "json" else as_xlsx(item, ranking)
