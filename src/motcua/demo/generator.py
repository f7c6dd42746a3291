"""A seeded year of dossiers for the demo province, made through the same services as real work.

Shape: working days only, busier at month end; 95–99 % settled on time; most digitized; a share
online; some supplements, transfers, consultations, apologies, stops and withdrawals; a few late.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from motcua.catalog.competence import deciding_units
from motcua.catalog.models import Fee, Procedure
from motcua.dossiers import partitions, services
from motcua.dossiers.migration import MigratedDossier, write_migrated
from motcua.dossiers.models import DossierCounter
from motcua.dossiers.rules import Action, Channel, DossierError, Rating, ReturnMethod
from motcua.notifications import services as notices
from motcua.people.models import Role, User
from motcua.people.services import assign_role
from motcua.units.models import Unit, UnitKind
from motcua.units.services import unit_on
from motcua.workdays import rules as time_rules
from motcua.workdays.rules import VIETNAM
from motcua.workdays.services import add_working_hours, office_calendar

# Province departments by field after the 2025 reorganisation (their codes follow the province's).
DEMO_PROVINCE = "14"  # Sơn La
FOCUS_DESK = "04105.TTPVHCC"  # Xã Mai Sơn, whose accounts the demo hands out, gets the most dossiers
FAMILY_NAMES = ["Lò", "Cầm", "Quàng", "Lường", "Hà", "Nguyễn", "Trần", "Lê", "Vì", "Tòng", "Bạc", "Mùa", "Giàng"]
GIVEN_NAMES = ["Văn Minh", "Thị Lan", "Văn Hùng", "Thị Hoa", "Văn Sơn", "Thị Mai", "A Dơ", "Thị Xuân", "Văn Tiến"]


@dataclass
class Stats:
    created: int = 0
    finished: int = 0
    late: int = 0
    refused_at_intake: int = 0


def generator_accounts(today: date, province: Unit | None = None) -> tuple[User, User, User]:
    """Province-wide accounts the generator acts as (a desk officer, an officer, a leader)."""
    province = province or unit_on(DEMO_PROVINCE, today)
    made = []
    for username, role in (("demo.motcua", Role.DESK_OFFICER), ("demo.xuly", Role.PROCESSING_OFFICER),
                           ("demo.lanhdao", Role.UNIT_LEADER)):  # fmt: skip
        user, created = User.objects.get_or_create(username=username, defaults={"full_name": f"Demo {role.label}"})
        if created:
            user.set_unusable_password()
            user.save()
        assign_role(user, role, province)
        made.append(user)
    return tuple(made)


def _desks(today: date, rng: random.Random, communes: int, province: Unit) -> list[Unit]:
    """The province's own centre first, then ``communes`` communes' centres (the focus desk first)."""
    centers = list(
        Unit.objects.valid_on(today).filter(kind=UnitKind.SERVICE_CENTER, province=province).select_related("parent")
    )
    own = [c for c in centers if c.parent_id == province.pk]
    commune = sorted((c for c in centers if c.parent and c.parent.kind == UnitKind.COMMUNE), key=lambda c: c.code)
    focus = [c for c in commune if c.code == FOCUS_DESK]
    others = rng.sample([c for c in commune if c.code != FOCUS_DESK], min(communes - len(focus), len(commune)
                                                                            - len(focus)))  # fmt: skip
    return own[:1] + focus + others


def _processing_unit(desk: Unit, procedure: Procedure, day: date) -> Unit:
    """The unit that settles ``procedure`` for ``desk``: the first the procedure's competence names."""
    return deciding_units(procedure, desk, day)[0]


def _working_days(start: date, end: date) -> list[tuple[date, float]]:
    calendar = office_calendar(start.year, end.year + 1)
    days, day = [], start
    while day <= end:
        if calendar.is_working_day(day):
            following = day + timedelta(days=1)
            weight = 1.6 if following.month != day.month or (day + timedelta(days=5)).month != day.month else 1.0
            weight *= 1.15 if day.weekday() == 0 else 1.0  # Mondays are busier
            days.append((day, weight))
        day += timedelta(days=1)
    return days


