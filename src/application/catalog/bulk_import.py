"""Catalog sync over HTTP: an upload is stored, then the `catalog_import` job loads it.

ReceiveImport stores the body and asks for the job; the job (RunImports) loads every waiting
upload with the command line's ImportCatalog, writing progress after each batch. In `replace`
mode, once the whole file was read and at least one row loaded, the products it does not name are deleted as single deletes
are (row and search statistics, product cache, catalog version). A product named on a rejected
line is kept: a typo in one price must not delete the product.
"""

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

import msgspec

from application.audit.audit_trail import AuditTrail
from application.catalog.errors import ImportNotFound, UnreadableCatalog
from application.catalog.import_catalog import ImportCatalog, ImportItem, ImportReport, RejectedRow
from application.catalog.manage_products import remove_products
from application.catalog.product_cache import ProductCache
from application.catalog.uploads import MAX_STORED_REJECTS, CatalogUploads, ImportState, NewUpload
from application.jobs.ports import JobQueue
from application.notifications.ports import ChangeNotices
from application.ports import Cache, Clock
from domain.audit.model import CATALOG_IMPORT, Actor
from domain.catalog.ports import ProductRepository

log = logging.getLogger(__name__)

CATALOG_IMPORT_JOB = "catalog_import"  # internal: queued with each upload, not startable by name
ENQUEUE_TIMEOUT_SECONDS = 2.0


class ReceiveImport:
    def __init__(
        self, uploads: CatalogUploads, jobs: JobQueue, audit: AuditTrail, clock: Clock, max_bytes: int
    ) -> None:
        self._uploads = uploads
        self._jobs = jobs
        self._audit = audit
        self._clock = clock
        self._max_bytes = max_bytes

    async def __call__(
        self, body: AsyncIterator[bytes], *, format: str, gzipped: bool, mode: str, actor: Actor
    ) -> str:
        """Store the upload and queue its import; answers the import's id."""
        job_id = f"import-{uuid.uuid4().hex}"
        upload = NewUpload(job_id, mode, format, gzipped, actor.name, self._clock.now())
        size = await self._uploads.store(upload, body, self._max_bytes)
        await self._audit.record(
            actor, CATALOG_IMPORT, job_id, {"mode": mode, "format": format, "stored_bytes": size}
        )
        await request_imports(self._jobs)
        return job_id


async def request_imports(jobs: JobQueue) -> bool:
    """Ask for the import job; a stored upload waits for the periodic check when the queue is away."""
    try:
        async with asyncio.timeout(ENQUEUE_TIMEOUT_SECONDS):
            await jobs.enqueue(CATALOG_IMPORT_JOB)
    except Exception as exc:
        log.warning("catalog_import job not queued (%s); the upload waits", exc.__class__.__name__)
        return False
    return True


class ResumeImports:
    """The periodic check: ask for the job while an upload waits (queued while the queue was
    away, or while a run was finishing)."""

    def __init__(self, uploads: CatalogUploads, jobs: JobQueue) -> None:
        self._uploads = uploads
        self._jobs = jobs

    async def __call__(self) -> bool:
        return await self._uploads.any_waiting() and await request_imports(self._jobs)


class ReadImport:
    def __init__(self, uploads: CatalogUploads) -> None:
        self._uploads = uploads

    async def __call__(self, job_id: str) -> ImportState:
        state = await self._uploads.get(job_id) if len(job_id) <= 64 else None
        if state is None:
            raise ImportNotFound(job_id)
        return state


class RunReport(msgspec.Struct, frozen=True):
    imports: list[str]


class RunImports:
    """The `catalog_import` job: load every waiting upload, oldest first."""

    def __init__(
        self,
        uploads: CatalogUploads,
        import_catalog: ImportCatalog,
        products: ProductRepository,
        cache: Cache,
        product_cache: ProductCache,
        notices: ChangeNotices,
        clock: Clock,
    ) -> None:
        self._uploads = uploads
        self._import = import_catalog
        self._products = products
        self._cache = cache
        self._product_cache = product_cache
        self._notices = notices
        self._clock = clock

    async def __call__(self) -> RunReport:
        done = []
        while (state := await self._uploads.claim_next(self._clock.now())) is not None:
            await self._run(state)
            done.append(state.job_id)
        return RunReport(imports=done)

    async def _run(self, state: ImportState) -> None:
        named: set[str] = set()
        try:
            async with self._uploads.rows(state.job_id) as rows:
                report = await self._import(
                    _noting_skus(rows, named), after_batch=lambda r: self._progress(state, r)
                )
        except UnreadableCatalog as exc:
            state.status, state.error = "failed", str(exc)
        else:
            _copy(report, state)
            if report.loaded == 0:  # as the command line's exit 2: nothing could be read
                state.status, state.error = "failed", "no row could be loaded (see the rejected lines)"
            else:
                if state.mode == "replace":
                    state.deleted = await self._delete_unnamed(named)
                state.status = "complete"
        state.finished_at = self._clock.now()
        await self._uploads.save(state)
        await self._notify(state)

    async def _progress(self, state: ImportState, report: ImportReport) -> None:
        _copy(report, state)
        await self._uploads.save(state)

    async def _delete_unnamed(self, named: set[str]) -> int:
        unnamed: list[str] = []
        async for page in self._products.skus():
            unnamed.extend(sku for sku in page if sku not in named)
        return await remove_products(self._products, self._cache, self._product_cache, unnamed)

    async def _notify(self, state: ImportState) -> None:
        data: dict[str, Any] = {
            "job_id": state.job_id,
            "mode": state.mode,
            "status": state.status,
            "processed": state.processed,
            "loaded": state.loaded,
            "inserted": state.inserted,
            "updated": state.updated,
            "unchanged": state.unchanged,
            "rejected": state.rejected_count,
            "deleted": state.deleted,
        }
        try:
            await self._notices.publish("import.completed", data)
        except Exception:  # the import is done and recorded; a notice is never worth failing it
            log.exception("import.completed notice not published for %s", state.job_id)


def _copy(report: ImportReport, state: ImportState) -> None:
    state.processed = report.read
    state.inserted, state.updated, state.unchanged = report.inserted, report.updated, report.unchanged
    state.rejected_count = report.rejected
    state.rejected = list(report.rejected_rows[:MAX_STORED_REJECTS])


def _noting_skus(rows: Iterable[ImportItem], named: set[str]) -> Iterator[ImportItem]:
    """Pass the rows on, noting every sku the file names (as the rules normalise it)."""
    for item in rows:
        if not isinstance(item, RejectedRow):
            sku = item[1].get("sku")
            if isinstance(sku, str | int | float) and not isinstance(sku, bool):
                named.add(" ".join(str(sku).split()))
        yield item
