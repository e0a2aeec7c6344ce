"""The read replica's router and write fence, against real PostgreSQL and Redis.

The replica's happy path (a standby that has replayed, one that lags) needs a streaming replica:
tests/cluster/test_cluster.py has one. Here: what must never fail a search or trust a replica.
"""

import asyncio
import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from adapters.cache.write_positions import FencedCache, MemoryWritePositions, RedisWritePositions
from adapters.sql.engine import make_engine, make_sessions
from adapters.sql.replica import ReplicaRouter, RoutedEngine, RoutedSessions, primary_position
from application.search.dto import SearchRequest
from entrypoints.container import build_container, close_container
from entrypoints.settings import load_settings
from tests.conftest import REDIS_URL
from tests.e2e.private_servers import free_port
from tests.fixtures.actors import TEST_ACTOR
from tests.unit.fakes import FakeCache

pytestmark = [pytest.mark.postgres]


async def test_a_replica_that_is_down_sends_reads_to_the_primary_at_once(make_database) -> None:
    url = await make_database("postgresql")
    primary = make_engine(url)
    replica = make_engine(f"postgresql://postgres@127.0.0.1:{free_port()}/nothing")  # nobody listens
    required = MemoryWritePositions()
    router = ReplicaRouter(primary, replica, required.required)
    try:
        assert await router.pick() is primary
        assert await router.pick() is primary  # marked down: not asked again for a while
        async with RoutedSessions(router, make_sessions(primary))() as session:
            assert (await session.execute(sa.text("SELECT 1"))).scalar_one() == 1
        async with RoutedEngine(router).connect() as connection:
            assert (await connection.execute(sa.text("SELECT 1"))).scalar_one() == 1
        assert router.routed == {"replica": 0, "primary": 4}
    finally:
        await primary.dispose()
        await replica.dispose()


async def test_a_server_that_is_not_a_standby_is_never_trusted_as_a_replica(make_database) -> None:
    url = await make_database("postgresql")
    primary, other = make_engine(url), make_engine(url)
    router = ReplicaRouter(primary, other, MemoryWritePositions().required)
    try:
        # pg_last_wal_replay_lsn() is NULL off a standby: nothing counts as replayed.
        assert await router.pick() is primary
    finally:
        await primary.dispose()
        await other.dispose()


async def test_unknown_write_position_reads_from_the_primary(make_database) -> None:
    url = await make_database("postgresql")
    primary, replica = make_engine(url), make_engine(url)

    async def unknown() -> int | None:
        return None  # Redis down: nobody can say how far the replica must be

    try:
        assert await ReplicaRouter(primary, replica, unknown).pick() is primary
    finally:
        await primary.dispose()
        await replica.dispose()


async def test_the_fence_records_the_primary_position_before_a_version_moves_or_an_entry_goes(
    make_database,
) -> None:
    url = await make_database("postgresql")
    primary = make_engine(url)
    positions = MemoryWritePositions()
    seen: list[tuple[str, int | None]] = []

    class Recording(FakeCache):
        async def incr(self, key: str, amount: int = 1, ttl_seconds: float | None = None) -> int:
            seen.append((key, await positions.required()))
            return await super().incr(key, amount, ttl_seconds)

        async def delete(self, key: str) -> None:
            seen.append((key, await positions.required()))
            await super().delete(key)

    fenced = FencedCache(Recording(), positions, lambda: primary_position(primary))
    try:
        await fenced.incr("catalog:version")
        await fenced.delete("product:A")
        assert [key for key, _ in seen] == ["catalog:version", "product:A"]
        assert all(position is not None and position > 0 for _, position in seen)
        assert seen[1][1] >= seen[0][1]  # type: ignore[operator]
    finally:
        await primary.dispose()


@pytest.mark.redis
async def test_the_shared_write_position_never_moves_back(redis_client) -> None:
    positions = RedisWritePositions(redis_client)
    assert await positions.required() == 0
    # Two writers racing: the later, smaller record must not hide the larger one.
    await asyncio.gather(positions.record(500), positions.record(200))
    await positions.record(300)
    assert await positions.required() == 500
    other_process = RedisWritePositions(redis_client)
    assert await other_process.required() == 500


@pytest.mark.redis
async def test_with_a_read_url_that_is_down_searches_and_edits_still_work(
    make_database, redis_client
) -> None:
    url = await make_database("postgresql")
    settings = load_settings(
        {
            "DATABASE_URL": url,
            "DATABASE_READ_URL": f"postgresql://postgres@127.0.0.1:{free_port()}/nothing",
            "REDIS_URL": REDIS_URL,
        },
        dotenv=Path(os.devnull),
    )
    container = build_container(settings)
    try:
        await container.create_product()(
            {"sku": "LAMP-1", "title": "Brass lamp", "price": 20}, actor=TEST_ACTOR
        )
        found = await container.search_products()(SearchRequest(q="lamp"))
        assert [item.product.sku for item in found.items] == ["LAMP-1"]
        assert (await container.get_product()("LAMP-1")).title == "Brass lamp"
        assert container.replica_router().routed["replica"] == 0
        assert await RedisWritePositions(redis_client).required() > 0  # the edit was fenced
    finally:
        await close_container(container)


async def test_reads_arriving_together_share_one_probe(make_database) -> None:
    url = await make_database("postgresql")
    primary, replica = make_engine(url), make_engine(url)
    router = ReplicaRouter(primary, replica, MemoryWritePositions().required)
    probes = 0
    probe = router._probe

    async def counted() -> int | None:
        nonlocal probes
        probes += 1
        return await probe()

    router._probe = counted  # type: ignore[method-assign]
    try:
        picked = await asyncio.gather(*(router.pick() for _ in range(10)))
        assert probes == 1 and all(engine is primary for engine in picked)
    finally:
        await primary.dispose()
        await replica.dispose()
