"""Live personalization in search and recommendations: profile and recent popularity in the ranking context,
the popularity arm's order, and a result cache that never hands one shopper's order to another."""

from collections.abc import Sequence
from datetime import datetime

from application.catalog.manage_products import ListCategories
from application.recommendations.recommend_products import Recommend
from application.search.dto import SearchConfig, SearchRequest
from application.search.search_products import SearchProducts
from application.search.shopper_context import ShopperContext
from domain.ranking.model import RankedProduct, RankingContext, ScoredProduct, ShopperProfile
from domain.recommendations.model import Signal
from domain.search.scoring import FieldWeights
from tests.unit.fakes import (
    FakeCache,
    FakeClock,
    InMemoryProductRepository,
    InMemorySearchIndex,
    InMemoryVocabulary,
)
from tests.unit.search_fakes import CATALOG, AffinityRanker, Recent, skus
from tests.unit.shop_fakes import catalog
from tests.unit.shopper_fakes import FakeShopperHistory, InMemoryPopular, InMemoryViews


class Profiles:
    def __init__(self, profiles: dict[str, ShopperProfile]) -> None:
        self.profiles = profiles
        self.reads: list[str] = []

    async def get(self, visitor_id: str) -> ShopperProfile | None:
        self.reads.append(visitor_id)
        return self.profiles.get(visitor_id)

    async def save_many(self, profiles: Sequence[ShopperProfile], now: datetime) -> None:
        raise NotImplementedError

    async def all(self) -> list[ShopperProfile]:
        return list(self.profiles.values())


def profile(visitor: str, category: str) -> ShopperProfile:
    return ShopperProfile(visitor_id=visitor, categories={category: 1.0})


def build(ttl: float = 300.0) -> tuple[SearchProducts, AffinityRanker, Profiles, Recent]:
    repo = InMemoryProductRepository(CATALOG)
    cache = FakeCache()
    ranker = AffinityRanker()
    profiles = Profiles(
        {"user:1": profile("user:1", "Accessories"), "anon:k": profile("anon:k", "Headphones")}
    )
    recent = Recent()
    search = SearchProducts(
        index=InMemorySearchIndex(repo),
        vocabulary=InMemoryVocabulary(repo),
        categories=ListCategories(repo, cache),
        ranker=ranker,
        cache=cache,
        config=SearchConfig(result_ttl_seconds=ttl),
        field_weights=FieldWeights(),
        shopper_context=ShopperContext(profiles, recent, cache, FakeClock()),
    )
    return search, ranker, profiles, recent


async def test_the_personalized_arm_ranks_with_the_shoppers_profile_and_recent_popularity() -> None:
    search, ranker, _, recent = build(ttl=0)
    await search(SearchRequest(q="earbuds", visitor_id="user:1", arm="personalized"))
    context = ranker.contexts[-1]
    assert context.profile is not None and context.profile.visitor_id == "user:1"
    assert context.recent_popularity == {"K2": 7.0}
    assert recent.since and recent.since[0] < FakeClock().now()
    # An anonymous visitor without history ranks with non-personal features only.
    await search(SearchRequest(q="earbuds", visitor_id="anon:new", arm="personalized"))
    assert ranker.contexts[-1].profile is None and ranker.contexts[-1].recent_popularity == {"K2": 7.0}
    # The control arm's features are the shopper's too (its order is popularity's, tested below).
    await search(SearchRequest(q="earbuds", visitor_id="user:1", arm="popularity"))
    assert ranker.contexts[-1].profile is not None


async def test_the_popularity_arm_orders_the_same_matches_by_popularity() -> None:
    search, *_ = build(ttl=0)
    personal = await search(SearchRequest(q="earbuds", visitor_id="user:1", arm="personalized", per_page=50))
    control = await search(SearchRequest(q="earbuds", visitor_id="user:1", arm="popularity", per_page=50))
    assert set(skus(personal)) == set(skus(control))
    assert skus(personal)[0] == "A2"  # the case: this shopper buys accessories
    popularity = [h.product.popularity for h in control.items]
    assert popularity == sorted(popularity, reverse=True)


async def test_cached_results_are_never_shared_between_shoppers_with_profiles() -> None:
    search, ranker, profiles, _ = build(ttl=300)
    accessories = await search(SearchRequest(q="earbuds", visitor_id="user:1", arm="personalized"))
    calls = len(ranker.contexts)
    listener = await search(SearchRequest(q="earbuds", visitor_id="anon:k", arm="personalized"))
    assert len(ranker.contexts) > calls  # another shopper's entry was not reused
    assert skus(accessories)[0] == "A2" and skus(listener)[0] != "A2"
    again = await search(SearchRequest(q="earbuds", visitor_id="user:1", arm="personalized"))
    assert skus(again) == skus(accessories)
    # Visitors without a profile share one entry; profile lookups are cached too.
    calls = len(ranker.contexts)
    await search(SearchRequest(q="earbuds", visitor_id="anon:a", arm="personalized"))
    await search(SearchRequest(q="earbuds", visitor_id="anon:b", arm="personalized"))
    assert len(ranker.contexts) == calls + 1
    assert profiles.reads.count("user:1") == 1


class CheapestFirst(AffinityRanker):
    def rank(self, items: Sequence[ScoredProduct], context: RankingContext) -> list[RankedProduct]:
        self.contexts.append(context)
        return sorted((RankedProduct(i.product, -i.product.price) for i in items), key=lambda r: -r.score)


async def test_recommendations_for_a_user_follow_the_ranker_within_diversified_categories() -> None:
    products = catalog()
    history = FakeShopperHistory(
        [Signal("Audio", "Basso", 4.0), Signal("Kitchen", "Forge", 1.0)], owned={"EAR"}
    )
    ranker = CheapestFirst()
    context = ShopperContext(
        Profiles({"user:1": profile("user:1", "Audio")}), Recent(), FakeCache(), FakeClock()
    )
    recommend = Recommend(InMemoryViews(products), history, InMemoryPopular(products), ranker, context)
    picked = await recommend(1, 4)
    # Audio and Kitchen in turns as before, each cheapest first; the owned (cart) EAR is left out.
    assert [p.sku for p in picked.recommended] == ["SPK", "MUG", "HP", "PAN"]
    assert ranker.contexts[-1].profile is not None and ranker.contexts[-1].profile.visitor_id == "user:1"
    # Anonymous visitors get what is popular, without the model.
    calls = len(ranker.contexts)
    assert [p.sku for p in (await recommend(None, 3)).recommended] == ["CAB", "HP", "MUG"]
    assert len(ranker.contexts) == calls
