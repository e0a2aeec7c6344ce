"""One contract suite for both search adapters: SQLite FTS5 and PostgreSQL tsvector behave the same."""

from collections.abc import AsyncIterator

import asyncpg
import pytest

from application.search.dto import SearchRequest, SearchResult
from entrypoints.container import Container
from tests.conftest import PG_HOST, PG_PORT, PG_USER
from tests.fixtures.actors import TEST_ACTOR
from tests.fixtures.loading import loaded_container


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
async def shop(request: pytest.FixtureRequest, make_database) -> AsyncIterator[Container]:
    url = await make_database(request.param)
    async with loaded_container(url) as container:
        yield container


async def search(shop: Container, q: str = "", **kwargs) -> SearchResult:
    return await shop.search_products()(SearchRequest(q=q, **kwargs))


def skus(result: SearchResult) -> list[str]:
    return [hit.product.sku for hit in result.items]


async def test_stemming_matches_other_word_forms(shop: Container) -> None:
    result = await search(shop, "charge")
    assert set(skus(result)) == {"HP-003", "CB-001", "CB-002"}


def first_tier(result: SearchResult) -> list[str]:
    return [hit.product.sku for hit in result.items if hit.tier == 1]


async def test_accents_are_folded_both_ways(shop: Container) -> None:
    assert first_tier(await search(shop, "creme brulee")) == ["KT-003"]
    assert "SH-001" in skus(await search(shop, "crème"))


async def test_quoted_phrase_needs_adjacent_words(shop: Container) -> None:
    assert skus(await search(shop, '"frying pan"')) == ["KT-001"]
    assert skus(await search(shop, '"pan frying"')) == []
    assert skus(await search(shop, '"charging case"')) == ["HP-003"]


async def test_minus_excludes_a_word(shop: Container) -> None:
    result = await search(shop, "wireless -earbuds")
    assert set(skus(result)) == {"HP-001"}
    # A category named in the query still honours the exclusions.
    assert set(skus(await search(shop, "headphones -wired -kids"))) == {"HP-001", "HP-003"}


async def test_or_accepts_either_word(shop: Container) -> None:
    result = await search(shop, "skillet or torch")
    assert set(skus(result)) == {"KT-002", "KT-003"}


async def test_hyphenated_term_is_a_phrase(shop: Container) -> None:
    result = await search(shop, "usb-c cable -usb-a")
    assert first_tier(result) == ["CB-001"]


async def test_long_natural_query_returns_best_partial_matches(shop: Container) -> None:
    result = await search(shop, "waterproof hiking backpack with rain cover for mountain weekends")
    assert result.query.relaxed is True
    assert skus(result)[0] == "BP-001"
    assert result.total >= 1


async def test_price_phrases_are_understood(shop: Container) -> None:
    result = await search(shop, "headphones under 40")
    assert result.query.interpreted.max_price == 40
    assert set(skus(result)) == {"HP-002", "HP-004"}
    between = await search(shop, "coffee between 30 and 50")
    assert (between.query.interpreted.min_price, between.query.interpreted.max_price) == (30, 50)
    assert set(skus(between)) == {"CM-002", "CM-003"}
    over = await search(shop, "laptop over 1000")
    assert skus(over) == ["LP-002"]


async def test_sort_words_are_understood(shop: Container) -> None:
    result = await search(shop, "cheap headphones")
    assert result.query.interpreted.sort == "price_asc"
    prices = [hit.product.price for hit in result.items]
    assert prices == sorted(prices) and len(prices) == 4
    rated = await search(shop, "best rated coffee")
    assert rated.query.interpreted.sort == "rating"
    assert skus(rated)[0] == "CM-003"


