"""Frameworks and score sheets shaped like the published results the seeds quote."""

import csv
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from motcua.core.tabular import read_table
from motcua.par import services
from motcua.units.services import unit_on

CRITERIA = [
    ("1", "", "Công tác chỉ đạo, điều hành cải cách hành chính", "10", "self", ""),
    ("1.1", "", "Kế hoạch cải cách hành chính năm", "6", "self", ""),
    ("1.2", "", "Kiểm tra, tuyên truyền cải cách hành chính", "4", "self", ""),
    ("2", "", "Cải cách thủ tục hành chính", "30", "self", ""),
    ("2.1", "", "Giải quyết hồ sơ đúng hạn", "10", "self", ""),
    ("2.2", "", "Thực hiện cơ chế một cửa, một cửa liên thông", "20", "self", ""),
    ("3", "", "Hiện đại hóa hành chính", "20", "self", ""),
    ("3.1", "", "Ứng dụng công nghệ thông tin", "20", "self", ""),
    ("4", "", "Khảo sát sự hài lòng", "40", "survey", ""),
    ("4.1", "", "Điểm điều tra xã hội học", "40", "survey", ""),
]
GROUPS = [("A", "90", "Nhóm A"), ("B", "80", "Nhóm B"), ("C", "70", "Nhóm C"), ("D", "0", "Nhóm D")]
SONLA_DISTRICTS = ["116", "118", "119", "120", "121", "122", "123", "124", "125", "126", "127", "128"]


def write_csv(path: Path, header, rows) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def sheets(tmp_path, units, criteria=CRITERIA, groups=GROUPS) -> services.FrameworkSheets:
    c = write_csv(
        tmp_path / "criteria.csv", ["code", "parent_code", "title", "max_points", "source", "measure"], criteria
    )
    g = write_csv(tmp_path / "groups.csv", ["code", "min_percent", "label"], groups)
    u = write_csv(tmp_path / "units.csv", ["unit_code"], [[code] for code in units])
    return services.FrameworkSheets(read_table(c), read_table(g), read_table(u))


def make_framework(tmp_path, code, year, units=SONLA_DISTRICTS, previous=None, owner="14"):
    return services.import_framework(
        sheets(tmp_path, units),
        code=code,
        name=f"Chỉ số CCHC các huyện năm {year}",
        year=year,
        owner=unit_on(owner, date(year, 12, 31)),
        previous=previous,
    )


def score_rows(framework_code: str, totals: dict[str, D]) -> list[list[str]]:
    """A score sheet giving each unit exactly ``total`` points: full marks on 1.x and 2.1, 36
    survey points, the rest split over 2.2 and 3.1; the self-score on 2.2 one point above the
    appraised score, which is what counts."""
    rows = []
    for unit, total in totals.items():
        rest = total - 56
        first = (rest / 2).quantize(D("0.01"))
        second = rest - first
        rows += [
            [framework_code, unit, "1.1", "6", "", ""],
            [framework_code, unit, "1.2", "4", "", ""],
            [framework_code, unit, "2.1", "10", "", ""],
            [framework_code, unit, "2.2", str(min(first + 1, D(20))), str(first), ""],
            [framework_code, unit, "3.1", str(second), "", ""],
            [framework_code, unit, "4.1", "", "", "36"],
        ]
    return rows


def import_totals(tmp_path, framework_code, totals):
    path = write_csv(
        tmp_path / f"scores-{framework_code}.csv",
        ["framework", "unit_code", "criterion_code", "self_score", "appraised_score", "survey_score"],
        score_rows(framework_code, totals),
    )
    return services.import_scores(*read_table(path))


# Sơn La's districts, 2021 and 2022 (Decision 94/QĐ-UBND of 12/1/2023: the districts' average
# 87.94/100, up 0.37; five districts in group A, 90 points and above).
TOTALS_2021 = dict(
    zip(
        SONLA_DISTRICTS,
        map(
            D,
            [
                "86.10",
                "85.40",
                "88.90",
                "87.20",
                "84.30",
                "86.50",
                "91.60",
                "90.10",
                "89.40",
                "86.70",
                "83.90",
                "90.74",
            ],
        ),
        strict=True,
    )
)
TOTALS_2022 = dict(
    zip(
        SONLA_DISTRICTS,
        map(
            D,
            [
                "86.85",
                "84.92",
                "90.10",
                "86.45",
                "83.76",
                "86.20",
                "92.15",
                "90.40",
                "90.05",
                "87.30",
                "85.10",
                "92.00",
            ],
        ),
        strict=True,
    )
)


@pytest.fixture
def sonla_2022(demo, tmp_path):
    before = make_framework(tmp_path, "SL-HUYEN-2021", 2021)
    import_totals(tmp_path, "SL-HUYEN-2021", TOTALS_2021)
    framework = make_framework(tmp_path, "SL-HUYEN-2022", 2022, previous=before)
    import_totals(tmp_path, "SL-HUYEN-2022", TOTALS_2022)
    return framework
