"""Past the exact limit: estimated totals, sampled facets, most-popular-first candidates."""

from application.search.dto import SearchConfig, SearchRequest
from tests.unit.search_fakes import build


async def test_counts_are_exact_up_to_the_limit() -> None:
    search, index, _ = build(SearchConfig(exact_limit=20))
    result = await search(SearchRequest(q=""))
    assert (result.total, result.facets.exact) == (13, True)
    assert not any(call[0] == "estimate_count" for call in index.calls)


async def test_past_the_limit_total_is_estimated_and_facets_sampled_and_scaled() -> None:
    search, index, _ = build(SearchConfig(exact_limit=4))
    result = await search(SearchRequest(q="", brand="Adidas", per_page=2))
    assert (result.total, result.facets.exact) == (2, True)
    everything = await search(SearchRequest(q="", sort="price_asc", min_price=1))
    assert everything.facets.exact is False
    assert any(call[0] == "estimate_count" for call in index.calls)
    assert everything.total == 13  # the fake estimates exactly
    # Four sampled rows scaled to thirteen: each facet count is a multiple of 13/4, rounded.
    sampled = sum(f.count for f in everything.facets.category)
    assert 12 <= sampled <= 14
    prices = [h.product.price for h in everything.items]
    assert prices == sorted(prices)


async def test_a_broad_word_takes_popular_candidates() -> None:
    search, index, _ = build(SearchConfig(exact_limit=2, broad_share=0.2))
    result = await search(SearchRequest(q="cable or earbuds or mug or headphones", per_page=50))
    assert result.facets.exact is False
    assert index.broad_requests == 1
    narrow = await search(SearchRequest(q="lightning"))
    assert (narrow.total, index.broad_requests) == (1, 1)
