"""Popularity cannot be bought with repetition: once per window, anonymous visitors weigh less,
and a client over its event budget is refused (fakes, no database)."""

from datetime import timedelta

import pytest

from application.events.dispatch import Reactions
from application.events.rate_limit import EventLimits, EventRateLimiter
from application.events.record_events import EventIn, RecordEvent, VisitorRef
from domain.catalog.errors import ProductNotFound
from domain.events.errors import TooManyEvents
from domain.events.model import PopularityWeights
from tests.unit.event_fakes import InMemoryEventLog, InMemoryPopularityMarks
from tests.unit.fakes import FakeCache, FakeClock, InMemoryProductRepository, make_product

ANON = VisitorRef(visitor_id="anon:abcdefghijklmnopqrstuv", arm="popularity")
OTHER_ANON = VisitorRef(visitor_id="anon:zyxwvutsrqponmlkjihgfe", arm="popularity")
USER = VisitorRef(visitor_id="user:7", arm="personalized", user_id=7)
CART = EventIn(type="add_to_cart", sku="MUG-1")


def build(weights: PopularityWeights = PopularityWeights(), limits: EventLimits | None = None):
    products = InMemoryProductRepository(
        [make_product("MUG-1", "Blue mug"), make_product("CUP-2", "Red cup")]
    )
    log = InMemoryEventLog(products)
    marks = InMemoryPopularityMarks()
    clock = FakeClock()
    cache = FakeCache()
    limiter = EventRateLimiter(cache, limits) if limits else None
    record = RecordEvent(log, clock, weights, Reactions(), marks=marks, limiter=limiter)
    return record, log, products, clock, marks, cache


def popularity(products: InMemoryProductRepository, sku: str = "MUG-1") -> float:
    return products.products[sku].popularity


async def test_a_repeated_event_is_stored_but_counts_once_per_window() -> None:
    record, log, products, clock, *_ = build()
    for _ in range(100):
        await record(CART, USER)
    assert len(log.events) == 100
    assert popularity(products) == 3.0
    clock.current += timedelta(minutes=59)
    await record(CART, USER)
    assert popularity(products) == 3.0
    clock.current += timedelta(minutes=1)  # an hour after the first count
    await record(CART, USER)
    assert popularity(products) == 6.0


async def test_each_product_and_event_type_counts_on_its_own() -> None:
    record, _, products, *_ = build()
    await record(CART, USER)
    await record(EventIn(type="click", sku="MUG-1"), USER)
    await record(EventIn(type="click", sku="CUP-2"), USER)
    assert popularity(products) == 4.0
    assert popularity(products, "CUP-2") == 1.0


async def test_anonymous_visitors_weigh_less_and_are_counted_by_address() -> None:
    record, _, products, *_ = build(PopularityWeights(anonymous=0.25))
    await record(CART, ANON, "198.51.100.7")
    assert popularity(products) == 0.75
    # A new anonymous id from the same address is the same client: a fresh cookie costs nothing.
    await record(CART, OTHER_ANON, "198.51.100.7")
    assert popularity(products) == 0.75
    await record(CART, OTHER_ANON, "203.0.113.9")
    assert popularity(products) == 1.5
    # A logged-in shopper at the same address counts on their own, at full weight.
    await record(CART, USER, "198.51.100.7")
    assert popularity(products) == 4.5


async def test_without_an_address_an_anonymous_visitor_is_counted_by_their_id() -> None:
    record, _, products, *_ = build(PopularityWeights(anonymous=0.5))
    await record(CART, ANON)
    await record(CART, ANON)
    await record(CART, OTHER_ANON)
    assert popularity(products) == 3.0


async def test_a_refused_event_leaves_no_mark_so_the_next_one_counts() -> None:
    record, log, products, _, marks, _ = build()
    with pytest.raises(ProductNotFound):
        await record(EventIn(type="click", sku="NOPE"), USER)
    assert marks.counted == {}

    async def down(*_: object) -> bool:
        raise ConnectionError("database gone")

    working = log.record
    log.record = down  # type: ignore[method-assign]
    with pytest.raises(ConnectionError):
        await record(CART, USER)
    log.record = working  # type: ignore[method-assign]
    await record(CART, USER)  # the client's retry counts
    assert popularity(products) == 3.0
    assert len(log.events) == 1


async def test_events_past_the_clients_budget_are_refused_and_not_stored() -> None:
    record, log, _, _, _, cache = build(limits=EventLimits(per_client=5, window_seconds=60))
    for _ in range(5):
        await record(CART, ANON, "198.51.100.7")
    with pytest.raises(TooManyEvents) as refused:
        await record(CART, OTHER_ANON, "198.51.100.7")  # a new cookie is no way round it
    assert refused.value.retry_after_seconds == 60
    assert refused.value.details() == {"retry_after": 60}
    assert len(log.events) == 5
    await record(CART, ANON, "203.0.113.9")  # another client has its own budget
    await record(CART, USER, "198.51.100.7")  # so has a logged-in shopper
    assert len(log.events) == 7
    del cache.data["events:rate:addr:198.51.100.7"]  # the window ends
    await record(CART, ANON, "198.51.100.7")
    assert len(log.events) == 8


async def test_the_event_limit_fails_open_when_the_cache_is_down() -> None:
    class DownCache(FakeCache):
        async def incr(self, key: str, amount: int = 1, ttl_seconds: float | None = None) -> int:
            raise ConnectionError("redis gone")

    limiter = EventRateLimiter(DownCache(), EventLimits(per_client=1))
    for _ in range(3):
        await limiter.check("addr:198.51.100.7")


async def test_a_zero_limit_is_no_limit() -> None:
    cache = FakeCache()
    limiter = EventRateLimiter(cache, EventLimits(per_client=0))
    for _ in range(500):
        await limiter.check("addr:198.51.100.7")
    assert cache.data == {}