async def test_category_named_in_query_is_recognised_from_catalog(shop: Container) -> None:
    result = await search(shop, "waterproof running shoes")
    assert result.query.interpreted.category == "Running Shoes"
    assert skus(result) == ["SH-003"]
    # The word 'headphones' alone names the category: every product of it, none other.
    assert set(skus(await search(shop, "headphones", per_page=50))) == {
        "HP-001",
        "HP-002",
        "HP-003",
        "HP-004",
    }


async def test_filters_narrow_results(shop: Container) -> None:
    assert set(skus(await search(shop, "", brand="Volt"))) == {"CB-001", "CB-002"}
    assert set(skus(await search(shop, "", category="Cookware", min_price=25, max_price=30))) == {"KT-002"}
    assert set(skus(await search(shop, "yoga", min_rating=4.5))) == {"YG-001"}


@pytest.mark.parametrize(
    ("sort", "key", "reverse"),
    [
        ("price_asc", lambda p: p.price, False),
        ("price_desc", lambda p: p.price, True),
        ("rating", lambda p: p.rating, True),
        ("popularity", lambda p: p.popularity, True),
        ("newest", lambda p: p.created_at, True),
    ],
)
async def test_sorts_order_every_page(shop: Container, sort, key, reverse) -> None:
    result = await search(shop, "", sort=sort, per_page=100)
    values = [key(hit.product) for hit in result.items]
    assert values == sorted(values, reverse=reverse)
    assert len(values) == 20


async def test_pagination_covers_every_result_once(shop: Container) -> None:
    first = await search(shop, "", per_page=12)
    second = await search(shop, "", per_page=12, page=2)
    assert (first.total, first.pages, len(first.items), len(second.items)) == (20, 2, 12, 8)
    assert not set(skus(first)) & set(skus(second))
    assert [h.position for h in second.items] == list(range(13, 21))
    assert (await search(shop, "", page=3)).items == []


async def test_facets_count_the_filtered_result_set(shop: Container) -> None:
    result = await search(shop, "", category="Headphones")
    assert {f.value: f.count for f in result.facets.brand} == {"Sonora": 2, "Basso": 2}
    assert [(f.value, f.count) for f in result.facets.category] == [("Headphones", 4)]
    assert (result.facets.price.min, result.facets.price.max) == (19.99, 89.99)
    text = await search(shop, "wireless")
    assert {f.value: f.count for f in text.facets.brand} == {"Sonora": 2}


async def test_title_match_outranks_description_match(shop: Container) -> None:
    # 'waterproof' is in SH-003's title, and only in BP-001's description.
    result = await search(shop, "waterproof", sort="relevance")
    assert skus(result)[:2] == ["SH-003", "BP-001"]


async def test_rare_word_weighs_more_than_common_word(shop: Container) -> None:
    # 'braided' (2 products) versus 'with' style common words: the rare word decides the order.
    result = await search(shop, "braided cable two metres")
    assert skus(result)[0] == "CB-001"


async def test_typos_are_corrected_from_catalog_words(shop: Container) -> None:
    result = await search(shop, "wireles headphnes")
    assert result.query.corrected == "wireless headphones"
    assert set(skus(result)) == {"HP-001", "HP-003"}
    swapped = await search(shop, "skilelt")
    assert swapped.query.corrected == "skillet"
    assert skus(swapped) == ["KT-002"]
    two_typos = await search(shop, "watreprof")
    assert two_typos.query.corrected == "waterproof"
    assert set(skus(two_typos)) == {"SH-003", "BP-001"}
    # Words of a natural sentence that the catalog lacks are not 'corrected' into other words.
    assert (await search(shop, "good people")).query.corrected is None
    assert (await search(shop, "skillet")).query.corrected is None


async def test_highlight_marks_matched_title_words(shop: Container) -> None:
    result = await search(shop, "cast iron")
    assert result.items[0].highlight_title == "Forge <mark>Cast</mark> <mark>Iron</mark> Skillet"


