"""The public face of the reports app: the settlement report (II.06a), its drill-down, and the
reference implementation the fast path is checked against."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier
from motcua.dossiers.rules import Channel, Status
from motcua.people.models import Role, User
from motcua.people.services import covers, units_in_scope
from motcua.units.models import Level, Unit
from motcua.workdays.rules import VIETNAM

from . import rules
from .rules import BASE, Counts, Facts, Row

READER_ROLES = (Role.UNIT_LEADER, Role.DESK_OFFICER, Role.REFORM_STAFF, Role.ADMINISTRATOR)
LEVEL_ORDER = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2}


class GroupBy(StrEnum):
    LEVEL = "level"
    UNIT = "unit"
    FIELD = "field"
    PROCEDURE = "procedure"


def may_read(user: User, unit: Unit) -> bool:
    return covers(user, unit, READER_ROLES)


def report_units(user: User) -> QuerySet[Unit]:
    """The units whose reports the user may read (their scope, as leader, desk or reform staff)."""
    return units_in_scope(user, READER_ROLES)


# ---------------------------------------------------------------------------------------------
# The fast path: one aggregate over the dossiers the period touches (received in it, finished in
# it, or open at its end: the period's intake plus the open set, whatever the history's size).


def _handled(unit: Unit, start: datetime, end: datetime) -> QuerySet[Dossier]:
    if unit.province_id in (None, unit.pk):  # a whole province: its tenant column, no unit list to join
        where = Q(province=unit)
    else:
        where = Q(processing_unit__in=Unit.objects.filter(path__startswith=unit.path).values("pk"))
    return Dossier.objects.filter(where, Q(finished_at__isnull=True) | Q(finished_at__gte=start), received_at__lt=end)


def _columns(start: datetime, end: datetime, cutoff: datetime) -> dict[str, Q]:
    """Each base column as a condition on a dossier the period handles."""
    finished = Q(finished_at__lt=end)
    in_time = finished & Q(finished_at__lte=F("due_at"))
    still_open = Q(finished_at__isnull=True) | Q(finished_at__gte=end)
    waiting = Q(status=Status.WAITING_SUPPLEMENT, supplement_started_at__lt=cutoff)
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


def _cutoff(end: datetime, now: datetime | None) -> datetime:
    return min(end, now or timezone.now())


def counts_by_unit_and_procedure(
    unit: Unit, first: date, last: date, now: datetime | None = None
) -> dict[tuple[int, int], Counts]:
    start, end = rules.bounds(first, last)
    conditions = _columns(start, end, _cutoff(end, now))
    rows = (
        _days(_handled(unit, start, end))
        .values("processing_unit_id", "procedure_id")
        .annotate(**{f"n_{name}": Count("pk", filter=conditions[name]) for name in BASE})
        .order_by()
    )
    return {
        (r["processing_unit_id"], r["procedure_id"]): Counts(**{name: r[f"n_{name}"] for name in BASE}) for r in rows
    }


def reference_counts(unit: Unit, first: date, last: date, now: datetime | None = None) -> dict[tuple, Counts]:
    """The same numbers straight from every dossier, one at a time, by the pure rules: slow, plain,
    and the standard the fast path must meet."""
    start, end = rules.bounds(first, last)
    now = now or timezone.now()
    paths = dict(Unit.objects.values_list("pk", "path"))
    found: dict[tuple, Counts] = defaultdict(Counts)
    for d in Dossier.objects.exclude(received_at=None).order_by("pk").iterator():
        if not paths[d.processing_unit_id].startswith(unit.path):
            continue
        facts = Facts(
            received_at=d.received_at, finished_at=d.finished_at, due_at=d.due_at,
            online=d.channel == Channel.ONLINE, digitized=d.digitized,
            waiting_supplement_since=d.supplement_started_at if d.status == Status.WAITING_SUPPLEMENT else None,
        )  # fmt: skip
        columns = rules.classify(facts, start, end, now)
        if columns:
            counts = found[d.processing_unit_id, d.procedure_id]
            for name in columns:
                setattr(counts, name, getattr(counts, name) + 1)
    return dict(found)


# ---------------------------------------------------------------------------------------------
# Grouping


def settlement(
    unit: Unit, first: date, last: date, by: GroupBy | str = GroupBy.LEVEL, now: datetime | None = None,
    counts: dict[tuple[int, int], Counts] | None = None,
) -> list[Row]:  # fmt: skip
    """The report's rows for ``unit`` and its subtree over [first, last]: groups (with level
    subtotals when grouped by unit), then the total."""
    by = GroupBy(by)
    if counts is None:
        counts = counts_by_unit_and_procedure(unit, first, last, now)
    units = {u.pk: u for u in Unit.objects.filter(path__startswith=unit.path)}
    procedures = {p.pk: p for p in Procedure.objects.filter(pk__in={p for _u, p in counts}).select_related("field")}
    groups: dict[str, Row] = {}
    for (unit_id, procedure_id), row_counts in counts.items():
        row = _group_row(by, unit, units[unit_id], procedures[procedure_id], units)
        groups.setdefault(row.key, row).counts.add(row_counts)
    rows = sorted(groups.values(), key=lambda r: (LEVEL_ORDER.get(r.level, 9), r.label))
    total = Row("total", _("Total"), kind="total")
    for row in rows:
        total.counts.add(row.counts)
    if by is GroupBy.UNIT:
        rows = _with_level_subtotals(rows)
    return [*rows, total]


def _group_row(by: GroupBy, top: Unit, unit: Unit, procedure: Procedure, units: dict[int, Unit]) -> Row:
    if by is GroupBy.LEVEL:
        return Row(f"level:{unit.level}", str(Level(unit.level).label), level=unit.level)
    if by is GroupBy.FIELD:
        return Row(procedure.field.code, procedure.field.name)
    if by is GroupBy.PROCEDURE:
        return Row(procedure.code, f"{procedure.code} {procedure.name}")
    branch = _branch(top, unit, units)
    return Row(branch.code, branch.name, level=branch.level)


def _branch(top: Unit, unit: Unit, units: dict[int, Unit]) -> Unit:
    """The child of ``top`` that ``unit`` belongs to (``top`` itself for its own dossiers)."""
    if unit.pk == top.pk:
        return top
    parts = unit.path[len(top.path) :].split("/")
    return units[int(parts[0])]


def _with_level_subtotals(rows: list[Row]) -> list[Row]:
    out = []
    for level in sorted({r.level for r in rows}, key=lambda lv: LEVEL_ORDER.get(lv, 9)):
        members = [r for r in rows if r.level == level]
        subtotal = Row(f"level:{level}", str(Level(level).label), kind="subtotal", level=level)
        for row in members:
            subtotal.counts.add(row.counts)
        out += [subtotal, *members]
    return out


@dataclass
class Report:
    unit: Unit
    first: date
    last: date
    by: str
    rows: list[Row]

    @property
    def title(self) -> str:
        return f"Tình hình, kết quả giải quyết thủ tục hành chính — {self.unit.name}"

    @property
    def period(self) -> str:
        return f"Từ ngày {self.first:%d/%m/%Y} đến ngày {self.last:%d/%m/%Y}"


def settlement_report(unit: Unit, first: date, last: date, by: GroupBy | str, now: datetime | None = None) -> Report:
    return Report(unit, first, last, GroupBy(by).value, settlement(unit, first, last, by, now))


# ---------------------------------------------------------------------------------------------
# Drill-down: the dossiers behind one cell


def cell_dossiers(
    unit: Unit, first: date, last: date, by: GroupBy | str, key: str, column: str, now: datetime | None = None
) -> QuerySet[Dossier]:
    """The dossiers counted in row ``key``, column ``column`` (a base column or total, finished, open)."""
    by = GroupBy(by)
    start, end = rules.bounds(first, last)
    conditions = _columns(start, end, _cutoff(end, now))
    sums = {"total": ("new_online", "new_offline", "carried_over"), "finished": ("early", "on_time", "late"),
            "open": ("open_within", "open_overdue")}  # fmt: skip
    if column in conditions:
        wanted = conditions[column]
    elif column in sums:
        wanted = Q()
        for name in sums[column]:
            wanted |= conditions[name]
    else:
        raise ValueError(f"unknown column {column}")
    dossiers = _days(_handled(unit, start, end)).filter(wanted)
    return dossiers.filter(_group_filter(by, unit, key)).select_related("procedure", "processing_unit")


def _group_filter(by: GroupBy, top: Unit, key: str) -> Q:
    if key == "total":
        return Q()
    if key.startswith("level:"):
        return Q(processing_unit__level=key.removeprefix("level:"))
    if by is GroupBy.FIELD:
        return Q(procedure__field__code=key)
    if by is GroupBy.PROCEDURE:
        return Q(procedure__code=key)
    if key == top.code:
        return Q(processing_unit=top)
    branch = Unit.objects.filter(path__startswith=top.path, code=key).exclude(pk=top.pk).first()
    return Q(processing_unit__path__startswith=branch.path) if branch else Q(pk__in=[])


__all__ = [
    "GroupBy",
    "Report",
    "cell_dossiers",
    "may_read",
    "reference_counts",
    "report_units",
    "settlement",
    "settlement_report",
]
