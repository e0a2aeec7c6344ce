"""`ecomsearch worker`, `ecomsearch train`, `ecomsearch cluster`, `ecomsearch archive`."""

import argparse
import asyncio
import json
import sys

from saq import Worker

from application.jobs.errors import UnknownJob
from entrypoints.container import build_container, close_container
from entrypoints.logs import configure_logging
from entrypoints.settings import load_settings, unbounded_statements
from entrypoints.worker.tasks import worker_settings


async def worker_command(args: argparse.Namespace) -> int:
    settings = load_settings()
    if not settings.redis_url:
        print("error: the worker needs REDIS_URL (without it, `serve` runs jobs in-process)", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, settings.log_format)
    # SAQ stops on SIGTERM/SIGINT: jobs in flight get SHUTDOWN_GRACE_SECONDS, then are cancelled
    # and queued again (their lock released, their record back to queued).
    worker = Worker(**worker_settings(settings))
    try:
        await worker.start()
    except asyncio.CancelledError:
        pass
    finally:
        await worker.stop()
    return 0


async def _run_job(name: str) -> int:
    try:
        settings = load_settings()
    except ValueError as exc:  # a setting out of range: say which, no traceback
        print(f"error: {exc}", file=sys.stderr)
        return 2
    container = build_container(unbounded_statements(settings))
    try:
        result = await container.job_runner().run(name)
    except UnknownJob as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        await close_container(container)
    print(json.dumps({"job": result.name, "status": result.status, "result": result.result}, default=str))
    return 0


async def train_command(args: argparse.Namespace) -> int:
    return await _run_job("retrain")


async def cluster_command(args: argparse.Namespace) -> int:
    return await _run_job("cluster")


async def archive_command(args: argparse.Namespace) -> int:
    return await _run_job("archive")
