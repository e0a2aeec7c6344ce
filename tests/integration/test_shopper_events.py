"""SqlShopperEventSource on SQLite and PostgreSQL: events joined to their products, by time and visitor."""

import statistics
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from adapters.sql.shopper_events import SqlShopperEventSource
from adapters.sql.tables import events, products
from application.shoppers.refresh_profiles import RefreshProfiles
from tests.fixtures.loading import loaded_container
from tests.unit.fakes import FakeClock

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def row(visitor: str, sku: str, kind: str, minutes_ago: float) -> dict[str, object]:
    return {
        "type": kind,
        "sku": sku,
        "visitor_id": visitor,
        "arm": "personalized",
        "occurred_at": NOW - timedelta(minutes=minutes_ago),
    }


@pytest.fixture(params=["sqlite", "postgresql"])
async def shop(request: pytest.FixtureRequest, make_database) -> AsyncIterator:
    async with loaded_container(await make_database(request.param)) as container:
        async with container.sessions()() as db:
            await db.execute(
                sa.insert(events),
                [
                    row("a:1", "HP-001", "view", 60 * 24 * 5),
                    row("a:1", "HP-003", "click", 30),
                    row("a:1", "HP-003", "add_to_cart", 5),
                    row("u:7", "SH-001", "view", 3),
                    row("u:7", "GONE-1", "click", 2),  # a product no longer in the catalog
                ],
            )
            await db.commit()
        yield container


async def test_events_since_with_product_fields(shop) -> None:
    source = SqlShopperEventSource(shop.sessions())
    recent = await source.events_since(NOW - timedelta(minutes=10))
    assert [(e.visitor_id, e.sku, e.kind) for e in recent] == [
        ("a:1", "HP-003", "add_to_cart"),
        ("u:7", "SH-001", "view"),
    ]
    assert recent[0].category == "Headphones" and recent[0].brand == "Sonora" and recent[0].price == 49.0
    assert recent[0].time == NOW - timedelta(minutes=5)
    async with shop.sessions()() as db:
        query = sa.select(products.c.price).where(products.c.category == "Headphones")
        prices = sorted(float(p) for p in (await db.execute(query)).scalars())
    assert recent[0].category_price == pytest.approx(statistics.median(prices))
    mine = await source.events_since(NOW - timedelta(days=30), ["a:1"])
    assert [e.sku for e in mine] == ["HP-001", "HP-003", "HP-003"]


async def test_profiles_refresh_from_the_event_log(shop) -> None:
    refresh = RefreshProfiles(
        SqlShopperEventSource(shop.sessions()), shop.profiles(), shop.clusters(), FakeClock(NOW)
    )
    assert await refresh() == 2  # a:1 and u:7 were active in the last 10 minutes
    profile = await shop.profiles().get("a:1")
    assert profile is not None
    assert set(profile.categories) == {"Headphones"}
    assert set(profile.recent) == {"HP-001", "HP-003"}
