"""Through HTTP, on a catalog past the old sampling limit: a facet count is the total of filtering by it."""

from collections.abc import AsyncIterator

import pytest
from litestar.testing import AsyncTestClient

from entrypoints.settings import Settings
from simulation.catalog.generator import generate_catalog
from tests.e2e.shop import open_shop
from tests.e2e.test_http_admin_products import bearer, token_for

SIZE = 1500


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
async def shop(
    request: pytest.FixtureRequest, make_database
) -> AsyncIterator[tuple[AsyncTestClient, Settings]]:
    # Counts cached, as served: the edit below must still be counted at the next search.
    async for opened in open_shop(make_database, request.param, generate_catalog(SIZE, 9)):
        yield opened


async def _search(client: AsyncTestClient, **params: str) -> dict:
    response = await client.get("/api/search", params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def test_every_category_and_brand_count_is_the_filtered_total(shop) -> None:
    client, _ = shop
    body = await _search(client, q="")
    assert (body["total"], body["total_exact"]) == (SIZE, True)
    for field in ("category", "brand"):
        assert sum(f["count"] for f in body["facets"][field]) <= SIZE
        for facet in body["facets"][field]:
            narrowed = await _search(client, q="", sort="price_asc", **{field: facet["value"]})
            assert narrowed["total"] == facet["count"], (field, facet)


async def test_a_new_product_is_counted_at_the_next_search(shop) -> None:
    client, settings = shop
    admin = bearer(await token_for(client, settings, "boss", admin=True))
    before = await _search(client, q="")
    category = before["facets"]["category"][0]
    created = await client.post(
        "/api/admin/products",
        json={"sku": "NEW-1", "title": "Freshly added item", "price": 10, "category": category["value"]},
        headers=admin,
    )
    assert created.status_code == 201, created.text
    after = await _search(client, q="")
    assert after["total"] == before["total"] + 1
    counts = {f["value"]: f["count"] for f in after["facets"]["category"]}
    assert counts[category["value"]] == category["count"] + 1
