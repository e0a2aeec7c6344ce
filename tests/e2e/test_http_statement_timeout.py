"""DATABASE_STATEMENT_TIMEOUT_MS: PostgreSQL cancels a statement that runs too long, answered 503."""

import asyncio
import os
from pathlib import Path

import asyncpg
import pytest
import sqlalchemy as sa
from litestar.testing import AsyncTestClient
from sqlalchemy.exc import DBAPIError

from adapters.sql.engine import make_engine
from entrypoints.container import build_container
from entrypoints.http.app import create_app
from entrypoints.settings import load_settings, unbounded_statements
from tests.e2e.test_http_search import assert_error
from tests.fixtures.catalog import CATALOG
from tests.fixtures.loading import settings_for


async def test_a_statement_over_the_timeout_is_cancelled(make_database) -> None:
    engine = make_engine(await make_database("postgresql"), statement_timeout_ms=100)
    try:
        async with engine.connect() as conn:
            await conn.execute(sa.text("SELECT pg_sleep(0.01)"))  # under the limit: answered
            with pytest.raises(DBAPIError) as caught:
                await conn.execute(sa.text("SELECT pg_sleep(2)"))
        assert getattr(caught.value.orig, "sqlstate", None) == "57014"
    finally:
        await engine.dispose()


async def test_without_a_timeout_a_long_statement_runs(make_database) -> None:
    engine = make_engine(await make_database("postgresql"), statement_timeout_ms=0)
    try:
        async with engine.connect() as conn:
            assert (await conn.execute(sa.text("SHOW statement_timeout"))).scalar() == "0"
    finally:
        await engine.dispose()


def test_the_setting_defaults_to_five_seconds_and_batch_work_has_none() -> None:
    settings = load_settings({}, dotenv=Path(os.devnull))
    assert settings.database_statement_timeout_ms == 5000
    assert unbounded_statements(settings).database_statement_timeout_ms == 0
    assert (
        load_settings(
            {"DATABASE_STATEMENT_TIMEOUT_MS": "250"}, dotenv=Path(os.devnull)
        ).database_statement_timeout_ms
        == 250
    )


async def test_a_search_held_past_the_timeout_is_503_with_retry_after(make_database) -> None:
    url = await make_database("postgresql")
    env = {**settings_for(url), "DATABASE_STATEMENT_TIMEOUT_MS": "300", "SEARCH_RESULT_TTL": "0"}
    settings = load_settings(env, dotenv=Path(os.devnull))
    container = build_container(settings)
    await container.import_catalog()([(i + 2, row) for i, row in enumerate(CATALOG)])
    await container.engine().dispose()  # the app runs on a loop of its own
    # Another session holds the products table, so the search's statements wait past the limit.
    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    holder = await asyncpg.connect(dsn)
    async with AsyncTestClient(app=create_app(settings, container)) as client:
        assert (await client.get("/api/search", params={"q": "headphones"})).status_code == 200
        tx = holder.transaction()
        await tx.start()
        await holder.execute("LOCK TABLE products IN ACCESS EXCLUSIVE MODE")
        try:
            started = asyncio.get_running_loop().time()
            response = await client.get("/api/search", params={"q": "wireless mouse"})
            elapsed = asyncio.get_running_loop().time() - started
        finally:
            await tx.rollback()
            await holder.close()
        body = assert_error(response, 503)
        assert body["error"]["code"] == "unavailable"
        assert int(response.headers["retry-after"]) > 0
        assert elapsed < 5  # cancelled by the 300 ms limit, not by a lock that never ends
        assert (await client.get("/api/search", params={"q": "wireless mouse"})).status_code == 200
