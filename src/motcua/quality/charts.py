"""The data the service index's charts draw: points by group, and the index month by month (on the
dashboard and on the public results page)."""

from django.utils.translation import gettext as _

from .services import MonthIndex, UnitIndex


def group_chart(item: UnitIndex) -> dict:
    return {
        "labels": [f"{g.number}. {g.label}" for g in item.groups],
        "short": [f"{_('Group')} {g.number}" for g in item.groups],  # on a phone
        "points": [float(g.points) for g in item.groups],
        "missed": [float(g.reachable - g.points) for g in item.groups],
        "no_data": [float(g.full - g.reachable) for g in item.groups],
        "names": [_("Points"), _("Points missed"), _("No data")],
    }


def trend_data(trend: list[MonthIndex]) -> dict:
    return {
        "labels": [f"{m.month:%m/%Y}" for m in trend],
        "total": [float(m.total) for m in trend],
        "percent": [None if m.percent is None else float(m.percent) for m in trend],
        "names": [_("Total points"), _("Share of the points within reach (%)")],
    }
