"""The search API over HTTP, exactly as the contract shapes it, on SQLite and on PostgreSQL."""

import os
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import quote

import pytest
from litestar.testing import AsyncTestClient

from entrypoints.container import build_container
from entrypoints.http.app import create_app
from entrypoints.settings import load_settings
from tests.fixtures.catalog import CATALOG
from tests.fixtures.loading import settings_for

PRODUCT_FIELDS = {
    "sku", "title", "description", "category", "brand", "price", "rating", "review_count",
    "popularity", "image_url", "created_at",
}  # fmt: skip


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
async def client(request: pytest.FixtureRequest, make_database) -> AsyncIterator[AsyncTestClient]:
    url = await make_database(request.param)
    settings = load_settings(settings_for(url), dotenv=Path(os.devnull))
    container = build_container(settings)
    await container.import_catalog()([(i + 2, row) for i, row in enumerate(CATALOG)])
    # The test client runs the app on its own event loop: let it open its own connections.
    await container.engine().dispose()
    async with AsyncTestClient(app=create_app(settings, container)) as test_client:
        yield test_client


def assert_error(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert isinstance(body["error"]["code"], str) and body["error"]["code"]
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if field is not None:
        assert body["error"]["details"]["field"] == field
    return body


async def test_search_answers_in_the_contract_shape(client: AsyncTestClient) -> None:
    response = await client.get("/api/search", params={"q": "cheap wireles headphones"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"search_id", "query", "items", "total", "page", "per_page", "pages", "facets"}
    assert body["total_exact"] is True
    assert body["query"]["text"] == "cheap wireles headphones"
    assert body["query"]["corrected"] == "cheap wireless headphones"
    assert body["query"]["interpreted"] == {
        "category": "Headphones", "min_price": None, "max_price": None, "sort": "price_asc",
    }  # fmt: skip
    assert (body["page"], body["per_page"], body["total"], body["pages"]) == (1, 12, 2, 1)
    first = body["items"][0]
    assert set(first) >= PRODUCT_FIELDS
    assert first["sku"] == "HP-003" and first["position"] == 1
    assert isinstance(first["score"], float)
    assert first["highlight"]["title"] == "Sonora <mark>Wireless</mark> Earbuds"
    assert first["created_at"].endswith(("Z", "+00:00"))
    assert set(body["facets"]) == {"category", "brand", "price", "attributes"}
    assert body["facets"]["brand"] == [{"value": "Sonora", "count": 2}]
    assert body["facets"]["price"] == {"min": 49.0, "max": 89.99}


async def test_search_ids_are_unique(client: AsyncTestClient) -> None:
    a = (await client.get("/api/search", params={"q": "yoga"})).json()["search_id"]
    b = (await client.get("/api/search", params={"q": "yoga"})).json()["search_id"]
    assert a != b


async def test_filters_sort_and_pages_over_http(client: AsyncTestClient) -> None:
    params = {"category": "Cookware", "sort": "price_desc", "per_page": "2", "page": "2"}
    body = (await client.get("/api/search", params=params)).json()
    assert (body["total"], body["pages"], body["page"]) == (3, 2, 2)
    assert [i["sku"] for i in body["items"]] == ["KT-003"]
    assert body["items"][0]["position"] == 3


async def test_product_categories_and_suggest(client: AsyncTestClient) -> None:
    product = (await client.get("/api/products/HP-001")).json()
    assert product["title"] == "Sonora Wireless Noise-Cancelling Headphones"
    assert product["attributes"] == {"color": "black"}
    categories = (await client.get("/api/categories")).json()["categories"]
    assert {"name": "Headphones", "count": 4} in categories
    assert sum(c["count"] for c in categories) == len(CATALOG)
    suggestions = (await client.get("/api/suggest", params={"q": "espr", "limit": "8"})).json()["suggestions"]
    assert {"text": "espresso", "kind": "query"} in suggestions
    assert all(
        set(s) == {"text", "kind"} and s["kind"] in {"query", "product", "category"} for s in suggestions
    )


async def test_unknown_product_is_404(client: AsyncTestClient) -> None:
    assert_error(await client.get("/api/products/NOPE-1"), 404)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("sort=bogus", "sort"),
        ("page=0", "page"),
        ("per_page=abc", "per_page"),
        ("per_page=101", "per_page"),
        ("min_price=abc", "min_price"),
        ("min_price=-5", "min_price"),
        ("min_price=nan", "min_price"),
        ("min_rating=6", "min_rating"),
        ("min_price=50&max_price=10", "min_price"),
        ("q=" + "a" * 10_000, "q"),
        ("q=bad%00byte", "q"),
        ("sort=price_asc%3B%20DROP%20TABLE%20products", "sort"),
        ("min_price=1%3BDROP%20TABLE%20products", "min_price"),
    ],
)
async def test_bad_search_input_is_a_400_with_the_field(
    client: AsyncTestClient, query: str, field: str
) -> None:
    assert_error(await client.get(f"/api/search?{query}"), 400, field)


