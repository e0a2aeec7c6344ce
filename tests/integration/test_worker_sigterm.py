"""SIGTERM to `ecomsearch worker` mid-job: within SHUTDOWN_GRACE_SECONDS the job finishes; past it
the job is released (queued again, its lock freed) and the next worker completes it. Exit 0 both ways."""

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from entrypoints.http.app import create_app
from entrypoints.settings import load_settings
from tests.e2e.test_http_admin_products import bearer, token_for
from tests.integration.test_killed_worker_job_status import JOB_SECONDS, ROOT, environment, job_when, stop


async def start_worker(database: str, markers: Path, grace: int) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        **environment(database),
        "SHUTDOWN_GRACE_SECONDS": str(grace),
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'src'}",
    }
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.integration.slow_job_worker", str(JOB_SECONDS), str(markers),
        cwd=ROOT, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip


@pytest.fixture
async def database(make_database, redis_client) -> str:
    return await make_database("sqlite")


@pytest.mark.parametrize("grace", [JOB_SECONDS + 20, 0], ids=["finishes", "releases"])
async def test_a_terminated_worker_finishes_or_releases_its_job(
    database: str, tmp_path: Path, grace: int
) -> None:
    settings = load_settings(environment(database), dotenv=Path(os.devnull))
    first = await start_worker(database, tmp_path, grace)
    second = None
    try:
        async with AsyncTestClient(app=create_app(settings)) as client:
            admin = bearer(await token_for(client, settings, "term-admin", admin=True))
            job_id = (await client.post("/api/admin/jobs/rollup", headers=admin)).json()["job_id"]
            url = f"/api/admin/jobs/{job_id}"
            await job_when(client, url, admin, lambda j: j["status"] == "running", 60)

            first.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(first.wait(), JOB_SECONDS + 30) == 0
            after = (await client.get(url, headers=admin)).json()
            if grace:
                assert (after["status"], after["attempts"], after["error"]) == ("complete", 1, None)
                return
            # Cancelled, and put back on the queue for the next worker: not left 'running'.
            assert after["status"] == "queued", after
            second = await start_worker(database, tmp_path, grace)
            done = await job_when(client, url, admin, lambda j: j["status"] == "complete", JOB_SECONDS + 60)
            assert done["attempts"] == 2
            assert done["report"]["status"] == "done"  # the cancelled attempt's lock was released
    finally:
        if first.returncode is None:
            first.kill()
            await first.wait()
        await stop(second)
