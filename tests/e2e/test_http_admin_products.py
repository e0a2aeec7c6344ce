"""Admin product endpoints: only administrators, changes searchable at once, bad input changes nothing."""

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from entrypoints.container import build_container, close_container
from entrypoints.http.app import create_app
from entrypoints.settings import Settings, load_settings
from tests.e2e.test_http_search import assert_error
from tests.fixtures.catalog import CATALOG

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
async def shop(
    request: pytest.FixtureRequest, make_database
) -> AsyncIterator[tuple[AsyncTestClient, Settings]]:
    url = await make_database(request.param)
    settings = load_settings({"DATABASE_URL": url, "BCRYPT_ROUNDS": "4"}, dotenv=Path(os.devnull))
    container = build_container(settings)
    await container.import_catalog()([(i + 2, row) for i, row in enumerate(CATALOG)])
    await close_container(container)
    async with AsyncTestClient(app=create_app(settings)) as client:
        yield client, settings


async def token_for(client: AsyncTestClient, settings: Settings, name: str, admin: bool) -> str:
    await client.post("/api/auth/signup", json={"username": name, "password": PASSWORD})
    if admin:
        # As `ecomsearch user create-admin` does: its own container, its own connections.
        granting = build_container(settings)
        try:
            assert await granting.users().set_admin(name, True) is not None
        finally:
            await close_container(granting)
    response = await client.post("/api/auth/login", json={"username": name, "password": PASSWORD})
    assert response.status_code == 200, response.text
    client.cookies.clear()  # requests below authenticate by bearer token, or not at all
    return str(response.json()["token"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def search_skus(client: AsyncTestClient, q: str) -> list[str]:
    return [item["sku"] for item in (await client.get("/api/search", params={"q": q})).json()["items"]]


async def test_admin_creates_updates_and_deletes_and_search_follows(shop) -> None:
    client, settings = shop
    admin = bearer(await token_for(client, settings, "boss", admin=True))
    body = {
        "sku": "NEW-1",
        "title": "Glacier Thermos Flask",
        "price": 31.5,
        "category": "Cookware",
        "volume": "1l",
    }
    created = await client.post("/api/admin/products", json=body, headers=admin)
    assert created.status_code == 201, created.text
    assert created.json()["attributes"] == {"volume": "1l"}
    assert await search_skus(client, "thermos") == ["NEW-1"]
    assert_error(await client.post("/api/admin/products", json=body, headers=admin), 409, "sku")
    changed = await client.put(
        "/api/admin/products/NEW-1", json={"title": "Glacier Vacuum Bottle"}, headers=admin
    )
    assert changed.status_code == 200 and changed.json()["price"] == 31.5
    assert await search_skus(client, "thermos") == []
    assert await search_skus(client, "vacuum bottle") == ["NEW-1"]
    assert (await client.delete("/api/admin/products/NEW-1", headers=admin)).status_code == 204
    assert await search_skus(client, "vacuum bottle") == []
    assert_error(await client.get("/api/products/NEW-1"), 404)
    assert_error(await client.delete("/api/admin/products/NEW-1", headers=admin), 404)


async def test_shoppers_and_anonymous_visitors_are_refused(shop) -> None:
    client, settings = shop
    shopper = bearer(await token_for(client, settings, "shopper_a", admin=False))
    body = {"sku": "X-1", "title": "Sneaky", "price": 1}
    assert_error(await client.post("/api/admin/products", json=body), 401)
    assert_error(await client.post("/api/admin/products", json=body, headers=shopper), 403)
    assert_error(await client.put("/api/admin/products/HP-001", json={"price": 1}, headers=shopper), 403)
    assert_error(await client.delete("/api/admin/products/HP-001", headers=shopper), 403)
    assert (await client.get("/api/products/HP-001")).json()["price"] == 89.99
    assert_error(await client.get("/api/products/X-1"), 404)


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "field"),
    [
        ("post", "/api/admin/products", {"sku": "B-1", "title": "No price"}, 400, "price"),
        ("post", "/api/admin/products", {"sku": "B-2", "title": "Negative", "price": -1}, 400, "price"),
        ("post", "/api/admin/products", {"sku": "bad/sku", "title": "Slash", "price": 1}, 400, "sku"),
        ("post", "/api/admin/products", [1, 2], 400, None),
        ("put", "/api/admin/products/HP-001", {"rating": 7}, 400, "rating"),
        ("put", "/api/admin/products/HP-001", {"sku": "HP-999"}, 400, "sku"),
        ("put", "/api/admin/products/NOPE", {"price": 3}, 404, None),
    ],
)
async def test_bad_admin_input_is_refused_and_changes_nothing(
    shop, method, path, body, status, field
) -> None:
    client, settings = shop
    admin = bearer(
        await token_for(client, settings, f"boss_{method}_{status}_{abs(hash(str(body))) % 10_000}", True)
    )
    before = (await client.get("/api/products/HP-001")).json()
    response = await getattr(client, method)(path, json=body, headers=admin)
    assert_error(response, status, field)
    assert (await client.get("/api/products/HP-001")).json() == before
    assert_error(await client.get("/api/products/B-1"), 404)
