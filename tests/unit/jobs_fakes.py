"""A job queue that records what it was asked to run, and job records in memory."""

from datetime import datetime

import msgspec

from application.jobs.records import JobRecord


class RecordingQueue:
    def __init__(self, names: set[str]) -> None:
        self._names = frozenset(names)
        self.enqueued: list[str] = []

    def names(self) -> frozenset[str]:
        return self._names

    async def enqueue(self, name: str) -> str:
        self.enqueued.append(name)
        return f"{name}:{len(self.enqueued)}"


class InMemoryJobRecords:
    """JobRecords in a dict, with the SQL store's rules: a queued record never overwrites, and an
    older attempt's news never overwrites a newer attempt's."""

    def __init__(self) -> None:
        self.rows: dict[str, JobRecord] = {}

    async def queued(self, job_id: str, name: str, at: datetime) -> None:
        self.rows.setdefault(job_id, JobRecord(job_id=job_id, name=name, status="queued", queued_at=at))

    async def started(self, job_id: str, name: str, attempt: int, at: datetime, queued_at: datetime) -> None:
        row = self.rows.get(job_id) or JobRecord(
            job_id=job_id, name=name, status="queued", queued_at=queued_at
        )
        if row.status in ("complete", "failed") and attempt == 1:  # a new run under the same id
            row = JobRecord(job_id=job_id, name=name, status="queued", queued_at=queued_at)
        if row.attempts <= attempt:
            self.rows[job_id] = msgspec.structs.replace(
                row, status="running", attempts=attempt, started_at=at, finished_at=None
            )

    async def ended(
        self, job_id: str, attempt: int, status: str, at: datetime, report: object, error: str | None
    ) -> None:
        row = self.rows.get(job_id)
        if row is not None and row.attempts <= attempt:
            finished = at if status in ("complete", "failed") else None
            self.rows[job_id] = msgspec.structs.replace(
                row, status=status, finished_at=finished, report=report, error=error
            )

    async def get(self, job_id: str) -> JobRecord | None:
        return self.rows.get(job_id)

    async def unsettled(self, limit: int) -> list[JobRecord]:
        waiting = [r for r in self.rows.values() if r.status in ("queued", "running")]
        return sorted(waiting, key=lambda r: (r.queued_at or datetime.min, r.job_id))[:limit]

    async def recent(self, limit: int) -> list[JobRecord]:
        newest = sorted(
            self.rows.values(), key=lambda r: (-(r.queued_at or datetime.min).timestamp(), r.job_id)
        )
        return newest[:limit]
