"""What the catalog needs from outside."""

from collections.abc import Sequence
from typing import Protocol

from domain.catalog.model import CategoryCount, Product, UpsertReport


class ProductRepository(Protocol):
    async def get(self, sku: str) -> Product | None: ...

    async def get_many(self, skus: Sequence[str]) -> dict[str, Product]: ...

    async def upsert_many(self, products: Sequence[Product]) -> UpsertReport:
        """Insert or replace by sku, keeping the search index and its statistics in step."""
        ...

    async def delete(self, sku: str) -> bool: ...

    async def after_bulk_load(self) -> None:
        """Let the store's indexes and statistics catch up with a large import before searches run."""
        ...

    async def count(self) -> int: ...

    async def categories(self) -> list[CategoryCount]: ...
