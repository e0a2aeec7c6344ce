"""ImportCatalog: validate rows, upsert them by sku in batches, report the rejected ones by line.

A row identical to the stored product is not rewritten (and a row without `created_at` keeps the
stored one), so importing the same file again changes nothing, not even the catalog version.
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

import msgspec

from application.cached import bump_catalog_version
from application.ports import Cache, Clock
from domain.catalog.errors import InvalidProduct
from domain.catalog.model import Product
from domain.catalog.ports import ProductRepository
from domain.catalog.rules import product_from_row

MAX_REPORTED = 1000
YIELD_EVERY = 50


class RejectedRow(msgspec.Struct, frozen=True):
    line: int
    errors: dict[str, str]


class ImportReport(msgspec.Struct, kw_only=True):
    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejected_rows: list[RejectedRow] = msgspec.field(default_factory=list)

    @property
    def loaded(self) -> int:
        """Rows accepted, whether or not they changed what was stored."""
        return self.inserted + self.updated + self.unchanged

    @property
    def changed(self) -> int:
        return self.inserted + self.updated


ImportItem = tuple[int, Mapping[str, Any]] | RejectedRow
AfterBatch = Callable[["ImportReport"], Awaitable[object]]


class ImportCatalog:
    def __init__(
        self, products: ProductRepository, cache: Cache, clock: Clock, batch_size: int = 2000
    ) -> None:
        self._products = products
        self._cache = cache
        self._clock = clock
        self._batch_size = max(1, batch_size)

    async def __call__(
        self,
        rows: Iterable[ImportItem],
        progress: Callable[[int], object] | None = None,
        after_batch: AfterBatch | None = None,
    ) -> ImportReport:
        """`after_batch` is awaited with the report so far after each batch is written."""
        report = ImportReport()
        try:
            await self._load(rows, report, progress, after_batch)
        finally:
            # Batches already written stay written; caches must not keep the old catalog.
            if report.changed:
                await bump_catalog_version(self._cache)
        if report.changed:
            await self._products.after_bulk_load()
        return report

    async def _load(
        self,
        rows: Iterable[ImportItem],
        report: ImportReport,
        progress: Callable[[int], object] | None,
        after_batch: AfterBatch | None,
    ) -> None:
        batch: list[tuple[Product, bool]] = []
        now = self._clock.now()
        # One batch is written while the next is validated: the database and Python overlap.
        writing: asyncio.Task[None] | None = None
        try:
            for count, item in enumerate(rows, start=1):
                report.read += 1
                if isinstance(item, RejectedRow):
                    self._reject(report, item)
                else:
                    line, row = item
                    try:
                        batch.append((product_from_row(row, now), _blank_created_at(row)))
                    except InvalidProduct as exc:
                        self._reject(report, RejectedRow(line=line, errors=exc.errors))
                if len(batch) >= self._batch_size:
                    if writing is not None:
                        await writing
                    writing = asyncio.create_task(self._flush(batch, report, after_batch))
                    batch = []
                elif count % YIELD_EVERY == 0:
                    await asyncio.sleep(0)  # let the pending write make progress
                if progress is not None:
                    progress(1)
        finally:
            if writing is not None:
                await writing
        await self._flush(batch, report, after_batch)

    @staticmethod
    def _reject(report: ImportReport, row: RejectedRow) -> None:
        report.rejected += 1
        if len(report.rejected_rows) < MAX_REPORTED:
            report.rejected_rows.append(row)

    async def _flush(
        self, batch: list[tuple[Product, bool]], report: ImportReport, after_batch: AfterBatch | None
    ) -> None:
        if not batch:
            return
        keep = {product.sku for product, no_created_at in batch if no_created_at}
        result = await self._products.upsert_many([product for product, _ in batch], keep_created_at=keep)
        report.inserted += result.inserted
        report.updated += result.updated
        report.unchanged += result.unchanged
        if after_batch is not None:
            await after_batch(report)


def _blank_created_at(row: Mapping[str, Any]) -> bool:
    value = row.get("created_at")
    return value is None or (isinstance(value, str) and not value.strip())
