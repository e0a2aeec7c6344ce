"""Facet counts over an in-memory set of matches (all of them, or a sample of a very large set)."""

from collections import Counter
from collections.abc import Sequence

from domain.catalog.model import Product
from domain.search.model import Facets, FacetValue, PriceRange, SummaryRow


def facets_of_rows(rows: Sequence[SummaryRow], size: int, total: int | None = None) -> Facets:
    """Counts of each category and brand, and the price range.

    When `total` exceeds the rows given, the rows are a sample: counts are scaled to the total
    and the facets are marked inexact.
    """
    scale = (total / len(rows)) if total and rows and total > len(rows) else 1.0

    def top(counter: Counter[str]) -> list[FacetValue]:
        ordered = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:size]
        return [FacetValue(value=v, count=max(1, round(c * scale))) for v, c in ordered]

    prices = [r.price for r in rows]
    return Facets(
        category=top(Counter(r.category for r in rows if r.category)),
        brand=top(Counter(r.brand for r in rows if r.brand)),
        price=PriceRange(min=min(prices) if prices else None, max=max(prices) if prices else None),
        exact=scale == 1.0,
    )


def facets_of(products: Sequence[Product], size: int) -> Facets:
    return facets_of_rows([SummaryRow(p.category, p.brand, p.price) for p in products], size)
