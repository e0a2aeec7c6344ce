"""The reactions to a stored event, with fakes: which kinds each fires for, when, and that a
failing reaction never turns a stored event into an error."""

import logging

import pytest

from application.catalog.manage_products import ProductNotFound
from application.catalog.product_cache import ProductCache, product_key
from application.events.dispatch import EventRecorded, Reactions, Stage
from application.events.reactions import (
    DropCachedProduct,
    RefreshShopperProfile,
    RememberViewed,
    bumping_kinds,
    event_reactions,
)
from application.events.record_events import EventIn, RecordEvent, VisitorRef
from application.jobs.counting import CountTowardTriggers
from application.jobs.triggers import JobTriggers, Trigger
from domain.events.model import EVENT_TYPES, PopularityWeights
from tests.unit.event_fakes import InMemoryEventLog
from tests.unit.fakes import FakeCache, FakeClock, InMemoryProductRepository, make_product
from tests.unit.jobs_fakes import RecordingQueue
from tests.unit.shopper_fakes import InMemoryViews

ANON = VisitorRef(visitor_id="anon:abcdefghijklmnopqrstuv", arm="popularity")
USER = VisitorRef(visitor_id="user:7", arm="personalized", user_id=7)


class FakeRefresh:
    """RefreshProfileOnEvent's shape: remembers whom it was asked to rebuild."""

    def __init__(self) -> None:
        self.visitors: list[VisitorRef] = []

    async def __call__(self, visitor: VisitorRef) -> bool:
        self.visitors.append(visitor)
        return visitor.user_id is not None


class BrokenCache(FakeCache):
    async def delete(self, key: str) -> None:
        raise ConnectionError("cache gone")

    async def incr(self, key: str, amount: int = 1, ttl_seconds: float | None = None) -> int:
        raise ConnectionError("cache gone")


class Shop:
    def __init__(self, cache: FakeCache | None = None) -> None:
        weights = PopularityWeights()
        self.products = InMemoryProductRepository(
            [make_product("MUG-1", "Blue mug", popularity=10.0), make_product("CUP-2", "Red cup")]
        )
        self.log = InMemoryEventLog(self.products)
        self.cache = cache or FakeCache()
        self.queue = RecordingQueue({"cluster"})
        triggers = JobTriggers(self.cache, self.queue, FakeClock(), {"cluster": Trigger(2, 3600)})
        self.refresh = FakeRefresh()
        self.views = InMemoryViews(self.products)
        self.clock = FakeClock()
        self.reactions = event_reactions(
            weights,
            ProductCache(self.cache),
            triggers,
            self.refresh,  # type: ignore[arg-type]  # RefreshProfileOnEvent's call shape
            self.views,
        )
        self.record = RecordEvent(self.log, self.clock, weights, self.reactions)

    async def viewed(self, user_id: int) -> list[str]:
        return [p.sku for p in await self.views.recent(user_id, 10)]


def kinds_of(reactions: Reactions, handler: type, stage: Stage = "after_commit") -> list[str]:
    return [k for k in EVENT_TYPES if any(isinstance(h, handler) for h in reactions.handlers(k, stage))]


def test_each_reaction_is_registered_for_its_kinds_and_stage() -> None:
    reactions = Shop().reactions
    assert kinds_of(reactions, DropCachedProduct) == ["click", "add_to_cart"]  # views do not move popularity
    assert kinds_of(reactions, CountTowardTriggers) == ["view", "click", "add_to_cart"]
    assert kinds_of(reactions, RememberViewed) == ["view", "click"]
    assert kinds_of(reactions, RefreshShopperProfile) == []
    assert kinds_of(reactions, RefreshShopperProfile, "after_answer") == ["view", "click", "add_to_cart"]
    # The cache drop follows the configured weights.
    assert bumping_kinds(PopularityWeights(view=1, click=0, add_to_cart=3)) == ("view", "add_to_cart")


