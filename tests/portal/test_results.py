"""The public results page: the province's service index ranking lists the units with no dossier
in the period apart, with no rank, and ranks the others on their share of the reachable points."""

from datetime import date

from django.test import Client
from django.utils import timezone

from motcua.quality import services as quality
from motcua.units.services import unit_on
from tests.dossiers.conftest import land_procedure, people  # noqa: F401
from tests.quality.conftest import month  # noqa: F401


def vi(value) -> str:
    return f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def test_units_without_data_are_listed_apart_on_the_public_page(month):  # noqa: F811
    page = Client(headers={"accept-language": "vi"}).get("/ket-qua/", {"year": 2026})
    assert page.status_code == 200
    communes = next(t for t in page.context["tables"] if t.level == "commune" and t.rows)
    assert [(r.rank, r.index.code) for r in communes.rows] == [(1, "04105")]
    first, last = date(2026, 1, 1), min(date(2026, 12, 31), timezone.localdate())
    expected = quality.index(unit_on("04105", last), first, last)
    mai_son = communes.rows[0]
    assert (mai_son.points, mai_son.reachable, mai_son.share) == (expected.total, expected.reachable, expected.percent)
    html = page.content.decode()
    shown = f"{vi(expected.total)}/{expected.reachable:.0f} điểm ({vi(expected.percent)}%)"
    assert shown in html
    section = next(part for part in html.split("<section") if "Xã Mai Sơn" in part)
    apart = section[section.index("Chưa có dữ liệu trong kỳ") :].split("</ul>")[0]
    assert "Xã Mai Sơn" not in apart and len(communes.no_data) > 50
    assert all(unit.name in apart for unit in communes.no_data)
    # The chart draws the ranked units' shares only.
    assert page.context["ranking_chart"]["total"][0] == float(expected.percent)
