"""Price and sort phrases that read as part of a product's name, or empty the result, are words."""

import pytest

from application.search.dto import SearchRequest, SearchResult
from application.search.search_products import SearchProducts
from domain.search.query import Interpreted, parse_query
from tests.unit.fakes import (
    make_product,
)
from tests.unit.search_fakes import UNCACHED, build, skus

P = make_product

SHOP = [
    P("N1", "Nike Air Max 90 Sneakers", 130.0, brand="Nike", category="Shoes", popularity=90),
    P("N2", "Trail Running Shoes", 45.0, brand="Stride", category="Shoes", popularity=40),
    P("N3", "Leather Dress Shoes", 95.0, brand="Oxford", category="Shoes", popularity=30),
    P("A1", "Air Fryer", 60.0, brand="Chef", category="Kitchen", popularity=80),
    P("A2", "Air Purifier", 85.0, brand="Clean", category="Home", popularity=70),
    P("M1", "Top Rated Dad Mug", 12.0, brand="Gift", category="Mugs", rating=3.0, popularity=20),
    P("M2", "Ceramic Mug", 8.0, brand="Gift", category="Mugs", rating=4.9, popularity=10),
    P("M3", "Travel Mug", 20.0, brand="Gift", category="Mugs", rating=4.5, popularity=15),
]


@pytest.fixture
def search() -> SearchProducts:
    return build(UNCACHED, catalog=SHOP)[0]


# ------------------------------------------------------------------------------- what the parser reports


def test_the_parser_reports_the_phrases_it_interpreted() -> None:
    parsed = parse_query("cheap air max 90")
    assert (parsed.max_price, parsed.sort) == (90.0, "price_asc")
    assert parsed.interpreted == (
        Interpreted("price", ("max", "90")),
        Interpreted("sort", ("cheap",)),
    )
    assert parse_query("air max 90", interpret=False).interpreted == ()


def test_a_sign_or_a_currency_marks_a_price_as_explicit() -> None:
    assert parse_query("air max $90").interpreted == (Interpreted("price", ("max", "90"), explicit=True),)
    assert parse_query("cable <= 30").interpreted == (Interpreted("price", ("30",), explicit=True),)
    assert parse_query("mug under 20 dollars").interpreted[0].explicit
    assert not parse_query("mug under 20").interpreted[0].explicit


def test_a_literal_phrase_stays_words_and_the_others_are_still_read() -> None:
    parsed = parse_query("cheap air max 90", literal=[("max", "90")])
    assert (parsed.min_price, parsed.max_price, parsed.sort) == (None, None, "price_asc")
    assert [c.alternatives[0].words for c in parsed.clauses] == [("air",), ("max",), ("90",)]
    assert parsed.interpreted == (Interpreted("sort", ("cheap",)),)
    # Only the phrase named is literal: another match of the same pattern is still a price.
    later = parse_query("air max 90 max 200", literal=[("max", "90")])
    assert later.max_price == 200.0
    assert [c.alternatives[0].words for c in later.clauses] == [("air",), ("max",), ("90",)]


# ------------------------------------------------------------------------------------------- the search


def tier_one(result: SearchResult) -> list[str]:
    """The products with every word (partial matches follow them in lower tiers)."""
    return [hit.product.sku for hit in result.items if hit.tier == 1]


async def test_a_price_phrase_that_names_a_product_line_stays_words(search: SearchProducts) -> None:
    result = await search(SearchRequest(q="air max 90"))
    assert tier_one(result) == ["N1"]
    assert (result.query.interpreted.min_price, result.query.interpreted.max_price) == (None, None)
    assert (
        result.items[0].highlight_title == "Nike <mark>Air</mark> <mark>Max</mark> <mark>90</mark> Sneakers"
    )


async def test_a_price_phrase_no_product_is_named_with_is_a_price_cap(search: SearchProducts) -> None:
    result = await search(SearchRequest(q="shoes under 50"))
    assert result.query.interpreted.max_price == 50.0
    assert skus(result) == ["N2"]


async def test_a_marked_price_is_never_doubted(search: SearchProducts) -> None:
    result = await search(SearchRequest(q="air max $90"))
    assert result.query.interpreted.max_price == 90.0
    assert sorted(skus(result)) == ["A1", "A2"]


async def test_a_price_phrase_that_empties_the_result_falls_back_to_words(search: SearchProducts) -> None:
    # The typo hides the product line from the phrase check; 'air sneakers' under 90 finds
    # nothing, so the query is searched as words (and corrected again).
    result = await search(SearchRequest(q="air max 90 snekers"))
    assert result.query.corrected == "air max 90 sneakers"
    assert result.query.interpreted.max_price is None
    assert tier_one(result) == ["N1"]


async def test_an_empty_result_keeps_the_interpretation_when_the_words_find_nothing_either(
    search: SearchProducts,
) -> None:
    result = await search(SearchRequest(q="trampoline under 10"))
    assert result.total == 0
    assert result.query.interpreted.max_price == 10.0


async def test_a_sort_phrase_inside_a_title_stays_words(search: SearchProducts) -> None:
    named = await search(SearchRequest(q="top rated mug"))
    assert named.query.interpreted.sort is None
    assert skus(named) == ["M1"]
    # No mug is named 'best rated': the phrase orders the mugs by rating.
    ordered = await search(SearchRequest(q="best rated mug"))
    assert ordered.query.interpreted.sort == "rating"
    assert skus(ordered) == ["M2", "M3", "M1"]


async def test_doubting_costs_a_few_existence_checks() -> None:
    search, index, _ = build(UNCACHED, catalog=SHOP)
    result = await search(SearchRequest(q="cheap shoes under 50"))
    assert (result.query.interpreted.sort, result.query.interpreted.max_price) == ("price_asc", 50.0)
    # 'under 50' against the names, then whether the cap leaves a product with every word;
    # 'cheap' is one word and not doubted.
    assert sum(1 for name, _ in index.calls if name == "exists") == 2
    index.calls.clear()
    await search(SearchRequest(q="shoes"))
    assert sum(1 for name, _ in index.calls if name == "exists") == 0
