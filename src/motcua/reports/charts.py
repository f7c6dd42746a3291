"""The data the settlement report's month-by-month chart draws, and the table under it lists."""

from django.utils.translation import gettext as _


def trend_data(trend) -> dict:
    """The month-by-month figures the chart draws (and the table under it lists)."""
    return {
        "labels": [f"{m.first:%m/%Y}" for m in trend],
        "series": [
            {"label": _("Received (new)"), "values": [m.counts.new_online + m.counts.new_offline for m in trend]},
            {"label": _("Finished early or on time"), "values": [m.counts.early + m.counts.on_time for m in trend]},
            {"label": _("Finished late"), "values": [m.counts.late for m in trend]},
            {"label": _("Open and overdue at the month's end"), "values": [m.counts.open_overdue for m in trend]},
        ],
        "rate": {"label": _("Digitization rate (%)"), "values": [float(m.counts.digitization_rate) for m in trend]},
    }


def trend_rows(trend: dict) -> list[tuple[str, list[int], float]]:
    return [
        (label, [series["values"][index] for series in trend["series"]], trend["rate"]["values"][index])
        for index, label in enumerate(trend["labels"])
    ]
