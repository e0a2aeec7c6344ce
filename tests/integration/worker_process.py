"""A SAQ worker in its own process, for the killed-worker test: its first retrain hangs.

python -m tests.integration.worker_process DATABASE_URL MARKER_FILE
"""

import asyncio
import sys
from pathlib import Path

from saq import Worker

from application.jobs.runner import JobBody
from entrypoints.container import build_container
from entrypoints.worker.tasks import worker_settings
from tests.integration.test_saq_worker import settings_for, short_jobs, with_log


def hang_first_time(body: JobBody, marker: Path) -> JobBody:
    async def run() -> object:
        if not marker.exists():
            marker.write_text("started")
            await asyncio.sleep(3600)  # killed long before this ends
        return await body()

    return run


async def main(url: str, marker: str) -> None:
    settings = settings_for(url, JOB_SWEEP_SECONDS="1")
    container = short_jobs(with_log(build_container(settings)))
    runner = container.job_runner()
    runner.bodies["retrain"] = hang_first_time(runner.bodies["retrain"], Path(marker))
    await Worker(**worker_settings(settings, container)).start()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
