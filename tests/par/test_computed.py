"""Criteria computed from motcua's own dossiers: a month of Xã Mai Sơn worked out by hand."""

from decimal import Decimal as D

import pytest

from motcua.par import services
from motcua.par.models import Source
from tests.dossiers.conftest import accepted, intake_for, land_procedure, people  # noqa: F401
from tests.quality.conftest import NOW, month  # noqa: F401

from .conftest import sheets

pytestmark = pytest.mark.django_db

CRITERIA = [
    ("1", "", "Giải quyết thủ tục hành chính", "20", "self", ""),
    ("1.1", "", "Tỷ lệ hồ sơ giải quyết đúng hạn", "10", "computed", "on_time"),
    ("1.2", "", "Tỷ lệ hồ sơ tiếp nhận trực tuyến", "10", "computed", "online"),
]


def test_on_time_and_online_rates_become_points_with_their_figures(month, tmp_path):  # noqa: F811
    framework = services.import_framework(
        sheets(tmp_path, ["04105"], criteria=CRITERIA),
        code="XA-2026",
        name="Chỉ số CCHC cấp xã 2026",
        year=2026,
        owner=month.parent,
    )
    assert services.compute(framework, now=NOW) == 2
    scores = {s.criterion.code: s for s in services.assessment_for(framework, month).scores.select_related("criterion")}
    # Of the six handled in the year to 20 December, A, B and F finished early; D finished late, E
    # is overdue and so is C by now (received 17/11, 21 working days: due 16/12): 3 of 6 → 5 of 10.
    assert scores["1.1"].computed_score == D("5.00")
    assert (scores["1.1"].computed_figures["part"], scores["1.1"].computed_figures["whole"]) == (3, 6)
    assert scores["1.1"].criterion.source == Source.COMPUTED
    row = services.results(framework).rows[0]
    assert row.points == scores["1.1"].computed_score + scores["1.2"].computed_score
