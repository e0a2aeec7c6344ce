"""Tiered matching: every word, then all but one, then any word, filling the page in that order."""

from collections.abc import Sequence

import pytest

from application.search.dto import SearchConfig, SearchRequest, SearchResult
from domain.catalog.model import Product
from domain.ranking.model import RankedProduct, RankingContext, ScoredProduct
from domain.search.model import MatchSpec
from domain.search.text import analyze
from tests.unit.fakes import InMemorySearchIndex
from tests.unit.fakes import make_product as P
from tests.unit.search_fakes import UNCACHED, build, skus

SCARVES = [
    P("T1a", "Red Wool Scarf", 50.0, category="Misc", popularity=10),
    P("T1b", "Wool Scarf in Red", 40.0, category="Misc", popularity=5),
    P("T2a", "Red Wool Hat", 10.0, category="Misc", popularity=90),
    P("T2b", "Wool Scarf Grey", 20.0, category="Misc", popularity=80),
    P("T2c", "Red Silk Scarf", 30.0, category="Misc", popularity=70),
    P("T3a", "Red Shoes", 5.0, category="Misc", popularity=99),
    P("T3b", "Wool Socks", 6.0, category="Misc", popularity=60),
    P("T3c", "Scarf Ring", 7.0, category="Misc", popularity=50),
    P("T3d", "Red Lamp", 8.0, category="Misc", popularity=40),
    P("N1", "Blue Cotton Shirt", 9.0, category="Misc", popularity=100),
    P("N2", "Desk Lamp", 11.0, category="Misc", popularity=30),
]
TIER = {p.sku: int(p.sku[1]) for p in SCARVES if p.sku.startswith("T")}


class CheapestFirst:
    """A ranker that knows nothing of words: the cheapest first."""

    def rank(self, items: Sequence[ScoredProduct], context: RankingContext) -> list[RankedProduct]:
        ordered = sorted(items, key=lambda i: (i.product.price, i.product.sku))
        return [RankedProduct(product=i.product, score=-i.product.price) for i in ordered]


def tiers(result: SearchResult) -> list[int]:
    return [h.tier for h in result.items]


def reads(index: InMemorySearchIndex, mode: str) -> list[MatchSpec]:
    return [m for name, m in index.calls if name == "candidates" and m.mode == mode]


# ---------------------------------------------------------------------------------------- filling


async def test_a_short_first_tier_is_filled_from_the_lower_tiers_in_order() -> None:
    search, _, _ = build(UNCACHED, catalog=SCARVES)
    result = await search(SearchRequest(q="red wool scarf"))
    assert sorted(skus(result)) == sorted(TIER)  # neither N1 nor N2 has any of the words
    assert tiers(result) == [TIER[s] for s in skus(result)]
    assert tiers(result) == sorted(tiers(result))
    assert result.query.relaxed is True
    assert (result.total, result.pages) == (9, 1)
    # Within a tier, more of the words and better matches first: 'red wool' and 'wool scarf'
    # are ranked on all three words like the rest.
    assert all(
        a.score >= b.score for a, b in zip(result.items, result.items[1:], strict=False) if a.tier == b.tier
    )


async def test_the_tier_order_holds_whatever_the_ranker_says() -> None:
    search, _, _ = build(UNCACHED, CheapestFirst(), catalog=SCARVES)
    result = await search(SearchRequest(q="red wool scarf"))
    # The ranker puts the cheapest first, tier 1's products are the dearest: each tier is in the
    # ranker's order, and tiers are kept whole.
    assert skus(result) == ["T1b", "T1a", "T2a", "T2b", "T2c", "T3a", "T3b", "T3c", "T3d"]


async def test_the_control_arm_keeps_the_tier_order() -> None:
    search, _, _ = build(UNCACHED, catalog=SCARVES)
    result = await search(SearchRequest(q="red wool scarf", arm="popularity"))
    # By popularity within each tier, though T3a is more popular than any tier-1 product.
    assert skus(result) == ["T1a", "T1b", "T2a", "T2b", "T2c", "T3a", "T3b", "T3c", "T3d"]


