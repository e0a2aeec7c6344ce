"""A job killed with its worker (kill -9), seen through GET /api/admin/jobs/{job_id}: running,
then, once another `ecomsearch worker` sweeps it (heartbeat 2 s, sweep 1 s), retried and complete."""

import asyncio
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from entrypoints.http.app import create_app
from entrypoints.settings import load_settings
from tests.conftest import REDIS_URL
from tests.e2e.test_http_admin_products import bearer, token_for

ROOT = Path(__file__).resolve().parents[2]
JOB_SECONDS = 4


@pytest.fixture(params=["sqlite", "postgresql"])
async def database(request: pytest.FixtureRequest, make_database, redis_client) -> AsyncIterator[str]:
    yield await make_database(request.param)


def environment(database: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database,
        "REDIS_URL": REDIS_URL,
        "JOB_HEARTBEAT_SECONDS": "2",
        "JOB_SWEEP_SECONDS": "1",
        "MODEL_REFRESH_SECONDS": "0",
        "BCRYPT_ROUNDS": "4",
    }


async def start_worker(database: str, markers: Path) -> asyncio.subprocess.Process:
    env = {**os.environ, **environment(database), "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'src'}"}
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.integration.slow_job_worker", str(JOB_SECONDS), str(markers),
        cwd=ROOT, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip


async def job_when(client: AsyncTestClient, url: str, headers: dict[str, str], check, seconds: float) -> Any:
    deadline = time.monotonic() + seconds
    seen = []
    while time.monotonic() < deadline:
        response = await client.get(url, headers=headers)
        assert response.status_code == 200, response.text
        job = response.json()
        seen.append((job["status"], job["attempts"]))
        if check(job):
            return job
        await asyncio.sleep(0.2)
    raise AssertionError(f"timed out; seen {sorted(set(seen))}")


async def stop(process: asyncio.subprocess.Process | None) -> None:
    if process is not None and process.returncode is None:
        process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), 10)
        except TimeoutError:
            process.kill()
            await process.wait()


async def test_a_job_killed_with_its_worker_shows_retried_then_complete(
    database: str, tmp_path: Path
) -> None:
    settings = load_settings(environment(database), dotenv=Path(os.devnull))
    first = await start_worker(database, tmp_path)
    second = None
    try:
        async with AsyncTestClient(app=create_app(settings)) as client:
            admin = bearer(await token_for(client, settings, "kill-admin", admin=True))
            job_id = (await client.post("/api/admin/jobs/rollup", headers=admin)).json()["job_id"]
            url = f"/api/admin/jobs/{job_id}"
            job = await job_when(client, url, admin, lambda j: j["status"] == "running", 60)
            assert job["attempts"] == 1 and job["started_at"] and job["finished_at"] is None
            # "running" is recorded before the job's body starts: kill it only once inside the body.
            for _ in range(600):
                if any(tmp_path.iterdir()):
                    break
                await asyncio.sleep(0.05)

            first.kill()  # SIGKILL mid-job: no clean-up, no record written
            await first.wait()
            assert sorted(p.name for p in tmp_path.iterdir()) == ["attempt-1"]
            stuck = (await client.get(url, headers=admin)).json()
            assert (stuck["status"], stuck["attempts"]) == ("running", 1)

            second = await start_worker(database, tmp_path)
            retried = await job_when(client, url, admin, lambda j: j["attempts"] == 2, 60)
            assert retried["status"] in ("running", "complete")
            done = await job_when(client, url, admin, lambda j: j["status"] != "running", JOB_SECONDS + 30)
            assert (done["status"], done["attempts"], done["error"]) == ("complete", 2, None)
            assert done["report"]["status"] == "done"  # the retry took over the dead attempt's lock
            assert done["started_at"] >= job["started_at"] and done["finished_at"] >= done["started_at"]
            assert sorted(p.name for p in tmp_path.iterdir()) == ["attempt-1", "attempt-2"]
            listed = (await client.get("/api/admin/jobs", headers=admin)).json()["jobs"]
            # The worker's own cron jobs may be listed too, newer than ours.
            assert next(j for j in listed if j["job_id"] == job_id)["status"] == "complete"
            queued = [j["queued_at"] for j in listed]
            assert queued == sorted(queued, reverse=True)
    finally:
        if first.returncode is None:
            first.kill()
            await first.wait()
        await stop(second)