async def test_suggest_completes_the_last_word(shop: Container) -> None:
    suggestions = await shop.suggest()("run", 8)
    kinds = {(s.text, s.kind) for s in suggestions}
    assert ("Running Shoes", "category") in kinds
    assert ("running", "query") in kinds
    assert any(s.kind == "product" and "Running" in s.text for s in suggestions)
    more = await shop.suggest()("wireless ear", 8)
    assert ("wireless earbuds", "query") in {(s.text, s.kind) for s in more}
    assert ("Sonora Wireless Earbuds", "product") in {(s.text, s.kind) for s in more}


async def test_nothing_found_is_an_empty_page_not_an_error(shop: Container) -> None:
    result = await search(shop, "zzzzqqq")
    assert (result.total, result.pages, result.items) == (0, 0, [])


async def test_edits_are_searchable_at_once(shop: Container) -> None:
    await shop.update_product()("YG-002", {"title": "Zen Cork Meditation Block"}, actor=TEST_ACTOR)
    assert skus(await search(shop, "meditation")) == ["YG-002"]
    await shop.update_product()("YG-002", {"title": "Zen Cork Yoga Block"}, actor=TEST_ACTOR)
    assert skus(await search(shop, "meditation")) == []


async def test_index_counts_exists_estimate_popular_and_broad_candidates(shop: Container) -> None:
    from domain.search.model import MatchSpec, SearchFilters

    index = shop.search_index()
    spec = MatchSpec(clauses=((("cabl",),),))
    counts = await index.count(spec, SearchFilters())
    assert sorted((g.category, g.brand, g.count) for g in counts.groups) == [
        ("Accessories", "Volt", 2), ("Headphones", "Basso", 1),
    ]  # fmt: skip
    assert counts.total == 3
    assert await index.exists(spec, SearchFilters())
    assert not await index.exists(spec, SearchFilters(brand="Nobody"))
    assert (await index.count(spec, SearchFilters(brand="Nobody"))).groups == []
    assert await index.estimate_count(spec, SearchFilters()) >= 1
    charging = MatchSpec(prefixes=("cha",))
    # Among the N most popular products, those with a word starting 'cha', most popular first.
    assert [p.sku for p in await index.popular(charging, 5, 10)] == ["CB-001", "HP-003", "CB-002"]
    assert [p.sku for p in await index.popular(charging, 5, 6)] == ["CB-001", "HP-003"]
    broad = await index.candidates(spec, SearchFilters(), 2, broad=True)
    assert [c.product.sku for c in broad] == ["CB-001", "CB-002"]


async def test_all_but_one_matches_products_missing_at_most_one_clause(shop: Container) -> None:
    from domain.search.model import MatchSpec, SearchFilters
    from domain.search.text import analyze

    def clause(*alternatives: str) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(analyze(a)) for a in alternatives)

    index = shop.search_index()
    # Every HP product has 'headphones' (its category); HP-003 has the three, HP-001 two.
    spec = MatchSpec(
        clauses=(clause("wireless"), clause("earbuds"), clause("headphones")), mode="all_but_one"
    )
    assert (await index.count(spec, SearchFilters())).total == 2
    found = await index.candidates(spec, SearchFilters(), 10)
    assert sorted(c.product.sku for c in found) == ["HP-001", "HP-003"]
    assert found[0].product.sku == "HP-003"  # the index's rank: more of the words first
    assert await index.estimate_count(spec, SearchFilters()) >= 1
    # Exclusions, alternatives, phrases and filters hold as in the other modes.
    excluding = MatchSpec(spec.clauses, excluded=(tuple(analyze("earbuds")),), mode="all_but_one")
    assert [c.product.sku for c in await index.candidates(excluding, SearchFilters(), 10)] == ["HP-001"]
    phrases = MatchSpec(
        (clause("frying pan", "skillet"), clause("cast iron"), clause("torch")), mode="all_but_one"
    )
    assert sorted(c.product.sku for c in await index.candidates(phrases, SearchFilters(), 10)) == ["KT-002"]
    cheapest = await index.page(spec, SearchFilters(brand="Sonora"), "price_asc", 0, 5)
    assert [p.sku for p in cheapest] == ["HP-003", "HP-001"]


