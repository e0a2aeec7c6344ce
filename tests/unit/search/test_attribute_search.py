"""SearchProducts with attribute filters and facets over the in-memory index: the result cache keeps
answers to different filters apart, and a chosen attribute still counts its other values."""

from application.catalog.manage_products import ListCategories
from application.search.dto import SearchConfig, SearchRequest
from application.search.facet_attributes import FacetPlan
from application.search.search_products import SearchProducts
from domain.ranking.formula import FormulaRanker, FormulaWeights
from domain.search.attributes import parse_attribute_filters
from domain.search.model import FacetValue
from domain.search.scoring import FieldWeights
from tests.unit.fakes import (
    FakeCache,
    InMemoryProductRepository,
    InMemorySearchIndex,
    InMemoryVocabulary,
    make_product,
)

MUGS = [
    make_product(f"M{i}", f"Stoneware mug {i}", 10.0 + i, category="Kitchen",
                 attributes={"color": ("Red", "Blue", "Red", "Green")[i % 4], "volume_ml": 250 + 50 * (i % 3)})
    for i in range(12)
]  # fmt: skip


async def _plan() -> FacetPlan:
    return FacetPlan(names=("color", "volume_ml"), declared=frozenset())


def _search() -> tuple[SearchProducts, InMemorySearchIndex]:
    repo = InMemoryProductRepository(MUGS)
    index = InMemorySearchIndex(repo)
    cache = FakeCache()
    search = SearchProducts(
        index=index,
        vocabulary=InMemoryVocabulary(repo),
        categories=ListCategories(repo, cache),
        ranker=FormulaRanker(FormulaWeights()),
        cache=cache,
        config=SearchConfig(result_ttl_seconds=300),
        field_weights=FieldWeights(),
        facet_plan=_plan,
    )
    return search, index


def _asking(*pairs: tuple[str, str]) -> SearchRequest:
    return SearchRequest(q="mug", attributes=parse_attribute_filters(pairs))


async def test_answers_to_different_attribute_filters_are_cached_apart() -> None:
    search, index = _search()
    everything = await search(_asking())
    assert everything.total == 12
    red = await search(_asking(("attr.color", "Red")))
    assert red.total == 6 and {h.product.attributes["color"] for h in red.items} == {"Red"}
    calls = len(index.calls)
    assert (await search(_asking(("attr.color", "Red")))).total == 6
    assert len(index.calls) == calls  # the same filters: served from the cache
    assert (await search(_asking(("attr.color", "Blue")))).total == 3


async def test_a_chosen_attribute_counts_its_other_values_and_the_others_count_within_it() -> None:
    search, _ = _search()
    chosen = await search(_asking(("attr.color", "Blue"), ("attr.color", "Green")))
    assert chosen.total == 6
    assert chosen.facets.attributes["color"] == [
        FacetValue("Red", 6),
        FacetValue("Blue", 3),
        FacetValue("Green", 3),
    ]
    # Blue: M1, M5, M9; Green: M3, M7, M11 -> volumes 300, 300, 250, 250, 350, 350 (i % 3).
    assert chosen.facets.attributes["volume_ml"] == [
        FacetValue("250", 2),
        FacetValue("300", 2),
        FacetValue("350", 2),
    ]
