"""Spelling correction that replaces only what the index lacks, over the in-memory fakes."""

from application.search.correction import MAX_CHECKS, Corrector
from application.search.dto import SearchRequest
from application.search.search_products import SearchProducts
from domain.search.model import SearchFilters
from domain.search.query import parse_query
from tests.unit.fakes import (
    InMemoryProductRepository,
    InMemorySearchIndex,
    InMemoryVocabulary,
    make_product,
)
from tests.unit.search_fakes import UNCACHED, build, skus

P = make_product

SHOP = [
    P("F1", "Oak Picture Frame 12x18", 30.0, category="Frames", popularity=50),
    P("F2", "Oak Picture Frame 12x16", 28.0, category="Frames", popularity=10),
    P("L1", "LED Desk Lights", 25.0, category="Lamps", popularity=5),
    P("L2", "Lightning Cable", 12.0, category="Cables", popularity=900),
    P("L3", "Lightning Charger", 18.0, category="Chargers", popularity=800),
    P("T1", "Tennis Racket", 80.0, category="Sports", popularity=20),
    P("R1", "Glider Rocker", 150.0, category="Furniture", popularity=40),
    P("R2", "Rocker Switch", 4.0, category="Electrical", popularity=30),
    P("R3", "Rocker Chair", 120.0, category="Furniture", popularity=60),
    P("K1", "Wireless Keyboard", 35.0, category="Computers", popularity=70),
    P("K2", "Mechanical Keyboard", 90.0, category="Computers", popularity=80),
]


def shop() -> tuple[SearchProducts, InMemorySearchIndex, InMemoryVocabulary]:
    search, index, _ = build(UNCACHED, catalog=SHOP)
    # The vocabulary only reads the products, so its own repository of the same catalog will do.
    return search, index, InMemoryVocabulary(InMemoryProductRepository(SHOP))


async def test_a_token_with_a_digit_is_never_rewritten() -> None:
    search, index, vocabulary = shop()
    # '12x14' is one edit from both sizes the catalog has; it is another size, not a typo.
    for typed in ("picture frame 12x14", "keyboard k3nt"):
        query = parse_query(typed)
        assert await Corrector(index, vocabulary)(query, typed, SearchFilters()) == (query, None)
        assert (await search(SearchRequest(q=typed))).query.corrected is None
    exact = await search(SearchRequest(q="picture frame 12x16"))
    assert exact.query.corrected is None
    # The size asked has every word; the other size follows only as a partial match (tier 2).
    assert skus(exact) == ["F2", "F1"]
    assert [hit.tier for hit in exact.items] == [1, 2]


async def test_a_word_whose_stem_is_indexed_is_known_and_kept() -> None:
    search, _, vocabulary = shop()
    # The vocabulary holds 'lights' and 'lightning', not 'lighting'; 'lighting' is one edit from
    # 'lightning' (a far more common word), but its stem is the stem of 'lights'.
    assert await vocabulary.known(["lighting"]) == set()
    result = await search(SearchRequest(q="lighting"))
    assert result.query.corrected is None
    assert "L1" in skus(result)
    assert not {"L2", "L3"} & set(skus(result))


async def test_a_word_the_index_lacks_is_replaced_and_reported() -> None:
    search, _, _ = shop()
    result = await search(SearchRequest(q="Lightnig  cable"))
    assert result.query.corrected == "lightning cable"
    assert result.query.text == "Lightnig cable"
    assert skus(result) == ["L2"]
    assert result.items[0].highlight_title == "<mark>Lightning</mark> <mark>Cable</mark>"


async def test_products_with_the_typed_word_still_match_when_a_neighbour_is_corrected() -> None:
    search, _, _ = shop()
    # 'keybord' is corrected; 'wireless' is the shopper's own word and keeps its products.
    result = await search(SearchRequest(q="wireless keybord"))
    assert result.query.corrected == "wireless keyboard"
    assert skus(result) == ["K1", "K2"]
    assert [hit.tier for hit in result.items] == [1, 2]


async def test_a_candidate_that_occurs_with_the_other_words_is_preferred() -> None:
    search, _, _ = shop()
    # 'racker' is one edit from 'racket' (one product) and from 'rocker' (three products).
    alone = await search(SearchRequest(q="racker"))
    assert alone.query.corrected == "rocker"  # nothing else to go by: the more common word
    with_context = await search(SearchRequest(q="tennis racker"))
    assert with_context.query.corrected == "tennis racket"
    assert skus(with_context) == ["T1"]


async def test_candidates_that_never_occur_with_the_other_words_fall_back_to_the_closest() -> None:
    search, _, _ = shop()
    result = await search(SearchRequest(q="mechanical racker"))
    assert result.query.corrected == "mechanical rocker"


async def test_the_index_is_asked_a_bounded_number_of_times() -> None:
    _, index, vocabulary = shop()
    corrector = Corrector(index, vocabulary)
    query = parse_query("tennis racker rackor rockar raocker rackre rocket")
    fixed, corrected = await corrector(query, query.text, SearchFilters())
    assert corrected is not None
    assert sum(1 for name, _ in index.calls if name == "exists") <= MAX_CHECKS
    assert len(fixed.clauses) == len(query.clauses)


async def test_known_words_cost_no_index_call() -> None:
    _, index, vocabulary = shop()
    query = parse_query("tennis racket")
    assert await Corrector(index, vocabulary)(query, query.text, SearchFilters()) == (query, None)
    assert index.calls == []


async def test_a_candidate_is_weighed_within_the_filters() -> None:
    _, index, vocabulary = shop()
    query = parse_query("tennis racker")
    corrector = Corrector(index, vocabulary)
    assert (await corrector(query, query.text, SearchFilters()))[1] == "tennis racket"
    # Within furniture nothing goes with 'tennis': the closest, most common word is taken.
    furniture = SearchFilters(category="Furniture")
    assert (await corrector(query, query.text, furniture))[1] == "tennis rocker"


async def test_a_compound_and_its_joined_form_are_not_corrected() -> None:
    # 'wire-less' is parsed as its words or 'wireless'; neither alternative is a typo to rewrite,
    # though 'wireles' would be (the catalog has 'wireless').
    _, index, vocabulary = shop()
    query = parse_query("wire-les keyboard")
    assert len(query.clauses[0].alternatives) == 2
    assert await Corrector(index, vocabulary)(query, "wire-les keyboard", SearchFilters()) == (query, None)


async def test_stop_words_that_count_a_little_survive_a_correction() -> None:
    _, index, vocabulary = shop()
    query = parse_query("keybaord with wireles")
    corrected, text = await Corrector(index, vocabulary)(query, "keybaord with wireles", SearchFilters())
    assert text == "keyboard with wireless"
    assert corrected.optional == query.optional and corrected.optional