async def test_lower_tiers_fill_the_page_and_report_their_tier(shop: Container) -> None:
    result = await search(shop, "sonora wireless earbuds", per_page=50)
    assert first_tier(result) == ["HP-003"]
    assert skus(result)[1] == "HP-001"  # sonora and wireless: all but one
    assert [hit.tier for hit in result.items][:2] == [1, 2]
    assert all(hit.tier == 3 for hit in result.items[2:])
    assert result.query.relaxed is True
    assert result.total == len(result.items) == len(set(skus(result)))
    walked = [
        s for n in (1, 2, 3) for s in skus(await search(shop, "sonora wireless earbuds", per_page=2, page=n))
    ]
    assert walked == skus(result)[:6]


async def test_an_import_leaves_postgres_planned_and_its_gin_lists_merged(make_database) -> None:
    url = await make_database("postgresql")
    async with loaded_container(url):
        connection = await asyncpg.connect(
            host=PG_HOST, port=PG_PORT, user=PG_USER, database=url.rsplit("/", 1)[1]
        )
        try:
            await connection.execute("CREATE EXTENSION IF NOT EXISTS pgstattuple")
            for index in ("ix_products_search_vector", "ix_search_words_word_trgm"):
                pending = await connection.fetchval(
                    "SELECT pending_tuples FROM pgstatginindex($1::regclass)", index
                )
                assert pending == 0, index
            analysed = await connection.fetch(
                "SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL "
                "AND relname IN ('products', 'search_terms', 'search_words')"
            )
            assert len(analysed) == 3
        finally:
            await connection.close()


async def test_candidates_are_narrow_and_products_reads_the_page_in_order(shop: Container) -> None:
    from domain.search.model import MatchSpec, SearchFilters

    index = shop.search_index()
    candidates = await index.candidates(MatchSpec(clauses=((("cabl",),),)), SearchFilters(), 10)
    full = await shop.products().get_many([c.product.sku for c in candidates])
    for candidate in candidates:
        kept = full[candidate.product.sku]
        # What ranking and sorting read is there, as the full product has it; the text is not.
        for field in ("sku", "category", "brand", "price", "rating", "review_count", "popularity"):
            assert getattr(candidate.product, field) == getattr(kept, field)
        assert candidate.product.created_at == kept.created_at
        assert (candidate.product.title, candidate.product.description, candidate.product.attributes) == (
            "",
            "",
            {},
        )
        assert candidate.title_terms
    ids = [c.id for c in reversed(candidates)] + [10**9]  # an id no product has is left out
    assert await index.products(ids) == [full[c.product.sku] for c in reversed(candidates)]
    assert await index.products([]) == []


async def test_a_relevance_page_shows_full_products(shop: Container) -> None:
    for q in ("cable", "wireless charging headphones for the gym"):  # all words; relaxed
        result = await search(shop, q)
        full = await shop.products().get_many(skus(result))
        assert result.query.relaxed == (q != "cable")
        assert result.items and [hit.product for hit in result.items] == [full[s] for s in skus(result)]


async def test_browse_reads_narrow_candidates_in_the_stored_relevance_order(shop: Container) -> None:
    from domain.search.model import MatchSpec, SearchFilters

    index = shop.search_index()
    for filters in (SearchFilters(), SearchFilters(category="Headphones")):
        browsed = await index.browse(MatchSpec(), filters, 5)
        paged = await index.page(MatchSpec(), filters, "relevance", 0, 5)
        assert [c.product.sku for c in browsed] == [p.sku for p in paged]
        assert all(c.product.description == "" and c.title_terms for c in browsed)
        assert await index.products([c.id for c in browsed]) == paged
