"""The search result cache: repeated searches skip the index until the catalog version moves."""

from application.cached import bump_catalog_version
from application.search.dto import SearchConfig, SearchRequest
from domain.ranking.formula import FormulaRanker, FormulaWeights
from tests.unit.search_fakes import build


async def test_a_repeated_search_is_served_from_the_cache_with_a_new_search_id() -> None:
    search, index, _ = build(SearchConfig(result_ttl_seconds=300))
    first = await search(SearchRequest(q="wireless headphones"))
    calls = len(index.calls)
    again = await search(SearchRequest(q="wireless headphones"))
    assert len(index.calls) == calls
    assert again.items == first.items and again.total == first.total
    assert again.search_id != first.search_id
    await search(SearchRequest(q="wireless headphones", page=2))
    assert len(index.calls) > calls  # another page is another answer


async def test_a_catalog_write_makes_the_next_search_recompute() -> None:
    search, index, cache = build(SearchConfig(result_ttl_seconds=300))
    await search(SearchRequest(q="mug"))
    calls = len(index.calls)
    await bump_catalog_version(cache)
    await search(SearchRequest(q="mug"))
    assert len(index.calls) > calls


async def test_arms_are_cached_apart_and_ttl_zero_turns_the_cache_off() -> None:
    search, index, _ = build(SearchConfig(result_ttl_seconds=300))
    await search(SearchRequest(q="mug", arm="popularity"))
    calls = len(index.calls)
    await search(SearchRequest(q="mug", arm="personalized"))
    assert len(index.calls) > calls
    uncached, index2, _ = build(SearchConfig(result_ttl_seconds=0, counts_ttl_seconds=0))
    await uncached(SearchRequest(q="mug"))
    calls = len(index2.calls)
    await uncached(SearchRequest(q="mug"))
    assert len(index2.calls) == 2 * calls


class VersionedRanker(FormulaRanker):
    """The formula, wearing the version a promoted model would have (as LearnedRanker does)."""

    version: str | None = "v1"


async def test_a_promoted_model_makes_the_next_search_recompute() -> None:
    # The cache is shared by every API process: pages ranked by the old model must not outlive its switch.
    ranker = VersionedRanker(FormulaWeights())
    search, index, _ = build(SearchConfig(result_ttl_seconds=300), ranker=ranker)
    await search(SearchRequest(q="mug"))
    calls = len(index.calls)
    await search(SearchRequest(q="mug"))
    assert len(index.calls) == calls
    ranker.version = "v2"
    await search(SearchRequest(q="mug"))
    assert len(index.calls) > calls
