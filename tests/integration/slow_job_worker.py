"""`ecomsearch worker` whose rollup job first takes a few seconds, for the killed-worker test.

python -m tests.integration.slow_job_worker SECONDS MARKER_DIR   (settings from the environment)

Each attempt leaves a file in MARKER_DIR as it starts; then the real rollup runs.
"""

import asyncio
import sys
from pathlib import Path
from typing import Any

import entrypoints.jobs
from application.jobs.runner import JobBody


def slowed(body: JobBody, seconds: float, markers: Path) -> JobBody:
    async def run() -> object:
        (markers / f"attempt-{len(list(markers.iterdir())) + 1}").touch()
        await asyncio.sleep(seconds)
        return await body()

    return run


if __name__ == "__main__":
    seconds, markers = float(sys.argv[1]), Path(sys.argv[2])
    real_bodies = entrypoints.jobs.job_bodies

    def job_bodies(**parts: Any) -> dict[str, JobBody]:
        bodies = real_bodies(**parts)
        bodies["rollup"] = slowed(bodies["rollup"], seconds, markers)
        return bodies

    # Before the container is imported: it takes job_bodies from entrypoints.jobs as it loads.
    entrypoints.jobs.job_bodies = job_bodies
    from entrypoints.cli.main import main

    sys.exit(main(["worker"]))
