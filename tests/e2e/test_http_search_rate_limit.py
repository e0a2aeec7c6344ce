"""SEARCH_RATE_LIMIT: search and suggest answer 429 with Retry-After past a client's budget a minute."""

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from entrypoints.container import build_container
from entrypoints.http.app import create_app
from entrypoints.settings import Settings, load_settings
from tests.conftest import REDIS_URL
from tests.e2e.test_http_search import assert_error
from tests.fixtures.catalog import CATALOG
from tests.fixtures.loading import settings_for

LIMIT = 4


async def _settings(make_database, redis_url: str | None = None) -> Settings:
    url = await make_database("sqlite")
    env = {**settings_for(url, redis_url), "SEARCH_RATE_LIMIT": str(LIMIT), "TRUST_FORWARDED_FOR": "true"}
    settings = load_settings(env, dotenv=Path(os.devnull))
    container = build_container(settings)
    await container.import_catalog()([(i + 2, row) for i, row in enumerate(CATALOG)])
    await container.engine().dispose()
    return settings


def _from(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


@pytest.fixture
async def client(make_database) -> AsyncIterator[AsyncTestClient]:
    settings = await _settings(make_database)
    async with AsyncTestClient(app=create_app(settings)) as test_client:
        yield test_client


async def test_past_the_budget_search_is_429_with_retry_after(client: AsyncTestClient) -> None:
    for _ in range(LIMIT):
        assert (
            await client.get("/api/search", params={"q": "mouse"}, headers=_from("10.0.0.1"))
        ).status_code == 200
    response = await client.get("/api/search", params={"q": "mouse"}, headers=_from("10.0.0.1"))
    body = assert_error(response, 429)
    assert body["error"]["code"] == "rate_limited"
    assert 1 <= int(response.headers["retry-after"]) <= 60


async def test_suggest_shares_the_budget_and_other_clients_and_routes_are_not_held(
    client: AsyncTestClient,
) -> None:
    for _ in range(LIMIT):
        assert (
            await client.get("/api/suggest", params={"q": "mo"}, headers=_from("10.0.0.2"))
        ).status_code == 200
    assert_error(await client.get("/api/search", params={"q": "mouse"}, headers=_from("10.0.0.2")), 429)
    assert_error(await client.get("/api/suggest", params={"q": "mo"}, headers=_from("10.0.0.2")), 429)
    assert (
        await client.get("/api/search", params={"q": "mouse"}, headers=_from("10.0.0.3"))
    ).status_code == 200
    assert (await client.get("/api/categories", headers=_from("10.0.0.2"))).status_code == 200


async def test_with_redis_the_budget_holds_across_processes(make_database, redis_client) -> None:
    settings = await _settings(make_database, REDIS_URL)
    address = _from("10.0.0.4")
    async with (
        AsyncTestClient(app=create_app(settings)) as one,
        AsyncTestClient(app=create_app(settings)) as two,
    ):
        for i in range(LIMIT):
            served = await (one if i % 2 else two).get("/api/search", params={"q": "mouse"}, headers=address)
            assert served.status_code == 200
        assert_error(await one.get("/api/search", params={"q": "mouse"}, headers=address), 429)
        assert_error(await two.get("/api/search", params={"q": "mouse"}, headers=address), 429)
    assert await redis_client.keys("ecomsearch:rate_limit*")


async def test_zero_turns_the_limit_off(make_database) -> None:
    settings = await _settings(make_database)
    settings = load_settings(
        {**settings_for(settings.database_url), "SEARCH_RATE_LIMIT": "0"}, dotenv=Path(os.devnull)
    )
    async with AsyncTestClient(app=create_app(settings)) as client:
        for _ in range(LIMIT * 3):
            assert (await client.get("/api/suggest", params={"q": "mo"})).status_code == 200
