"""The public face of the reports app: the settlement report (II.06a) read from the ledger, the
reference it must equal (every dossier's history read one by one), the dossiers behind each
figure, the month-by-month trend, and signing a period's report off."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import InvalidInput, NotPermitted
from motcua.dossiers.models import Dossier
from motcua.dossiers.rules import Channel, Status
from motcua.people.models import Role, User
from motcua.people.services import covers, units_in_scope
from motcua.units.maps import Scope, UnitMap, scope_for
from motcua.units.models import Unit
from motcua.workdays.rules import VIETNAM, period_bounds

from . import history, ledger, rules
from .models import SignedReport
from .rules import BASE, COLUMNS, Counts, Row
from .scope import Grouping, arrange

READER_ROLES = (Role.UNIT_LEADER, Role.DESK_OFFICER, Role.REFORM_STAFF, Role.ADMINISTRATOR)
SIGNER_ROLES = (Role.UNIT_LEADER, Role.ADMINISTRATOR)


class GroupBy(StrEnum):
    LEVEL = "level"
    UNIT = "unit"
    FIELD = "field"
    PROCEDURE = "procedure"


def may_read(user: User, unit: Unit) -> bool:
    return covers(user, unit, READER_ROLES)


def may_sign(user: User, unit: Unit) -> bool:
    return covers(user, unit, SIGNER_ROLES)


def report_units(user: User) -> QuerySet[Unit]:
    """The units whose reports the user may read (their scope, as leader, desk or reform staff)."""
    return units_in_scope(user, READER_ROLES)


@dataclass(frozen=True)
class Period:
    """[first, last] in days, and the moment the report is read: open dossiers are judged at the
    cut-off, the end of the last day or now if that is earlier."""

    first: date
    last: date
    now: datetime

    @property
    def start(self) -> datetime:
        return period_bounds(self.first, self.last)[0]

    @property
    def end(self) -> datetime:
        return period_bounds(self.first, self.last)[1]

    @property
    def closed(self) -> bool:
        return self.end <= self.now

    @property
    def cutoff(self) -> datetime:
        return min(self.end, self.now)


def _period(first: date, last: date, now: datetime | None) -> Period:
    period_bounds(first, last)  # refuses a period that ends before it starts
    return Period(first, last, now or timezone.now())


# ---------------------------------------------------------------------------------------------
# The report from the ledger


def settlement(
    unit: Unit, first: date, last: date, by: GroupBy | str = GroupBy.LEVEL, now: datetime | None = None,
    unit_map: UnitMap | str = UnitMap.PERIOD,
) -> list[Row]:  # fmt: skip
    """The report's rows for ``unit`` and its subtree over [first, last]: the groups (with level
    subtotals when grouped by unit), then the total."""
    period = _period(first, last, now)
    scope = _scope(unit, unit_map, period)
    grouping = Grouping(scope, GroupBy(by))
    return arrange(grouping, ledger_counts(scope, period, grouping.dimension))


def ledger_counts(scope: Scope, period: Period, dimension: str | None) -> dict[int | None, Counts]:
    """Counts per unit or procedure id (``dimension``: "unit_id", "procedure_id", or None for one
    sum) of the dossiers the period handled, from the ledger."""
    by = dimension or "province_id"
    first, end_day = period.first, period.last + timedelta(days=1)
    where = scope.where()
    flows = ledger.flows(where, first, end_day, by)
    moves = ledger.moves(where, first, end_day, end_day if period.closed else None, by)
    midnight = end_day if period.closed else rules.local_day(period.now) + timedelta(days=1)
    balances = ledger.balances(scope.province, where, midnight, by)
    overdue = None if period.closed else _overdue_now(scope, period.now, by)
    found: dict[int | None, Counts] = {}
    for key in flows.keys() | moves.keys() | balances.keys() | (overdue or {}).keys():
        f, m, b = flows.get(key, {}), moves.get(key, {}), balances.get(key, {})
        new_online = f.get("new_online", 0) + m.get("new_online", 0)
        new_offline = f.get("new_offline", 0) + m.get("new_offline", 0)
        finished = f.get("early", 0) + f.get("on_time", 0) + f.get("late", 0)
        still_open = b.get("open", 0)
        late_open = b.get("overdue", 0) if overdue is None else overdue.get(key, 0)
        counts = Counts(
            new_online=new_online, new_offline=new_offline,
            carried_over=finished + still_open - new_online - new_offline,
            early=f.get("early", 0), on_time=f.get("on_time", 0), late=f.get("late", 0),
            open_within=still_open - late_open, open_overdue=late_open,
            digitized=f.get("finished_digitized", 0) + b.get("open_digitized", 0),
        )  # fmt: skip
        if any(getattr(counts, name) for name in BASE):
            found[None if dimension is None else key] = counts
    return found


def _overdue_now(scope: Scope, now: datetime, by: str) -> dict[int, int]:
    """Open dossiers past their due time now (not those waiting for a supplement), from the open set."""
    field = {"unit_id": "processing_unit_id"}.get(by, by)
    rows = (
        Dossier.objects.filter(scope.where("processing_unit_id"), received_at__isnull=False, finished_at__isnull=True,
                               due_at__lt=now)
        .exclude(status=Status.WAITING_SUPPLEMENT)
        .values(field).annotate(n=Count("pk")).order_by()
    )  # fmt: skip
    return {r[field]: r["n"] for r in rows}


# ---------------------------------------------------------------------------------------------
# The reference: each dossier's history, read as it stood at the cut-off


def reference_settlement(
    unit: Unit, first: date, last: date, by: GroupBy | str = GroupBy.LEVEL, now: datetime | None = None,
    unit_map: UnitMap | str = UnitMap.PERIOD,
) -> list[Row]:  # fmt: skip
    """The same rows straight from every dossier's events, one dossier at a time, by the pure
    rules: slow, plain, and the standard the ledger must meet."""
    period = _period(first, last, now)
    scope = _scope(unit, unit_map, period)
    grouping = Grouping(scope, GroupBy(by))
    counts: dict[int, Counts] = defaultdict(Counts)
    for _dossier, line in history.standings(Q(province_id=scope.province)):
        standing = history.standing_at(line, period.cutoff)
        if standing is None or not scope.covers(standing.unit):
            continue
        columns = rules.classify(standing.facts(), period.start, period.end, period.now)
        if columns:
            row = counts[standing.unit if grouping.dimension == "unit_id" else standing.procedure]
            for name in columns:
                setattr(row, name, getattr(row, name) + 1)
    return arrange(grouping, dict(counts))


def _scope(unit: Unit, unit_map: UnitMap | str, period: Period) -> Scope:
    return scope_for(unit, unit_map, today=rules.local_day(period.now))


# ---------------------------------------------------------------------------------------------
# The report as a document


@dataclass
class Report:
    unit: Unit
    first: date
    last: date
    by: str
    rows: list[Row]
    unit_map: str = UnitMap.PERIOD.value
    signed: SignedReport | None = None


def settlement_report(
    unit: Unit, first: date, last: date, by: GroupBy | str, now: datetime | None = None,
    unit_map: UnitMap | str = UnitMap.PERIOD,
) -> Report:  # fmt: skip
    rows = settlement(unit, first, last, by, now, unit_map)
    return Report(unit, first, last, GroupBy(by).value, rows, UnitMap(unit_map).value)


# ---------------------------------------------------------------------------------------------
# Drill-down: the dossiers behind one figure


SUMS = {"total": ("new_online", "new_offline", "carried_over"), "finished": ("early", "on_time", "late"),
        "open": ("open_within", "open_overdue")}  # fmt: skip


def cell_dossiers(
    unit: Unit, first: date, last: date, by: GroupBy | str, key: str, column: str, now: datetime | None = None,
    unit_map: UnitMap | str = UnitMap.PERIOD,
) -> QuerySet[Dossier]:  # fmt: skip
    """The dossiers counted in row ``key``, column ``column`` (a base column, or total, finished, open).

    A dossier that has not moved in the reports since the cut-off is read from its row; one that
    has (transferred, resumed, digitized later) from its history, as it stood then.
    """
    if column not in COLUMNS:
        raise ValueError(f"unknown column {column}")
    period = _period(first, last, now)
    scope = _scope(unit, unit_map, period)
    grouping = Grouping(scope, GroupBy(by))
    wanted = set(SUMS.get(column, (column,)))
    handled = Dossier.objects.filter(
        Q(finished_at__isnull=True) | Q(finished_at__gte=period.start),
        province_id=scope.province, received_at__lt=period.end,
    )  # fmt: skip
    unchanged = handled.filter(Q(report_changed_at__isnull=True) | Q(report_changed_at__lt=period.cutoff))
    conditions = _columns(period)
    condition = Q(pk__in=[])
    for name in wanted:
        condition |= conditions[name]
    members = grouping.keys_of(key)
    if grouping.by_unit:
        in_row = Q(processing_unit_id__in=sorted(members))
    else:
        in_row = scope.where("processing_unit_id") & (Q() if members is None else Q(procedure_id__in=sorted(members)))
    stable = _days(unchanged).filter(condition, in_row)
    moved = []
    for dossier, line in history.standings(Q(pk__in=handled.filter(report_changed_at__gte=period.cutoff))):
        standing = history.standing_at(line, period.cutoff)
        if standing is None or not scope.covers(standing.unit):
            continue
        if members is not None and (standing.unit if grouping.by_unit else standing.procedure) not in members:
            continue
        if wanted & set(rules.classify(standing.facts(), period.start, period.end, period.now)):
            moved.append(dossier.pk)
    return Dossier.objects.filter(Q(pk__in=stable.values("pk")) | Q(pk__in=moved)).select_related(
        "procedure", "processing_unit"
    )


def _columns(period: Period) -> dict[str, Q]:
    """Each base column as a condition on the row of a dossier the period handled."""
    start, end, cutoff = period.start, period.end, period.cutoff
    finished = Q(finished_at__lt=end)
    in_time = finished & Q(finished_at__lte=F("due_at"))
    still_open = Q(finished_at__isnull=True) | Q(finished_at__gte=end)
    waiting = Q(status=Status.WAITING_SUPPLEMENT)
    return {
        "new_online": Q(received_at__gte=start, channel=Channel.ONLINE),
        "new_offline": Q(received_at__gte=start) & ~Q(channel=Channel.ONLINE),
        "carried_over": Q(received_at__lt=start),
        "early": in_time & Q(finished_day__lt=F("due_day")),
        "on_time": in_time & Q(finished_day=F("due_day")),
        "late": finished & Q(finished_at__gt=F("due_at")),
        "open_within": still_open & (Q(due_at__gte=cutoff) | waiting),
        "open_overdue": still_open & Q(due_at__lt=cutoff) & ~waiting,
        "digitized": Q(digitized=True),
    }  # fmt: skip


def _days(queryset: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return queryset.annotate(
        finished_day=TruncDate("finished_at", tzinfo=VIETNAM), due_day=TruncDate("due_at", tzinfo=VIETNAM)
    )


# ---------------------------------------------------------------------------------------------
# The trend: the same figures month by month


@dataclass(frozen=True)
class Month:
    first: date
    last: date
    counts: Counts


def monthly_trend(
    unit: Unit, last: date, months: int = 12, now: datetime | None = None, unit_map: UnitMap | str = UnitMap.PERIOD
) -> list[Month]:
    """The report's total for each calendar month of the ``months`` ending with ``last``'s month."""
    now = now or timezone.now()
    found = []
    year, month = last.year, last.month
    for _step in range(months):
        first, end = rules.period(rules.PeriodKind.MONTH, year, month)
        if first <= rules.local_day(now):
            period = Period(first, end, now)
            counts = ledger_counts(_scope(unit, unit_map, period), period, None).get(None, Counts())
            found.append(Month(first, end, counts))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return found[::-1]


# ---------------------------------------------------------------------------------------------
# Signing a period's report off


def sign_off(user: User, report: Report, note: str = "", now: datetime | None = None) -> SignedReport:
    """Keep the report as it stands, signed by ``user`` (a leader of the unit), for a closed period."""
    now = now or timezone.now()
    if not may_sign(user, report.unit):
        raise NotPermitted(_("Only the unit's leaders can sign its reports off."))
    if report.last >= rules.local_day(now):
        raise InvalidInput(_("A report can be signed off only once its period has ended."))
    return SignedReport.objects.create(
        unit=report.unit, first=report.first, last=report.last, by=report.by, unit_map=report.unit_map,
        rows=[{"key": row.key, "label": row.label, "kind": row.kind, "level": row.level,
               **{name: getattr(row.counts, name) for name in COLUMNS}} for row in report.rows],
        signed_by=user, signer_name=user.full_name or user.username, signed_at=now, note=note.strip()[:500],
    )  # fmt: skip


def latest_signed(report: Report) -> SignedReport | None:
    return (
        SignedReport.objects.filter(unit=report.unit, first=report.first, last=report.last, by=report.by,
                                    unit_map=report.unit_map)
        .select_related("signed_by").first()
    )  # fmt: skip


def signed_rows(signed: SignedReport) -> list[Row]:
    """The rows as they were signed."""
    rows = []
    for data in signed.rows:
        counts = Counts(**{name: data[name] for name in BASE})
        rows.append(Row(data["key"], data["label"], counts, kind=data["kind"], level=data["level"]))
    return rows


@dataclass(frozen=True)
class Difference:
    key: str
    label: str
    column: str
    signed: int
    now: int


def differences(signed: SignedReport, rows: list[Row]) -> list[Difference]:
    """Every figure that is not what was signed (a row that appeared or went counts from zero)."""
    before = {r.key: r for r in signed_rows(signed)}
    after = {r.key: r for r in rows}
    found = []
    for key in list(before) + [k for k in after if k not in before]:
        old, new = before.get(key), after.get(key)
        for column in COLUMNS:
            a = getattr(old.counts, column) if old else 0
            b = getattr(new.counts, column) if new else 0
            if a != b:
                found.append(Difference(key, (new or old).label, column, a, b))
    return found


def signed_report(signed: SignedReport) -> Report:
    return Report(signed.unit, signed.first, signed.last, signed.by, signed_rows(signed), signed.unit_map, signed)


__all__ = [
    "GroupBy",
    "Period",
    "Report",
    "cell_dossiers",
    "differences",
    "latest_signed",
    "ledger_counts",
    "may_read",
    "may_sign",
    "monthly_trend",
    "reference_settlement",
    "report_units",
    "settlement",
    "settlement_report",
    "sign_off",
    "signed_report",
    "signed_rows",
]
