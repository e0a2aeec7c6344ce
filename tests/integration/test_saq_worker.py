"""The real SAQ worker on Redis: events cross the threshold, the worker retrains and promotes,
and an API process serves the new model without restarting; a killed worker's job is retried."""

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from dependency_injector import providers
from saq import Worker
from saq.job import Job, Status

from adapters.sql.tables import impressions
from application.jobs.ports import JobSpec
from domain.ranking.model import RankingContext
from entrypoints.container import Container, build_container, close_container
from entrypoints.settings import Settings, load_settings
from entrypoints.worker.tasks import worker_settings
from tests.conftest import REDIS_URL
from tests.unit.ranking_fakes import InMemoryTrainingData, planted_log


def settings_for(url: str, **extra: str) -> Settings:
    env = {
        "DATABASE_URL": url,
        "REDIS_URL": REDIS_URL,
        "MODEL_STORE": "database",
        "MODEL_REFRESH_SECONDS": "0",
    }
    return load_settings({**env, **extra}, dotenv=Path(os.devnull))


def with_log(container: Container) -> Container:
    data = InMemoryTrainingData(planted_log(datetime.now(UTC), days=10, searches_per_day=40))
    container.training_data.override(providers.Object(data))
    return container


def short_jobs(container: Container) -> Container:
    """A retrain that times out after 8 s and is retried at once (before the queue is built)."""
    container.job_runner().specs["retrain"] = JobSpec(
        name="retrain", timeout_seconds=8, retries=2, retry_delay_seconds=0.2, max_retry_delay_seconds=1
    )
    return container


@pytest.fixture
async def database(make_database, redis_client) -> AsyncIterator[str]:
    yield await make_database("sqlite")


async def wait_for(check, seconds: float = 60.0):
    deadline = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < deadline:
        value = await check()
        if value:
            return value
        await asyncio.sleep(0.2)
    raise AssertionError("timed out")


async def test_threshold_fires_worker_retrains_and_api_serves_the_new_model(database: str) -> None:
    settings = settings_for(database, RETRAIN_EVERY_EVENTS="5", CLUSTER_EVERY_EVENTS="1000")
    worker_container = with_log(build_container(settings))
    api = with_log(build_container(settings))  # another process's container: its own connections
    worker = Worker(**worker_settings(settings, worker_container))
    running = asyncio.create_task(worker.start())
    try:
        ranker = api.ranker()
        await ranker.refresh()
        assert ranker.model is None  # nothing trained yet: the formula serves
        fired = [await api.job_triggers().record_events() for _ in range(5)]
        assert fired[-1] == ["retrain"] and not any(fired[:-1])

        promoted = await wait_for(api.model_store().promoted)
        assert promoted.metrics["ndcg@10"] > promoted.metrics["formula_ndcg@10"]
        # The API process notices on its next search (the check is rate-limited, here to 0 s).
        ranker.rank([], RankingContext())
        await wait_for(lambda: asyncio.sleep(0, result=ranker.version == promoted.version))
        assert ranker.model is not None
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        await worker.stop()
        await close_container(worker_container)
        await close_container(api)


async def test_a_killed_workers_job_is_retried_and_finishes(database: str, tmp_path: Path) -> None:
    settings = settings_for(database, JOB_SWEEP_SECONDS="1")
    marker = tmp_path / "first-attempt"
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": f"{root}{os.pathsep}{root / 'src'}"}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.integration.worker_process", database, str(marker), cwd=root, env=env
    )
    api = short_jobs(with_log(build_container(settings)))
    rescuer = None
    try:
        job_id = await api.job_queue().enqueue("retrain")
        await wait_for(lambda: asyncio.sleep(0, result=marker.exists()), 60)
        process.kill()  # SIGKILL mid-job: no clean-up, the job stays "active" in Redis
        await process.wait()
        assert await api.model_store().promoted() is None

        # Another worker sweeps the stuck job once its timeout passes, and retries it.
        rescuer_container = with_log(build_container(settings))
        short_jobs(rescuer_container)
        rescuer = Worker(**worker_settings(settings, rescuer_container))
        running = asyncio.create_task(rescuer.start())
        promoted = await wait_for(api.model_store().promoted, 90)
        assert promoted.version

        async def finished() -> Job | None:
            job = await api.saq_queue().job(job_id)
            return job if job is not None and job.status == Status.COMPLETE else None

        # The model is promoted inside the retried attempt, before the job is marked complete.
        job = await wait_for(finished, 60)
        assert job.attempts >= 2
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        await close_container(rescuer_container)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        if rescuer is not None:
            await rescuer.stop()
        await close_container(api)


async def test_the_worker_runs_the_rollup_job_enqueued_by_the_api(database: str) -> None:
    settings = settings_for(database)
    worker_container = build_container(settings)
    api = build_container(settings)
    now = datetime.now(UTC)
    async with api.engine().begin() as connection:
        await connection.execute(
            sa.insert(impressions),
            [dict(search_id=f"w{i}", visitor_id=f"v{i}", arm="personalized", query="mug", items=[["A", 1]],
                  page=1, total=1, occurred_at=now) for i in range(3)],
        )  # fmt: skip
    worker = Worker(**worker_settings(settings, worker_container))
    running = asyncio.create_task(worker.start())
    try:
        job_id = await api.job_queue().enqueue("rollup")
        assert job_id.startswith("rollup:")

        async def rolled() -> int:
            totals = await api.analytics_summaries().totals(now.date())
            return totals["personalized"].searches if "personalized" in totals else 0

        assert await wait_for(rolled) == 3
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        await worker.stop()
        await close_container(worker_container)
        await close_container(api)
