"""RecordEvent, RecordImpression and the per-product cache, with fakes: no database."""

from datetime import timedelta

import pytest

from application.catalog.manage_products import DeleteProduct, GetProduct, UpdateProduct
from application.catalog.product_cache import ProductCache, product_key
from application.events.dispatch import Reactions
from application.events.reactions import DropCachedProduct, bumping_kinds
from application.events.record_events import EventIn, RecordEvent, RecordImpression, VisitorRef
from application.search.dto import Interpretation, QueryEcho, SearchHit, SearchResult
from domain.catalog.errors import ProductNotFound
from domain.events.errors import InvalidEvent
from domain.events.model import PopularityWeights, Shown
from domain.ranking.features import FEATURE_NAMES, FEATURE_VERSION
from domain.search.model import Facets, PriceRange
from tests.fixtures.actors import TEST_ACTOR
from tests.unit.audit_fakes import audit_trail
from tests.unit.event_fakes import InMemoryEventLog
from tests.unit.fakes import FIXED_NOW, FakeCache, FakeClock, InMemoryProductRepository, make_product

ANON = VisitorRef(visitor_id="anon:abcdefghijklmnopqrstuv", arm="popularity")
USER = VisitorRef(visitor_id="user:7", arm="personalized", user_id=7)


def build(weights: PopularityWeights = PopularityWeights()):
    products = InMemoryProductRepository(
        [make_product("MUG-1", "Blue mug", popularity=10.0), make_product("CUP-2", "Red cup")]
    )
    log = InMemoryEventLog(products)
    cache = FakeCache()
    product_cache = ProductCache(cache)
    clock = FakeClock()
    reactions = Reactions()
    reactions.register(DropCachedProduct(product_cache), kinds=bumping_kinds(weights))
    record = RecordEvent(log, clock, weights, reactions)
    return record, log, products, product_cache, cache, clock


async def test_an_event_is_stored_with_visitor_arm_and_the_clock_time() -> None:
    record, log, *_, clock = build()
    clock.current = FIXED_NOW - timedelta(days=3)  # the simulator back-dates through the clock
    await record(EventIn(type="click", sku="MUG-1", search_id="s1", position=2, query="mug"), USER)
    [event] = log.events
    assert (event.type, event.sku, event.visitor_id, event.user_id, event.arm) == (
        "click", "MUG-1", "user:7", 7, "personalized",
    )  # fmt: skip
    assert (event.search_id, event.position, event.query) == ("s1", 2, "mug")
    assert event.occurred_at == FIXED_NOW - timedelta(days=3)


async def test_popularity_follows_the_weights() -> None:
    record, _, products, *_ = build()
    await record(EventIn(type="view", sku="MUG-1"), USER)
    assert products.products["MUG-1"].popularity == 10.0
    await record(EventIn(type="click", sku="MUG-1"), USER)
    await record(EventIn(type="add_to_cart", sku="MUG-1"), USER)
    assert products.products["MUG-1"].popularity == 14.0
    custom, _, other, *_ = build(PopularityWeights(view=1, click=2, add_to_cart=5))
    await custom(EventIn(type="view", sku="CUP-2"), USER)
    await custom(EventIn(type="add_to_cart", sku="CUP-2"), USER)
    assert other.products["CUP-2"].popularity == 6.0


async def test_unknown_sku_is_not_found_and_stores_nothing() -> None:
    record, log, *_ = build()
    with pytest.raises(ProductNotFound):
        await record(EventIn(type="click", sku="NOPE"), ANON)
    assert log.events == []


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (EventIn(type="purchase", sku="MUG-1"), "type"),
        (EventIn(type="click", sku=""), "sku"),
        (EventIn(type="click", sku="x" * 65), "sku"),
        (EventIn(type="click", sku="MUG-1", position=0), "position"),
        (EventIn(type="click", sku="MUG-1", query="q" * 501), "query"),
        (EventIn(type="click", sku="MUG-1", search_id="s" * 65), "search_id"),
    ],
)
async def test_invalid_events_are_refused_and_change_nothing(data: EventIn, field: str) -> None:
    record, log, products, *_ = build()
    with pytest.raises(InvalidEvent) as caught:
        await record(data, ANON)
    assert caught.value.field == field
    assert log.events == []
    assert products.products["MUG-1"].popularity == 10.0


