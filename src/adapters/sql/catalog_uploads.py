"""SqlCatalogUploads: import files in the database as gzip chunks, with each import's state.

Receiving spools the body to a temporary file (memory up to SPOOL_BYTES, then disk) while
counting its sent and decompressed sizes, and writes nothing until the whole body is within the
limit; then the import's row and every chunk go in one transaction. Loading copies the chunks to
a local temporary file and reads it with the command line's reader.
"""

import codecs
import gzip
import tempfile
import zlib
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import IO, Any, cast

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.files.catalog_reader import CatalogFileError, RowError, read_stream
from adapters.sql.tables import catalog_upload_chunks, catalog_uploads
from application.catalog.errors import UnreadableCatalog, UnreadableUpload, UploadTooLarge
from application.catalog.import_catalog import ImportItem, RejectedRow
from application.catalog.uploads import ImportState, NewUpload

CHUNK_BYTES = 1 << 20
SPOOL_BYTES = 8 << 20
_GZIP_WBITS = 16 + zlib.MAX_WBITS
_STATE_FIELDS = tuple(f for f in ImportState.__struct_fields__ if f not in ("job_id", "rejected"))


class _Measured:
    """The body as stored (gzip) in a spool file, with its sent and decompressed sizes bounded."""

    def __init__(self, gzipped: bool, max_bytes: int) -> None:
        self.spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (closed by store)
        self.gzipped = gzipped
        self.max_bytes = max_bytes
        self.sent = 0
        self.plain = 0
        self._inflate = zlib.decompressobj(_GZIP_WBITS)
        self._deflate = zlib.compressobj(6, zlib.DEFLATED, _GZIP_WBITS)

    def add(self, data: bytes) -> None:
        self.sent += len(data)
        if self.sent > self.max_bytes:
            raise UploadTooLarge(self.max_bytes, "sent")
        if self.gzipped:
            self._count_inflated(data)
            self.spool.write(data)
        else:
            self._count(len(data))
            self.spool.write(self._deflate.compress(data))

    def end(self) -> None:
        if self.sent == 0:
            raise UnreadableUpload("the body is empty")
        if self.gzipped:
            if not self._inflate.eof:
                raise UnreadableUpload("the gzip stream ends early")
        else:
            self.spool.write(self._deflate.flush())
        self.spool.seek(0)

    def _count(self, size: int) -> None:
        self.plain += size
        if self.plain > self.max_bytes:
            raise UploadTooLarge(self.max_bytes, "decompressed")

    def _count_inflated(self, data: bytes) -> None:
        # Inflated a bounded piece at a time: a small bomb never expands in memory.
        try:
            if self._inflate.eof:  # a further gzip member starts
                self._inflate = zlib.decompressobj(_GZIP_WBITS)
            while True:
                self._count(len(self._inflate.decompress(data, CHUNK_BYTES)))
                if self._inflate.eof:
                    data = self._inflate.unused_data
                    if not data:
                        return
                    self._inflate = zlib.decompressobj(_GZIP_WBITS)
                else:
                    data = self._inflate.unconsumed_tail
                    if not data:
                        return
        except zlib.error as exc:
            raise UnreadableUpload(f"the body is not valid gzip ({exc})") from None


def _state(row: Any) -> ImportState:
    values = {f: getattr(row, f) for f in _STATE_FIELDS}
    rejected = msgspec.convert(row.rejected or [], list[RejectedRow])
    return ImportState(job_id=row.job_id, rejected=rejected, **values)


