"""What became of each job: a record per run (queued, running, complete or failed), written by
the queues as attempts start and end, and read by administrators.

A retried job goes back to `queued` with its attempt's error, then `running` with one more
attempt; a job whose worker died keeps `running` until the queue retries it.
"""

import re
from datetime import datetime
from typing import Protocol

import msgspec

from application.jobs.errors import JobNotFound
from application.ports import Clock

_ID = re.compile(r"[\w:.\-]{1,120}", re.ASCII)
STATUSES = ("queued", "running", "complete", "failed")
MAX_LISTED = 100


class JobRecord(msgspec.Struct, frozen=True):
    job_id: str
    name: str
    status: str  # one of STATUSES
    attempts: int = 0
    queued_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    report: object = None
    error: str | None = None


class JobRecords(Protocol):
    async def queued(self, job_id: str, name: str, at: datetime) -> None:
        """Record a new job as queued; a record already there (a fast worker) is left as it is."""
        ...

    async def started(self, job_id: str, name: str, attempt: int, at: datetime, queued_at: datetime) -> None:
        """Attempt `attempt` runs now (the record is created if the job was queued elsewhere). A
        finished record whose first attempt starts is a new run under the same id (a cron's key):
        it starts afresh, queued at `queued_at`."""
        ...

    async def ended(
        self, job_id: str, attempt: int, status: str, at: datetime, report: object, error: str | None
    ) -> None:
        """Attempt `attempt` ended: `complete`, `failed`, or `queued` again for a retry. An older
        attempt's end, arriving after a newer attempt started, changes nothing."""
        ...

    async def get(self, job_id: str) -> JobRecord | None: ...

    async def unsettled(self, limit: int) -> list[JobRecord]:
        """Records still queued or running, oldest first (for the worker to check against SAQ)."""
        ...

    async def recent(self, limit: int) -> list[JobRecord]:
        """Newest first (by queued time)."""
        ...


class JobJournal:
    """The queues' side: stamps each step with the clock."""

    def __init__(self, records: JobRecords, clock: Clock) -> None:
        self.records = records
        self.clock = clock

    async def queued(self, job_id: str, name: str) -> None:
        await self.records.queued(job_id, name, self.clock.now())

    async def started(self, job_id: str, name: str, attempt: int, queued_at: datetime | None = None) -> None:
        now = self.clock.now()
        await self.records.started(job_id, name, attempt, now, queued_at or now)

    async def ended(
        self, job_id: str, attempt: int, status: str, report: object = None, error: str | None = None
    ) -> None:
        if status not in STATUSES:
            raise ValueError(f"unknown job status {status!r}")
        await self.records.ended(job_id, attempt, status, self.clock.now(), report, error)


class ReadJobs:
    """The administrators' side: one job by id, or the most recent ones."""

    def __init__(self, records: JobRecords) -> None:
        self.records = records

    async def one(self, job_id: str) -> JobRecord:
        if not _ID.fullmatch(job_id):  # no queue makes such an id (and a NUL never reaches SQL)
            raise JobNotFound(job_id)
        found = await self.records.get(job_id)
        if found is None:
            raise JobNotFound(job_id)
        return found

    async def recent(self, limit: int) -> list[JobRecord]:
        return await self.records.recent(max(1, min(limit, MAX_LISTED)))
