"""PostgreSQL stopped (-m immediate) under load and started again: 503 with Retry-After, never 500.

The test runs a PostgreSQL cluster of its own on a private port (as the `postgres` user when the
tests run as root) and drives a real server with 8 clients on several endpoints while /ready is
polled: every answer is a success or a 503 with Retry-After, /ready is 503 while the database is
away and 200 again within 15 s of its return, without restarting the service.
"""

import asyncio
import contextlib
import os
import secrets
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from entrypoints.cli.db import upgrade
from entrypoints.container import build_container, close_container
from entrypoints.http.app import create_app
from entrypoints.settings import Settings, load_settings
from tests.e2e.private_servers import PrivatePostgres, serving, stored_clicks
from tests.fixtures.catalog import CATALOG

CLIENTS = 8
SKU = CATALOG[0]["sku"]


@pytest.fixture
async def postgres() -> AsyncIterator[PrivatePostgres]:
    server = PrivatePostgres()
    server.init()
    try:
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture
async def shop(postgres: PrivatePostgres) -> AsyncIterator[tuple[httpx.AsyncClient, Settings]]:
    url = await postgres.create_database()
    await asyncio.to_thread(upgrade, url)
    # No result cache: every search reads the database.
    # Every client here is 127.0.0.1: the per-client rate limits would measure themselves, not PostgreSQL.
    env = {
        "DATABASE_URL": url,
        "SEARCH_RESULT_TTL": "0",
        "BCRYPT_ROUNDS": "4",
        "SEARCH_RATE_LIMIT": "0",
        "EVENT_RATE_LIMIT": "0",
    }
    settings = load_settings(env, dotenv=Path(os.devnull))
    loader = build_container(settings)
    await loader.import_catalog()([(i + 2, row) for i, row in enumerate(CATALOG)])
    await close_container(loader)
    async with serving(create_app(settings)) as client:
        yield client, settings


def _request(client: httpx.AsyncClient, i: int):  # type: ignore[no-untyped-def]
    kind = i % 5
    if kind == 0:
        return "click", client.post(
            "/api/events",
            json={"type": "click", "sku": SKU},
            headers={"Cookie": f"anon_id={secrets.token_urlsafe(16)}"},
        )
    if kind == 1:
        return "suggest", client.get("/api/suggest", params={"q": "head"})
    if kind == 2:
        return "product", client.get(f"/api/products/{SKU}")
    if kind == 3:
        return "categories", client.get("/api/categories")
    return "search", client.get("/api/search", params={"q": ("headphones", "cable", "mug")[i % 3]})


async def test_no_500_across_a_postgres_restart_and_ready_comes_back(shop, postgres) -> None:
    client, settings = shop
    _, popularity_before = await stored_clicks(settings.database_url, SKU)
    answers: Counter[tuple[str, int]] = Counter()
    without_retry_after: list[str] = []
    ready: list[tuple[float, int]] = []
    stop, ready_again = asyncio.Event(), asyncio.Event()
    back_at = float("inf")

    async def shopper(n: int) -> None:
        i = n
        while not stop.is_set():
            name, call = _request(client, i)
            response = await call
            answers[name, response.status_code] += 1
            if response.status_code == 503 and not response.headers.get("Retry-After"):
                without_retry_after.append(name)
            i += 1

    async def poll_ready() -> None:
        while not stop.is_set():
            ready.append((time.monotonic(), (await client.get("/ready")).status_code))
            if ready[-1][0] > back_at and ready[-1][1] == 200:
                ready_again.set()
            await asyncio.sleep(0.1)

    load = [asyncio.create_task(shopper(n)) for n in range(CLIENTS)] + [asyncio.create_task(poll_ready())]
    await asyncio.sleep(1.0)
    await asyncio.to_thread(postgres.stop, "immediate")
    stopped_at = time.monotonic()
    await asyncio.sleep(1.5)  # connections refused
    await asyncio.to_thread(
        postgres.start_refusing
    )  # "not accepting connections" (asyncpg's CannotConnectNowError)
    await asyncio.sleep(2.0)
    refusing = Counter(answers)
    await asyncio.to_thread(postgres.stop, "fast")
    await asyncio.to_thread(postgres.start_nowait)
    await postgres.wait_ready()
    back_at = time.monotonic()
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(ready_again.wait(), 15)
    await asyncio.sleep(1.0)
    stop.set()
    await asyncio.gather(*load)

    clicks, popularity = await stored_clicks(settings.database_url, SKU)
    accepted = answers["click", 202]
    statuses = Counter(status for _, status in answers.elements())
    first_ready = min((at for at, status in ready if at > back_at and status == 200), default=None)
    print(
        f"\nanswers: {dict(answers)}\n/ready: {Counter(status for _, status in ready)}, 200 again "
        f"{None if first_ready is None else round(first_ready - back_at, 2)} s after PostgreSQL was back; "
        f"clicks 202 {accepted}, stored {clicks}; answered before the server started refusing: {dict(refusing)}"
    )
    assert set(statuses) <= {200, 202, 503}, statuses
    assert statuses[503] > 0  # the database was away for some of the load
    assert without_retry_after == []
    assert set(status for _, status in ready) <= {200, 503}
    assert any(stopped_at < at < back_at and status == 503 for at, status in ready)
    assert first_ready is not None and first_ready - back_at < 15
    # Every click answered 202 was stored once, with its popularity; no refused one was.
    assert clicks == accepted
    # Popularity moves once per window for one address's anonymous clicks on one product.
    moved = settings.popularity.click * settings.popularity.anonymous if accepted else 0.0
    assert popularity - popularity_before == moved
    # Served again, without a restart.
    assert (await client.get("/api/search", params={"q": "headphones"})).status_code == 200
