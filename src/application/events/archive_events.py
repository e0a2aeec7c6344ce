"""ArchiveEvents: move events and impressions older than the retention age into archive tables.

Batch by batch, each batch one transaction (copy, then delete), so a crash or timeout leaves
every row in exactly one place and a rerun continues where the last one stopped.
"""

from datetime import datetime, timedelta
from typing import Literal, Protocol

import msgspec

from application.ports import Clock

ArchivedLog = Literal["events", "impressions"]
LOGS: tuple[ArchivedLog, ...] = ("events", "impressions")
MAX_BATCH = 10_000  # one bound parameter per row id: stay far under the drivers' limits


class ArchiveConfig(msgspec.Struct, frozen=True):
    retention_days: float = 180.0
    batch_size: int = 5000

    def __post_init__(self) -> None:
        if self.retention_days < 1:
            raise ValueError("EVENT_RETENTION_DAYS must be at least 1")
        if not 1 <= self.batch_size <= MAX_BATCH:
            raise ValueError(f"ARCHIVE_BATCH_SIZE must be between 1 and {MAX_BATCH}")


class EventArchive(Protocol):
    async def move_batch(self, log: ArchivedLog, before: datetime, limit: int, now: datetime) -> int:
        """Copy up to `limit` rows that occurred before `before` into the log's archive and delete
        them, in one transaction; returns how many moved (0 when none are left)."""
        ...


class ArchiveReport(msgspec.Struct, frozen=True):
    cutoff: datetime
    events: int
    impressions: int
    batches: int


class ArchiveEvents:
    def __init__(self, archive: EventArchive, clock: Clock, config: ArchiveConfig = ArchiveConfig()) -> None:
        self._archive = archive
        self._clock = clock
        self._config = config

    async def __call__(self) -> ArchiveReport:
        now = self._clock.now()
        # One cutoff for the whole run, so a long run does not chase rows that age meanwhile.
        cutoff = now - timedelta(days=self._config.retention_days)
        moved: dict[ArchivedLog, int] = {}
        batches = 0
        for log in LOGS:
            moved[log] = 0
            while True:
                count = await self._archive.move_batch(log, cutoff, self._config.batch_size, now)
                moved[log] += count
                if count:
                    batches += 1
                if count < self._config.batch_size:
                    break
        return ArchiveReport(
            cutoff=cutoff, events=moved["events"], impressions=moved["impressions"], batches=batches
        )
