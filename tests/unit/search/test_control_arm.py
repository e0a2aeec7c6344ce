"""The control arm (`popularity`): popularity first, then text relevance, then sku."""

from application.search.dto import SearchRequest
from domain.search.sorting import sort_products
from tests.unit.fakes import make_product as P
from tests.unit.search_fakes import UNCACHED, build, skus

# No traffic yet: every product equally popular. The sku order is the reverse of relevance.
COLD = [
    P("A1", "Camping Stove", 30.0, category="Outdoor", description="Light enough to carry beside a tent"),
    P("B1", "Tent Pegs", 8.0, category="Outdoor", description="Steel pegs for a tent"),
    P("C1", "Tent", 90.0, category="Outdoor"),
    P("D1", "Desk Lamp", 20.0, category="Home"),
]


async def test_a_catalog_without_traffic_is_served_by_text_relevance() -> None:
    search, _, _ = build(UNCACHED, catalog=COLD)
    control = await search(SearchRequest(q="tent", arm="popularity"))
    treatment = await search(SearchRequest(q="tent", arm="personalized"))
    # The title that is only the word, then the title with it, then the description mention; not
    # A1, B1, C1 (sku order).
    assert skus(control) == ["C1", "B1", "A1"]
    assert skus(control) == skus(treatment)


async def test_popularity_still_comes_first() -> None:
    catalog = [
        P(p.sku, p.title, p.price, description=p.description, popularity=1.0 if p.sku == "A1" else 0.0)
        for p in COLD
    ]
    search, _, _ = build(UNCACHED, catalog=catalog)
    control = await search(SearchRequest(q="tent", arm="popularity"))
    assert skus(control) == ["A1", "C1", "B1"]


def test_ties_of_a_stored_order_go_to_the_more_relevant_then_to_sku() -> None:
    products = [P(s, s, 10.0, popularity=pop) for s, pop in (("A", 1.0), ("B", 1.0), ("C", 1.0), ("D", 5.0))]
    relevance = {"A": 0.5, "B": 2.0, "C": 2.0}
    assert [p.sku for p in sort_products(products, "popularity", relevance)] == ["D", "B", "C", "A"]
    assert [p.sku for p in sort_products(products, "popularity")] == ["D", "A", "B", "C"]
    assert [p.sku for p in sort_products(products, "price_asc", relevance)] == ["B", "C", "A", "D"]
