"""Turning a user's history into interests, and candidates into a diverse list."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Final

from domain.catalog.model import Product
from domain.recommendations.errors import InvalidLimit
from domain.recommendations.model import Signal

MAX_LIMIT: Final = 50
RECENT_KEPT: Final = 50
# How much each kind of history counts: a cart or a good review says more than a glance.
VIEW_WEIGHT: Final = 1.0
CART_WEIGHT: Final = 3.0
ADDED_WEIGHT: Final = 2.0
GOOD_REVIEW_WEIGHT: Final = 3.0
GOOD_REVIEW: Final = 4


def check_limit(limit: int) -> None:
    if isinstance(limit, bool) or not 1 <= limit <= MAX_LIMIT:
        raise InvalidLimit(MAX_LIMIT)


def ranked(weights: dict[str, float], top: int) -> list[str]:
    return [k for k, _ in sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:top] if k]


def interests(signals: Iterable[Signal]) -> tuple[dict[str, float], dict[str, float]]:
    """Summed weights per category and per brand."""
    categories: dict[str, float] = defaultdict(float)
    brands: dict[str, float] = defaultdict(float)
    for s in signals:
        if s.category:
            categories[s.category] += s.weight
        if s.brand:
            brands[s.brand] += s.weight
    return dict(categories), dict(brands)


def diversify(
    candidates: Sequence[Product],
    categories: dict[str, float],
    brands: dict[str, float],
    exclude: set[str],
    limit: int,
) -> list[Product]:
    """Round-robin over categories, the best liked first; within one, liked brands then popularity.

    Candidates come most popular first; duplicates and excluded skus are dropped.
    """
    groups: dict[str, list[Product]] = defaultdict(list)
    seen = set(exclude)
    for product in candidates:
        if product.sku not in seen:
            seen.add(product.sku)
            groups[product.category].append(product)
    for items in groups.values():
        # Stable: equal brand weight keeps the popularity order the candidates came in.
        items.sort(key=lambda p: -brands.get(p.brand, 0.0))
    order = sorted(
        groups,
        key=lambda c: (-categories.get(c, 0.0), -max(brands.get(p.brand, 0.0) for p in groups[c]), c),
    )
    picked: list[Product] = []
    depth = 0
    while len(picked) < limit and any(depth < len(groups[c]) for c in order):
        for category in order:
            if depth < len(groups[category]) and len(picked) < limit:
                picked.append(groups[category][depth])
        depth += 1
    return picked
