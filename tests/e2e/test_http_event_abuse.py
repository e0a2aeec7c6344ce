"""Events over HTTP cannot buy popularity or start jobs at will (issue 18), on SQLite and PostgreSQL.

A burst of anonymous add-to-carts without cookies (each request a new anonymous visitor) moves the
product once, at the anonymous weight; 500 views start retrain and cluster at most once; a client
over its event budget gets 429 with Retry-After and nothing is stored.
"""

import asyncio
import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from httpx import Response
from litestar.testing import AsyncTestClient

from entrypoints.container import Container, build_container
from entrypoints.http.app import create_app
from entrypoints.settings import load_settings
from tests.e2e.test_http_events import as_visitor, popularity, stored
from tests.e2e.test_http_search import assert_error
from tests.fixtures.catalog import CATALOG
from tests.fixtures.loading import settings_for


@asynccontextmanager
async def shop(url: str, **env: str) -> AsyncIterator[tuple[AsyncTestClient, Container]]:
    settings = load_settings({**settings_for(url), **env}, dotenv=Path(os.devnull))
    container = build_container(settings)
    await container.import_catalog()([(i + 2, row) for i, row in enumerate(CATALOG)])
    await container.engine().dispose()
    async with AsyncTestClient(app=create_app(settings, container)) as client:
        yield client, container


async def as_new_visitor(client: AsyncTestClient, body: dict) -> Response:
    """Each request a new anonymous visitor, as a script that mints anonymous ids (an explicit
    Cookie header keeps the client's cookie jar out of it)."""
    headers = {"cookie": f"anon_id=burst-{secrets.token_hex(12)}"}
    return await client.post("/api/events", json=body, headers=headers)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
async def test_a_burst_of_anonymous_add_to_carts_adds_one_weighted_unit(kind: str, make_database) -> None:
    async with shop(await make_database(kind), EVENT_RATE_LIMIT="0") as (client, container):
        before = await popularity(client, "HP-001")
        answers = await asyncio.gather(
            *(as_new_visitor(client, {"type": "add_to_cart", "sku": "HP-001"}) for _ in range(100))
        )
        assert [answer.status_code for answer in answers] == [202] * 100
        added = await popularity(client, "HP-001") - before
        assert added == pytest.approx(3 * 0.25)  # add_to_cart weighs 3; anonymous a quarter
        events, _ = await stored(container.settings())
        burst = [e for e in events if e.sku == "HP-001" and e.type == "add_to_cart"]
        assert len(burst) == 100  # all logged
        assert len({e.visitor_id for e in burst}) == 100  # by 100 anonymous visitors
        # A logged-out visitor with a cookie repeating the event adds nothing more; another type counts.
        as_visitor(client, "anonymous-visitor-0009-abc")
        await client.post("/api/events", json={"type": "add_to_cart", "sku": "HP-001"})
        await client.post("/api/events", json={"type": "click", "sku": "HP-001"})
        assert await popularity(client, "HP-001") - before == pytest.approx(0.75 + 0.25)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
async def test_500_views_start_retrain_and_cluster_at_most_once(kind: str, make_database) -> None:
    async with shop(await make_database(kind), EVENT_RATE_LIMIT="0") as (client, container):
        as_visitor(client, "anonymous-visitor-0010-abc")
        for _ in range(500):
            assert (
                await client.post("/api/events", json={"type": "view", "sku": "HP-001"})
            ).status_code == 202
        cache = container.cache()
        assert int(await cache.get("jobs:events:cluster") or 0) == 500  # two cluster crossings, one retrain
        started = sorted(job_id.split(":")[0] for job_id in container.job_queue().tasks)
        assert started == ["cluster", "retrain"]


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
async def test_a_client_over_its_event_budget_gets_429_and_nothing_is_stored(
    kind: str, make_database
) -> None:
    async with shop(await make_database(kind), EVENT_RATE_LIMIT="5", EVENT_RATE_WINDOW_SECONDS="60") as (
        client,
        container,
    ):
        answers = [await as_new_visitor(client, {"type": "click", "sku": "HP-002"}) for _ in range(5)]
        assert [answer.status_code for answer in answers] == [202] * 5
        refused = await as_new_visitor(client, {"type": "click", "sku": "HP-002"})  # new ids change nothing
        body = assert_error(refused, 429)
        assert body["error"]["code"] == "rate_limited"
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        assert body["error"]["details"]["retry_after"] == int(refused.headers["retry-after"])
        events, _ = await stored(container.settings())
        assert len([e for e in events if e.sku == "HP-002"]) == 5
