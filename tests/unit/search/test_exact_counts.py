"""Totals and facets are exact at any match count; counts are cached under the catalog version."""

import asyncio

import pytest

from application.cached import bump_catalog_version
from application.search.dto import SearchConfig, SearchRequest
from tests.unit.search_fakes import CATALOG, build


async def test_every_facet_count_equals_the_total_of_filtering_by_it() -> None:
    search, _, _ = build()
    everything = await search(SearchRequest(q=""))
    assert everything.total == len(CATALOG)
    assert everything.facets.exact is True
    for facet in everything.facets.category:
        assert (await search(SearchRequest(q="", category=facet.value))).total == facet.count
    for facet in everything.facets.brand:
        assert (await search(SearchRequest(q="", brand=facet.value))).total == facet.count
    assert sum(f.count for f in everything.facets.brand) == len(CATALOG)


async def test_counts_of_a_text_query_ignore_the_candidate_limit() -> None:
    search, _, _ = build(SearchConfig(candidate_limit=1))
    result = await search(SearchRequest(q="adidas", per_page=1))
    assert result.total == 2
    assert result.pages == 1  # pages reach the scored candidates only
    assert {f.value: f.count for f in result.facets.category} == {"Running Shoes": 1, "Shoes": 1}
    assert (result.facets.price.min, result.facets.price.max) == (90.0, 180.0)


async def test_counts_are_computed_once_per_query_and_filters_until_the_catalog_changes() -> None:
    search, index, cache = build()
    for sort in (None, "price_asc", "newest"):
        for page in (1, 2):
            await search(SearchRequest(q="headphones", sort=sort, page=page, per_page=2, arm="personalized"))
    await search(SearchRequest(q="headphones", arm="popularity"))
    assert [c[0] for c in index.calls].count("count") == 1
    await search(SearchRequest(q="headphones", brand="Sony"))
    assert [c[0] for c in index.calls].count("count") == 2
    await bump_catalog_version(cache)
    await search(SearchRequest(q="headphones"))
    assert [c[0] for c in index.calls].count("count") == 3


async def test_counts_ttl_zero_counts_every_search() -> None:
    search, index, _ = build(SearchConfig(counts_ttl_seconds=0, result_ttl_seconds=0))
    await search(SearchRequest(q="mug"))
    await search(SearchRequest(q="mug"))
    assert [c[0] for c in index.calls].count("count") == 2


async def test_a_broad_word_takes_popular_candidates() -> None:
    search, index, _ = build(SearchConfig(broad_min_matches=2, broad_share=0.2))
    result = await search(SearchRequest(q="cable or earbuds or mug or headphones", per_page=50))
    assert index.broad_requests == 1
    assert result.facets.exact is True
    narrow = await search(SearchRequest(q="lightning"))
    assert (narrow.total, index.broad_requests) == (1, 1)


async def test_words_too_rare_to_be_broad_are_settled_without_an_estimate() -> None:
    search, index, _ = build(SearchConfig(broad_min_matches=2, broad_share=0.2))
    await search(SearchRequest(q="lightning cable"))  # 'lightning' is in one product: no estimate
    assert not any(call[0] == "estimate_count" for call in index.calls)
    await search(SearchRequest(q="charging"))  # in three products: the estimate decides
    assert any(call[0] == "estimate_count" for call in index.calls)


async def test_a_failed_page_read_is_the_error_and_the_count_is_not_left_running() -> None:
    search, index, _ = build(SearchConfig(counts_ttl_seconds=0, result_ttl_seconds=0))
    started = asyncio.Event()

    async def slow_count(*_: object) -> object:
        started.set()
        await asyncio.sleep(30)
        raise AssertionError("never reached: the count is cancelled")

    async def failing_page(*_: object, **__: object) -> object:
        await started.wait()
        raise ConnectionError("database gone")

    index.count = slow_count  # type: ignore[method-assign]
    index.page = failing_page  # type: ignore[method-assign]
    with pytest.raises(ConnectionError):
        await asyncio.wait_for(search(SearchRequest(q="", sort="price_asc")), timeout=5)