@pytest.mark.parametrize(
    "q",
    [
        "' OR 1=1 --",
        '"; DROP TABLE products; --',
        "%' UNION SELECT * FROM products --",
        "\\x00",
        "((( ))) ***",
    ],
)
async def test_sql_like_text_is_just_text(client: AsyncTestClient, q: str) -> None:
    response = await client.get(f"/api/search?q={quote(q)}")
    assert response.status_code == 200
    assert (await client.get("/api/search", params={"per_page": "100"})).json()["total"] == len(CATALOG)


async def test_bad_suggest_input(client: AsyncTestClient) -> None:
    assert_error(await client.get("/api/suggest?q=ab&limit=0"), 400, "limit")
    assert_error(await client.get("/api/suggest?q=" + "x" * 600), 400, "q")
    assert (await client.get("/api/suggest?q=")).json() == {"suggestions": []}


async def test_unknown_route_and_method_use_the_error_shape(client: AsyncTestClient) -> None:
    assert_error(await client.get("/api/nothing-here"), 404)
    assert_error(await client.post("/api/search"), 405)


async def test_operations_endpoints(client: AsyncTestClient) -> None:
    assert (await client.get("/health")).json() == {"status": "ok"}
    ready = await client.get("/ready")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    before = ready.json()["cache"]
    await client.get("/api/search", params={"q": "cache counter probe"})
    await client.get("/api/search", params={"q": "cache counter probe"})
    after = (await client.get("/ready")).json()["cache"]
    assert after["misses"] > before["misses"] and after["hits"] > before["hits"]
    schema = (await client.get("/schema/openapi.json")).json()
    assert {"/api/search", "/api/suggest", "/api/products/{sku}", "/api/categories"} <= set(schema["paths"])
    assert (await client.get("/schema")).status_code == 200


async def test_each_item_says_which_tier_it_came_from(client: AsyncTestClient) -> None:
    body = (await client.get("/api/search", params={"q": "sonora wireless earbuds"})).json()
    # HP-003 has every word, HP-001 all but 'earbuds'.
    assert [(item["sku"], item["tier"]) for item in body["items"][:2]] == [("HP-003", 1), ("HP-001", 2)]
    assert all(item["tier"] in (1, 2, 3) for item in body["items"])
    assert body["query"]["relaxed"] is True
    one_word = (await client.get("/api/search", params={"q": "wireless"})).json()
    assert {item["tier"] for item in one_word["items"]} == {1} and one_word["query"]["relaxed"] is False
    schema = (await client.get("/schema/openapi.json")).json()
    (item,) = [s for name, s in schema["components"]["schemas"].items() if name.endswith("SearchItemOut")]
    assert item["properties"]["tier"]["type"] == "integer"
    assert "tier" in item["required"]
