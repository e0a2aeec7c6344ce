"""Catalog uploads: an import file received over HTTP, kept in the database until a job loads it.

The file lives in the database (compressed chunks), not on the receiving machine's disk, so a
worker on another machine can read it. Its row also holds the import's progress and outcome.
"""

from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Protocol

import msgspec

from application.catalog.import_catalog import ImportItem, RejectedRow

MODES = ("upsert", "replace")
FORMATS = ("jsonl", "csv")
STATUSES = ("queued", "running", "complete", "failed")
MAX_STORED_REJECTS = 1000


class NewUpload(msgspec.Struct, frozen=True):
    job_id: str
    mode: str  # one of MODES
    format: str  # one of FORMATS
    gzipped: bool  # the body as sent was gzip (it is stored compressed either way)
    actor: str
    at: datetime


class ImportState(msgspec.Struct, kw_only=True):
    """An import as its status answer shows it."""

    job_id: str
    mode: str
    format: str
    status: str  # one of STATUSES
    stored_bytes: int = 0
    processed: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected_count: int = 0
    deleted: int = 0
    rejected: list[RejectedRow] = msgspec.field(default_factory=list)
    error: str | None = None
    queued_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None

    @property
    def loaded(self) -> int:
        return self.inserted + self.updated + self.unchanged


class CatalogUploads(Protocol):
    async def store(self, upload: NewUpload, body: AsyncIterator[bytes], max_bytes: int) -> int:
        """Store the body (every chunk in one transaction) with its import queued; answers the
        stored size. Raises UploadTooLarge when the body, sent or decompressed, exceeds
        `max_bytes`, and UnreadableUpload for a bad gzip body: then nothing is stored."""
        ...

    async def claim_next(self, at: datetime) -> ImportState | None:
        """The oldest import not finished, marked running (one left running by a dead worker
        is taken again: loading is idempotent)."""
        ...

    def rows(self, job_id: str) -> AbstractAsyncContextManager[Iterator[ImportItem]]:
        """The upload's rows, read as the command line reads a file (CatalogFileError for a
        file that cannot be read as a catalog)."""
        ...

    async def save(self, state: ImportState) -> None:
        """Write the import's progress or outcome; a finished one's chunks are dropped."""
        ...

    async def get(self, job_id: str) -> ImportState | None: ...

    async def any_waiting(self) -> bool:
        """Whether an import is queued (for the periodic check)."""
        ...
