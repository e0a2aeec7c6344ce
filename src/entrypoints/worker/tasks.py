"""SAQ task functions and settings: the worker builds the same container as the API.

Task functions take only the SAQ context (no argument may be named after a Job field); each
runs its job through the JobRunner, which holds the per-job lock. Cron: every 5 minutes the
profiles of recently active shoppers are rebuilt and the age triggers are checked (retrain
after 24 h, recluster after 6 h by default); every 10 minutes the analytics rollups are refreshed;
daily at 03:30 old events are archived.
"""

import logging
from typing import Any

from saq import CronJob, Queue

from application.jobs.runner import JobRunner
from entrypoints.container import Container, build_container, close_container
from entrypoints.jobs import SPECS
from entrypoints.settings import Settings

log = logging.getLogger(__name__)
Context = dict[str, Any]


def _container(ctx: Context) -> Container:
    container: Container = ctx["container"]
    return container


async def retrain(ctx: Context) -> dict[str, Any]:
    result = await _runner(ctx).run("retrain")
    return {"status": result.status, "result": result.result}


async def cluster(ctx: Context) -> dict[str, Any]:
    result = await _runner(ctx).run("cluster")
    return {"status": result.status, "result": result.result}


async def profiles(ctx: Context) -> dict[str, Any]:
    result = await _runner(ctx).run("profiles")
    return {"status": result.status, "result": result.result}


async def rollup(ctx: Context) -> dict[str, Any]:
    result = await _runner(ctx).run("rollup")
    return {"status": result.status, "result": result.result}


async def archive(ctx: Context) -> dict[str, Any]:
    result = await _runner(ctx).run("archive")
    return {"status": result.status, "result": result.result}


async def check_triggers(ctx: Context) -> list[str]:
    """Cron: enqueue the jobs whose last run is older than their interval."""
    return await _container(ctx).job_triggers().check_due()


TASKS = {"retrain": retrain, "cluster": cluster, "profiles": profiles, "rollup": rollup, "archive": archive}
ROLLUP_CRON = "*/10 * * * *"


def _runner(ctx: Context) -> JobRunner:
    runner: JobRunner = _container(ctx).job_runner()
    return runner


def worker_settings(settings: Settings, container: Container | None = None) -> dict[str, Any]:
    """The SAQ Worker's keyword arguments for these settings (REDIS_URL must be set)."""
    if not settings.redis_url:
        raise ValueError("the SAQ worker needs REDIS_URL")
    shared = container or build_container(settings)
    queue: Queue = shared.saq_queue()
    names = shared.job_runner().names()

    async def startup(ctx: Context) -> None:
        ctx["container"] = shared
        await shared.ranker().refresh()
        log.info("worker ready for jobs: %s", ", ".join(sorted(names)))

    async def shutdown(ctx: Context) -> None:
        if container is None:
            await close_container(shared)

    return {
        "queue": queue,
        "functions": [(name, TASKS[name]) for name in sorted(names)],
        "cron_jobs": [
            CronJob(check_triggers, cron="*/5 * * * *", timeout=60, retries=1),
            CronJob(profiles, cron="*/5 * * * *", timeout=240, retries=2),
            # CronJob takes no retry delay; a failed cron run is retried at once, then the next tick.
            CronJob(
                rollup,
                cron=ROLLUP_CRON,
                timeout=SPECS["rollup"].timeout_seconds,
                retries=SPECS["rollup"].retries,
            ),
            CronJob(archive, cron="30 3 * * *", timeout=3600, retries=3),  # daily, at a quiet hour
        ],
        "concurrency": 2,
        "startup": startup,
        "shutdown": shutdown,
    }
