"""SearchProducts end to end over the in-memory fakes."""

import math

import pytest

from application.cached import bump_catalog_version
from application.search.dto import SearchConfig, SearchRequest
from application.search.search_products import SearchProducts
from domain.ranking.model import RankedProduct, RankingContext, ScoredProduct
from domain.search.errors import InvalidQuery
from domain.search.model import FacetValue, PriceRange
from domain.search.query import MAX_QUERY_WORDS
from tests.unit.search_fakes import CATALOG, build, skus

BY_POPULARITY = ["S3", "H1", "C1", "S1", "H2", "S2", "H4", "C2", "H3", "K1", "A1", "K2", "A2"]


@pytest.fixture
def search() -> SearchProducts:
    return build()[0]


# ------------------------------------------------------------------------------------------ text match


async def test_plain_word_matches_title_and_description(search: SearchProducts) -> None:
    result = await search(SearchRequest(q="wireless"))
    # The title match ranks above the description-only match.
    assert skus(result) == ["H1", "H4"]
    assert result.total == 2
    assert result.pages == 1
    assert result.query.corrected is None
    assert result.query.relaxed is False
    assert [h.position for h in result.items] == [1, 2]
    assert result.items[0].highlight_title == "Sony <mark>Wireless</mark> Headphones"
    assert result.items[0].score > result.items[1].score


async def test_the_page_shows_full_products_though_candidates_are_narrow() -> None:
    search, index, _ = build()
    catalog = {p.sku: p for p in CATALOG}
    for q, relaxed in (("wireless", False), ("wireless headphones zzzz", True)):
        result = await search(SearchRequest(q=q))
        assert result.query.relaxed is relaxed
        assert result.items
        assert [h.product for h in result.items] == [catalog[s] for s in skus(result)]
    # One read of full products per answer, for the page only.
    assert [call[0] for call in index.calls].count("products") >= 2


async def test_products_with_every_word_come_first(search: SearchProducts) -> None:
    result = await search(SearchRequest(q="noise comfortable"))
    # H2 has both words; H1 only 'noise', and is shown after it because one product is short of
    # the fill target.
    assert skus(result) == ["H2", "H1"]
    assert [h.tier for h in result.items] == [1, 2]
    assert result.query.relaxed is True


async def test_enough_products_with_every_word_fill_the_page_alone() -> None:
    search = build(SearchConfig(fill_target=1))[0]
    result = await search(SearchRequest(q="noise comfortable"))
    assert skus(result) == ["H2"]
    assert [h.tier for h in result.items] == [1]
    assert result.query.relaxed is False


async def test_hyphenated_query_matches_the_phrase(search: SearchProducts) -> None:
    result = await search(SearchRequest(q="usb-c"))
    assert skus(result) == ["C1"]
    assert result.items[0].highlight_title == "<mark>USB</mark>-<mark>C</mark> Charging Cable"


async def test_excluded_word(search: SearchProducts) -> None:
    assert skus(await search(SearchRequest(q="mug"))) == ["K2", "K1"]  # K2 has "mug" twice
    assert skus(await search(SearchRequest(q="mug -tea"))) == ["K1"]


async def test_or_alternatives(search: SearchProducts) -> None:
    result = await search(SearchRequest(q="nike or bose"))
    assert sorted(skus(result)) == ["H2", "S1"]
    assert result.total == 2


async def test_no_match(search: SearchProducts) -> None:
    result = await search(SearchRequest(q="trampoline"))
    assert result.items == []
    assert (result.total, result.pages) == (0, 0)
    assert result.facets.category == []
    assert result.facets.price == PriceRange(min=None, max=None)


# ---------------------------------------------------------------------------------- spelling correction


async def test_typo_is_corrected_and_reported(search: SearchProducts) -> None:
    result = await search(SearchRequest(q="headphnes"))
    assert result.query.corrected == "headphones"
    assert result.query.text == "headphnes"
    # The corrected word names a category: a browse of it, by popularity.
    assert result.query.interpreted.category == "Headphones"
    assert skus(result) == ["H1", "H2", "H4", "H3"]
    assert result.items[0].highlight_title == "Sony Wireless <mark>Headphones</mark>"


async def test_correction_keeps_the_other_words_of_the_raw_query(search: SearchProducts) -> None:
    result = await search(SearchRequest(q="Wirelss  Headphones"))
    assert result.query.corrected == "wireless Headphones"
    assert skus(result) == ["H1", "H4"]


async def test_known_words_are_not_corrected(search: SearchProducts) -> None:
    result = await search(SearchRequest(q="sneakers"))
    assert result.query.corrected is None
    assert skus(result) == ["S3"]


