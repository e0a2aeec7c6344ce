"""Cart endpoints end to end: exact totals, limits, 401/404/400 changing nothing, CSRF, persistence."""

import asyncio
from collections.abc import AsyncIterator

import pytest
from litestar.testing import AsyncTestClient

from entrypoints.container import build_container, close_container
from entrypoints.settings import Settings
from tests.e2e.shop import PASSWORD, open_shop, shopper
from tests.e2e.test_http_search import assert_error
from tests.fixtures.actors import TEST_ACTOR


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
async def shop(
    request: pytest.FixtureRequest, make_database
) -> AsyncIterator[tuple[AsyncTestClient, Settings]]:
    async for opened in open_shop(make_database, request.param):
        yield opened


def lines(cart: dict) -> dict[str, int]:
    return {item["sku"]: item["quantity"] for item in cart["items"]}


async def test_add_set_remove_and_clear_with_exact_totals(shop) -> None:
    client, _ = shop
    me = await shopper(client, "cart_basic")
    empty = await client.get("/api/cart", headers=me)
    assert empty.status_code == 200
    assert empty.json() == {"items": [], "total_items": 0, "total_price": 0.0}
    added = await client.post("/api/cart/items", json={"sku": "HP-004", "quantity": 3}, headers=me)
    assert added.status_code == 200, added.text
    assert added.json()["items"] == [
        {
            "sku": "HP-004",
            "title": added.json()["items"][0]["title"],
            "price": 19.99,
            "quantity": 3,
            "line_total": 59.97,
        }
    ]
    again = await client.post("/api/cart/items", json={"sku": "HP-004", "quantity": 2}, headers=me)
    assert lines(again.json()) == {"HP-004": 5}
    await client.post("/api/cart/items", json={"sku": "CB-002", "quantity": 1}, headers=me)
    cart = (await client.post("/api/cart/items", json={"sku": "HP-002", "quantity": 1}, headers=me)).json()
    # 5 x 19.99 + 9.00 + 39.50: exact, not 147.45000000000002
    assert cart["total_items"] == 7 and cart["total_price"] == 148.45
    set_to = await client.put("/api/cart/items/HP-004", json={"quantity": 1}, headers=me)
    assert set_to.status_code == 200 and lines(set_to.json()) == {"HP-004": 1, "CB-002": 1, "HP-002": 1}
    zero = await client.put("/api/cart/items/CB-002", json={"quantity": 0}, headers=me)
    assert lines(zero.json()) == {"HP-004": 1, "HP-002": 1}
    removed = await client.delete("/api/cart/items/HP-002", headers=me)
    assert removed.status_code == 200 and lines(removed.json()) == {"HP-004": 1}
    cleared = await client.delete("/api/cart", headers=me)
    assert cleared.status_code == 200 and cleared.json()["items"] == [] and cleared.json()["total_price"] == 0


async def test_anonymous_visitors_get_401_everywhere(shop) -> None:
    client, _ = shop
    client.cookies.clear()
    assert_error(await client.get("/api/cart"), 401)
    assert_error(await client.post("/api/cart/items", json={"sku": "HP-001", "quantity": 1}), 401)
    assert_error(await client.put("/api/cart/items/HP-001", json={"quantity": 1}), 401)
    assert_error(await client.delete("/api/cart/items/HP-001"), 401)
    assert_error(await client.delete("/api/cart"), 401)


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "field"),
    [
        ("post", "/api/cart/items", {"sku": "NOPE", "quantity": 1}, 404, None),
        ("put", "/api/cart/items/NOPE", {"quantity": 1}, 404, None),
        ("delete", "/api/cart/items/NOPE", None, 404, None),
        ("post", "/api/cart/items", {"sku": "HP-001", "quantity": 0}, 400, "quantity"),
        ("post", "/api/cart/items", {"sku": "HP-001", "quantity": 100}, 400, "quantity"),
        ("post", "/api/cart/items", {"sku": "HP-001", "quantity": -1}, 400, "quantity"),
        ("post", "/api/cart/items", {"sku": "HP-001", "quantity": "two"}, 400, "quantity"),
        ("post", "/api/cart/items", {"sku": "HP-001", "quantity": 1.5}, 400, "quantity"),
        ("post", "/api/cart/items", {"quantity": 1}, 400, "sku"),
        ("put", "/api/cart/items/HP-001", {"quantity": 100}, 400, "quantity"),
        ("put", "/api/cart/items/HP-001", {"quantity": -2}, 400, "quantity"),
        ("put", "/api/cart/items/HP-001", {}, 400, "quantity"),
    ],
)
async def test_bad_requests_change_nothing(shop, method, path, body, status, field) -> None:
    client, _ = shop
    me = await shopper(client, f"cart_bad_{method}_{status}_{abs(hash(str((path, body)))) % 100_000}")
    await client.post("/api/cart/items", json={"sku": "HP-001", "quantity": 2}, headers=me)
    before = (await client.get("/api/cart", headers=me)).json()
    kwargs = {"headers": me} if body is None else {"headers": me, "json": body}
    assert_error(await getattr(client, method)(path, **kwargs), status, field)
    assert (await client.get("/api/cart", headers=me)).json() == before


