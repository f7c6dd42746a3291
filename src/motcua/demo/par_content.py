"""Demo PAR frameworks: Sơn La's districts in 2021 and 2022 (published, with the averages and
groups of Decision 94/QĐ-UBND of 12/1/2023: 87.94/100, up 0.37, five districts in group A), and
the communes' framework of this year, open for self-assessment."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from motcua.core.tabular import Row
from motcua.par import services
from motcua.par.models import Framework, Stage
from motcua.people.models import User
from motcua.units.models import UnitKind
from motcua.units.services import unit_on

# code, title, max points, source, measure (leaves only; areas are the first number)
CRITERIA = [
    ("1", "Công tác chỉ đạo, điều hành cải cách hành chính", None, "self", ""),
    ("1.1", "Kế hoạch cải cách hành chính năm", "3", "self", ""),
    ("1.2", "Báo cáo, kiểm tra, tuyên truyền cải cách hành chính", "4", "self", ""),
    ("1.3", "Sáng kiến, giải pháp mới trong cải cách hành chính", "3", "self", ""),
    ("2", "Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật", None, "self", ""),
    ("2.1", "Ban hành, rà soát văn bản", "6", "self", ""),
    ("3", "Cải cách thủ tục hành chính", None, "self", ""),
    ("3.1", "Công khai thủ tục hành chính", "3", "self", ""),
    ("3.2", "Thực hiện cơ chế một cửa, một cửa liên thông", "5", "self", ""),
    ("3.3", "Giải quyết hồ sơ đúng hạn", "7", "computed", "on_time"),
    ("4", "Cải cách tổ chức bộ máy hành chính", None, "self", ""),
    ("4.1", "Sắp xếp tổ chức bộ máy, biên chế", "8", "self", ""),
    ("5", "Cải cách chế độ công vụ", None, "self", ""),
    ("5.1", "Vị trí việc làm, tuyển dụng, kỷ luật, kỷ cương", "10", "self", ""),
    ("6", "Cải cách tài chính công", None, "self", ""),
    ("6.1", "Quản lý, sử dụng tài chính, tài sản công", "6", "self", ""),
    ("7", "Xây dựng chính quyền điện tử, chính quyền số", None, "self", ""),
    ("7.1", "Ứng dụng công nghệ thông tin, dịch vụ công trực tuyến", "10", "computed", "online"),
    ("8", "Sự hài lòng của người dân, tổ chức", None, "survey", ""),
    ("8.1", "Điểm điều tra xã hội học", "35", "survey", ""),
]
GROUPS = [("A", "90", "Nhóm A"), ("B", "80", "Nhóm B"), ("C", "70", "Nhóm C"), ("D", "0", "Nhóm D")]
DISTRICTS = ["116", "118", "119", "120", "121", "122", "123", "124", "125", "126", "127", "128"]
TOTALS = {
    2021: ["86.10", "85.40", "88.90", "87.20", "84.30", "86.50", "91.60", "90.10", "89.40", "86.70", "83.90", "90.74"],
    2022: ["86.85", "84.92", "90.10", "86.45", "83.76", "86.20", "92.15", "90.40", "90.05", "87.30", "85.10", "92.00"],
}
DECISIONS = {2021: "71/QĐ-UBND ngày 14/01/2022", 2022: "94/QĐ-UBND ngày 12/01/2023"}


def _sheets(computed: bool, units: list[str]) -> services.FrameworkSheets:
    rows, maxima = [], {}
    for code, _title, points, _source, _measure in CRITERIA:
        if points is not None:
            area = code.split(".")[0]
            maxima[area] = maxima.get(area, Decimal(0)) + Decimal(points)
    for line, (code, title, points, source, measure) in enumerate(CRITERIA, start=2):
        if not computed and source == "computed":
            source, measure = "self", ""
        value = points if points is not None else str(maxima[code])
        rows.append(
            Row(line, {"code": code, "title": title, "max_points": value, "source": source, "measure": measure})
        )
    groups = [Row(n, {"code": c, "min_percent": p, "label": label}) for n, (c, p, label) in enumerate(GROUPS, start=2)]
    unit_rows = [Row(n, {"unit_code": code}) for n, code in enumerate(units, start=2)]
    return services.FrameworkSheets(
        (["code", "title", "max_points", "source", "measure"], rows),
        (["code", "min_percent", "label"], groups),
        (["unit_code"], unit_rows),
    )


def _score_rows(code: str, totals: dict[str, Decimal]) -> list[Row]:
    """Leaf scores adding up to each unit's total: every criterion in proportion, the survey last."""
    leaves = [(c, Decimal(p), s) for c, _t, p, s, _m in CRITERIA if p is not None]
    rows, line = [], 2
    for unit, total in totals.items():
        share = total / 100
        given = Decimal(0)
        for n, (criterion, maximum, source) in enumerate(leaves):
            value = (maximum * share).quantize(Decimal("0.01")) if n < len(leaves) - 1 else total - given
            given += value
            column = "survey_score" if source == "survey" else "appraised_score"
            values = {
                "framework": code,
                "unit_code": unit,
                "criterion_code": criterion,
                "self_score": "",
                "appraised_score": "",
                "survey_score": "",
            }
            values[column] = str(value)
            if column == "appraised_score":
                values["self_score"] = str(value)
            rows.append(Row(line, values))
            line += 1
    return rows


def ensure_par_content(now: datetime) -> int:
    """Create the demo frameworks once; returns how many were made."""
    if Framework.objects.filter(code__startswith="SL-").exists():
        return 0
    staff = User.objects.filter(username="cchc.snv").first()
    if staff is None:
        return 0
    header = ["framework", "unit_code", "criterion_code", "self_score", "appraised_score", "survey_score"]
    previous, made = None, 0
    for year in (2021, 2022):
        code = f"SL-HUYEN-{year}"
        framework = services.import_framework(
            _sheets(False, DISTRICTS),
            code=code,
            name=f"Chỉ số CCHC các huyện, thành phố năm {year}",
            year=year,
            owner=unit_on("14", date(year, 12, 31)),
            previous=previous,
        )
        totals = dict(zip(DISTRICTS, map(Decimal, TOTALS[year]), strict=True))
        services.import_scores(header, _score_rows(code, totals))
        services.publish(staff, framework, DECISIONS[year])
        previous, made = framework, made + 1
    today = now.date()
    communes = [u.code for u in unit_on("14", today).children.valid_on(today).filter(kind=UnitKind.COMMUNE)]
    current = services.import_framework(
        _sheets(True, sorted(communes)),
        code=f"SL-XA-{today.year}",
        name=f"Chỉ số CCHC các xã, phường năm {today.year}",
        year=today.year,
        owner=unit_on("14", today),
    )
    services.set_stage(staff, current, Stage.SELF_ASSESSMENT, date(today.year, 12, 15))
    return made + 1