def _arrivals(
    rng: random.Random, count: int, days: int, communes: int, now: datetime, province: Unit, until: date | None = None
):  # fmt: skip
    """Who receives what, when: (desk, procedure, receipt time), in time order, on the working days
    of the ``days`` before ``until`` (today). The demo's focus desk takes about a third; elsewhere the
    province's centre a tenth and the communes the rest."""
    today = now.astimezone(VIETNAM).date()
    last = min(until or today, today)
    desks = _desks(today, rng, communes, province)
    focused = len(desks) > 1 and desks[1].code == FOCUS_DESK
    procedures = {
        level: list(Procedure.objects.filter(is_active=True, level=level).select_related("field"))
        for level in ("province", "commune")
    }
    calendar_days = _working_days(last - timedelta(days=days), last)
    day_choices = [d for d, _w in calendar_days]
    weights = [w for _d, w in calendar_days]
    received_days = sorted(rng.choices(day_choices, weights=weights, k=count))
    for day in received_days:
        roll = rng.random()
        if focused:
            desk = rng.choice(desks) if roll > 0.7 else desks[1]
        else:
            desk = desks[0] if roll < 0.1 or len(desks) == 1 else rng.choice(desks[1:])
        level = "province" if desk.parent.kind == UnitKind.PROVINCE else "commune"
        procedure = rng.choice(procedures[level])
        minutes = rng.randrange(0, 8 * 60 - 15)
        opening = time(7, 30) if minutes < 240 else time(13, 30)
        received = datetime.combine(day, opening, VIETNAM) + timedelta(minutes=minutes % 240)
        if received < now:
            yield desk, procedure, received


def generate(
    count: int, seed: int = 1, days: int = 365, communes: int = 8, now: datetime | None = None,
    province: str = DEMO_PROVINCE,
) -> Stats:  # fmt: skip
    """Make ``count`` dossiers received over the ``days`` before ``now`` (seeded, reproducible)."""
    rng = random.Random(seed)
    now = now or timezone.now()
    today = now.astimezone(VIETNAM).date()
    home = unit_on(province, today)
    route = functools.cache(lambda desk, procedure: _processing_unit(desk, procedure, today))
    desk_user, officer, leader = generator_accounts(today, home)
    stats = Stats()
    with notices.held_back():  # made-up applicants are told nothing
        for desk, procedure, received in _arrivals(rng, count, days, communes, now, home):
            try:
                with transaction.atomic():
                    _one(rng, stats, desk, route(desk, procedure), procedure, received, now,
                         (desk_user, officer, leader))  # fmt: skip
            except DossierError:
                continue  # a generated path the rules refuse is simply not made
    return stats


