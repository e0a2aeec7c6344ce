"""SqlJobRecords: one row per job run in `job_runs`, written by whichever process queues or runs it.

Writes are single statements (INSERT ... ON CONFLICT), so the API recording "queued" and a fast
worker recording "running" for the same id cannot collide.
"""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sql.engine import insert_for
from adapters.sql.tables import job_runs
from application.jobs.records import JobRecord

_COLUMNS = tuple(job_runs.c[name] for name in JobRecord.__struct_fields__)


def _record(row: sa.Row[Any]) -> JobRecord:
    return JobRecord(**row._asdict())


class SqlJobRecords:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    def _insert(self) -> Any:
        return insert_for(self._engine.dialect.name)(job_runs)

    async def queued(self, job_id: str, name: str, at: datetime) -> None:
        row = {"job_id": job_id, "name": name, "status": "queued", "attempts": 0, "queued_at": at}
        async with self._engine.begin() as db:
            await db.execute(self._insert().values(**row).on_conflict_do_nothing(index_elements=["job_id"]))

    async def started(self, job_id: str, name: str, attempt: int, at: datetime, queued_at: datetime) -> None:
        row = {"job_id": job_id, "name": name, "status": "running", "attempts": attempt,
               "queued_at": queued_at, "started_at": at}  # fmt: skip
        statement = self._insert().values(**row)
        # A finished record started again is a new run under the same id (SAQ's cron jobs keep
        # one key, `cron:<job>`): it starts afresh, queued now, without the last run's outcome.
        rerun = sa.and_(job_runs.c.status.in_(("complete", "failed")), sa.literal(attempt) == 1)
        statement = statement.on_conflict_do_update(
            index_elements=["job_id"],
            set_={
                "status": "running",
                "attempts": attempt,
                "started_at": at,
                "finished_at": None,
                "queued_at": sa.case((rerun, queued_at), else_=job_runs.c.queued_at),
                "report": sa.case((rerun, sa.null()), else_=job_runs.c.report),
                "error": sa.case((rerun, sa.null()), else_=job_runs.c.error),
            },
            where=sa.or_(job_runs.c.attempts <= attempt, rerun),
        )
        async with self._engine.begin() as db:
            await db.execute(statement)

    async def ended(
        self, job_id: str, attempt: int, status: str, at: datetime, report: object, error: str | None
    ) -> None:
        finished = at if status in ("complete", "failed") else None
        async with self._engine.begin() as db:
            await db.execute(
                sa.update(job_runs)
                .where(job_runs.c.job_id == job_id, job_runs.c.attempts <= attempt)
                .values(status=status, finished_at=finished, report=report, error=error)
            )

    async def get(self, job_id: str) -> JobRecord | None:
        async with self._engine.connect() as db:
            row = (await db.execute(sa.select(*_COLUMNS).where(job_runs.c.job_id == job_id))).first()
        return _record(row) if row is not None else None

    async def unsettled(self, limit: int) -> list[JobRecord]:
        query = (
            sa.select(*_COLUMNS)
            .where(job_runs.c.status.in_(("queued", "running")))
            .order_by(job_runs.c.queued_at, job_runs.c.job_id)
            .limit(limit)
        )
        async with self._engine.connect() as db:
            rows = (await db.execute(query)).all()
        return [_record(row) for row in rows]

    async def recent(self, limit: int) -> list[JobRecord]:
        query = sa.select(*_COLUMNS).order_by(job_runs.c.queued_at.desc(), job_runs.c.job_id).limit(limit)
        async with self._engine.connect() as db:
            rows = (await db.execute(query)).all()
        return [_record(row) for row in rows]
