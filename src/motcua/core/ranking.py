"""Ranking units without misleading: by the share of the points each could reach (so that a unit
for which some indicators or criteria do not apply is neither helped nor hurt), to two decimals
half up, equal shares sharing a rank (standard competition ranking: 1, 2, 2, 4). Units with no
data are not ranked at all: the callers list them apart. Pure: plain values in and out."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def share(points: Decimal, reachable: Decimal) -> Decimal | None:
    """``points`` as a percent of the ``reachable`` maximum, to two decimals (half up); None when
    nothing was within reach."""
    if not reachable:
        return None
    return (Decimal(points) * HUNDRED / Decimal(reachable)).quantize(CENT, rounding=ROUND_HALF_UP)


def competition[K: Hashable](values: Iterable[tuple[K, Decimal]]) -> dict[K, int]:
    """Standard competition ranking, highest first: equal values share a rank and the next rank
    skips as many places (1, 2, 2, 4)."""
    ordered = sorted(values, key=lambda item: item[1], reverse=True)
    ranks: dict[K, int] = {}
    for position, (key, value) in enumerate(ordered, start=1):
        if position > 1 and value == ordered[position - 2][1]:
            ranks[key] = ranks[ordered[position - 2][0]]
        else:
            ranks[key] = position
    return ranks
