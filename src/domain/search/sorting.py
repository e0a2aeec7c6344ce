"""The stored orders: their names, and how to apply them in memory (the databases apply the same
ones in SQL)."""

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

from domain.catalog.model import Product

# The one list of orders a search can ask for; the HTTP `sort` parameter's enum comes from it.
SortKey = Literal["relevance", "price_asc", "price_desc", "rating", "popularity", "newest"]


_KEYS: dict[SortKey, Callable[[Product], tuple[Any, ...]]] = {
    "relevance": lambda p: (-p.popularity, -p.rating),
    "popularity": lambda p: (-p.popularity,),
    "price_asc": lambda p: (p.price,),
    "price_desc": lambda p: (-p.price,),
    "rating": lambda p: (-p.rating, -p.review_count),
    "newest": lambda p: (-p.created_at.timestamp(),),
}


def sort_products(
    products: Sequence[Product], sort: SortKey, relevance: Mapping[str, float] | None = None
) -> list[Product]:
    """Order like the SQL adapters: the sort's key, then sku for a stable, repeatable order.

    With `relevance` (a text score by sku), products the sort's key ties are ordered by it first,
    most relevant first, and only then by sku: a stored order over text matches then still serves
    the better match first where the key says nothing (a catalog without traffic, by popularity).
    """
    key = _KEYS[sort]
    if relevance is None:
        return sorted(products, key=lambda p: (*key(p), p.sku))
    return sorted(products, key=lambda p: (*key(p), -relevance.get(p.sku, 0.0), p.sku))
