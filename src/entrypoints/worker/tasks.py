"""SAQ task functions and settings: the worker builds the same container as the API.

Task functions take only the SAQ context (no argument may be named after a Job field); each
runs its job through the JobRunner, which holds the per-job lock. Cron: every 5 minutes the
profiles of recently active shoppers are rebuilt and the age triggers are checked (retrain
after 24 h, recluster after 6 h by default); every 10 minutes the analytics rollups are refreshed;
daily at 03:30 old events are archived; every minute stored mail that is due (a retry, or one
whose job could not be queued) gets a `send_mail` job, a waiting catalog upload a
`catalog_import` job, and due webhook deliveries (a retry, or a claim that lapsed with its
worker) a `send_webhooks` job; daily at 06:00 the experiment readout is published to the
webhooks subscribed to it.

Each attempt is recorded (running, then complete, failed or queued for a retry) from SAQ's own
job in the before/after-process hooks. While a job runs its task beats every third of
JOB_HEARTBEAT_SECONDS, so a job whose worker was killed is swept and retried soon after by
another worker (sweeps every JOB_SWEEP_SECONDS); a cron each minute brings the records of
swept jobs in line (queued again, or failed when out of retries).
"""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from prometheus_client import start_http_server
from saq import CronJob, Queue
from saq.job import Job

from adapters.jobs.saq_queue import record_attempt_end, record_attempt_start, settle_records
from application.jobs.runner import JobRunner
from application.notifications.publish_readout import PUBLISH_READOUT
from entrypoints.container import Container, build_container, close_container
from entrypoints.jobs import SPECS
from entrypoints.settings import Settings, unbounded_statements

log = logging.getLogger(__name__)
Context = dict[str, Any]


def _container(ctx: Context) -> Container:
    container: Container = ctx["container"]
    return container


def _job_task(name: str) -> Callable[[Context], Awaitable[dict[str, Any]]]:
    """The task that runs job `name`. SAQ names a cron job's function by its __qualname__ (also
    the cron's unique key), so each task carries its job's name."""

    async def task(ctx: Context) -> dict[str, Any]:
        job: Job | None = ctx.get("job")
        beating = asyncio.create_task(_beat(job)) if job is not None and job.heartbeat else None
        try:
            result = await _runner(ctx).run(name, job.key if job is not None else None)
        finally:
            if beating is not None:
                beating.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await beating
        return {"status": result.status, "result": result.result}

    task.__name__ = task.__qualname__ = name
    return task


async def _beat(job: Job) -> None:
    """Touch the job while it runs: SAQ's sweep retries an active job whose beats stopped."""
    while True:
        await asyncio.sleep(max(job.heartbeat / 3, 0.2))
        try:
            await job.update()
        except Exception as exc:  # Redis briefly away: the next beat tries again
            log.warning("job %s heartbeat failed (%s)", job.key, exc.__class__.__name__)


async def _journal_hook(ctx: Context, record: Callable[..., Awaitable[None]]) -> None:
    job: Job | None = ctx.get("job")
    if job is None or job.function not in SPECS:  # the trigger check is not a job of its own
        return
    try:
        await record(_container(ctx).job_journal(), job)
    except Exception:  # the record is for people: never fail or retry a job over it
        log.exception("job record not written for %s", job.key)


async def before_process(ctx: Context) -> None:
    await _journal_hook(ctx, record_attempt_start)


async def after_process(ctx: Context) -> None:
    await _journal_hook(ctx, record_attempt_end)


async def settle_job_records(ctx: Context) -> int:
    """Cron: records of jobs swept by SAQ (their worker died) follow SAQ: queued again, or failed."""
    container = _container(ctx)
    return await settle_records(container.job_journal(), container.job_records(), container.saq_queue())


async def check_mail(ctx: Context) -> bool:
    """Cron: a `send_mail` job when stored mail is due."""
    return await _container(ctx).queue_mail().resume()


async def check_webhooks(ctx: Context) -> bool:
    """Cron: a `send_webhooks` job when a stored delivery is due."""
    return await _container(ctx).change_notices().resume()


async def check_imports(ctx: Context) -> bool:
    """Cron: a `catalog_import` job while an upload waits."""
    return await _container(ctx).resume_imports()()


async def check_triggers(ctx: Context) -> list[str]:
    """Cron: enqueue the jobs whose last run is older than their interval."""
    return await _container(ctx).job_triggers().check_due()


TASKS = {name: _job_task(name) for name in SPECS}
ROLLUP_CRON = "*/10 * * * *"
READOUT_CRON = "0 6 * * *"  # daily, after the night's rollups


def _runner(ctx: Context) -> JobRunner:
    runner: JobRunner = _container(ctx).job_runner()
    return runner


def worker_settings(settings: Settings, container: Container | None = None) -> dict[str, Any]:
    """The SAQ Worker's keyword arguments for these settings (REDIS_URL must be set)."""
    if not settings.redis_url:
        raise ValueError("the SAQ worker needs REDIS_URL")
    shared = container or build_container(unbounded_statements(settings))
    queue: Queue = shared.saq_queue()
    names = shared.job_runner().names()
    beat = settings.job_heartbeat_seconds

    async def startup(ctx: Context) -> None:
        ctx["container"] = shared
        await shared.ranker().refresh()
        if settings.worker_metrics_port:
            # The worker's own metrics (its job runs and durations), on a port of its own.
            start_http_server(
                settings.worker_metrics_port, settings.host, registry=shared.watched_metrics().registry
            )
        log.info("worker ready for jobs: %s", ", ".join(sorted(names)))

    async def shutdown(ctx: Context) -> None:
        if container is None:
            await close_container(shared)

    return {
        "queue": queue,
        "functions": [(name, TASKS[name]) for name in sorted(names)],
        "cron_jobs": [
            CronJob(check_triggers, cron="*/5 * * * *", timeout=60, retries=1),
            CronJob(settle_job_records, cron="* * * * *", timeout=60, retries=1),
            CronJob(check_mail, cron="* * * * *", timeout=30, retries=1),
            CronJob(check_webhooks, cron="* * * * *", timeout=30, retries=1),
            CronJob(check_imports, cron="* * * * *", timeout=30, retries=1),
            CronJob(TASKS["profiles"], cron="*/5 * * * *", timeout=240, retries=2, heartbeat=beat),
            # CronJob takes no retry delay; a failed cron run is retried at once, then the next tick.
            CronJob(
                TASKS["rollup"],
                cron=ROLLUP_CRON,
                timeout=SPECS["rollup"].timeout_seconds,
                retries=SPECS["rollup"].retries,
                heartbeat=beat,
            ),
            CronJob(
                TASKS["archive"], cron="30 3 * * *", timeout=3600, retries=3, heartbeat=beat
            ),  # daily, at a quiet hour
            CronJob(
                TASKS[PUBLISH_READOUT],
                cron=READOUT_CRON,
                timeout=SPECS[PUBLISH_READOUT].timeout_seconds,
                retries=SPECS[PUBLISH_READOUT].retries,
                heartbeat=beat,
            ),
        ],
        "concurrency": 2,
        "startup": startup,
        "shutdown": shutdown,
        "before_process": before_process,
        "after_process": after_process,
        "timers": {"sweep": settings.job_sweep_seconds},
        "shutdown_grace_period_s": settings.shutdown_grace_seconds,
    }
