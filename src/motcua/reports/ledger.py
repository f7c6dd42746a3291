"""The report ledger: written in the same transaction as every change of a dossier, read by the
settlement report. The rules of what a change adds are in ``rules.ledger_change``; this module
stores and sums them.

Writes are additive upserts (``INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n``), each
change to a day row and to its half-month row. Balances at a midnight are sums over all days
before it, so they are kept as checkpoints at the midnights starting each half month and at
yesterday's (made when first read, from the previous one); a change dated before today makes a
province's checkpoints stale by bumping its generation.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from motcua.core import counters

from . import rules
from .models import Checkpoint, CheckpointBalance, LedgerGeneration, Span, Tally, TallyMove
from .rules import BALANCES, FLOWS, LEDGER, LedgerChange

# ---------------------------------------------------------------------------------------------
# Writing


def write(changes: dict[int, LedgerChange]) -> None:
    """Add each province's change to its ledger (in the caller's transaction)."""
    today = timezone.localdate()
    tally, moves = counters.Rows(LEDGER), counters.Rows(("new_online", "new_offline"))
    backdated = set()
    for province, change in changes.items():
        for (unit, procedure, day, column), n in change.counts.items():
            for span, start in ((Span.DAY, day), (Span.HALF_MONTH, rules.half_month(day))):
                tally.add(province, (unit, procedure, span.value, start), column, n)
            if column in BALANCES and day < today:
                backdated.add(province)
        for (unit, procedure, day, known, column), n in change.moves.items():
            moves.add(province, (unit, procedure, day, known), column, n)
    tally.write(Tally, ("unit_id", "procedure_id", "span", "day"))
    moves.write(TallyMove, ("unit_id", "procedure_id", "day", "known"))
    for province in sorted(backdated):
        _bump_generation(province)


STRIPES = 8


def _bump_generation(province: int) -> None:
    table = LedgerGeneration._meta.db_table
    stripe = f"pg_backend_pid() %% {STRIPES}" if connection.vendor == "postgresql" else "0"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (province_id, stripe, number) VALUES (%s, {stripe}, 1) "
            f"ON CONFLICT (province_id, stripe) DO UPDATE SET number = {table}.number + 1",
            [province],
        )


def generation(province: int) -> int:
    """Only grows: each bump adds one to a stripe, and is seen when its transaction commits."""
    return LedgerGeneration.objects.filter(province_id=province).aggregate(n=Sum("number"))["n"] or 0


# ---------------------------------------------------------------------------------------------
# Reading. ``where`` narrows the rows to the report's units (by province or by unit); ``by`` is
# the column the sums are grouped by: "unit_id" or "procedure_id".


def flows(where: Q, first: date, end: date, by: str) -> dict[int, dict[str, int]]:
    """The flow columns summed over the days [first, end)."""
    halves, days = rules.cover(first, end)
    span = Q(pk__in=[])
    if halves:
        span |= Q(span=Span.HALF_MONTH, day__gte=halves[0][0], day__lt=halves[-1][1])
    for since, until in days:
        span |= Q(span=Span.DAY, day__gte=since, day__lt=until)
    return _sums(Tally.objects.filter(where, span), by, FLOWS)


def moves(where: Q, first: date, end: date, known_before: date | None, by: str) -> dict[int, dict[str, int]]:
    """The transfers' moves of receipts in [first, end), those known before ``known_before``."""
    rows = TallyMove.objects.filter(where, day__gte=first, day__lt=end)
    if known_before is not None:
        rows = rows.filter(known__lt=known_before)
    return _sums(rows, by, ("new_online", "new_offline"))


def balances(province: int, where: Q, midnight: date, by: str) -> dict[int, dict[str, int]]:
    """What was open (overdue, digitized) at 00:00 of ``midnight``: a checkpoint and the days since."""
    checkpoint = ensure_checkpoint(province, _checkpoint_day(midnight))
    found = _sums(CheckpointBalance.objects.filter(where, checkpoint=checkpoint), by, BALANCES)
    since = _sums(Tally.objects.filter(where, span=Span.DAY, day__gte=checkpoint.day, day__lt=midnight), by, BALANCES)
    return _merge(found, since)


def _sums(rows, by: str, columns) -> dict[int, dict[str, int]]:
    summed = rows.values(by).annotate(**{f"s_{c}": Sum(c) for c in columns}).order_by()
    return {r[by]: {c: r[f"s_{c}"] or 0 for c in columns} for r in summed}