class SqlCatalogUploads:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def store(self, upload: NewUpload, body: AsyncIterator[bytes], max_bytes: int) -> int:
        measured = _Measured(upload.gzipped, max_bytes)
        with measured.spool:
            async for data in body:
                if data:
                    measured.add(data)
            measured.end()
            row = {
                "job_id": upload.job_id, "mode": upload.mode, "format": upload.format,
                "actor": upload.actor, "status": "queued", "stored_bytes": 0, "processed": 0,
                "inserted": 0, "updated": 0, "unchanged": 0, "rejected_count": 0, "deleted": 0,
                "rejected": [], "queued_at": upload.at,
            }  # fmt: skip
            stored = 0
            async with self._engine.begin() as db:
                await db.execute(sa.insert(catalog_uploads).values(**row))
                seq = 0
                while chunk := measured.spool.read(CHUNK_BYTES):
                    await db.execute(
                        sa.insert(catalog_upload_chunks).values(job_id=upload.job_id, seq=seq, data=chunk)
                    )
                    seq += 1
                    stored += len(chunk)
                await db.execute(
                    sa.update(catalog_uploads)
                    .where(catalog_uploads.c.job_id == upload.job_id)
                    .values(stored_bytes=stored)
                )
        return stored

    async def claim_next(self, at: datetime) -> ImportState | None:
        async with self._engine.begin() as db:
            row = (
                await db.execute(
                    sa.select(catalog_uploads)
                    .where(catalog_uploads.c.status.in_(("queued", "running")))
                    .order_by(catalog_uploads.c.queued_at, catalog_uploads.c.job_id)
                    .limit(1)
                )
            ).first()
            if row is None:
                return None
            started = row.started_at or at
            await db.execute(
                sa.update(catalog_uploads)
                .where(catalog_uploads.c.job_id == row.job_id)
                .values(status="running", started_at=started)
            )
        state = _state(row)
        state.status, state.started_at = "running", started
        return state

    @asynccontextmanager
    async def rows(self, job_id: str) -> AsyncIterator[Iterator[ImportItem]]:
        with tempfile.TemporaryFile() as local:
            seq = -1
            while True:  # a few chunks at a time: the file is never whole in memory
                async with self._engine.connect() as db:
                    page = (
                        await db.execute(
                            sa.select(catalog_upload_chunks.c.seq, catalog_upload_chunks.c.data)
                            .where(
                                catalog_upload_chunks.c.job_id == job_id, catalog_upload_chunks.c.seq > seq
                            )
                            .order_by(catalog_upload_chunks.c.seq)
                            .limit(8)
                        )
                    ).all()
                if not page:
                    break
                for row in page:
                    local.write(row.data)
                seq = page[-1].seq
            local.seek(0)
            kind = await self._format(job_id)
            with gzip.GzipFile(fileobj=local, mode="rb") as text:
                yield _items(kind if kind != "auto" else _sniff(text), text)

    async def _format(self, job_id: str) -> str:
        async with self._engine.connect() as db:
            found = await db.scalar(
                sa.select(catalog_uploads.c.format).where(catalog_uploads.c.job_id == job_id)
            )
        if found is None:
            raise UnreadableCatalog("the upload is gone")
        return str(found)

    async def save(self, state: ImportState) -> None:
        values = {f: getattr(state, f) for f in _STATE_FIELDS if f not in ("mode", "format", "queued_at")}
        values["rejected"] = msgspec.to_builtins(state.rejected)
        async with self._engine.begin() as db:
            await db.execute(
                sa.update(catalog_uploads).where(catalog_uploads.c.job_id == state.job_id).values(**values)
            )
            if state.status in ("complete", "failed"):
                await db.execute(
                    sa.delete(catalog_upload_chunks).where(catalog_upload_chunks.c.job_id == state.job_id)
                )

    async def get(self, job_id: str) -> ImportState | None:
        async with self._engine.connect() as db:
            row = (
                await db.execute(sa.select(catalog_uploads).where(catalog_uploads.c.job_id == job_id))
            ).first()
        return None if row is None else _state(row)

    async def any_waiting(self) -> bool:
        async with self._engine.connect() as db:
            found = await db.scalar(
                sa.select(catalog_uploads.c.job_id).where(catalog_uploads.c.status == "queued").limit(1)
            )
        return found is not None


def _sniff(text: gzip.GzipFile) -> str:
    """A gzip file sent without its format: JSON lines start with `{`, anything else is CSV."""
    try:
        head = text.read(4096).lstrip(codecs.BOM_UTF8).lstrip()
        text.seek(0)
    except (OSError, EOFError, zlib.error) as exc:
        raise UnreadableCatalog(f"the stored upload cannot be decompressed ({exc})") from None
    return "jsonl" if head.startswith(b"{") else "csv"


def _items(kind: str, text: gzip.GzipFile) -> Iterator[ImportItem]:
    """The reader's rows as the importer takes them; a file unreadable as a whole (or a gzip
    stream that breaks) raises UnreadableCatalog."""
    try:
        for item in read_stream(kind, cast(IO[bytes], text)):
            yield RejectedRow(line=item.line, errors=item.errors) if isinstance(item, RowError) else item
    except CatalogFileError as exc:
        raise UnreadableCatalog(str(exc)) from None
    except (OSError, EOFError, zlib.error) as exc:
        raise UnreadableCatalog(f"the stored upload cannot be decompressed ({exc})") from None
