"""Shared fixtures: throwaway SQLite and PostgreSQL databases, migrated, and the Redis server.

PostgreSQL and Redis tests skip on a developer machine without those servers, but fail in CI
(CI=true), where a skipped integration test would hide a broken setup.
"""

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import asyncpg
import pytest
import redis.asyncio as aioredis

from entrypoints.cli.db import upgrade

PG_HOST = os.environ.get("TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("TEST_PG_PORT", "5432"))
PG_USER = os.environ.get("TEST_PG_USER", "postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
IN_CI = os.environ.get("CI", "").lower() == "true"


def unavailable(what: str, error: BaseException) -> None:
    message = f"{what} is not reachable ({error.__class__.__name__}: {error})"
    if IN_CI:
        pytest.fail(message + " - CI must run these tests", pytrace=False)
    pytest.skip(message)


async def create_pg_database() -> str:
    try:
        admin = await asyncpg.connect(
            host=PG_HOST, port=PG_PORT, user=PG_USER, database="postgres", timeout=5
        )
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        unavailable("PostgreSQL", exc)
    name = f"ecomsearch_test_{uuid.uuid4().hex[:10]}"
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return f"postgresql+asyncpg://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"


async def drop_pg_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin = await asyncpg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, database="postgres")
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


DatabaseFactory = Callable[[str], Awaitable[str]]


@pytest.fixture(scope="session")
async def make_database(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[DatabaseFactory]:
    """Create a fresh, migrated database of the given kind ('sqlite' or 'postgresql')."""
    created: list[str] = []

    async def factory(kind: str) -> str:
        if kind == "sqlite":
            path: Path = tmp_path_factory.mktemp("db") / "ecomsearch.db"
            url = f"sqlite+aiosqlite:///{path}"
        else:
            url = await create_pg_database()
            created.append(url)
        # Alembic's env runs its own event loop, so it runs in a thread of its own.
        await asyncio.to_thread(upgrade, url)
        return url

    yield factory
    for url in created:
        await drop_pg_database(url)


@pytest.fixture
async def redis_client() -> AsyncIterator[aioredis.Redis]:
    client = aioredis.Redis.from_url(REDIS_URL)
    try:
        await client.ping()
    except (OSError, aioredis.ConnectionError) as exc:
        await client.aclose()
        unavailable("Redis", exc)
    await client.flushdb()
    yield client
    await client.flushdb()
    await client.aclose()
