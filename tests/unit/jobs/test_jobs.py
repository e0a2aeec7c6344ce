"""JobRunner (one run at a time), triggers (event counts, age) and the in-process queue."""

import asyncio
from datetime import timedelta

import pytest

from adapters.cache.memory_cache import MemoryCache
from adapters.jobs.inline_queue import InlineJobQueue
from application.jobs.errors import UnknownJob
from application.jobs.ports import JobSpec
from application.jobs.runner import JobRunner
from application.jobs.triggers import JobTriggers, Trigger
from tests.unit.fakes import FakeClock
from tests.unit.jobs_fakes import RecordingQueue


async def test_runner_runs_one_at_a_time_and_releases_the_lock() -> None:
    started, release = asyncio.Event(), asyncio.Event()
    runs = []

    async def slow() -> str:
        runs.append(1)
        started.set()
        await release.wait()
        return "trained"

    runner = JobRunner({"retrain": slow}, {}, MemoryCache())
    first = asyncio.create_task(runner.run("retrain"))
    await started.wait()
    second = await runner.run("retrain")
    assert second.status == "busy"
    release.set()
    assert (await first).status == "done" and (await first).result == "trained"
    assert (await runner.run("retrain")).status == "done"  # the lock was released
    assert len(runs) == 2


async def test_runner_releases_the_lock_when_a_job_fails() -> None:
    async def boom() -> None:
        raise RuntimeError("disk full")

    runner = JobRunner({"cluster": boom}, {}, MemoryCache())
    with pytest.raises(RuntimeError):
        await runner.run("cluster")
    with pytest.raises(RuntimeError):  # not "busy": it ran again
        await runner.run("cluster")
    with pytest.raises(UnknownJob):
        await runner.run("rollup")


async def test_event_trigger_fires_once_per_threshold_crossing() -> None:
    queue = RecordingQueue({"retrain", "cluster"})
    triggers = JobTriggers(
        MemoryCache(), queue, FakeClock(), {"retrain": Trigger(5, 86400), "cluster": Trigger(2, 3600)}
    )
    fired = [await triggers.record_events() for _ in range(6)]
    assert fired == [[], ["cluster"], [], ["cluster"], ["retrain"], ["cluster"]]
    assert await triggers.record_events(10) == ["retrain", "cluster"]  # a batch crossing counts once


async def test_event_counters_are_atomic_under_concurrency() -> None:
    queue = RecordingQueue({"retrain"})
    triggers = JobTriggers(MemoryCache(), queue, FakeClock(), {"retrain": Trigger(10, 86400)})
    await asyncio.gather(*(triggers.record_events() for _ in range(100)))
    assert queue.enqueued == ["retrain"] * 10


async def test_age_trigger_and_only_registered_jobs() -> None:
    clock = FakeClock()
    queue = RecordingQueue({"cluster"})
    triggers = JobTriggers(
        MemoryCache(), queue, clock, {"retrain": Trigger(5, 86400), "cluster": Trigger(2, 6 * 3600)}
    )
    assert await triggers.check_due() == ["cluster"]  # never ran; retrain is not registered
    clock.current += timedelta(hours=5)
    assert await triggers.check_due() == []
    clock.current += timedelta(hours=1)
    assert await triggers.check_due() == ["cluster"]


async def test_inline_queue_retries_with_backoff_then_succeeds() -> None:
    attempts = []

    async def flaky() -> str:
        attempts.append(1)
        if len(attempts) < 3:
            raise RuntimeError("transient")
        return "ok"

    spec = JobSpec(name="cluster", timeout_seconds=5, retries=3, retry_delay_seconds=0.01)
    queue = InlineJobQueue(JobRunner({"cluster": flaky}, {"cluster": spec}, MemoryCache()))
    job_id = await queue.enqueue("cluster")
    result = await queue.wait(job_id)
    assert result is not None and result.result == "ok"
    assert len(attempts) == 3
    with pytest.raises(UnknownJob):
        await queue.enqueue("rollup")
    await queue.close()


async def test_inline_queue_times_out_and_gives_up() -> None:
    async def forever() -> None:
        await asyncio.sleep(60)

    spec = JobSpec(name="cluster", timeout_seconds=0, retries=1, retry_delay_seconds=0.01)
    runner = JobRunner(
        {"cluster": forever}, {"cluster": JobSpec(name="cluster", timeout_seconds=1)}, MemoryCache()
    )
    runner.specs["cluster"] = spec
    queue = InlineJobQueue(runner)
    assert await queue.wait(await queue.enqueue("cluster")) is None
    await queue.close()


async def test_inline_queue_runs_periodic_checks_until_closed() -> None:
    ticks = []

    async def tick() -> None:
        ticks.append(1)
        if len(ticks) == 2:
            raise RuntimeError("a failing check does not stop the loop")

    queue = InlineJobQueue(JobRunner({}, {}, MemoryCache()))
    queue.every(0.01, tick)
    await asyncio.sleep(0.1)
    await queue.close()
    seen = len(ticks)
    assert seen >= 3
    await asyncio.sleep(0.05)
    assert len(ticks) == seen


async def test_a_job_starts_at_most_once_per_minimum_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr("adapters.cache.memory_cache.time.monotonic", lambda: now[0])
    queue = RecordingQueue({"retrain", "cluster"})
    triggers = JobTriggers(
        MemoryCache(),
        queue,
        FakeClock(),
        {"retrain": Trigger(500, 86400, min_interval_seconds=3000), "cluster": Trigger(200, 3600, 1800)},
    )
    # 500 events cross cluster's threshold twice and retrain's once: each starts once.
    fired = [name for _ in range(500) for name in await triggers.record_events()]
    assert fired == ["cluster", "retrain"]
    assert queue.enqueued == ["cluster", "retrain"]
    assert await triggers.check_due() == []  # the age trigger waits for the interval too
    now[0] += 1800  # cluster's interval is over, retrain's is not
    assert [name for _ in range(200) for name in await triggers.record_events()] == ["cluster"]
    now[0] += 1200  # retrain's is over; cluster started 1,200 s ago and waits
    assert [name for _ in range(300) for name in await triggers.record_events()] == ["retrain"]


async def test_without_a_minimum_interval_every_crossing_starts_the_job() -> None:
    queue = RecordingQueue({"cluster"})
    triggers = JobTriggers(MemoryCache(), queue, FakeClock(), {"cluster": Trigger(200, 3600)})
    await triggers.record_events(1000)
    assert queue.enqueued == ["cluster"]  # one call, one start
    for _ in range(400):
        await triggers.record_events()
    assert queue.enqueued == ["cluster"] * 3