def _one(rng, stats, desk, processing, procedure, received, now, users) -> None:
    desk_user, officer, leader = users
    online = procedure.online_kind != "none" and rng.random() < (0.55 if procedure.online_kind == "full" else 0.3)
    channel = Channel.ONLINE if online else (Channel.POSTAL if rng.random() < 0.03 else Channel.IN_PERSON)
    components = [
        services.ComponentInput(order=c.order, provided=True, digitized=online or rng.random() < 0.93,
                                reused=rng.random() < 0.15)
        for c in procedure.components.all()
    ]  # fmt: skip
    name = f"{rng.choice(FAMILY_NAMES)} {rng.choice(GIVEN_NAMES)}"
    intake = services.Intake(
        procedure=procedure, receiving_unit=desk, processing_unit=processing, channel=channel,
        applicant=services.Applicant(name=name, id_number=f"014{rng.randrange(10**8, 10**9)}",
                                     phone=f"09{rng.randrange(10**7, 10**8)}"),
        components=components, fees_paid=True,
    )  # fmt: skip
    stats.created += 1
    if online:
        dossier = services.receive(None, intake, Action.SUBMIT, at=received - timedelta(hours=rng.randrange(1, 40)))
        if rng.random() < 0.02:
            services.refuse(desk_user, dossier, "Hồ sơ không thuộc thẩm quyền giải quyết", at=received)
            stats.refused_at_intake += 1
            return
        pays_online = procedure.fees.exists() and rng.random() < 0.6
        dossier = services.accept(desk_user, dossier, fees_paid=True, paid_online=pays_online, at=received)
    else:
        dossier = services.receive(desk_user, intake, Action.ACCEPT, at=received)
    late = rng.random() < 0.025
    pace = 1.25 if late else rng.uniform(0.15, 0.8)
    if procedure.duration_unit == "in_day" and not late:
        pace = 0.08  # settled within the day it is due
    if procedure.duration_unit == "calendar_days" and not late:
        pace = min(pace, 0.5)  # calendar days include weekends the steps' working hours do not
    at = received
    steps = services.template_steps(dossier)
    roll = rng.random()
    for index, step in enumerate(steps):
        at = add_working_hours(at, Decimal(str(round(float(step.hours) * pace, 2))) + Decimal("0.05"))
        if at >= now:
            return  # still in process today
        holder = _holder(step.role, users)
        if index == 1 and roll < 0.04:
            dossier = services.request_supplement(holder, dossier, "Đề nghị bổ sung bản sao giấy tờ còn thiếu",
                                                  at=at)  # fmt: skip
            at = add_working_hours(at, rng.randrange(4, 30))
            if at >= now:
                return
            dossier = services.resume(desk_user, dossier, at=at)
        if index == 1 and 0.04 <= roll < 0.06:
            services.stop(desk_user, dossier, "Người dân đề nghị dừng giải quyết", at=at)
            stats.finished += 1
            return
        if index == 1 and 0.06 <= roll < 0.07:
            services.withdraw(desk_user, dossier, "Người dân xin rút hồ sơ", at=at)
            stats.finished += 1
            return
        if index == 2 and 0.07 <= roll < 0.10 and processing.parent:
            dossier = services.transfer(holder, dossier, processing.parent, "Chuyển cơ quan chủ trì", at=at)
        if late and index == 2 and dossier.due_at > at:
            new_date = dossier.due_at + timedelta(days=rng.randrange(2, 6))
            dossier = services.apologize(officer, dossier, new_date, "Chờ kết quả xác minh của cơ quan liên quan",
                                         at=at)  # fmt: skip
        if step.role == "signer":  # the leader decides what the result will say (drawn below)
            if _peek(rng) > 0.02:
                dossier = services.leader_approve(leader, dossier, at=at)
            else:
                dossier = services.leader_refuse(leader, dossier, "Không đủ điều kiện theo quy định", at=at)
        elif index < len(steps) - 1:
            dossier = services.forward(holder, dossier, at=at)
    approved = rng.random() > 0.02
    decided = services.leader_decision(dossier)[0]
    approved = approved if decided is None else decided == "approved"
    issuer = _holder(steps[-1].role if steps else None, users)
    dossier = services.issue_result(issuer, dossier, approved=approved, result_number=f"{rng.randrange(1, 9999)}/KQ",
                                    electronic=rng.random() < 0.4,
                                    reasons="" if approved else "Không đủ điều kiện theo quy định", at=at)  # fmt: skip
    stats.finished += 1
    stats.late += dossier.finished_at > dossier.due_at
    returned = add_working_hours(at, rng.randrange(1, 16))
    if returned >= now:
        return
    method = ReturnMethod.ONLINE if online and rng.random() < 0.5 else ReturnMethod.DESK
    dossier = services.hand_over(desk_user, dossier, method, at=returned)
    if rng.random() < 0.6:
        services.rate(dossier, _rating(rng), at=returned + timedelta(minutes=5))


def _holder(role: str | None, users) -> User:
    """Who of the generator's accounts holds a step: the desk its own, the leader the assignment,
    review and signing, the officer the others."""
    desk_user, officer, leader = users
    return desk_user if role == "desk" else (leader if role in ("leader", "reviewer", "signer") else officer)


def _peek(rng: random.Random) -> float:
    """The generator's next draw, without drawing it: the leader's decision at the signing step
    foretells the outcome drawn when the result is issued, so the seeded figures stay the same."""
    state = rng.getstate()
    value = rng.random()
    rng.setstate(state)
    return value


