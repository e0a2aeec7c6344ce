"""Facet counts over an in-memory result set (used when the result set is a scored candidate list)."""

from collections import Counter
from collections.abc import Sequence

from domain.catalog.model import Product
from domain.search.model import Facets, FacetValue, PriceRange


def facets_of(products: Sequence[Product], size: int) -> Facets:
    def top(counter: Counter[str]) -> list[FacetValue]:
        ordered = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:size]
        return [FacetValue(value=v, count=c) for v, c in ordered]

    prices = [p.price for p in products]
    return Facets(
        category=top(Counter(p.category for p in products if p.category)),
        brand=top(Counter(p.brand for p in products if p.brand)),
        price=PriceRange(min=min(prices) if prices else None, max=max(prices) if prices else None),
    )
