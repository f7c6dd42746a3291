"""The period as a document's title names it: one row per case."""

from datetime import date

import pytest

from motcua.core.documents import place_and_date, place_name, vietnamese_date
from motcua.reports.periods import period_title
from motcua.reports.rules import period

D = date


@pytest.mark.parametrize(
    ("first", "last", "title"),
    [
        (D(2026, 11, 1), D(2026, 11, 30), "THÁNG 11 NĂM 2026"),  # a calendar month
        (D(2026, 2, 1), D(2026, 2, 28), "THÁNG 2 NĂM 2026"),  # February's last day
        (D(2026, 10, 15), D(2026, 11, 14), "THÁNG 11 NĂM 2026"),  # official month: named by its last month
        (D(2025, 12, 15), D(2026, 1, 14), "THÁNG 1 NĂM 2026"),  # official January starts the year before
        (D(2026, 1, 1), D(2026, 3, 31), "QUÝ I NĂM 2026"),
        (D(2026, 4, 1), D(2026, 6, 30), "QUÝ II NĂM 2026"),
        (D(2026, 7, 1), D(2026, 9, 30), "QUÝ III NĂM 2026"),
        (D(2026, 10, 1), D(2026, 12, 31), "QUÝ IV NĂM 2026"),
        (D(2026, 6, 15), D(2026, 9, 14), "QUÝ III NĂM 2026"),  # official quarter
        (D(2026, 1, 1), D(2026, 6, 30), "6 THÁNG ĐẦU NĂM 2026"),
        (D(2026, 7, 1), D(2026, 12, 31), "6 THÁNG CUỐI NĂM 2026"),
        (D(2025, 12, 15), D(2026, 6, 14), "6 THÁNG ĐẦU NĂM 2026"),  # official half year
        (D(2026, 1, 1), D(2026, 9, 30), "9 THÁNG NĂM 2026"),
        (D(2025, 12, 15), D(2026, 9, 14), "9 THÁNG NĂM 2026"),  # official nine months
        (D(2026, 1, 1), D(2026, 12, 31), "NĂM 2026"),
        (D(2025, 12, 15), D(2026, 12, 14), "NĂM 2026"),  # official year 15/12 to 14/12
        (D(2026, 1, 1), D(2026, 5, 31), "5 THÁNG ĐẦU NĂM 2026"),  # a review at the end of May
        (D(2026, 1, 1), D(2026, 2, 28), "2 THÁNG ĐẦU NĂM 2026"),
        (D(2026, 2, 1), D(2026, 4, 30), "TỪ NGÀY 01/02/2026 ĐẾN NGÀY 30/04/2026"),  # three months, not a quarter
        (D(2026, 8, 1), D(2026, 12, 31), "TỪ NGÀY 01/08/2026 ĐẾN NGÀY 31/12/2026"),  # five months not from January
        (D(2026, 10, 1), D(2026, 10, 20), "TỪ NGÀY 01/10/2026 ĐẾN NGÀY 20/10/2026"),  # part of a month
        (D(2025, 11, 1), D(2026, 1, 31), "TỪ NGÀY 01/11/2025 ĐẾN NGÀY 31/01/2026"),  # across two years
        (D(2026, 10, 15), D(2026, 10, 31), "TỪ NGÀY 15/10/2026 ĐẾN NGÀY 31/10/2026"),  # 15th to month end
    ],
)
def test_period_title(first, last, title):
    assert period_title(first, last) == title


@pytest.mark.parametrize(
    ("kind", "number", "title"),
    [
        ("month", 11, "THÁNG 11 NĂM 2026"), ("quarter", 3, "QUÝ III NĂM 2026"), ("half", 1, "6 THÁNG ĐẦU NĂM 2026"),
        ("nine_months", 1, "9 THÁNG NĂM 2026"), ("year", 1, "NĂM 2026"), ("official_month", 11, "THÁNG 11 NĂM 2026"),
        ("official_quarter", 4, "QUÝ IV NĂM 2026"), ("official_half", 2, "6 THÁNG CUỐI NĂM 2026"),
        ("official_nine_months", 1, "9 THÁNG NĂM 2026"), ("official_year", 1, "NĂM 2026"),
    ],
)  # fmt: skip
def test_every_kind_of_reporting_period_is_named(kind, number, title):
    assert period_title(*period(kind, 2026, number)) == title


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (D(2026, 2, 5), "ngày 05 tháng 02 năm 2026"),  # day below 10 and months 1, 2 take a zero
        (D(2026, 1, 15), "ngày 15 tháng 01 năm 2026"),
        (D(2026, 3, 9), "ngày 09 tháng 3 năm 2026"),  # other months do not
        (D(2026, 11, 20), "ngày 20 tháng 11 năm 2026"),
    ],
)
def test_dates_as_decree_30_writes_them(day, text):
    assert vietnamese_date(day) == text


def test_place_and_date():
    assert place_and_date(place_name("Tỉnh Sơn La"), D(2026, 12, 6)) == "Sơn La, ngày 06 tháng 12 năm 2026"
    assert place_and_date(place_name("Thành phố Hà Nội"), D(2026, 3, 1)) == "Hà Nội, ngày 01 tháng 3 năm 2026"
    assert place_and_date("", D(2026, 3, 1)) == "Ngày 01 tháng 3 năm 2026"
