"""The public face of the workdays app: the office calendar in force and due times."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import holidays
from django.conf import settings
from django.db import connection, transaction

from motcua.core.messages import Message as _
from motcua.core.tabular import ImportRejected, ImportResult, Problem, Row, missing_columns, parse_date

from . import rules
from .models import CalendarOverride

# A due time is never more than a couple of years after receipt; the calendar is built to cover it.
YEARS_AHEAD = 3
# The years the calendar answers for: the national holiday tables (lunar Tết) are trusted here.
SUPPORTED_YEARS = range(2000, 2096)


# Built calendars, per process: building one takes milliseconds and bulk work (imports, the demo
# generator) asks per dossier. The key includes the override table's content (a few dozen rows,
# one small query), so an edit in any process, or a rolled-back one, is never served stale.
_cache: dict[tuple, rules.OfficeCalendar] = {}


def office_calendar(year: int, until_year: int | None = None) -> rules.OfficeCalendar:
    """The calendar from ``year`` to ``until_year`` (default: a few years ahead).

    Days off and make-up days come from the ``holidays`` package for Vietnam, then the override
    table, which wins.
    """
    last = until_year if until_year is not None else year + YEARS_AHEAD
    if year not in SUPPORTED_YEARS or last not in SUPPORTED_YEARS:
        raise rules.CalendarRangeError(f"the calendar covers {SUPPORTED_YEARS.start}–{SUPPORTED_YEARS.stop - 1}")
    overrides = _override_rows()
    key = (year, last, overrides)
    calendar = _cache.get(key)
    if calendar is None:
        if len(_cache) > 64:
            _cache.clear()
        calendar = _cache[key] = _build_calendar(year, last)
    return calendar


def _override_rows() -> tuple:
    # Plain SQL: this runs for every due time computed, and the ORM costs more than the query here.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT date, kind FROM {CalendarOverride._meta.db_table} ORDER BY date")
        return tuple(cursor.fetchall())


def _build_calendar(year: int, last: int) -> rules.OfficeCalendar:
    years = range(year - 1, last + 1)
    national = holidays.Vietnam(years=years, language="vi")
    days_off = set(national)
    make_up = {d for d in national.weekend_workdays if d.year in years}
    for override in CalendarOverride.objects.filter(date__year__gte=year - 1, date__year__lte=last):
        if override.kind == CalendarOverride.Kind.DAY_OFF:
            days_off.add(override.date)
            make_up.discard(override.date)
        else:
            make_up.add(override.date)
            days_off.discard(override.date)
    return rules.OfficeCalendar(
        sessions=office_sessions(),
        days_off=frozenset(days_off),
        make_up_days=frozenset(make_up),
        first_year=year - 1,
        last_year=last,
        same_day_cutoff=time.fromisoformat(settings.MOTCUA_SAME_DAY_CUTOFF),
    )


def office_sessions() -> tuple[tuple[time, time], ...]:
    return tuple((time.fromisoformat(a), time.fromisoformat(b)) for a, b in settings.MOTCUA_OFFICE_HOURS)


def calendar_for(moment: datetime) -> rules.OfficeCalendar:
    return office_calendar(moment.astimezone(rules.VIETNAM).year)


def due_at(received_at: datetime, duration: rules.Duration) -> datetime:
    return rules.due_at(calendar_for(received_at), received_at, duration)


def add_working_hours(start: datetime, hours) -> datetime:
    return rules.add_working_hours(calendar_for(start), start, hours)


def working_hours_between(start: datetime, end: datetime):
    return rules.working_hours_between(office_calendar(start.astimezone(rules.VIETNAM).year), start, end)


def add_working_time(start: datetime, amount: timedelta) -> datetime:
    return rules.add_working_time(calendar_for(start), start, amount)


def working_time_between(start: datetime, end: datetime) -> timedelta:
    return rules.working_time_between(office_calendar(start.astimezone(rules.VIETNAM).year), start, end)


def days_off_between(start: date, end: date) -> list[tuple[date, str]]:
    """Named days in [start, end] that differ from the usual week: weekdays off and make-up working
    days, as the office calendar decides them; the names only label them."""
    calendar = office_calendar(start.year, end.year)
    names = dict(holidays.Vietnam(years=range(start.year, end.year + 1), language="vi"))
    names.update(CalendarOverride.objects.filter(date__range=(start, end)).values_list("date", "name"))
    listed = []
    day = start
    while day <= end:
        usual = day.weekday() not in calendar.weekend
        if calendar.is_working_day(day) != usual:
            default = _("Day off") if usual else _("Make-up working day")
            listed.append((day, str(names.get(day) or default)))
        elif day in names and not usual and not calendar.is_working_day(day):
            listed.append((day, str(names[day])))  # a named holiday falling on a weekend
        day += timedelta(days=1)
    return listed


OVERRIDE_COLUMNS = ["date", "kind", "name"]


def import_overrides(header: list[str], rows: list[Row]) -> ImportResult:
    """Create or update calendar overrides (date, kind day_off|working_day, name[, legal_basis])."""
    problems = missing_columns(header, OVERRIDE_COLUMNS)
    if problems:
        raise ImportRejected(problems)
    parsed = {}
    kinds = set(CalendarOverride.Kind.values)
    for row in rows:
        day = parse_date(row, "date", problems, required=True)
        kind = row.get("kind")
        if kind not in kinds:
            problems.append(
                Problem(
                    row.line,
                    _("unknown kind “%(kind)s” (expected one of: %(kinds)s)")
                    % {"kind": kind, "kinds": ", ".join(sorted(kinds))},
                )
            )
        if not row.get("name"):
            problems.append(Problem(row.line, _("column “%(column)s” is empty") % {"column": "name"}))
        if day in parsed:
            problems.append(
                Problem(row.line, _("the date %(day)s appears twice in the file") % {"day": day.isoformat()})
            )
        elif day:
            parsed[day] = row
    if problems:
        raise ImportRejected(problems)
    result = ImportResult()
    with transaction.atomic():
        for day, row in parsed.items():
            _override, created = CalendarOverride.objects.update_or_create(
                date=day,
                defaults={"kind": row.get("kind"), "name": row.get("name"), "legal_basis": row.get("legal_basis")},
            )
            if created:
                result.created += 1
            else:
                result.updated += 1
    return result
