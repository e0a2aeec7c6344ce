"""ImportCatalog: validate rows, upsert them by sku in batches, report the rejected ones by line."""

import asyncio
from collections.abc import Callable, Iterable, Mapping
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
    rejected: int = 0
    rejected_rows: list[RejectedRow] = msgspec.field(default_factory=list)

    @property
    def loaded(self) -> int:
        return self.inserted + self.updated


ImportItem = tuple[int, Mapping[str, Any]] | RejectedRow


class ImportCatalog:
    def __init__(
        self, products: ProductRepository, cache: Cache, clock: Clock, batch_size: int = 2000
    ) -> None:
        self._products = products
        self._cache = cache
        self._clock = clock
        self._batch_size = max(1, batch_size)

    async def __call__(
        self, rows: Iterable[ImportItem], progress: Callable[[int], object] | None = None
    ) -> ImportReport:
        report = ImportReport()
        try:
            await self._load(rows, report, progress)
        finally:
            # Batches already written stay written; caches must not keep the old catalog.
            if report.loaded:
                await bump_catalog_version(self._cache)
        if report.loaded:
            await self._products.after_bulk_load()
        return report

    async def _load(
        self, rows: Iterable[ImportItem], report: ImportReport, progress: Callable[[int], object] | None
    ) -> None:
        batch: list[Product] = []
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
                        batch.append(product_from_row(row, now))
                    except InvalidProduct as exc:
                        self._reject(report, RejectedRow(line=line, errors=exc.errors))
                if len(batch) >= self._batch_size:
                    if writing is not None:
                        await writing
                    writing = asyncio.create_task(self._flush(batch, report))
                    batch = []
                elif count % YIELD_EVERY == 0:
                    await asyncio.sleep(0)  # let the pending write make progress
                if progress is not None:
                    progress(1)
        finally:
            if writing is not None:
                await writing
        await self._flush(batch, report)

    @staticmethod
    def _reject(report: ImportReport, row: RejectedRow) -> None:
        report.rejected += 1
        if len(report.rejected_rows) < MAX_REPORTED:
            report.rejected_rows.append(row)

    async def _flush(self, batch: list[Product], report: ImportReport) -> None:
        if not batch:
            return
        result = await self._products.upsert_many(batch)
        report.inserted += result.inserted
        report.updated += result.updated