async def test_a_click_drops_the_cached_product_and_a_view_keeps_it() -> None:
    record, _, products, product_cache, cache, _ = build()
    get = GetProduct(products, product_cache)
    assert (await get("MUG-1")).popularity == 10.0
    assert product_key("MUG-1") in cache.data
    await record(EventIn(type="view", sku="MUG-1"), ANON)
    assert product_key("MUG-1") in cache.data
    await record(EventIn(type="click", sku="MUG-1"), ANON)
    assert product_key("MUG-1") not in cache.data
    assert (await get("MUG-1")).popularity == 10.25  # an anonymous click weighs a quarter


async def test_product_reads_go_through_the_cache() -> None:
    products = InMemoryProductRepository([make_product("MUG-1", "Blue mug")])
    cache = FakeCache()
    get = GetProduct(products, ProductCache(cache))
    first = await get("MUG-1")
    del products.products["MUG-1"]  # a read now can only come from the cache
    assert await get("MUG-1") == first
    assert cache.ttls[product_key("MUG-1")] > 0
    with pytest.raises(ProductNotFound):
        await get("OTHER")
    assert product_key("OTHER") not in cache.data


async def test_admin_update_and_delete_drop_the_cached_product() -> None:
    products = InMemoryProductRepository([make_product("MUG-1", "Blue mug")])
    cache = FakeCache()
    product_cache = ProductCache(cache)
    get = GetProduct(products, product_cache)
    await get("MUG-1")
    await UpdateProduct(products, cache, FakeClock(), product_cache, audit_trail())(
        "MUG-1", {"price": 99.0}, actor=TEST_ACTOR
    )
    assert product_key("MUG-1") not in cache.data
    assert (await get("MUG-1")).price == 99.0
    await DeleteProduct(products, cache, product_cache, audit_trail())("MUG-1", actor=TEST_ACTOR)
    assert product_key("MUG-1") not in cache.data
    with pytest.raises(ProductNotFound):
        await get("MUG-1")


async def test_a_corrupt_cache_entry_is_dropped_and_read_again() -> None:
    products = InMemoryProductRepository([make_product("MUG-1", "Blue mug")])
    cache = FakeCache()
    cache.data[product_key("MUG-1")] = b"\xc1 not msgpack"
    assert (await GetProduct(products, ProductCache(cache))("MUG-1")).title == "Blue mug"


async def test_an_impression_keeps_the_page_with_positions() -> None:
    products = InMemoryProductRepository()
    log = InMemoryEventLog(products)
    clock = FakeClock()
    hits = [
        SearchHit(product=make_product(sku, sku), score=1.0, position=13 + i, highlight_title=sku)
        for i, sku in enumerate(["A", "B", "C"])
    ]
    result = SearchResult(
        search_id="abc",
        query=QueryEcho(text="blue mug", corrected=None, interpreted=Interpretation()),
        items=hits,
        total=40,
        page=2,
        per_page=12,
        pages=4,
        facets=Facets(category=[], brand=[], price=PriceRange()),
    )
    await RecordImpression(log, clock)(result, USER)
    [shown] = log.impressions
    assert shown.items == (Shown("A", 13), Shown("B", 14), Shown("C", 15))
    assert (shown.search_id, shown.visitor_id, shown.user_id, shown.arm) == (
        "abc",
        "user:7",
        7,
        "personalized",
    )
    assert (shown.query, shown.page, shown.total, shown.occurred_at) == ("blue mug", 2, 40, FIXED_NOW)


async def test_an_impression_keeps_the_features_each_item_was_ranked_with() -> None:
    log = InMemoryEventLog(InMemoryProductRepository())
    width = len(FEATURE_NAMES)

    def result(features: list[tuple[float, ...]]) -> SearchResult:
        hits = [
            SearchHit(make_product(sku, sku), 1.0, i + 1, sku, features=f)
            for i, (sku, f) in enumerate(zip(["A", "B"], features, strict=True))
        ]
        return SearchResult(
            search_id="abc",
            query=QueryEcho(text="mug", corrected=None, interpreted=Interpretation()),
            items=hits,
            total=2,
            page=1,
            per_page=12,
            pages=1,
            facets=Facets(category=[], brand=[], price=PriceRange()),
        )

    full = [tuple([0.5] * width), tuple([1.5] * width)]
    await RecordImpression(log, FakeClock())(result(full), USER)
    # A page where one item lacks its vector is not training data: no version.
    await RecordImpression(log, FakeClock())(result([full[0], ()]), USER)
    logged, partial = log.impressions
    assert logged.feature_version == FEATURE_VERSION
    assert [s.features for s in logged.items] == full
    assert partial.feature_version is None