def generate_bulk(
    count: int, seed: int = 1, days: int = 365, communes: int = 8, now: datetime | None = None,
    province: str = DEMO_PROVINCE, until: date | None = None,
) -> Stats:  # fmt: skip
    """The same shape at volume (millions): each dossier written whole, with its receipt, due time,
    outcome and return, through the migration writer (COPY on PostgreSQL) instead of step by step.
    Its history is one "migrate" event, so supplements, transfers and apologies are not made.
    Received on the ``days`` before ``until`` (today): writers given separate spans of days can run
    side by side (each desk's day counter is then one writer's)."""
    rng = random.Random(seed)
    now = now or timezone.now()
    today = now.astimezone(VIETNAM).date()
    home = unit_on(province, today)
    last = min(until or today, today)
    counters = {
        (c.unit_id, c.day): c.last
        for c in DossierCounter.objects.filter(day__gte=last - timedelta(days), day__lte=last)
    }
    calendars: dict[int, time_rules.OfficeCalendar] = {}
    fee_bearing = set(Fee.objects.filter(amount__gt=0).values_list("procedure_id", flat=True))
    processing_units: dict[tuple[int, int], Unit] = {}
    stats = Stats()

    def records():
        for desk, procedure, received in _arrivals(rng, count, days, communes, now, home, until):
            key = (desk.pk, procedure.pk)
            if key not in processing_units:
                processing_units[key] = _processing_unit(desk, procedure, today)
            if received.year not in calendars:
                calendars[received.year] = office_calendar(received.year)
            calendar = calendars[received.year]
            record = _whole(rng, desk, processing_units[key], procedure, received, now, calendar,
                            procedure.pk in fee_bearing)  # fmt: skip
            day = received.date()
            counters[desk.pk, day] = number = counters.get((desk.pk, day), 0) + 1
            record.code = f"{desk.electronic_id or desk.code}-{day:%y%m%d}-{number:04d}"
            stats.created += 1
            stats.finished += record.finished_at is not None
            stats.late += record.finished_at is not None and record.finished_at > record.due_at
            yield record

    partitions.ensure_for(  # outside the write: making a partition locks the table
        [datetime.combine(last - timedelta(days=n), time(12), VIETNAM) for n in range(days + 1)]
    )
    write_migrated(records())
    return stats


def _whole(rng, desk, processing, procedure, received, now, calendar, fee_bearing=False) -> MigratedDossier:
    """One dossier's life decided at once, with the odds of the step-by-step generator."""
    online = procedure.online_kind != "none" and rng.random() < (0.55 if procedure.online_kind == "full" else 0.3)
    channel = Channel.ONLINE if online else (Channel.POSTAL if rng.random() < 0.03 else Channel.IN_PERSON)
    due = time_rules.due_at(calendar, received, procedure.duration)
    span = time_rules.working_hours_between(calendar, received, due)
    roll = rng.random()
    if roll < 0.025:
        finished, outcome = time_rules.add_working_hours(calendar, due, rng.randrange(1, 40)), "approved"
    else:
        pace = 0.08 if procedure.duration_unit == "in_day" else rng.uniform(0.15, 0.8)
        finished = time_rules.add_working_hours(calendar, received, round(span * Decimal(str(pace)), 2))
        outcome = "stopped" if roll < 0.045 else "withdrawn" if roll < 0.055 else "approved"
        if outcome == "approved" and rng.random() < 0.02:
            outcome = "refused"
    returned = None
    if finished >= now:
        finished, outcome = None, ""
    elif outcome in ("approved", "refused"):
        returned = time_rules.add_working_hours(calendar, finished, rng.randrange(1, 16))
        returned = returned if returned < now else None
    return MigratedDossier(
        line=0, code="", procedure=(procedure.pk, procedure.duration), receiving=desk, processing=processing,
        channel=int(channel), received_at=received, due_at=due, finished_at=finished, outcome=outcome,
        returned_at=returned, digitized=online or rng.random() < 0.9, result_digitized=rng.random() < 0.4,
        applicant_name=f"{rng.choice(FAMILY_NAMES)} {rng.choice(GIVEN_NAMES)}",
        applicant_id=f"014{rng.randrange(10**8, 10**9)}", note="Dữ liệu mẫu sinh hàng loạt",
        reused=rng.random() < 0.15, fee_bearing=fee_bearing, paid_online=fee_bearing and online and rng.random() < 0.6,
        rating=_rating(rng) if returned is not None and rng.random() < 0.6 else "",
    )  # fmt: skip


def _rating(rng) -> str:
    return rng.choices(list(Rating), weights=[60, 38, 2])[0].value