async def test_short_words_are_not_corrected(search: SearchProducts) -> None:
    # 'mig' is one letter from 'mug', but three-letter words get no typo budget.
    result = await search(SearchRequest(q="mig"))
    assert result.query.corrected is None
    assert result.total == 0


async def test_correction_into_a_stop_word_matches_like_the_corrected_query(search: SearchProducts) -> None:
    typed = await search(SearchRequest(q="earbuds witth case"))
    intended = await search(SearchRequest(q="earbuds with case"))
    assert typed.query.corrected == "earbuds with case"
    assert sorted(skus(intended)) == ["A2", "H4"]
    assert sorted(skus(typed)) == sorted(skus(intended))


# ---------------------------------------------------------------------------- price, category, sort


async def test_price_phrase_filters_and_is_reported(search: SearchProducts) -> None:
    result = await search(SearchRequest(q="headphones under 50"))
    assert result.query.interpreted.max_price == 50.0
    assert result.query.interpreted.min_price is None
    assert result.query.interpreted.category == "Headphones"
    assert skus(result) == ["H4", "H3"]
    assert all(h.product.price <= 50 for h in result.items)


async def test_price_range_phrase_filters(search: SearchProducts) -> None:
    result = await search(SearchRequest(q="cable between 16 and 30"))
    assert (result.query.interpreted.min_price, result.query.interpreted.max_price) == (16.0, 30.0)
    assert skus(result) == ["C2"]


async def test_request_price_overrides_the_phrase(search: SearchProducts) -> None:
    result = await search(SearchRequest(q="cable under 16", max_price=100.0))
    assert sorted(skus(result)) == ["C1", "C2"]


async def test_category_is_recognized_from_the_catalog_and_reported(search: SearchProducts) -> None:
    result = await search(SearchRequest(q="nike running shoes"))
    assert result.query.interpreted.category == "Running Shoes"
    assert skus(result) == ["S1"]
    # The category words are still highlighted.
    assert (
        result.items[0].highlight_title == "<mark>Nike</mark> Pegasus <mark>Running</mark> <mark>Shoes</mark>"
    )


async def test_category_filter_excludes_products_that_only_mention_it(search: SearchProducts) -> None:
    # A1 mentions headphones in its title, but is not in the Headphones category.
    result = await search(SearchRequest(q="headphones"))
    assert result.query.interpreted.category == "Headphones"
    assert sorted(skus(result)) == ["H1", "H2", "H3", "H4"]


async def test_explicit_category_turns_recognition_off(search: SearchProducts) -> None:
    result = await search(SearchRequest(q="headphones", category="Accessories"))
    assert result.query.interpreted.category is None
    assert skus(result) == ["A1"]


async def test_fallback_when_the_category_guess_empties_the_results(search: SearchProducts) -> None:
    # 'headphones' names a category, but no product in it is a stand: search the words instead.
    result = await search(SearchRequest(q="headphones stand"))
    assert result.query.interpreted.category is None
    # A1 has both words; the headphones have one of the two.
    assert skus(result)[0] == "A1"
    assert sorted(skus(result)[1:]) == ["H1", "H2", "H3", "H4"]
    assert [h.tier for h in result.items] == [1, 2, 2, 2, 2]
    assert result.total == 5
    assert result.items[0].highlight_title == "Aluminium <mark>Headphones</mark> <mark>Stand</mark>"


async def test_long_natural_query_returns_the_best_partial_matches(search: SearchProducts) -> None:
    result = await search(
        SearchRequest(q="comfortable wireless noise cancelling headphones for long flights")
    )
    # No headphones have all of comfortable/wireless/noise/cancelling/long/flights, nor all but
    # one; H1 and H2 have three of the six, H4 only 'wireless', H3 none.
    assert result.query.relaxed is True
    assert result.query.interpreted.category == "Headphones"
    assert sorted(skus(result)[:2]) == ["H1", "H2"]
    assert skus(result)[2:] == ["H4"]
    assert [h.tier for h in result.items] == [3, 3, 3]
    assert result.items[1].score > result.items[2].score
    assert result.total == 3


async def test_sort_word_sets_the_order_and_is_reported(search: SearchProducts) -> None:
    result = await search(SearchRequest(q="cheap headphones"))
    assert result.query.interpreted.sort == "price_asc"
    assert skus(result) == ["H3", "H4", "H1", "H2"]


async def test_explicit_sort_param_wins_over_a_sort_word(search: SearchProducts) -> None:
    result = await search(SearchRequest(q="cheap headphones", sort="price_desc"))
    assert result.query.interpreted.sort is None
    assert skus(result) == ["H2", "H1", "H4", "H3"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("price_asc", ["A2", "K2", "C1", "C2", "K1"]),
        ("price_desc", ["H2", "H1", "S2", "S1", "S3"]),
        ("rating", ["S3", "H2", "C1", "H1", "S1"]),  # C1 and H1 tie at 4.6: more reviews first
        ("popularity", ["S3", "H1", "C1", "S1", "H2"]),
    ],
)
async def test_browse_with_explicit_sort(search: SearchProducts, sort: str, expected: list[str]) -> None:
    result = await search(SearchRequest(sort=sort, per_page=5))  # type: ignore[arg-type]
    assert skus(result) == expected
    assert result.total == len(CATALOG)


