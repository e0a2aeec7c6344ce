"""SqlRecentPopularity on SQLite and PostgreSQL: clicks and carts per sku inside the window."""

from datetime import UTC, datetime, timedelta

import pytest

from adapters.sql.engine import make_engine, make_sessions
from adapters.sql.event_log import SqlEventLog
from adapters.sql.product_repository import SqlProductRepository
from adapters.sql.recent_popularity import SqlRecentPopularity
from domain.events.model import Event
from tests.unit.fakes import make_product

T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
async def engine(request: pytest.FixtureRequest, make_database):
    engine = make_engine(await make_database(request.param))
    products = SqlProductRepository(make_sessions(engine))
    await products.upsert_many([make_product("MUG-1", "Blue mug"), make_product("CUP-2", "Red cup")])
    yield engine
    await engine.dispose()


async def test_counts_clicks_and_carts_since_the_window_start(engine) -> None:
    log = SqlEventLog(engine)
    for kind, sku, days in [
        ("click", "MUG-1", 1),
        ("add_to_cart", "MUG-1", 2),
        ("view", "MUG-1", 1),  # views do not count
        ("click", "CUP-2", 3),
        ("click", "CUP-2", 9),  # before the window
    ]:
        event = Event(
            type=kind, sku=sku, visitor_id="anon:v", arm="popularity", occurred_at=T0 - timedelta(days=days)
        )  # type: ignore[arg-type]
        assert await log.record(event, 0)
    counts = await SqlRecentPopularity(engine).counts(T0 - timedelta(days=7))
    assert counts == {"MUG-1": 2.0, "CUP-2": 1.0}
    assert await SqlRecentPopularity(engine).counts(T0) == {}


async def test_a_visitors_repeated_events_count_once_per_type(engine) -> None:
    log = SqlEventLog(engine)
    for visitor, kind, n in [("anon:a", "add_to_cart", 50), ("anon:a", "click", 3), ("user:7", "click", 2)]:
        for i in range(n):
            event = Event(
                type=kind,
                sku="MUG-1",
                visitor_id=visitor,
                arm="popularity",
                occurred_at=T0 - timedelta(minutes=i),
            )  # type: ignore[arg-type]
            assert await log.record(event, 0)
    assert await SqlRecentPopularity(engine).counts(T0 - timedelta(days=1)) == {"MUG-1": 3.0}
