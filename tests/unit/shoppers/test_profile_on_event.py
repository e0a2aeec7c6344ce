"""A shopper's events rebuild their profile at once, and the result cache never serves the old page."""

from datetime import timedelta

from application.catalog.manage_products import ListCategories
from application.events.record_events import VisitorRef
from application.search.dto import SearchConfig, SearchRequest
from application.search.search_products import SearchProducts
from application.search.shopper_context import ShopperContext
from application.shoppers.profile_versions import ProfileVersions
from application.shoppers.refresh_profile_on_event import RefreshProfileOnEvent
from application.shoppers.refresh_profiles import RefreshProfiles
from domain.search.scoring import FieldWeights
from domain.shoppers.model import ShopperEvent
from tests.unit.fakes import (
    FIXED_NOW,
    FakeCache,
    FakeClock,
    InMemoryProductRepository,
    InMemorySearchIndex,
    InMemoryVocabulary,
)
from tests.unit.search_fakes import CATALOG, AffinityRanker, Recent, skus
from tests.unit.segment_fakes import InMemoryClusters, InMemoryEvents, InMemoryProfiles

SHOPPER = VisitorRef(visitor_id="user:1", arm="personalized", user_id=1)


def event(sku: str, category: str, minutes_ago: float, kind: str = "add_to_cart") -> ShopperEvent:
    return ShopperEvent(
        visitor_id="user:1",
        sku=sku,
        kind=kind,
        time=FIXED_NOW - timedelta(minutes=minutes_ago),
        category=category,
    )


class Shop:
    def __init__(self) -> None:
        repo = InMemoryProductRepository(CATALOG)
        self.cache = FakeCache()
        self.events = InMemoryEvents([event("H1", "Headphones", 60.0)])
        self.profiles = InMemoryProfiles()
        self.ranker = AffinityRanker()
        versions = ProfileVersions(self.cache)
        clock = FakeClock()
        self.refresh = RefreshProfiles(
            self.events, self.profiles, InMemoryClusters(), clock, versions=versions
        )
        self.on_event = RefreshProfileOnEvent(self.refresh)
        self.search = SearchProducts(
            index=InMemorySearchIndex(repo),
            vocabulary=InMemoryVocabulary(repo),
            categories=ListCategories(repo, self.cache),
            ranker=self.ranker,
            cache=self.cache,
            config=SearchConfig(result_ttl_seconds=300),
            field_weights=FieldWeights(),
            shopper_context=ShopperContext(self.profiles, Recent(), self.cache, clock, versions=versions),
        )

    async def first(self) -> str:
        return skus(await self.search(SearchRequest(q="earbuds", visitor_id="user:1", arm="personalized")))[0]


async def test_a_logged_in_shoppers_events_show_in_their_next_search_despite_both_caches() -> None:
    shop = Shop()
    assert await shop.refresh(["user:1"]) == 1
    before = await shop.first()
    assert before != "A2"
    assert await shop.first() == before  # cached: the page and the profile
    # Three cart adds of accessories, then the rebuild the HTTP API runs after the response.
    shop.events.events += [event("A2", "Accessories", m) for m in (3.0, 2.0, 1.0)]
    assert await shop.on_event(SHOPPER) is True
    assert shop.profiles.profiles["user:1"].categories["Accessories"] > 0.5
    assert await shop.first() == "A2"


async def test_an_unchanged_profile_keeps_its_cached_page() -> None:
    shop = Shop()
    await shop.refresh(["user:1"])
    await shop.first()
    calls = len(shop.ranker.contexts)
    await shop.first()
    assert len(shop.ranker.contexts) == calls


async def test_anonymous_visitors_are_left_to_the_periodic_job() -> None:
    shop = Shop()
    anonymous = VisitorRef(visitor_id="anon:k", arm="personalized")
    assert await shop.on_event(anonymous) is False
    assert shop.profiles.profiles == {}


async def test_a_failed_rebuild_is_logged_and_never_raised(caplog) -> None:  # type: ignore[no-untyped-def]
    class Broken(InMemoryEvents):
        async def events_since(self, since, visitor_ids=None):  # type: ignore[no-untyped-def]
            raise ConnectionError("database gone")

    shop = Shop()
    shop.refresh.events = Broken()
    assert await shop.on_event(SHOPPER) is False
    assert "not refreshed" in caplog.text
    assert shop.profiles.profiles == {}


async def test_every_rebuild_moves_the_shoppers_profile_version() -> None:
    cache = FakeCache()
    versions = ProfileVersions(cache)
    assert await versions.current("user:1") == 0
    await versions.bump(["user:1", "user:2"])
    await versions.bump(["user:1"])
    assert (await versions.current("user:1"), await versions.current("user:2")) == (2, 1)
