"""Profiles and clusters on SQLite and PostgreSQL, and the clustering use case over them."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.learning.kmeans import SklearnClusterer
from adapters.sql.engine import make_engine, make_sessions
from adapters.sql.shopper_store import SqlClusterStore, SqlProfileStore
from application.shoppers.cluster_shoppers import ReclusterShoppers
from application.shoppers.refresh_profiles import RefreshProfiles
from domain.ranking.model import PriceBand, ShopperProfile
from domain.shoppers.model import Cluster
from tests.unit.fakes import FakeClock
from tests.unit.segment_fakes import InMemoryEvents, segment_events

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
async def sessions(
    request: pytest.FixtureRequest, make_database
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = make_engine(await make_database(request.param))
    yield make_sessions(engine)
    await engine.dispose()


async def test_profiles_round_trip_and_upsert(sessions) -> None:
    store = SqlProfileStore(sessions)
    profile = ShopperProfile(
        visitor_id="u:1",
        categories={"shoes": 0.75, "bags": 0.25},
        brands={"acme": 1.0},
        price=PriceBand(log_center=3.2, log_spread=0.4),
        cluster=2,
        cluster_categories={"shoes": 0.5},
        recent={"sku-1": NOW - timedelta(hours=3)},
    )
    assert await store.get("u:1") is None
    await store.save_many([profile, ShopperProfile(visitor_id="a:x")], NOW)
    assert await store.get("u:1") == profile
    changed = ShopperProfile(visitor_id="u:1", categories={"tv": 1.0})
    await store.save_many([changed], NOW)
    assert await store.get("u:1") == changed
    assert {p.visitor_id for p in await store.all()} == {"u:1", "a:x"}


async def test_clusters_replace_atomically(sessions) -> None:
    store = SqlClusterStore(sessions)
    assert await store.current() == []
    first = [
        Cluster(cluster=i, size=i + 1, centroid=[0.1 * i, 1.0], dimensions=["category:a", "price:log_center"])
        for i in range(3)
    ]
    await store.replace(first, NOW)
    assert await store.current() == first
    await store.replace(first[:1], NOW)
    assert await store.current() == first[:1]


async def test_recluster_on_the_database(sessions) -> None:
    events, truth = segment_events(NOW, per_segment=15, seed=4)
    profiles, clusters = SqlProfileStore(sessions), SqlClusterStore(sessions)
    clock = FakeClock(NOW)
    assert await RefreshProfiles(InMemoryEvents(events), profiles, clusters, clock)(sorted(truth)) == 45
    report = await ReclusterShoppers(profiles, clusters, SklearnClusterer(), clock)()
    assert report.k == 3
    stored = await clusters.current()
    assert sorted(c.cluster for c in stored) == [0, 1, 2]
    assert sum(c.size for c in stored) == 45
    runner = await profiles.get("runners-0")
    assert runner is not None and runner.cluster is not None
    assert max(runner.cluster_categories, key=runner.cluster_categories.__getitem__) in {
        "shoes",
        "sportswear",
    }
