"""What recommendations need from outside."""

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Protocol

from domain.catalog.model import Product
from domain.recommendations.model import Signal


class ViewHistory(Protocol):
    async def record(self, user_id: int, sku: str, at: datetime, keep: int) -> None:
        """Mark the product viewed now (once per product) and keep the `keep` newest."""
        ...

    async def recent(self, user_id: int, limit: int) -> list[Product]:
        """Newest first."""
        ...


class ShopperHistory(Protocol):
    async def signals(self, user_id: int) -> list[Signal]:
        """Category and brand of what the user viewed, has in the cart, added lately, rated well."""
        ...

    async def owned_skus(self, user_id: int) -> set[str]:
        """What the user has in the cart or has reviewed: not worth recommending again."""
        ...


class PopularProducts(Protocol):
    async def popular(
        self,
        limit: int,
        exclude: Collection[str] = (),
        categories: Sequence[str] = (),
        brands: Sequence[str] = (),
    ) -> list[Product]:
        """Most popular first; within the categories or brands when any are given."""
        ...

    async def popular_per_category(
        self, categories: Sequence[str], per_category: int, exclude: Collection[str] = ()
    ) -> list[Product]:
        """Up to `per_category` of the most popular products of each category, in one request."""
        ...
