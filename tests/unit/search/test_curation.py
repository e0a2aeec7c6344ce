"""Which rules apply (exact query, phrase within it, category page; time windows), and what they
do to a ranked list (hides, boosts and buries, pins at absolute positions)."""

from datetime import UTC, datetime, timedelta

from domain.catalog.model import Product
from domain.search.curation import WINDOW, Curation, matching, passes, within
from domain.search.model import SearchFilters
from domain.search.rules import AttributeIs, Boost, BoostFilter, Pin, Rule
from tests.unit.fakes import make_product

NOW = datetime(2026, 12, 6, 12, tzinfo=UTC)
EXACT = Rule(id=1, query="Winter Jackets", hides=("a",))
PHRASE = Rule(id=2, contains="rain jacket", hides=("b",))
PAGE = Rule(id=3, category="Shoes", hides=("c",))


def ids(
    text: str, category: str | None = None, at: datetime = NOW, rules: list[Rule] | None = None
) -> list[int]:
    return [r.id for r in matching(rules or [PAGE, PHRASE, EXACT], text, category, at)]


def test_an_exact_query_rule_ignores_case_spacing_plurals_and_stop_words() -> None:
    assert ids("winter jacket") == [1]
    assert ids("  WINTER   jackets ") == [1]
    assert ids("the winter jackets") == [1]
    assert ids("winter jackets men") == []
    assert ids("jackets winter") == []


def test_a_phrase_rule_needs_its_words_in_order_and_whole() -> None:
    assert ids("blue rain jackets for men") == [2]
    assert ids("rain jacket") == [2]
    assert ids("jacket rain") == []
    assert ids("rainy jackets") == []  # a word boundary: 'rainy' is not 'rain'


def test_a_category_rule_applies_to_the_category_page_without_words() -> None:
    assert ids("", "shoes") == [3]
    assert ids("", "Bags") == []
    assert ids("running", "Shoes") == []
    assert ids("") == []


def test_a_window_starts_at_its_start_and_ends_at_its_end() -> None:
    timed = Rule(id=9, query="tent", hides=("a",), starts_at=NOW, ends_at=NOW + timedelta(hours=1))
    at = {
        "before": NOW - timedelta(seconds=1),
        "start": NOW,
        "last": NOW + timedelta(minutes=59, seconds=59),
        "end": NOW + timedelta(hours=1),
    }
    assert {k: ids("tent", at=t, rules=[timed]) for k, t in at.items()} == {
        "before": [],
        "start": [9],
        "last": [9],
        "end": [],
    }


def products(n: int, **fields: object) -> list[Product]:
    return [make_product(f"p{i}", f"item {i}", **fields) for i in range(1, n + 1)]


def curated(curation: Curation, ranked: list[Product], placed: list[Product] = ()) -> list[str]:  # type: ignore[assignment]
    by_sku = {p.sku: p for p in [*ranked, *placed] if p.sku in curation.pinned}
    return [p.sku for p in curation.apply(ranked, lambda p: p, by_sku)]


def test_hidden_items_leave_and_pins_land_at_their_absolute_positions() -> None:
    rule = Rule(id=1, query="x", pins=(Pin("p9", 2), Pin("new", 14)), hides=("p1", "p5"))
    ranked = products(20)
    order = curated(Curation([rule]), ranked, [make_product("new", "new one")])
    assert order[:4] == ["p2", "p9", "p3", "p4"]
    assert order[13] == "new"  # position 14: page 2's second item at 12 per page
    assert "p1" not in order and "p5" not in order and order.count("p9") == 1
    assert len(order) == 20 - 2 + 1


def test_a_pin_past_the_end_is_last_and_a_missing_pin_is_skipped() -> None:
    rule = Rule(id=1, query="x", pins=(Pin("gone", 1), Pin("p1", 50)))
    assert curated(Curation([rule]), products(3)) == ["p2", "p3", "p1"]


def test_boosts_lift_and_buries_sink_stably_within_the_window() -> None:
    ranked = [
        make_product("a", "a", brand="Plain"),
        make_product("b", "b", brand="Acme"),
        make_product("c", "c", brand="Cheap", price=2.0),
        make_product("d", "d", brand="Acme"),
        make_product("e", "e", brand="Plain"),
    ]
    rule = Rule(
        id=1,
        query="x",
        boosts=(Boost(BoostFilter(brand="acme"), 2.0), Boost(BoostFilter(max_price=5.0), -1.0)),
    )
    assert curated(Curation([rule]), ranked) == ["b", "d", "a", "e", "c"]


def test_items_beyond_the_boost_window_keep_their_order() -> None:
    ranked = products(WINDOW + 2)
    rule = Rule(id=1, query="x", boosts=(Boost(BoostFilter(max_price=100.0), -1.0),))
    assert curated(Curation([rule]), ranked) == [p.sku for p in ranked]  # all buried alike
    lifted = Rule(id=1, query="x", boosts=(Boost(BoostFilter(category="z"), 1.0),))
    ranked[-1] = make_product("last", "last", category="z")
    assert curated(Curation([lifted]), ranked)[-1] == "last"  # outside the window: not lifted


def test_rules_add_up_and_the_first_rule_wins_a_position() -> None:
    first = Rule(id=1, query="x", pins=(Pin("p3", 1),), hides=("p2",))
    second = Rule(id=2, contains="x", pins=(Pin("p4", 1), Pin("p5", 2)), hides=("p6",))
    curation = Curation([first, second])
    assert curation.names == ("rule 1", "rule 2")
    assert curated(curation, products(6)) == ["p3", "p5", "p1", "p4"]


def test_filters_match_brand_category_attribute_and_price() -> None:
    shoe = make_product(
        "s", "shoe", price=50.0, brand="Acme", category="Shoes", attributes={"colour": "Red", "size": 42}
    )
    assert passes(shoe, BoostFilter(brand="ACME", category="shoes", min_price=50, max_price=50))
    assert passes(shoe, BoostFilter(attribute=AttributeIs("colour", "red")))
    assert passes(shoe, BoostFilter(attribute=AttributeIs("size", 42)))
    assert not passes(shoe, BoostFilter(attribute=AttributeIs("size", 41)))
    assert not passes(shoe, BoostFilter(attribute=AttributeIs("width", "wide")))
    assert not passes(shoe, BoostFilter(min_price=51))
    assert within(shoe, SearchFilters(brand="acme", max_price=60)) and not within(
        shoe, SearchFilters(brand="Other")
    )