async def test_a_stored_sort_orders_each_tier_and_keeps_them_in_order() -> None:
    search, _, _ = build(UNCACHED, catalog=SCARVES)
    result = await search(SearchRequest(q="red wool scarf", sort="price_asc"))
    assert skus(result) == ["T1b", "T1a", "T2a", "T2b", "T2c", "T3a", "T3b", "T3c", "T3d"]
    assert result.total == 9


async def test_two_words_have_no_third_tier() -> None:
    search, index, _ = build(UNCACHED, catalog=SCARVES)
    result = await search(SearchRequest(q="wool scarf"))
    # T1a, T1b and T2b have both; every other product with either word misses exactly one.
    assert sorted(skus(result)[:3]) == ["T1a", "T1b", "T2b"]
    assert sorted(skus(result)[3:]) == ["T2a", "T2c", "T3b", "T3c"]
    assert tiers(result) == [1, 1, 1, 2, 2, 2, 2]
    assert reads(index, "any") == []


async def test_excluded_words_stay_excluded_in_every_tier() -> None:
    search, _, _ = build(UNCACHED, catalog=SCARVES)
    result = await search(SearchRequest(q="red wool scarf -silk -lamp"))
    assert sorted(skus(result)) == sorted(set(TIER) - {"T2c", "T3d"})


async def test_enough_products_with_every_word_serve_them_alone() -> None:
    search, index, _ = build(SearchConfig(fill_target=2, result_ttl_seconds=0), catalog=SCARVES)
    result = await search(SearchRequest(q="red wool scarf"))
    assert sorted(skus(result)) == ["T1a", "T1b"]
    assert tiers(result) == [1, 1]
    assert result.query.relaxed is False
    assert reads(index, "all_but_one") == reads(index, "any") == []


async def test_a_single_word_has_no_lower_tier() -> None:
    search, index, _ = build(UNCACHED, catalog=SCARVES)
    result = await search(SearchRequest(q="scarf"))
    assert sorted(skus(result)) == ["T1a", "T1b", "T2b", "T2c", "T3c"]
    assert set(tiers(result)) == {1}
    assert result.query.relaxed is False
    assert reads(index, "all_but_one") == reads(index, "any") == []


async def test_no_product_with_any_word_is_still_empty() -> None:
    search, _, _ = build(UNCACHED, catalog=SCARVES)
    result = await search(SearchRequest(q="violin bow"))
    assert (result.items, result.total, result.pages, result.query.relaxed) == ([], 0, 0, False)


# ------------------------------------------------------------------------------------------- pages


