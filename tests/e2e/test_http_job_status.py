"""GET /api/admin/jobs/{job_id} and GET /api/admin/jobs: what became of the jobs administrators
started (in-process queue, SQLite and PostgreSQL); administrators only."""

import asyncio
from datetime import datetime
from typing import Any

from litestar.testing import AsyncTestClient

from tests.e2e.test_http_admin_jobs import shop  # noqa: F401 (the fixture)
from tests.e2e.test_http_admin_products import bearer, token_for
from tests.e2e.test_http_search import assert_error

FIELDS = {"job_id", "name", "status", "attempts", "queued_at", "started_at", "finished_at", "report", "error"}


async def finished(client: AsyncTestClient, job_id: str, headers: dict[str, str]) -> dict[str, Any]:
    for _ in range(200):
        response = await client.get(f"/api/admin/jobs/{job_id}", headers=headers)
        assert response.status_code == 200, response.text
        job = response.json()
        if job["status"] in ("complete", "failed"):
            return dict(job)
        await asyncio.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish: {job}")


async def test_a_started_job_is_seen_queued_or_running_then_complete_with_its_report(shop) -> None:  # noqa: F811
    client, settings = shop
    admin = bearer(await token_for(client, settings, "status-admin", admin=True))
    job_id = (await client.post("/api/admin/jobs/cluster", headers=admin)).json()["job_id"]
    first = (await client.get(f"/api/admin/jobs/{job_id}", headers=admin)).json()
    assert set(first) == FIELDS and first["job_id"] == job_id and first["name"] == "cluster"
    assert first["status"] in ("queued", "running", "complete") and first["attempts"] <= 1
    job = await finished(client, job_id, admin)
    assert (job["status"], job["attempts"], job["error"]) == ("complete", 1, None)
    assert job["report"]["status"] == "done" and job["report"]["result"]  # the clustering's own report
    queued, started, ended = (
        datetime.fromisoformat(job[k]) for k in ("queued_at", "started_at", "finished_at")
    )
    assert queued.tzinfo is not None and queued <= started <= ended


async def test_recent_jobs_newest_first_within_the_limit(shop) -> None:  # noqa: F811
    client, settings = shop
    admin = bearer(await token_for(client, settings, "status-admin2", admin=True))
    started = []
    for name in ("rollup", "cluster", "rollup"):
        started.append((await client.post(f"/api/admin/jobs/{name}", headers=admin)).json()["job_id"])
        await finished(client, started[-1], admin)
    response = await client.get("/api/admin/jobs", params={"limit": 2}, headers=admin)
    assert response.status_code == 200, response.text
    jobs = response.json()["jobs"]
    assert [j["job_id"] for j in jobs] == started[::-1][:2]
    assert all(set(j) == FIELDS for j in jobs)
    everything = (await client.get("/api/admin/jobs", headers=admin)).json()["jobs"]
    stamps = [j["queued_at"] for j in everything]
    assert stamps == sorted(stamps, reverse=True) and set(started) <= {j["job_id"] for j in everything}


async def test_unknown_ids_bad_limits_and_who_may_look(shop) -> None:  # noqa: F811
    client, settings = shop
    admin = bearer(await token_for(client, settings, "status-admin3", admin=True))
    assert (
        assert_error(await client.get("/api/admin/jobs/cluster:nope", headers=admin), 404)["error"]["code"]
        == "not_found"
    )
    assert_error(await client.get("/api/admin/jobs/cluster%00x", headers=admin), 404)
    for limit in ("0", "101", "many"):
        body = assert_error(await client.get("/api/admin/jobs", params={"limit": limit}, headers=admin), 400)
        assert body["error"]["details"]["field"] == "limit"
    job_id = (await client.post("/api/admin/jobs/rollup", headers=admin)).json()["job_id"]
    assert_error(await client.get(f"/api/admin/jobs/{job_id}"), 401)
    assert_error(await client.get("/api/admin/jobs"), 401)
    shopper = bearer(await token_for(client, settings, "status-shopper", admin=False))
    assert_error(await client.get(f"/api/admin/jobs/{job_id}", headers=shopper), 403)
    assert_error(await client.get("/api/admin/jobs/cluster:nope", headers=shopper), 403)  # no probing ids
    assert_error(await client.get("/api/admin/jobs", headers=shopper), 403)
