"""Two API processes on one PostgreSQL and Redis: an edit through one is in the other's next search.

Each container stands for one `ecomsearch serve` process (its own engine, caches and use cases);
only the database and Redis are shared, as between replicas.
"""

import os
from pathlib import Path

from application.search.dto import SearchRequest
from entrypoints.container import build_container, close_container
from entrypoints.settings import load_settings
from tests.conftest import REDIS_URL
from tests.fixtures.actors import TEST_ACTOR
from tests.fixtures.loading import loaded_container


async def test_an_edit_through_one_process_is_in_the_next_search_of_another(
    make_database, redis_client
) -> None:
    url = await make_database("postgresql")
    async with loaded_container(url, redis_url=REDIS_URL) as first:
        second = build_container(
            load_settings({"DATABASE_URL": url, "REDIS_URL": REDIS_URL}, dotenv=Path(os.devnull))
        )
        try:
            search = second.search_products()
            before = await search(SearchRequest(q="cable"))  # now cached: answer and counts
            assert before.total >= 1 and "Zircon" not in {h.product.brand for h in before.items}
            sku = before.items[0].product.sku
            await first.update_product()(sku, {"brand": "Zircon"}, actor=TEST_ACTOR)
            after = await search(SearchRequest(q="cable"))
            assert after.total == before.total
            assert {h.product.sku: h.product.brand for h in after.items}[sku] == "Zircon"
            assert "Zircon" in {f.value for f in after.facets.brand}
            assert (await search(SearchRequest(q="cable", brand="Zircon"))).total == 1
        finally:
            await close_container(second)