async def test_a_click_drops_the_cached_product_counts_and_leaves_the_profile_for_after_the_answer() -> None:
    shop = Shop()
    shop.cache.data[product_key("MUG-1")] = b"page"
    receipt = await shop.record(EventIn(type="click", sku="MUG-1"), USER)
    assert receipt.event == shop.log.events[0]
    assert product_key("MUG-1") not in shop.cache.data
    assert shop.cache.data["jobs:events:cluster"] == b"1"
    assert shop.refresh.visitors == []  # not on the request path
    assert receipt.after_answer is not None
    await receipt.after_answer()
    assert shop.refresh.visitors == [USER]


async def test_a_view_keeps_the_cached_product_but_counts() -> None:
    shop = Shop()
    shop.cache.data[product_key("MUG-1")] = b"page"
    await shop.record(EventIn(type="view", sku="MUG-1"), ANON)
    await shop.record(EventIn(type="view", sku="MUG-1"), ANON)
    assert product_key("MUG-1") in shop.cache.data
    assert shop.queue.enqueued == ["cluster"]


async def test_a_users_views_and_clicks_are_recently_viewed_newest_first_without_repeats() -> None:
    shop = Shop()
    for kind, sku in [("view", "MUG-1"), ("click", "CUP-2"), ("click", "MUG-1"), ("add_to_cart", "CUP-2")]:
        await shop.record(EventIn(type=kind, sku=sku), USER)
        shop.clock.advance(1)
    # The add to cart does not count as a view: MUG-1's click is the newest.
    assert await shop.viewed(7) == ["MUG-1", "CUP-2"]
    assert shop.views.seen[7]["MUG-1"] == shop.log.events[2].occurred_at


async def test_anonymous_views_and_clicks_are_remembered_for_nobody() -> None:
    shop = Shop()
    await shop.record(EventIn(type="view", sku="MUG-1"), ANON)
    await shop.record(EventIn(type="click", sku="CUP-2"), ANON)
    assert len(shop.log.events) == 2 and shop.views.seen == {}


async def test_a_refused_event_sets_off_no_reaction() -> None:
    shop = Shop()
    shop.cache.data[product_key("MUG-1")] = b"page"
    with pytest.raises(ProductNotFound):
        await shop.record(EventIn(type="click", sku="NOPE"), USER)
    assert product_key("MUG-1") in shop.cache.data
    assert "jobs:events:cluster" not in shop.cache.data
    assert shop.views.seen == {}  # no recently viewed row for a product that does not exist


async def test_failing_reactions_never_turn_a_stored_event_into_an_error(caplog) -> None:  # type: ignore[no-untyped-def]
    shop = Shop(cache=BrokenCache())
    shop.reactions.register(_boom, stage="after_answer")  # fails after the answer
    caplog.set_level(logging.WARNING)
    receipt = await shop.record(EventIn(type="click", sku="MUG-1"), USER)
    assert [e.sku for e in shop.log.events] == ["MUG-1"]
    assert shop.products.products["MUG-1"].popularity == 11.0  # stored with the event
    assert "DropCachedProduct failed after a stored click event" in caplog.text
    assert "job trigger not counted (ConnectionError)" in caplog.text
    # The cache drop failed and the trigger count still ran; after the answer too, nothing is raised.
    assert receipt.after_answer is not None
    await receipt.after_answer()
    assert shop.refresh.visitors == [USER]
    assert "_boom failed after a stored click event" in caplog.text


async def _boom(recorded: EventRecorded) -> None:
    raise RuntimeError("mail server down")


async def test_a_new_reaction_is_one_registration() -> None:
    shop = Shop()
    seen: list[str] = []

    async def remember(recorded: EventRecorded) -> None:
        seen.append(recorded.event.type)

    shop.reactions.register(remember, kinds=["add_to_cart"])
    await shop.record(EventIn(type="click", sku="MUG-1"), ANON)
    await shop.record(EventIn(type="add_to_cart", sku="MUG-1"), ANON)
    assert seen == ["add_to_cart"]


async def test_a_kind_without_later_reactions_gives_nothing_to_run_after_the_answer() -> None:
    receipt = await RecordEvent(
        InMemoryEventLog(InMemoryProductRepository([make_product("MUG-1", "Blue mug")])),
        FakeClock(),
        PopularityWeights(),
        Reactions(),
    )(EventIn(type="click", sku="MUG-1"), ANON)
    assert receipt.after_answer is None