async def test_relaxed_results_do_not_depend_on_the_sort(search: SearchProducts) -> None:
    q = "comfortable wireless noise cancelling headphones for long flights"
    by_relevance = await search(SearchRequest(q=q))
    by_price = await search(SearchRequest(q=q, sort="price_asc"))
    assert by_price.query.relaxed is True
    assert sorted(skus(by_price)) == sorted(skus(by_relevance)) == ["H1", "H2", "H4"]
    assert skus(by_price) == ["H4", "H1", "H2"]  # cheapest first (all in tier 3)


# ------------------------------------------------------------------------------------------ pagination


class CheapestFirst:
    """A ranker that is not popularity: the cheapest first."""

    def rank(self, items: list[ScoredProduct], context: RankingContext) -> list[RankedProduct]:
        ordered = sorted(items, key=lambda i: i.product.price)
        return [RankedProduct(product=i.product, score=-i.product.price) for i in ordered]


BY_PRICE = [p.sku for p in sorted(CATALOG, key=lambda p: p.price)]


async def test_browse_by_relevance_is_the_rankers_order() -> None:
    search = build(ranker=CheapestFirst())[0]
    assert skus(await search(SearchRequest(per_page=20, arm="personalized"))) == BY_PRICE
    assert skus(await search(SearchRequest(q="headphones", per_page=20))) == ["H3", "H4", "H1", "H2"]
    # The control arm of the experiment keeps popularity order, browsing or not.
    assert skus(await search(SearchRequest(per_page=20, arm="popularity"))) == BY_POPULARITY


async def test_browse_pages_past_the_ranked_head_continue_by_popularity() -> None:
    search, index, _ = build(SearchConfig(candidate_limit=4, result_ttl_seconds=0), ranker=CheapestFirst())
    reads: list[tuple[int, int]] = []
    page = index.page

    async def counted(*args: object, **kwargs: object) -> object:
        reads.append((args[3], args[4]))  # type: ignore[arg-type]
        return await page(*args, **kwargs)  # type: ignore[arg-type]

    index.page = counted  # type: ignore[method-assign]
    pages = [await search(SearchRequest(per_page=3, page=n)) for n in range(1, 6)]
    # Pages 1 and 2 read the ranked head (narrow); page 2 straddles it; pages 3 to 5 read only
    # their own rows.
    assert [call[0] for call in index.calls].count("browse") == 2
    assert reads == [(4, 2), (6, 3), (9, 3), (12, 3)]
    head = sorted(BY_POPULARITY[:4], key=lambda sku: BY_PRICE.index(sku))
    assert [skus(p) for p in pages] == [head[:3], head[3:] + BY_POPULARITY[4:6],
                                        BY_POPULARITY[6:9], BY_POPULARITY[9:12], BY_POPULARITY[12:]]  # fmt: skip
    assert [h.position for h in pages[1].items] == [4, 5, 6]
    assert {p.total for p in pages} == {13} and {p.pages for p in pages} == {5}


async def test_browse_pagination(search: SearchProducts) -> None:
    first = await search(SearchRequest(per_page=5))
    second = await search(SearchRequest(per_page=5, page=2))
    last = await search(SearchRequest(per_page=5, page=3))
    everything = skus(await search(SearchRequest(per_page=13)))
    assert sorted(everything) == sorted(BY_POPULARITY)
    assert (first.total, first.pages) == (13, 3)
    assert skus(first) == everything[:5]
    assert skus(second) == everything[5:10]
    assert skus(last) == everything[10:]
    assert [h.position for h in second.items] == [6, 7, 8, 9, 10]
    assert (second.page, second.per_page, second.pages) == (2, 5, 3)


async def test_relevance_pagination_slices_the_ranked_list(search: SearchProducts) -> None:
    both = await search(SearchRequest(q="adidas"))
    first = await search(SearchRequest(q="adidas", per_page=1))
    second = await search(SearchRequest(q="adidas", per_page=1, page=2))
    beyond = await search(SearchRequest(q="adidas", per_page=1, page=3))
    assert len(skus(both)) == 2
    assert skus(first) == skus(both)[:1]
    assert skus(second) == skus(both)[1:]
    assert (second.total, second.pages) == (2, 2)
    assert second.items[0].position == 2
    assert beyond.items == []
    assert beyond.total == 2


