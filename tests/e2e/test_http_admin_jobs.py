"""POST /api/admin/jobs/{name}: administrators only, 202 with a job id, the job really runs."""

import asyncio
import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from litestar.testing import AsyncTestClient

from adapters.sql.tables import impressions
from application.shoppers.refresh_profiles import RefreshProfiles
from entrypoints.container import build_container, close_container
from entrypoints.http.app import create_app
from entrypoints.settings import Settings, load_settings
from tests.e2e.test_http_admin_products import bearer, token_for
from tests.e2e.test_http_search import assert_error
from tests.unit.segment_fakes import InMemoryEvents, segment_events


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
async def shop(
    request: pytest.FixtureRequest, make_database
) -> AsyncIterator[tuple[AsyncTestClient, Settings]]:
    url = await make_database(request.param)
    settings = load_settings({"DATABASE_URL": url, "BCRYPT_ROUNDS": "4"}, dotenv=Path(os.devnull))
    # Shoppers with profiles, as the profiles job leaves them.
    seeding = build_container(settings)
    events, truth = segment_events(datetime.now(UTC), per_segment=12)
    refresh = RefreshProfiles(InMemoryEvents(events), seeding.profiles(), seeding.clusters(), seeding.clock())
    await refresh(sorted(truth))
    await close_container(seeding)
    async with AsyncTestClient(app=create_app(settings)) as client:
        yield client, settings


async def test_admin_starts_the_cluster_job_and_it_runs(shop) -> None:
    client, settings = shop
    admin = bearer(await token_for(client, settings, "jobs-admin", admin=True))
    response = await client.post("/api/admin/jobs/cluster", headers=admin)
    assert response.status_code == 202, response.text
    assert response.json()["job_id"].startswith("cluster:")
    reader = build_container(settings)
    try:
        for _ in range(100):
            clusters = await reader.clusters().current()
            if clusters:
                break
            await asyncio.sleep(0.1)
        assert len(clusters) == 3
        assert sum(c.size for c in clusters) == 36
    finally:
        await close_container(reader)


async def test_unknown_and_unavailable_jobs(shop) -> None:
    client, settings = shop
    admin = bearer(await token_for(client, settings, "jobs-admin2", admin=True))
    response = await client.post("/api/admin/jobs/bogus", headers=admin)
    assert assert_error(response, 404)["error"]["code"] == "not_found"
    assert "cluster" in response.json()["error"]["details"]["jobs"]
    assert {"retrain", "cluster", "rollup"} <= set(response.json()["error"]["details"]["jobs"])
    # Internal jobs run on their own (mail goes out with each message); the API does not start them.
    internal = await client.post("/api/admin/jobs/send_mail", headers=admin)
    assert assert_error(internal, 404)["error"]["code"] == "not_found"


async def test_admin_starts_the_rollup_job_and_the_summaries_fill(shop) -> None:
    client, settings = shop
    reader = build_container(settings)
    try:
        now = datetime.now(UTC)
        async with reader.engine().begin() as connection:
            await connection.execute(
                sa.insert(impressions),
                [dict(search_id="r1", visitor_id="rv", arm="popularity", query="mug", items=[["A", 1]],
                      page=1, total=1, occurred_at=now)],
            )  # fmt: skip
        admin = bearer(await token_for(client, settings, "jobs-admin4", admin=True))
        response = await client.post("/api/admin/jobs/rollup", headers=admin)
        assert response.status_code == 202, response.text
        assert response.json()["job_id"].startswith("rollup:")
        for _ in range(100):
            totals = await reader.analytics_summaries().totals(now.date())
            # The daily and visitor sums are two reads; wait for the daily row, not the visitor.
            if "popularity" in totals and totals["popularity"].searches:
                break
            await asyncio.sleep(0.1)
        assert totals["popularity"].searches == 1 and totals["popularity"].impressions == 1
    finally:
        await close_container(reader)


async def test_admin_starts_retrain_on_the_impression_log(shop) -> None:
    client, settings = shop
    admin = bearer(await token_for(client, settings, "jobs-admin3", admin=True))
    response = await client.post("/api/admin/jobs/retrain", headers=admin)
    assert response.status_code == 202, response.text
    assert response.json()["job_id"].startswith("retrain:")


async def test_only_administrators(shop) -> None:
    client, settings = shop
    assert_error(await client.post("/api/admin/jobs/cluster"), 401)
    shopper = bearer(await token_for(client, settings, "jobs-shopper", admin=False))
    assert_error(await client.post("/api/admin/jobs/cluster", headers=shopper), 403)
    assert_error(await client.post("/api/admin/jobs/bogus", headers=shopper), 403)  # no probing names
