"""Connections the database ends (a restart, an administrator) cost at most one 503, never a 500."""

from collections.abc import AsyncIterator

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from tests.conftest import PG_HOST, PG_PORT, PG_USER
from tests.e2e.shop import open_shop


@pytest.fixture
async def client_and_db(make_database) -> AsyncIterator[tuple[AsyncTestClient, str]]:
    async for client, settings in open_shop(make_database, "postgresql", env={"SEARCH_RESULT_TTL": "0"}):
        yield client, settings.database_url.rsplit("/", 1)[1]


async def _end_connections(database: str) -> int:
    admin = await asyncpg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, database="postgres")
    try:
        return int(
            await admin.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1", database
            )
        )
    finally:
        await admin.close()


async def test_search_after_the_database_ended_every_connection(client_and_db) -> None:
    client, database = client_and_db
    for q in ("headphones", "cable", "mug"):  # several pooled connections
        assert (await client.get("/api/search", params={"q": q})).status_code == 200
    assert await _end_connections(database) >= 1
    statuses = [(await client.get("/api/search", params={"q": "headphones"})) for _ in range(4)]
    codes = [r.status_code for r in statuses]
    assert 500 not in codes and codes[-1] == 200, codes
    assert codes.count(503) <= 1, codes
    for refused in (r for r in statuses if r.status_code == 503):
        assert refused.headers["Retry-After"] and refused.json()["error"]["code"] == "unavailable"
