"""The worker's cron brings job records in line with what SAQ's sweep did to jobs whose worker
died: retried (back to queued, with the sweep's error) or given up (failed)."""

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from saq.job import Status

from adapters.jobs.saq_queue import SaqJobQueue, settle_records
from application.jobs.records import JobJournal
from entrypoints.container import Container, build_container, close_container
from entrypoints.settings import load_settings
from tests.conftest import REDIS_URL


@pytest.fixture(params=["sqlite", "postgresql"])
async def api(request: pytest.FixtureRequest, make_database, redis_client) -> AsyncIterator[Container]:
    url = await make_database(request.param)
    container = build_container(
        load_settings({"DATABASE_URL": url, "REDIS_URL": REDIS_URL}, dotenv=Path(os.devnull))
    )
    yield container
    await close_container(container)


async def test_swept_jobs_are_queued_again_or_failed(api: Container) -> None:
    queue, journal, records = api.saq_queue(), api.job_journal(), api.job_records()
    retried, given_up, untouched = [await api.job_queue().enqueue("cluster") for _ in range(3)]
    for job_id in (retried, given_up, untouched):
        await journal.started(job_id, "cluster", 1)  # as the hook does when a worker dequeues it
        job = await queue.job(job_id)
        assert job is not None
        job.attempts = 1
        if job_id == retried:
            await queue.retry(job, "swept")
        elif job_id == given_up:
            await queue.finish(job, Status.ABORTED, error="swept")
        else:
            await job.update(status=Status.ACTIVE)  # still running somewhere: left alone
    assert await settle_records(journal, records, queue) == 2
    again = await records.get(retried)
    assert again is not None and (again.status, again.attempts, again.error) == ("queued", 1, "swept")
    failed = await records.get(given_up)
    assert failed is not None and (failed.status, failed.error) == ("failed", "swept") and failed.finished_at
    running = await records.get(untouched)
    assert running is not None and running.status == "running"
    assert await settle_records(journal, records, queue) == 0  # nothing new: nothing written


class BrokenRecords:
    async def queued(self, *args: object) -> None:
        raise ConnectionError("database restarting")


async def test_a_job_queued_in_saq_is_answered_queued_even_when_its_record_cannot_be_written(
    api: Container,
) -> None:
    queue = SaqJobQueue(api.saq_queue(), api.job_runner().specs, JobJournal(BrokenRecords(), api.clock()))
    job_id = await queue.enqueue("rollup")
    job = await api.saq_queue().job(job_id)
    assert job is not None and job.status == Status.QUEUED
    assert await api.job_records().get(job_id) is None  # the worker records it as it starts
