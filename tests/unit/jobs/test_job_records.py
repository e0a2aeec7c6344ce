"""What became of a job: the in-process queue records each attempt, administrators read it back,
and a retry of a job whose attempt died takes over its lock."""

import asyncio

import pytest

from adapters.cache.memory_cache import MemoryCache
from adapters.jobs.inline_queue import InlineJobQueue
from application.jobs.errors import JobNotFound
from application.jobs.ports import JobSpec
from application.jobs.records import JobJournal, ReadJobs
from application.jobs.runner import JobRunner
from tests.unit.fakes import FakeClock
from tests.unit.jobs_fakes import InMemoryJobRecords


def queue_with(bodies, spec: JobSpec, records: InMemoryJobRecords, clock: FakeClock) -> InlineJobQueue:
    runner = JobRunner(bodies, {spec.name: spec}, MemoryCache())
    return InlineJobQueue(runner, JobJournal(records, clock))


async def test_a_job_is_queued_then_complete_with_its_report() -> None:
    records, clock = InMemoryJobRecords(), FakeClock()
    started, release = asyncio.Event(), asyncio.Event()

    async def cluster() -> dict[str, int]:
        started.set()
        await release.wait()
        return {"clusters": 3}

    queue = queue_with({"cluster": cluster}, JobSpec(name="cluster", timeout_seconds=5), records, clock)
    job_id = await queue.enqueue("cluster")
    read = ReadJobs(records)
    await started.wait()
    running = await read.one(job_id)
    assert (running.status, running.attempts, running.name) == ("running", 1, "cluster")
    assert running.queued_at == clock.now() and running.finished_at is None
    clock.advance(30)
    release.set()
    await queue.wait(job_id)
    done = await read.one(job_id)
    assert done.status == "complete" and done.attempts == 1
    assert done.report == {"status": "done", "result": {"clusters": 3}}
    assert done.finished_at == clock.now() and done.error is None
    await queue.close()


async def test_a_retried_job_shows_its_attempts_and_the_failures_error() -> None:
    records, clock = InMemoryJobRecords(), FakeClock()
    seen = []

    async def flaky() -> str:
        seen.append((await ReadJobs(records).recent(1))[0])
        if len(seen) == 1:
            raise RuntimeError("database restarting")
        return "ok"

    spec = JobSpec(name="rollup", timeout_seconds=5, retries=2, retry_delay_seconds=0.01)
    queue = queue_with({"rollup": flaky}, spec, records, clock)
    job_id = await queue.enqueue("rollup")
    await queue.wait(job_id)
    assert [(r.status, r.attempts) for r in seen] == [("running", 1), ("running", 2)]
    done = await ReadJobs(records).one(job_id)
    assert (done.status, done.attempts, done.report) == ("complete", 2, {"status": "done", "result": "ok"})
    await queue.close()


async def test_a_job_out_of_retries_is_failed_with_its_error() -> None:
    records, clock = InMemoryJobRecords(), FakeClock()

    async def broken() -> None:
        raise ValueError("no impressions to learn from")

    spec = JobSpec(name="retrain", timeout_seconds=5, retries=1, retry_delay_seconds=0.01)
    queue = queue_with({"retrain": broken}, spec, records, clock)
    job_id = await queue.enqueue("retrain")
    assert await queue.wait(job_id) is None
    failed = await ReadJobs(records).one(job_id)
    assert (failed.status, failed.attempts) == ("failed", 2)
    assert failed.error == "ValueError: no impressions to learn from"
    assert failed.finished_at == clock.now() and failed.report is None
    await queue.close()


async def test_a_timed_out_attempt_is_named_in_the_record() -> None:
    records = InMemoryJobRecords()

    async def forever() -> None:
        await asyncio.sleep(60)

    spec = JobSpec(name="cluster", timeout_seconds=0, retries=0)
    queue = queue_with({"cluster": forever}, spec, records, FakeClock())
    job_id = await queue.enqueue("cluster")
    await queue.wait(job_id)
    assert (await ReadJobs(records).one(job_id)).error == "TimeoutError"
    await queue.close()


async def test_recent_jobs_newest_first_within_the_limit() -> None:
    records, clock = InMemoryJobRecords(), FakeClock()
    journal = JobJournal(records, clock)
    for n in range(5):
        await journal.queued(f"cluster:{n}", "cluster")
        clock.advance(1)
    read = ReadJobs(records)
    assert [r.job_id for r in await read.recent(3)] == ["cluster:4", "cluster:3", "cluster:2"]
    assert len(await read.recent(1000)) == 5


async def test_an_older_attempts_news_does_not_undo_a_newer_attempt() -> None:
    records, clock = InMemoryJobRecords(), FakeClock()
    journal = JobJournal(records, clock)
    await journal.started("rollup:a", "rollup", 2)  # a worker quicker than the API's "queued"
    await journal.queued("rollup:a", "rollup")
    await journal.ended("rollup:a", 1, "failed", error="swept")  # the dead attempt, reported late
    record = await ReadJobs(records).one("rollup:a")
    assert (record.status, record.attempts, record.error) == ("running", 2, None)
    with pytest.raises(ValueError):
        await journal.ended("rollup:a", 2, "retried")


@pytest.mark.parametrize("job_id", ["cluster:unknown", "x" * 121, "cluster:\x00", "../etc", ""])
async def test_unknown_or_impossible_ids_are_not_found(job_id: str) -> None:
    with pytest.raises(JobNotFound):
        await ReadJobs(InMemoryJobRecords()).one(job_id)


async def test_a_retry_of_the_same_job_takes_over_its_lock_others_are_busy() -> None:
    cache = MemoryCache()

    async def body() -> str:
        return "trained"

    runner = JobRunner({"retrain": body}, {}, cache)
    # An attempt of job A died holding the lock (its worker was killed): the lock is still there.
    assert await cache.incr("jobs:lock:retrain", 1, ttl_seconds=600) == 1
    await cache.set("jobs:lock:retrain:holder", b"retrain:A", ttl_seconds=600)
    assert (await runner.run("retrain", "retrain:B")).status == "busy"
    assert (await runner.run("retrain")).status == "busy"
    assert (await runner.run("retrain", "retrain:A")).status == "done"
    assert await cache.get("jobs:lock:retrain") is None  # released after the retry


async def test_a_finished_id_started_again_is_a_new_run() -> None:
    records, clock = InMemoryJobRecords(), FakeClock()
    journal = JobJournal(records, clock)
    await journal.started("cron:rollup", "rollup", 1)
    await journal.ended("cron:rollup", 1, "failed", error="ValueError: x")
    clock.advance(600)
    await journal.started("cron:rollup", "rollup", 1)
    again = await ReadJobs(records).one("cron:rollup")
    assert (again.status, again.attempts, again.queued_at, again.error) == ("running", 1, clock.now(), None)
