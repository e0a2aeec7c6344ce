"""Facet counts: from the index's exact counts of every match, or from a set of products in memory."""

from collections import Counter
from collections.abc import Sequence

from domain.catalog.model import Product
from domain.search.model import Facets, FacetValue, GroupCount, MatchCounts, PriceRange


def facets_of_counts(counts: MatchCounts, size: int) -> Facets:
    """The `size` most common categories and brands (ties by name), and the price range."""
    category: Counter[str] = Counter()
    brand: Counter[str] = Counter()
    for group in counts.groups:
        if group.category:
            category[group.category] += group.count
        if group.brand:
            brand[group.brand] += group.count

    def top(counter: Counter[str]) -> list[FacetValue]:
        ordered = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:size]
        return [FacetValue(value=v, count=c) for v, c in ordered]

    groups = [g for g in counts.groups if g.count > 0]
    return Facets(
        category=top(category),
        brand=top(brand),
        price=PriceRange(
            min=min((g.min_price for g in groups), default=None),
            max=max((g.max_price for g in groups), default=None),
        ),
    )


def counts_of(products: Sequence[Product]) -> MatchCounts:
    """The counts of a set of products held in memory (the pooled matches of a relaxed query)."""
    groups: dict[tuple[str, str], list[float]] = {}
    for p in products:
        groups.setdefault((p.category, p.brand), []).append(p.price)
    return MatchCounts(
        groups=[
            GroupCount(category=c, brand=b, count=len(prices), min_price=min(prices), max_price=max(prices))
            for (c, b), prices in groups.items()
        ]
    )


def facets_of(products: Sequence[Product], size: int) -> Facets:
    return facets_of_counts(counts_of(products), size)
