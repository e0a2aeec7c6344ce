"""The same queries give the same products, order and scores on SQLite and on PostgreSQL."""

from application.search.dto import SearchRequest
from tests.fixtures.loading import loaded_container

QUERIES = [
    "wireless headphones", "headphnes", "cheap headphones", "coffee maker", '"running shoes"',
    "usb-c -usb-a", "skillet or torch", "waterproof", "zen yoga mat non slip", "laptop over 1000",
    "braided cable two metres", "best rated", "",
]  # fmt: skip


async def test_sqlite_and_postgres_rank_identically(make_database) -> None:
    results = {}
    for kind in ("sqlite", "postgresql"):
        async with loaded_container(await make_database(kind)) as shop:
            results[kind] = [
                [
                    (h.product.sku, round(h.score, 5), h.highlight_title)
                    for h in (await shop.search_products()(SearchRequest(q=q))).items
                ]
                for q in QUERIES
            ]
    for query, sqlite_items, pg_items in zip(QUERIES, results["sqlite"], results["postgresql"], strict=True):
        assert sqlite_items == pg_items, query