async def test_pages_are_capped_at_the_scored_candidates() -> None:
    search, _, _ = build(SearchConfig(candidate_limit=1))
    result = await search(SearchRequest(q="wireless", per_page=1))
    # The index counts two matches, but only one candidate was scored and can be shown.
    assert result.total == 2
    assert result.pages == 1
    assert skus(result) == ["H1"]


# ------------------------------------------------------------------------------------------ validation


@pytest.mark.parametrize(
    ("request_", "field"),
    [
        (SearchRequest(page=0), "page"),
        (SearchRequest(page=-1), "page"),
        (SearchRequest(per_page=0), "per_page"),
        (SearchRequest(per_page=101), "per_page"),
        (SearchRequest(min_price=50.0, max_price=10.0), "min_price"),
        (SearchRequest(min_price=-1.0), "min_price"),
        (SearchRequest(max_price=math.inf), "max_price"),
        (SearchRequest(min_rating=6.0), "min_rating"),
        (SearchRequest(min_rating=math.nan), "min_rating"),
        (SearchRequest(page=1001, per_page=100), "page"),
        (SearchRequest(q="x" * 501), "q"),
        (SearchRequest(q="shoes\x00"), "q"),
    ],
)
async def test_invalid_requests(search: SearchProducts, request_: SearchRequest, field: str) -> None:
    with pytest.raises(InvalidQuery) as info:
        await search(request_)
    assert info.value.field == field


async def test_boundary_requests_are_valid(search: SearchProducts) -> None:
    result = await search(
        SearchRequest(per_page=100, page=1000, min_rating=5.0, min_price=0.0, max_price=0.0)
    )
    assert result.total == 0
    result = await search(SearchRequest(min_price=20.0, max_price=20.0, per_page=100))
    assert result.total == 0


async def test_filters(search: SearchProducts) -> None:
    result = await search(SearchRequest(brand="Adidas", min_rating=4.5))
    assert skus(result) == ["S3"]
    result = await search(SearchRequest(min_price=100.0, max_price=200.0, per_page=100))
    assert sorted(skus(result)) == ["H1", "S1", "S2"]


# ---------------------------------------------------------------------------------------------- facets


async def test_facets_of_a_scored_result(search: SearchProducts) -> None:
    result = await search(SearchRequest(q="adidas"))
    assert result.facets.category == [FacetValue("Running Shoes", 1), FacetValue("Shoes", 1)]
    assert result.facets.brand == [FacetValue("Adidas", 2)]
    assert result.facets.price == PriceRange(min=90.0, max=180.0)


async def test_facets_of_a_browse_count_every_match_not_just_the_page(search: SearchProducts) -> None:
    result = await search(SearchRequest(per_page=1))
    assert result.facets.category == [
        FacetValue("Headphones", 4),
        FacetValue("Accessories", 2),
        FacetValue("Cables", 2),
        FacetValue("Kitchen", 2),
        FacetValue("Running Shoes", 2),
        FacetValue("Shoes", 1),
    ]
    assert result.facets.brand[:3] == [
        FacetValue("Adidas", 2),
        FacetValue("Anker", 2),
        FacetValue("Generic", 2),
    ]
    assert result.facets.price == PriceRange(min=9.0, max=279.0)


async def test_facet_size_is_respected() -> None:
    search, _, _ = build(SearchConfig(facet_size=2))
    result = await search(SearchRequest())
    assert result.facets.category == [FacetValue("Headphones", 4), FacetValue("Accessories", 2)]
    assert len(result.facets.brand) == 2


# ------------------------------------------------------------------------------------------- caching


async def test_index_stats_and_categories_are_cached_per_catalog_version() -> None:
    search, _, cache = build()
    await search(SearchRequest(q="wireless"))
    assert {"search:stats:v0", "catalog:categories:v0"} <= set(cache.data)
    await bump_catalog_version(cache)
    await search(SearchRequest(q="wireless"))
    assert {"search:stats:v1", "catalog:categories:v1"} <= set(cache.data)
    assert cache.ttls["search:stats:v1"] == SearchConfig().stats_ttl_seconds


async def test_every_search_has_its_own_id(search: SearchProducts) -> None:
    a = await search(SearchRequest(q="mug"))
    b = await search(SearchRequest(q="mug"))
    assert len(a.search_id) == 32
    assert a.search_id != b.search_id


async def test_words_past_the_cap_change_nothing(search: SearchProducts) -> None:
    first = ["wireless", "headphones"] + ["noise"] * (MAX_QUERY_WORDS - 2)
    capped = await search(SearchRequest(q=" ".join(first)))
    longer = await search(SearchRequest(q=" ".join([*first, "ceramic", "tea", "mug"])))
    assert skus(capped) and skus(longer) == skus(capped)
    assert longer.total == capped.total