@pytest.mark.parametrize("arm", ["personalized", "popularity"])
@pytest.mark.parametrize("per_page", [1, 2, 4])
async def test_walking_every_page_shows_each_product_once_with_stable_totals(arm: str, per_page: int) -> None:
    search, _, _ = build(UNCACHED, catalog=SCARVES)
    whole = await search(SearchRequest(q="red wool scarf", per_page=50, arm=arm))
    pages = []
    for n in range(1, -(-whole.total // per_page) + 2):
        pages.append(await search(SearchRequest(q="red wool scarf", per_page=per_page, page=n, arm=arm)))
    walked = [sku for page in pages for sku in skus(page)]
    assert walked == skus(whole)  # every product once, in one order, tiers kept
    assert {(p.total, p.pages, p.query.relaxed) for p in pages} == {(9, -(-9 // per_page), True)}
    assert [h.tier for p in pages for h in p.items] == tiers(whole)
    assert [h.position for p in pages for h in p.items] == list(range(1, 10))
    assert pages[-1].items == []


async def test_which_tiers_are_used_does_not_depend_on_the_page() -> None:
    # Three products have every word, fewer than the target (4), so every page has the lower tiers.
    search, _, _ = build(SearchConfig(fill_target=4, result_ttl_seconds=0), catalog=SCARVES)
    first = await search(SearchRequest(q="wool scarf", per_page=3))
    second = await search(SearchRequest(q="wool scarf", per_page=3, page=2))
    assert tiers(first) == [1, 1, 1] and set(tiers(second)) == {2}
    assert first.total == second.total == 7
    # One more product with both words reaches the target: tier 1 alone, on every page.
    search, _, _ = build(
        SearchConfig(fill_target=4, result_ttl_seconds=0),
        catalog=[*SCARVES, P("T1c", "Scarf of Wool", 12.0, category="Misc")],
    )
    first = await search(SearchRequest(q="wool scarf", per_page=3))
    second = await search(SearchRequest(q="wool scarf", per_page=3, page=2))
    assert first.total == second.total == 4
    assert set(tiers(first)) == set(tiers(second)) == {1}
    assert first.query.relaxed is second.query.relaxed is False


async def test_facets_cover_what_the_pages_reach() -> None:
    catalog = [P(p.sku, p.title, p.price, category=f"Tier{TIER.get(p.sku, 0)}") for p in SCARVES]
    search, _, _ = build(UNCACHED, catalog=catalog)
    result = await search(SearchRequest(q="red wool scarf", per_page=1))
    assert {(f.value, f.count) for f in result.facets.category} == {("Tier1", 2), ("Tier2", 3), ("Tier3", 4)}
    assert (result.facets.price.min, result.facets.price.max) == (5.0, 50.0)


async def test_a_tiered_page_reads_tier_one_once_and_full_products_once() -> None:
    search, index, _ = build(UNCACHED, catalog=SCARVES)
    await search(SearchRequest(q="red wool scarf", per_page=3, page=2))
    assert [name for name, m in index.calls if name == "products"] == ["products"]
    assert [m.mode for name, m in index.calls if name == "candidates"].count("all") == 1


async def test_the_counts_cached_are_those_of_the_first_tier_only() -> None:
    search, index, _ = build(SearchConfig(), catalog=SCARVES)
    await search(SearchRequest(q="red wool scarf"))
    await search(SearchRequest(q="red wool scarf", page=2))
    counted = [m for name, m in index.calls if name == "count"]
    assert len(counted) == 1 and counted[0].mode == "all"  # the second page reused the count


# ------------------------------------------------------------------------------------------- bounds


WORDS = ["amber", "birch", "cedar", "dune", "ember", "fjord", "glade", "heron", "ivory", "jasper", "kestrel",
         "lagoon"]  # fmt: skip


def _stem(word: str) -> str:
    return analyze(word)[0]


def _ladder() -> list[Product]:
    # Word k (from 1) is in products 1..k: the rarer a word, the fewer products have it.
    return [P(f"L{j:02}", " ".join(WORDS[j - 1 :]), 10.0 + j, category="Misc") for j in range(1, 13)]


def _stems(match: MatchSpec) -> set[str]:
    return {stem for clause in match.clauses for phrase in clause for stem in phrase}


async def test_the_lower_tiers_read_with_the_eight_rarest_words_at_most() -> None:
    search, index, _ = build(UNCACHED, catalog=_ladder())
    result = await search(SearchRequest(q=" ".join(reversed(WORDS)), per_page=20))
    (but_one,) = reads(index, "all_but_one")
    assert len(but_one.clauses) == 8
    assert _stems(but_one) == {_stem(w) for w in WORDS[:8]}
    (any_word,) = reads(index, "any")
    assert 1 <= len(any_word.clauses) <= 8 and _stems(any_word) <= _stems(but_one)
    # Tiers are how many of all twelve words a product has: L01 all, L02 all but one.
    assert skus(result)[:2] == ["L01", "L02"]
    assert tiers(result) == [1, 2] + [3] * (len(result.items) - 2)
    assert result.query.relaxed is True


async def test_a_long_query_costs_bounded_reads() -> None:
    search, index, _ = build(UNCACHED, catalog=_ladder())
    q = " ".join(WORDS * 20)[:500]  # as long as a query may be: 70 words and more
    assert len(q.split()) > 70
    await search(SearchRequest(q=q))
    lower = reads(index, "all_but_one") + reads(index, "any")
    assert lower and all(len(m.clauses) <= 8 for m in lower)


async def test_the_any_word_tier_keeps_to_the_rarer_words_when_their_union_is_broad() -> None:
    # Tier 3 ranks at most 3 products: the rarest word (1 product) and the next (2) stay within
    # it together; adding the third (3 more) would not.
    config = SearchConfig(broad_min_matches=3, broad_share=0.0, any_word_budget=3, result_ttl_seconds=0)
    search, index, _ = build(config, catalog=_ladder())
    await search(SearchRequest(q="amber birch cedar dune"))
    (any_word,) = reads(index, "any")
    assert _stems(any_word) == {_stem("amber"), _stem("birch")}
    assert index.broad_requests == 0


async def test_lower_tiers_of_words_most_products_have_take_the_most_popular() -> None:
    # jasper, kestrel and lagoon are in 10, 11 and 12 of the 12 products: broad from 4 matches.
    config = SearchConfig(broad_min_matches=3, broad_share=0.0, any_word_budget=3, result_ttl_seconds=0)
    search, index, _ = build(config, catalog=_ladder())
    result = await search(SearchRequest(q="kestrel lagoon jasper"))
    (any_word,) = reads(index, "any")
    assert _stems(any_word) == {_stem("jasper")}  # the rarest alone, though broad itself
    assert index.broad_requests == 3  # tier 1, all but one, any word
    assert tiers(result) == [1] * 10 + [2]


# ------------------------------------------------------------------------- phrases and compounds

LAMPS = [
    P("E9", "Task Light Edge 9", 40.0, category="Misc", popularity=1),
    P("E3", "Reading Light Edge 3", 30.0, category="Misc", popularity=2),
    P("G9", "Reading Light Go 9", 20.0, category="Misc", popularity=3),
    P("X1", "Reading Light", 10.0, category="Misc", popularity=90),
    P("N1", "Blue Cotton Shirt", 9.0, category="Misc", popularity=100),
]


def test_a_phrase_clause_is_split_into_its_words_without_stop_words() -> None:
    from domain.search.model import loosened, match_spec
    from domain.search.query import parse_query

    assert loosened(match_spec(parse_query("edge9 light"))).clauses == ((("edg",),), (("9",),), (("light",),))
    assert loosened(match_spec(parse_query("27-in. cup"))).clauses == ((("27",),), (("cup",),))
    quoted = match_spec(parse_query('"cup of tea" mug'))
    assert loosened(quoted) == quoted  # the shopper asked for the words together
    plain = match_spec(parse_query("red scarf"))
    assert loosened(plain) == plain


async def test_below_tier_one_a_compound_counts_word_by_word() -> None:
    search, _, _ = build(UNCACHED, catalog=LAMPS)
    # One clause ('edge9'), one product with it; the same line with another number comes next,
    # then the other number's line, before products with neither word of it.
    result = await search(SearchRequest(q="edge9"))
    assert skus(result)[0] == "E9" and tiers(result)[0] == 1
    assert set(skus(result)[1:]) == {"E3", "G9"} and set(tiers(result)[1:]) == {2}
    result = await search(SearchRequest(q="edge9 light"))
    assert skus(result)[0] == "E9" and set(skus(result)[1:3]) == {"E3", "G9"}
    assert tiers(result) == [1, 2, 2, 3]  # 'Reading Light' has one word of three
    assert "N1" not in skus(result)


async def test_the_any_word_tier_is_ranked_by_text_within_its_budget_though_broad() -> None:
    # Broad from 4 matches, but tier 3 may rank 30: the three rarest words' 6 products are ranked
    # by text, not taken most popular first.
    config = SearchConfig(broad_min_matches=3, broad_share=0.0, any_word_budget=30, result_ttl_seconds=0)
    search, index, _ = build(config, catalog=_ladder())
    await search(SearchRequest(q="amber birch cedar dune"))
    (any_word,) = reads(index, "any")
    assert {_stem("amber"), _stem("birch"), _stem("cedar")} <= _stems(any_word)
    assert index.broad_requests == 0
