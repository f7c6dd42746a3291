"""What a reader asks a report or index page for (unit, period, grouping, unit map), the names of
the kinds of period, the links to the periods most often read, and the period as a document's
title names it."""

from datetime import date, timedelta

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


ROMAN = ("I", "II", "III", "IV")


def period_title(first: date, last: date) -> str:
    """The period as an official document's title names it: ``THÁNG 11 NĂM 2026``, ``QUÝ III NĂM
    2026``, ``6 THÁNG ĐẦU NĂM 2026``, ``6 THÁNG CUỐI NĂM 2026``, ``9 THÁNG NĂM 2026``, ``NĂM 2026``;
    from 1 January to the end of another month ``5 THÁNG ĐẦU NĂM 2026``; any other range ``TỪ NGÀY
    01/10/2026 ĐẾN NGÀY 20/10/2026``. An official period of Decree 09/2019 (the 15th of the month
    before its first month to the 14th of its last) is named as the calendar period it stands for."""
    first_month = _first_month(first, last)
    if first_month is not None:
        year, start = first_month
        months = (last.year - year) * 12 + last.month - start + 1
        if months == 1:
            return f"THÁNG {last.month} NĂM {year}"
        if months == 3 and start % 3 == 1:
            return f"QUÝ {ROMAN[start // 3]} NĂM {year}"
        if months == 6 and start == 7:
            return f"6 THÁNG CUỐI NĂM {year}"
        if months == 9 and start == 1:
            return f"9 THÁNG NĂM {year}"
        if months == 12 and start == 1:
            return f"NĂM {year}"
        if start == 1 and months < 12:
            return f"{months} THÁNG ĐẦU NĂM {year}"
    return f"TỪ NGÀY {first:%d/%m/%Y} ĐẾN NGÀY {last:%d/%m/%Y}"


def _first_month(first: date, last: date) -> tuple[int, int] | None:
    """(year, month) of the first month when [first, last] is whole calendar months, or whole
    official months (15th to 14th), of one year; else None."""
    if first.day == 1 and (last + timedelta(days=1)).day == 1 and first.year == last.year:
        return first.year, first.month
    if first.day == 15 and last.day == 14 and first < last:
        year, month = _following(first.year, first.month)
        if year == last.year:
            return year, month
    return None
