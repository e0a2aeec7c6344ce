"""SqlEventLog (direct and group-committed) on SQLite and PostgreSQL; product cache entries in Redis."""

import asyncio
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import msgspec
import pytest
import sqlalchemy as sa

from adapters.sql.engine import make_engine, make_sessions
from adapters.sql.event_log import SqlEventLog
from adapters.sql.group_commit import GroupCommitEventLog
from adapters.sql.product_repository import SqlProductRepository
from adapters.sql.tables import events
from application.catalog.product_cache import product_key
from application.events.record_events import EventIn, VisitorRef
from domain.catalog.model import Product
from domain.events.model import Event, Impression, Shown
from entrypoints.container import build_container, close_container
from entrypoints.settings import load_settings
from tests.conftest import REDIS_URL
from tests.unit.fakes import make_product

T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def event(sku: str, minutes: int = 0, kind: str = "click", visitor: str = "anon:v1") -> Event:
    return Event(
        type=kind,  # type: ignore[arg-type]
        sku=sku,
        visitor_id=visitor,
        arm="popularity",
        occurred_at=T0 + timedelta(minutes=minutes),
        search_id="s-1",
        position=3,
        query="blue mug",
    )


@pytest.fixture(params=["sqlite", "postgresql"])
async def db(request: pytest.FixtureRequest, make_database):
    engine = make_engine(await make_database(request.param))
    products = SqlProductRepository(make_sessions(engine))
    await products.upsert_many(
        [make_product("MUG-1", "Blue mug", popularity=5.0), make_product("CUP-2", "Red cup")]
    )
    yield engine, products
    await engine.dispose()


async def popularity(products: SqlProductRepository, sku: str) -> float:
    product = await products.get(sku)
    assert product is not None
    return product.popularity


async def stored_count(engine) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(sa.select(sa.func.count()).select_from(events))).scalar_one())


async def test_an_event_is_appended_and_read_back_by_time_range(db) -> None:
    engine, products = db
    log = SqlEventLog(engine)
    assert await log.record(event("MUG-1", 0), 1)
    assert await log.record(event("CUP-2", 5, kind="view", visitor="user:3"), 0)
    assert await log.record(event("MUG-1", 10, kind="add_to_cart"), 3)
    window = await log.events_between(T0, T0 + timedelta(minutes=10))
    assert [(e.sku, e.type) for e in window] == [("MUG-1", "click"), ("CUP-2", "view")]
    assert window[0] == event("MUG-1", 0)
    assert [e.type for e in await log.events_of_visitor("anon:v1", T0)] == ["add_to_cart", "click"]
    assert await popularity(products, "MUG-1") == 9.0
    assert await popularity(products, "CUP-2") == 0.0


async def test_unknown_skus_store_nothing_and_leave_the_batch_alone(db) -> None:
    engine, products = db
    log = SqlEventLog(engine)
    assert not await log.record(event("NOPE"), 1)
    assert await stored_count(engine) == 0
    answers = await log.record_many([(event("MUG-1"), 1), (event("NOPE"), 1), (event("MUG-1", 1), 3)])
    assert answers == [True, False, True]
    assert await stored_count(engine) == 2
    assert await popularity(products, "MUG-1") == 9.0


@pytest.mark.parametrize("grouped", [False, True])
async def test_concurrent_clicks_never_lose_an_increment(db, grouped: bool) -> None:
    engine, products = db
    direct = SqlEventLog(engine)
    log = GroupCommitEventLog(direct) if grouped else direct
    before = await popularity(products, "MUG-1")
    answers = await asyncio.gather(*(log.record(event("MUG-1", i % 7), 1) for i in range(100)))
    assert all(answers)
    assert await popularity(products, "MUG-1") == before + 100
    assert await stored_count(engine) == 100
    if isinstance(log, GroupCommitEventLog):
        await log.close()


async def test_group_commit_answers_each_caller_and_survives_a_bad_neighbour(db) -> None:
    engine, products = db
    log = GroupCommitEventLog(SqlEventLog(engine))
    answers = await asyncio.gather(log.record(event("MUG-1"), 1), log.record(event("NOPE"), 1))
    assert answers == [True, False]
    # A value the database refuses (over the column's length on PostgreSQL) fails only its own caller.
    broken = msgspec.structs.replace(event("CUP-2"), visitor_id="v" * 81)
    results = await asyncio.gather(
        log.record(event("CUP-2"), 1), log.record(broken, 1), return_exceptions=True
    )
    if engine.dialect.name == "postgresql":
        assert results[0] is True and isinstance(results[1], Exception)
    assert await popularity(products, "CUP-2") >= 1.0
    await log.close()


async def test_impressions_keep_skus_with_positions(db) -> None:
    engine, _ = db
    log = SqlEventLog(engine)
    shown = Impression(
        search_id="abc",
        visitor_id="user:3",
        user_id=3,
        arm="personalized",
        query="blue mug",
        items=(Shown("MUG-1", 13), Shown("CUP-2", 14)),
        page=2,
        total=40,
        occurred_at=T0,
    )
    await log.record_impression(shown)
    await log.record_impression(
        msgspec.structs.replace(shown, search_id="later", occurred_at=T0 + timedelta(hours=1))
    )
    assert await log.impressions_between(T0, T0 + timedelta(minutes=1)) == [shown]


async def test_product_pages_are_cached_in_redis_and_dropped_on_a_click(make_database, redis_client) -> None:
    url = await make_database("postgresql")
    settings = load_settings({"DATABASE_URL": url, "REDIS_URL": REDIS_URL}, dotenv=Path(os.devnull))
    container = build_container(settings)
    try:
        await container.products().upsert_many([make_product("MUG-1", "Blue mug", popularity=2.0)])
        await container.get_product()("MUG-1")
        raw = await redis_client.get("ecomsearch:" + product_key("MUG-1"))
        assert raw is not None
        assert msgspec.msgpack.decode(raw, type=Product).popularity == 2.0
        assert 0 < await redis_client.pttl("ecomsearch:" + product_key("MUG-1")) <= 300_000
        await container.record_event()(
            EventIn(type="click", sku="MUG-1"), VisitorRef(visitor_id="anon:x", arm="a")
        )
        assert await redis_client.get("ecomsearch:" + product_key("MUG-1")) is None
        assert (
            await container.get_product()("MUG-1")
        ).popularity == 2.25  # an anonymous click weighs a quarter
    finally:
        await close_container(container)


async def test_closing_the_writer_answers_everyone_still_waiting(db) -> None:
    engine, _ = db
    log = GroupCommitEventLog(SqlEventLog(engine))
    assert await log.record(event("MUG-1"), 1)
    waiting = [asyncio.ensure_future(log.record(event("MUG-1", i), 1)) for i in range(5)]
    await log.close()
    done = await asyncio.gather(*waiting, return_exceptions=True)
    assert all(r is True or isinstance(r, RuntimeError) for r in done)
