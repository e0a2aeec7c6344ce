"""Review endpoints end to end: one review per user, the product's rating follows, bad input changes nothing."""

from collections.abc import AsyncIterator

import pytest
from litestar.testing import AsyncTestClient

from entrypoints.container import build_container, close_container
from entrypoints.settings import Settings
from tests.e2e.shop import PASSWORD, open_shop, shopper
from tests.e2e.test_http_search import assert_error
from tests.fixtures.actors import TEST_ACTOR
from tests.fixtures.catalog import CATALOG


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
async def shop(
    request: pytest.FixtureRequest, make_database
) -> AsyncIterator[tuple[AsyncTestClient, Settings]]:
    async for opened in open_shop(make_database, request.param):
        yield opened


async def product(client: AsyncTestClient, sku: str) -> dict:
    return (await client.get(f"/api/products/{sku}")).json()


async def test_reviews_move_the_products_rating_and_count(shop) -> None:
    client, _ = shop
    ann, bob = await shopper(client, "rev_ann"), await shopper(client, "rev_bob")
    # CM-003: imported 4.8 from 75 reviews.
    written = await client.put(
        "/api/products/CM-003/reviews", json={"rating": 1, "comment": " Leaks. "}, headers=ann
    )
    assert written.status_code == 200, written.text
    assert {k: written.json()[k] for k in ("username", "rating", "comment")} == {
        "username": "rev_ann",
        "rating": 1,
        "comment": "Leaks.",
    }
    shown = await product(client, "CM-003")
    assert shown["review_count"] == 76 and shown["rating"] == round((4.8 * 75 + 1) / 76, 2)
    await client.put("/api/products/CM-003/reviews", json={"rating": 5}, headers=bob)
    replaced = await client.put(
        "/api/products/CM-003/reviews", json={"rating": 3, "comment": "ok"}, headers=ann
    )
    assert replaced.json()["created_at"] == written.json()["created_at"]
    shown = await product(client, "CM-003")
    assert shown["review_count"] == 77 and shown["rating"] == round((4.8 * 75 + 3 + 5) / 77, 2)
    listed = (await client.get("/api/products/CM-003/reviews", headers=ann)).json()
    assert listed["total"] == 2 and listed["average"] == 4.0
    assert [r["username"] for r in listed["reviews"]] == ["rev_ann", "rev_bob"]  # newest first
    assert (await client.delete("/api/products/CM-003/reviews", headers=ann)).status_code == 204
    assert_error(await client.delete("/api/products/CM-003/reviews", headers=ann), 404)
    await client.delete("/api/products/CM-003/reviews", headers=bob)
    shown = await product(client, "CM-003")
    assert shown["review_count"] == 75 and shown["rating"] == 4.8
    # Search sorts by the stored rating: it sees the blend too.
    assert (await client.get("/api/products/CM-003/reviews", headers=ann)).json() == {
        "reviews": [],
        "total": 0,
        "average": None,
    }


async def test_search_sees_the_blended_rating(shop) -> None:
    client, _ = shop
    users = [await shopper(client, f"rev_many_{i}") for i in range(3)]
    for headers in users:
        await client.put("/api/products/YG-002/reviews", json={"rating": 1}, headers=headers)
    rating = (await product(client, "YG-002"))["rating"]
    assert rating == round((4.4 * 120 + 3) / 123, 2)
    found = (await client.get("/api/search", params={"q": "", "category": "Yoga Mats"})).json()["items"]
    assert {i["sku"]: i["rating"] for i in found}["YG-002"] == rating


async def test_anonymous_visitors_and_unknown_products(shop) -> None:
    client, _ = shop
    me = await shopper(client, "rev_anon_check")
    client.cookies.clear()
    assert_error(await client.get("/api/products/HP-001/reviews"), 401)
    assert_error(await client.put("/api/products/HP-001/reviews", json={"rating": 5}), 401)
    assert_error(await client.delete("/api/products/HP-001/reviews"), 401)
    assert_error(await client.get("/api/products/NOPE/reviews", headers=me), 404)
    assert_error(await client.put("/api/products/NOPE/reviews", json={"rating": 5}, headers=me), 404)
    assert_error(await client.delete("/api/products/NOPE/reviews", headers=me), 404)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"rating": 0}, "rating"),
        ({"rating": 6}, "rating"),
        ({"rating": 4.5}, "rating"),
        ({"comment": "no rating"}, "rating"),
        ({"rating": 4, "comment": "x" * 2001}, "comment"),
        ({"rating": 4, "comment": 12}, "comment"),
        ({"rating": 4, "comment": "bell\x07"}, "comment"),
    ],
)
async def test_bad_reviews_are_refused_and_change_nothing(shop, body, field) -> None:
    client, _ = shop
    me = await shopper(client, f"rev_bad_{abs(hash(str(body))) % 100_000}")
    before = await product(client, "HP-003")
    assert_error(await client.put("/api/products/HP-003/reviews", json=body, headers=me), 400, field)
    assert await product(client, "HP-003") == before
    assert (await client.get("/api/products/HP-003/reviews", headers=me)).json()["total"] == 0


async def test_a_2000_character_comment_is_accepted(shop) -> None:
    client, _ = shop
    me = await shopper(client, "rev_long")
    answer = await client.put(
        "/api/products/BP-001/reviews", json={"rating": 4, "comment": "y" * 2000}, headers=me
    )
    assert answer.status_code == 200 and len(answer.json()["comment"]) == 2000
    await client.delete("/api/products/BP-001/reviews", headers=me)


async def test_cookie_review_writes_need_csrf(shop) -> None:
    client, _ = shop
    client.cookies.clear()
    await client.post("/api/auth/signup", json={"username": "rev_cookie", "password": PASSWORD})
    csrf = client.cookies.get("csrftoken")
    assert_error(await client.put("/api/products/LP-001/reviews", json={"rating": 2}), 403)
    assert (await client.get("/api/products/LP-001/reviews")).json()["total"] == 0
    ok = await client.put("/api/products/LP-001/reviews", json={"rating": 2}, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 200
    assert_error(await client.delete("/api/products/LP-001/reviews"), 403)
    assert (
        await client.delete("/api/products/LP-001/reviews", headers={"X-CSRF-Token": csrf})
    ).status_code == 204
    client.cookies.clear()


async def test_admin_edits_and_reimport_keep_users_reviews_in_the_blend(shop) -> None:
    client, settings = shop
    me = await shopper(client, "rev_blend")
    await client.put("/api/products/KT-001/reviews", json={"rating": 1}, headers=me)
    expected = round((4.5 * 330 + 1) / 331, 2)
    assert (await product(client, "KT-001"))["rating"] == expected
    admin_side = build_container(settings)
    try:
        # An edit of other fields starts from the catalog's own figures, not the shown blend.
        await admin_side.update_product()(
            "KT-001", {"title": "Forge Cast Iron Skillet 26cm"}, actor=TEST_ACTOR
        )
        assert (await product(client, "KT-001"))["rating"] == expected
        edited = await admin_side.update_product()(
            "KT-001", {"rating": 2.0, "review_count": 9}, actor=TEST_ACTOR
        )
        assert (edited.rating, edited.review_count) == (round((2.0 * 9 + 1) / 10, 2), 10)
        row = next(r for r in CATALOG if r["sku"] == "KT-001")
        await admin_side.import_catalog()([(2, row)])
    finally:
        await close_container(admin_side)
    shown = await product(client, "KT-001")
    assert (shown["rating"], shown["review_count"]) == (expected, 331)
    assert (await client.get("/api/products/KT-001/reviews", headers=me)).json()["total"] == 1
