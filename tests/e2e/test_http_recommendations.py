"""Recently viewed and recommended products end to end."""

from collections.abc import AsyncIterator

import pytest
from litestar.testing import AsyncTestClient

from entrypoints.settings import Settings
from tests.e2e.shop import open_shop, shopper
from tests.e2e.test_http_search import assert_error
from tests.fixtures.catalog import CATALOG


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
async def shop(
    request: pytest.FixtureRequest, make_database
) -> AsyncIterator[tuple[AsyncTestClient, Settings]]:
    async for opened in open_shop(make_database, request.param):
        yield opened


def skus(products: list[dict]) -> list[str]:
    return [p["sku"] for p in products]


POPULAR = [r["sku"] for r in sorted(CATALOG, key=lambda r: (-float(r["popularity"]), -float(r["rating"])))]


async def test_anonymous_visitors_and_new_users_get_popular_products(shop) -> None:
    client, _ = shop
    client.cookies.clear()
    anonymous = await client.get("/api/recommendations", params={"limit": 5})
    assert anonymous.status_code == 200
    assert anonymous.json()["recently_viewed"] == []
    assert skus(anonymous.json()["recommended"]) == POPULAR[:5]
    assert set(anonymous.json()["recommended"][0]) >= {"sku", "title", "price", "rating", "category"}
    me = await shopper(client, "rec_new")
    fresh = (await client.get("/api/recommendations", headers=me)).json()
    assert fresh["recently_viewed"] == [] and skus(fresh["recommended"]) == POPULAR[:10]


async def test_views_are_remembered_newest_first_without_duplicates(shop) -> None:
    client, _ = shop
    me = await shopper(client, "rec_viewer")
    for sku in ("HP-002", "CM-001", "HP-002", "LP-002"):
        assert (await client.get(f"/api/products/{sku}", headers=me)).status_code == 200
    assert_error(await client.get("/api/products/NOPE", headers=me), 404)
    answer = (await client.get("/api/recommendations", params={"limit": 3}, headers=me)).json()
    assert skus(answer["recently_viewed"]) == ["LP-002", "HP-002", "CM-001"]
    two = (await client.get("/api/recommendations", params={"limit": 2}, headers=me)).json()
    assert skus(two["recently_viewed"]) == ["LP-002", "HP-002"]
    client.cookies.clear()
    anonymous_view = await client.get("/api/products/SH-001")  # not remembered for anyone
    assert anonymous_view.status_code == 200


async def test_recommendations_follow_interests_and_skip_cart_and_recent(shop) -> None:
    client, _ = shop
    me = await shopper(client, "rec_runner")
    await client.get("/api/products/SH-003", headers=me)
    await client.post("/api/cart/items", json={"sku": "SH-001", "quantity": 1}, headers=me)
    await client.put("/api/products/CM-002/reviews", json={"rating": 5}, headers=me)
    answer = (await client.get("/api/recommendations", params={"limit": 4}, headers=me)).json()
    assert skus(answer["recently_viewed"]) == ["SH-003"]
    picked = skus(answer["recommended"])
    assert len(picked) == 4 and len(set(picked)) == 4
    assert not {"SH-003", "SH-001", "CM-002"} & set(picked)  # viewed, carted, reviewed
    categories = [p["category"] for p in answer["recommended"]]
    # Round-robin: the two liked categories first (shoes weigh more: viewed and carted), then the rest.
    assert categories[:2] == ["Running Shoes", "Coffee Makers"]
    assert picked[0] == "SH-002"
    assert picked[1] == "CM-001"  # Brewster, the brand reviewed well, before Kettleworks


@pytest.mark.parametrize("limit", ["0", "51", "-3", "ten"])
async def test_bad_limits_are_refused(shop, limit) -> None:
    client, _ = shop
    assert_error(await client.get("/api/recommendations", params={"limit": limit}), 400, "limit")


async def test_view_and_click_events_of_a_user_count_as_viewed(shop) -> None:
    # Last in the module: the clicks move popularity, which the tests above order by.
    client, _ = shop
    me = await shopper(client, "rec_eventer")

    async def event(kind: str, sku: str, headers: dict[str, str]) -> int:
        return (
            await client.post("/api/events", json={"type": kind, "sku": sku}, headers=headers)
        ).status_code

    for kind, sku in [("view", "YG-001"), ("click", "BP-001"), ("view", "KT-002"), ("click", "YG-001")]:
        assert await event(kind, sku, me) == 202
    assert await event("add_to_cart", "KT-003", me) == 202  # not a view
    assert await event("view", "NO-SUCH", me) == 404
    assert (await client.get("/api/products/CB-001", headers=me)).status_code == 200
    answer = (await client.get("/api/recommendations", headers=me)).json()
    assert skus(answer["recently_viewed"]) == ["CB-001", "YG-001", "KT-002", "BP-001"]
    assert await event("click", "KT-002", me) == 202
    answer = (await client.get("/api/recommendations", params={"limit": 2}, headers=me)).json()
    assert skus(answer["recently_viewed"]) == ["KT-002", "CB-001"]
    # Anonymous events are remembered for nobody.
    client.cookies.clear()
    assert await event("view", "YG-002", {}) == 202
    assert await event("click", "CB-002", {}) == 202
    assert (await client.get("/api/recommendations")).json()["recently_viewed"] == []
    other = await shopper(client, "rec_quiet")
    assert (await client.get("/api/recommendations", headers=other)).json()["recently_viewed"] == []
    mine = (await client.get("/api/recommendations", headers=me)).json()
    assert skus(mine["recently_viewed"]) == ["KT-002", "CB-001", "YG-001", "BP-001"]
