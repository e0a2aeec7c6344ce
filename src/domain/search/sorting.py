"""The stored orders: their names, and how to apply them in memory (the databases apply the same
ones in SQL)."""

from collections.abc import Callable, Sequence
from typing import Any, Literal

from domain.catalog.model import Product

# The one list of orders a search can ask for; the HTTP `sort` parameter's enum comes from it.
SortKey = Literal["relevance", "price_asc", "price_desc", "rating", "popularity", "newest"]


def sort_products(products: Sequence[Product], sort: SortKey) -> list[Product]:
    """Order like the SQL adapters: the sort's key, then sku for a stable, repeatable order."""
    keys: dict[SortKey, Callable[[Product], tuple[Any, ...]]] = {
        "relevance": lambda p: (-p.popularity, -p.rating, p.sku),
        "popularity": lambda p: (-p.popularity, p.sku),
        "price_asc": lambda p: (p.price, p.sku),
        "price_desc": lambda p: (-p.price, p.sku),
        "rating": lambda p: (-p.rating, -p.review_count, p.sku),
        "newest": lambda p: (-p.created_at.timestamp(), p.sku),
    }
    return sorted(products, key=keys[sort])
