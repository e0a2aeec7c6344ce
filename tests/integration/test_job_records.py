"""The job record on SQLite and PostgreSQL: queued, running, retried, complete or failed, newest first,
and the same rules as the in-memory record (tests/unit/jobs_fakes.py)."""

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from adapters.sql.engine import make_engine
from adapters.sql.job_records import SqlJobRecords
from application.jobs.records import JobRecord

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
async def records(request: pytest.FixtureRequest, make_database) -> AsyncIterator[SqlJobRecords]:
    engine = make_engine(await make_database(request.param))
    yield SqlJobRecords(engine)
    await engine.dispose()


async def test_a_job_from_queued_through_a_retry_to_complete(records: SqlJobRecords) -> None:
    await records.queued("rollup:1", "rollup", T0)
    assert await records.get("rollup:1") == JobRecord(
        job_id="rollup:1", name="rollup", status="queued", attempts=0, queued_at=T0
    )
    await records.started("rollup:1", "rollup", 1, T0 + timedelta(seconds=1), T0)
    await records.ended("rollup:1", 1, "queued", T0 + timedelta(seconds=2), None, "TimeoutError")
    retried = await records.get("rollup:1")
    assert retried is not None and (retried.status, retried.attempts, retried.error) == (
        "queued",
        1,
        "TimeoutError",
    )
    await records.started("rollup:1", "rollup", 2, T0 + timedelta(seconds=5), T0)
    report = {"status": "done", "result": {"days": 2, "rows": [1, 2.5, "x"]}}
    await records.ended("rollup:1", 2, "complete", T0 + timedelta(seconds=9), report, None)
    assert await records.get("rollup:1") == JobRecord(
        job_id="rollup:1", name="rollup", status="complete", attempts=2, queued_at=T0,
        started_at=T0 + timedelta(seconds=5), finished_at=T0 + timedelta(seconds=9), report=report,
    )  # fmt: skip


async def test_a_worker_quicker_than_the_queue_and_a_late_dead_attempt(records: SqlJobRecords) -> None:
    # The worker records the job running before the API records it queued: nothing is undone.
    await records.started("cluster:9", "cluster", 1, T0 + timedelta(seconds=1), T0)
    await records.queued("cluster:9", "cluster", T0 + timedelta(seconds=2))
    await records.started("cluster:9", "cluster", 2, T0 + timedelta(seconds=60), T0)
    await records.ended("cluster:9", 1, "failed", T0 + timedelta(seconds=61), None, "swept")
    record = await records.get("cluster:9")
    assert record is not None
    assert (record.status, record.attempts, record.queued_at, record.error) == ("running", 2, T0, None)
    await records.ended("cluster:9", 2, "failed", T0 + timedelta(seconds=70), None, "ValueError: empty")
    record = await records.get("cluster:9")
    assert record is not None and (record.status, record.finished_at) == (
        "failed",
        T0 + timedelta(seconds=70),
    )


async def test_recent_jobs_newest_first_and_concurrent_writes(records: SqlJobRecords) -> None:
    await asyncio.gather(
        *(records.queued(f"retrain:{n}", "retrain", T0 + timedelta(minutes=n)) for n in range(6)),
        *(records.started(f"retrain:{n}", "retrain", 1, T0 + timedelta(minutes=n, seconds=1),
                          T0 + timedelta(minutes=n)) for n in range(6)),
    )  # fmt: skip
    newest = await records.recent(4)
    assert [r.job_id for r in newest] == ["retrain:5", "retrain:4", "retrain:3", "retrain:2"]
    assert {r.status for r in newest} == {"running"}
    assert await records.get("retrain:missing") is None


async def test_a_cron_jobs_key_is_a_new_run_each_time_it_starts_again(records: SqlJobRecords) -> None:
    # SAQ's cron jobs keep one key ("cron:rollup"): each run replaces the last one's record.
    await records.started("cron:rollup", "rollup", 1, T0, T0)
    await records.ended("cron:rollup", 1, "queued", T0 + timedelta(seconds=1), None, "TimeoutError")
    await records.started("cron:rollup", "rollup", 2, T0 + timedelta(seconds=2), T0)
    await records.ended("cron:rollup", 2, "complete", T0 + timedelta(seconds=3), {"status": "done"}, None)
    later = T0 + timedelta(minutes=10)
    await records.started("cron:rollup", "rollup", 1, later + timedelta(seconds=1), later)
    assert await records.get("cron:rollup") == JobRecord(
        job_id="cron:rollup", name="rollup", status="running", attempts=1, queued_at=later,
        started_at=later + timedelta(seconds=1),
    )  # fmt: skip
    # A retry's start keeps the queued time and the failed attempt's error.
    await records.ended("cron:rollup", 1, "queued", later + timedelta(seconds=2), None, "TimeoutError")
    await records.started(
        "cron:rollup", "rollup", 2, later + timedelta(seconds=3), later + timedelta(seconds=3)
    )
    retried = await records.get("cron:rollup")
    assert retried is not None and (retried.queued_at, retried.error, retried.attempts) == (
        later,
        "TimeoutError",
        2,
    )