async def test_adding_past_99_is_refused_with_a_clear_message(shop) -> None:
    client, _ = shop
    me = await shopper(client, "cart_cap")
    await client.post("/api/cart/items", json={"sku": "CB-001", "quantity": 95}, headers=me)
    refused = await client.post("/api/cart/items", json={"sku": "CB-001", "quantity": 5}, headers=me)
    body = assert_error(refused, 400, "quantity")
    assert "99" in body["error"]["message"] and "4 more" in body["error"]["message"]
    assert lines((await client.get("/api/cart", headers=me)).json()) == {"CB-001": 95}
    filled = await client.post("/api/cart/items", json={"sku": "CB-001", "quantity": 4}, headers=me)
    assert lines(filled.json()) == {"CB-001": 99}


async def test_cookie_requests_need_csrf_and_the_cart_survives_logout(shop) -> None:
    client, _ = shop
    client.cookies.clear()
    signup = await client.post("/api/auth/signup", json={"username": "cart_cookie", "password": PASSWORD})
    assert signup.status_code == 201
    csrf = client.cookies.get("csrftoken")
    assert csrf
    assert_error(await client.post("/api/cart/items", json={"sku": "YG-001", "quantity": 2}), 403)
    assert_error(await client.delete("/api/cart"), 403)
    assert (await client.get("/api/cart")).json()["items"] == []
    ok = await client.post(
        "/api/cart/items", json={"sku": "YG-001", "quantity": 2}, headers={"X-CSRF-Token": csrf}
    )
    assert ok.status_code == 200 and lines(ok.json()) == {"YG-001": 2}
    assert (await client.post("/api/auth/logout", headers={"X-CSRF-Token": csrf})).status_code == 204
    assert_error(await client.get("/api/cart"), 401)
    login = await client.post("/api/auth/login", json={"username": "cart_cookie", "password": PASSWORD})
    assert login.status_code == 200
    assert lines((await client.get("/api/cart")).json()) == {"YG-001": 2}
    client.cookies.clear()


async def test_a_deleted_product_leaves_the_cart(shop) -> None:
    client, settings = shop
    me = await shopper(client, "cart_deleted")
    await client.post("/api/cart/items", json={"sku": "SH-003", "quantity": 1}, headers=me)
    await client.post("/api/cart/items", json={"sku": "KT-003", "quantity": 2}, headers=me)
    admin_side = build_container(settings)
    try:
        await admin_side.delete_product()("KT-003", actor=TEST_ACTOR)
    finally:
        await close_container(admin_side)
    cart = (await client.get("/api/cart", headers=me)).json()
    assert lines(cart) == {"SH-003": 1} and cart["total_price"] == 99.0


async def test_simultaneous_first_adds_lose_nothing(shop) -> None:
    client, _ = shop
    me = await shopper(client, "cart_race")
    answers = await asyncio.gather(
        *(client.post("/api/cart/items", json={"sku": "BP-001", "quantity": 3}, headers=me) for _ in range(8))
    )
    assert [a.status_code for a in answers] == [200] * 8, [a.text for a in answers]
    assert lines((await client.get("/api/cart", headers=me)).json()) == {"BP-001": 24}