def _merge(*parts: dict[int, dict[str, int]]) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for part in parts:
        for key, values in part.items():
            mine = out[key]
            for column, n in values.items():
                mine[column] = mine.get(column, 0) + n
    return dict(out)


# ---------------------------------------------------------------------------------------------
# Checkpoints


def _checkpoint_day(midnight: date) -> date:
    """Where to start summing the days up to ``midnight``: yesterday for today's figures, or the
    first day of ``midnight``'s half month. Never today or later: a change made from today on
    reaches no day before today (changes dated earlier bump the generation)."""
    yesterday = timezone.localdate() - timedelta(days=1)
    if midnight >= yesterday:
        return yesterday
    return rules.half_month(midnight)


def ensure_checkpoint(province: int, day: date) -> Checkpoint:
    """The province's balances at 00:00 of ``day``, made now (from the latest valid earlier
    checkpoint and the half months since) unless a valid one is kept."""
    current = generation(province)
    kept = Checkpoint.objects.filter(province_id=province, day=day).first()
    if kept is not None and kept.generation == current:
        return kept
    earlier = Checkpoint.objects.filter(province_id=province, day__lt=day, generation=current).order_by("-day").first()
    try:
        with transaction.atomic():
            if kept is not None:
                kept.delete()
            checkpoint = Checkpoint.objects.create(province_id=province, day=day, generation=current)
            _fill(checkpoint, earlier)
            # Days that start no half month are kept only while recent (today's figures start from yesterday).
            Checkpoint.objects.filter(province_id=province, day__lt=day - timedelta(days=2)).exclude(
                day__day__in=(1, 15)
            ).delete()
    except IntegrityError:  # made meanwhile by another reader
        return Checkpoint.objects.get(province_id=province, day=day)
    return checkpoint


def _fill(checkpoint: Checkpoint, earlier: Checkpoint | None) -> None:
    """The balances at ``checkpoint``: the earlier checkpoint's, and every change since (whole half
    months where they fit, days at the edges)."""
    balance, tally = CheckpointBalance._meta.db_table, Tally._meta.db_table
    province = checkpoint.province_id
    if earlier is not None:
        since = earlier.day
    else:
        since = (
            Tally.objects.filter(province_id=province, span=Span.DAY)
            .order_by("day")
            .values_list("day", flat=True)
            .first()
            or checkpoint.day
        )
    halves, days = rules.cover(since, checkpoint.day) if since < checkpoint.day else ([], [])
    columns = ", ".join(BALANCES)
    select = f"SELECT unit_id, procedure_id, {columns} FROM {tally} WHERE province_id = %s AND span = %s"
    parts, params = [], []
    if halves:
        parts.append(f"{select} AND day >= %s AND day < %s")
        params += [province, Span.HALF_MONTH.value, halves[0][0], halves[-1][1]]
    for first, end in days:
        parts.append(f"{select} AND day >= %s AND day < %s")
        params += [province, Span.DAY.value, first, end]
    if earlier is not None:
        parts.append(f"SELECT unit_id, procedure_id, {columns} FROM {balance} WHERE checkpoint_id = %s")
        params.append(earlier.pk)
    if not parts:
        return
    sums = ", ".join(f"SUM({c})" for c in BALANCES)
    nonzero = " OR ".join(f"SUM({c}) <> 0" for c in BALANCES)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {balance} (checkpoint_id, province_id, unit_id, procedure_id, {columns}) "
            f"SELECT %s, %s, unit_id, procedure_id, {sums} FROM ({' UNION ALL '.join(parts)}) parts "
            f"GROUP BY unit_id, procedure_id HAVING {nonzero}",
            [checkpoint.pk, province, *params],
        )


# ---------------------------------------------------------------------------------------------
# Rebuilding from the events


def rebuild(province: int | None = None) -> int:
    """Empty the ledger (of one province, or all) and write it again from every dossier's events.
    Returns the number of dossiers read."""
    from .history import standings

    scope = Q(province_id=province) if province else Q()
    with transaction.atomic():
        for model in (Tally, TallyMove, Checkpoint):
            model.objects.filter(scope).delete()
        changes: dict[int, LedgerChange] = defaultdict(LedgerChange)
        count = 0
        for dossier, timeline in standings(scope):
            previous = None
            for at, standing in timeline:
                changes[dossier.province_id].add(rules.ledger_change(previous, standing, at))
                previous = standing
            count += 1
            if count % 20000 == 0:
                write(dict(changes))
                changes.clear()
        write(dict(changes))
        for province_id in Tally.objects.filter(scope).values_list("province_id", flat=True).distinct():
            _bump_generation(province_id)
    return count
