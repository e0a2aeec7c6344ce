"""What the catalog needs from outside."""

from collections.abc import AsyncIterator, Collection, Sequence
from typing import Protocol

from domain.catalog.model import CategoryCount, Product, UpsertReport


class ProductRepository(Protocol):
    async def get(self, sku: str) -> Product | None: ...

    async def get_many(self, skus: Sequence[str]) -> dict[str, Product]: ...

    async def upsert_many(
        self, products: Sequence[Product], keep_created_at: Collection[str] = ()
    ) -> UpsertReport:
        """Insert or replace by sku, keeping the search index and its statistics in step. A
        product already stored with the same fields is left alone (its row is not rewritten);
        those in `keep_created_at` keep their stored creation time (their row gave none)."""
        ...

    def skus(self, batch_size: int = 5000) -> AsyncIterator[list[str]]:
        """Every stored sku, in order, a batch at a time."""
        ...

    async def delete(self, sku: str) -> bool: ...

    async def after_bulk_load(self) -> None:
        """Let the store's indexes and statistics catch up with a large import before searches run."""
        ...

    async def count(self) -> int: ...

    async def categories(self) -> list[CategoryCount]: ...
