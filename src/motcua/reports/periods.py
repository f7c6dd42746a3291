"""What a reader asks a report or index page for (unit, period, grouping, unit map), the names of
the kinds of period, and the links to the periods most often read."""

from datetime import date

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.units.models import UnitKind

from . import rules, services
from .models import UnitMap


class Choice:
    """What the reader asked for, read from the query string with safe defaults."""

    def __init__(self, request):
        params, today = request.GET if request.method == "GET" else request.POST, timezone.localdate()
        self.today = today
        self.kind = params.get("period") if params.get("period") in {k.value for k in rules.PeriodKind} else ""
        self.year = _int(params.get("year"), today.year)
        self.number = _int(params.get("number"), 1)
        self.first, self.last = self._period(params, today)
        self.by = params.get("by") if params.get("by") in {g.value for g in services.GroupBy} else "level"
        self.unit_map = params.get("map") if params.get("map") in UnitMap.values else UnitMap.PERIOD
        day = today if self.unit_map == UnitMap.TODAY else min(self.last, today)
        self.units = list(services.report_units(request.user).valid_on(day).exclude(kind=UnitKind.SERVICE_CENTER))
        if not self.units:
            raise Http404
        self.unit = next((u for u in self.units if str(u.pk) == params.get("unit")), self.units[0])

    def _period(self, params, today: date) -> tuple[date, date]:
        if self.kind:
            try:
                return rules.period(self.kind, self.year, self.number)
            except ValueError:
                self.kind = ""
        try:
            first, last = date.fromisoformat(params.get("from", "")), date.fromisoformat(params.get("to", ""))
            if first <= last:
                return first, last
        except ValueError:
            pass
        return today.replace(day=1), today

    @property
    def base(self) -> dict:
        return {"unit": self.unit.pk, "from": self.first.isoformat(), "to": self.last.isoformat(), "by": self.by,
                "map": self.unit_map}  # fmt: skip


def _int(text, default: int) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        return default


def _int(text, default: int) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        return default


PERIOD_LABELS = {
    rules.PeriodKind.MONTH: gettext_lazy("Month"),
    rules.PeriodKind.QUARTER: gettext_lazy("Quarter"),
    rules.PeriodKind.HALF: gettext_lazy("Half year"),
    rules.PeriodKind.NINE_MONTHS: gettext_lazy("Nine months"),
    rules.PeriodKind.YEAR: gettext_lazy("Year"),
    rules.PeriodKind.OFFICIAL_MONTH: gettext_lazy("Official month (15th to 14th)"),
    rules.PeriodKind.OFFICIAL_QUARTER: gettext_lazy("Official quarter"),
    rules.PeriodKind.OFFICIAL_HALF: gettext_lazy("Official half year"),
    rules.PeriodKind.OFFICIAL_NINE_MONTHS: gettext_lazy("Official nine months"),
    rules.PeriodKind.OFFICIAL_YEAR: gettext_lazy("Official year (15/12 to 14/12)"),
}


def period_choices() -> list[tuple[str, object]]:
    """The kinds of period, for the period picker."""
    return [(k.value, PERIOD_LABELS[k]) for k in rules.PeriodKind]


def calendar_periods(today: date) -> list[tuple[str, dict]]:
    """Links to this and last calendar month, this quarter and this year."""
    year, month = _preceding(today.year, today.month)
    return [
        (_("This month"), {"period": "month", "year": today.year, "number": today.month}),
        (_("Last month"), {"period": "month", "year": year, "number": month}),
        (_("This quarter"), {"period": "quarter", "year": today.year, "number": (today.month - 1) // 3 + 1}),
        (_("This year"), {"period": "year", "year": today.year, "number": 1}),
    ]


def standard_periods(today: date) -> list[tuple[str, dict]]:
    """Links to the periods a one-stop unit reports on: the official months (the one running and
    the last closed), the calendar month, quarter and year, and the official year."""
    year, month = (today.year, today.month) if today.day < 15 else _following(today.year, today.month)
    last_year, last_month = _preceding(year, month)
    official_year = today.year + 1 if (today.month, today.day) >= (12, 15) else today.year
    return [
        (_("Official month (15th to 14th)"), {"period": "official_month", "year": year, "number": month}),
        (_("Last official month"), {"period": "official_month", "year": last_year, "number": last_month}),
        *calendar_periods(today),
        (_("Official year (15/12 to 14/12)"), {"period": "official_year", "year": official_year, "number": 1}),
    ]  # fmt: skip


def _following(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _preceding(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)
