"""A shopper's sessions, data export and account deletion over HTTP, on SQLite and PostgreSQL."""

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest
from litestar.testing import AsyncTestClient

from adapters.sql.analytics_rollup import SqlAnalyticsRollup
from adapters.sql.engine import make_engine
from entrypoints.container import build_container, close_container
from entrypoints.settings import Settings
from tests.e2e.shop import PASSWORD, open_shop
from tests.e2e.test_http_search import assert_error
from tests.fixtures.actors import TEST_ACTOR
from tests.integration.traces import traces_of

SESSION_FIELDS = {"id", "created_at", "last_used_at", "address", "user_agent", "current"}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
async def shop(
    request: pytest.FixtureRequest, make_database
) -> AsyncIterator[tuple[AsyncTestClient, Settings]]:
    async for opened in open_shop(make_database, request.param):
        yield opened


async def join(client: AsyncTestClient, name: str, agent: str = "Agent/1", email: str | None = None) -> dict:
    body = {"username": name, "password": PASSWORD} | ({"email": email} if email else {})
    response = await client.post("/api/auth/signup", json=body, headers={"User-Agent": agent})
    assert response.status_code == 201, response.text
    client.cookies.clear()
    return {"Authorization": f"Bearer {response.json()['token']}"}


async def login(client: AsyncTestClient, name: str, agent: str) -> dict:
    response = await client.post(
        "/api/auth/login", json={"username": name, "password": PASSWORD}, headers={"User-Agent": agent}
    )
    assert response.status_code == 200, response.text
    client.cookies.clear()
    return {"Authorization": f"Bearer {response.json()['token']}"}


def expired(response) -> set[str]:
    """The names of the cookies the response expires."""
    return {c.split("=")[0] for c in response.headers.get_list("set-cookie") if "Max-Age=0" in c}


async def listed(client: AsyncTestClient, me: dict) -> list[dict]:
    response = await client.get("/api/auth/sessions", headers=me)
    assert response.status_code == 200, response.text
    return response.json()["sessions"]


async def test_sessions_list_newest_first_with_details_and_current(shop) -> None:
    client, _ = shop
    laptop = await join(client, "sess_ann", agent="Laptop/1 " + "x" * 400)
    phone = await login(client, "sess_ann", agent="Phone/2")
    sessions = await listed(client, laptop)
    assert [set(s) for s in sessions] == [SESSION_FIELDS, SESSION_FIELDS]
    assert [s["user_agent"][:7] for s in sessions] == ["Phone/2", "Laptop/"]
    assert len(sessions[1]["user_agent"]) == 300  # truncated
    assert [s["current"] for s in sessions] == [False, True]
    assert all(s["address"] for s in sessions)
    assert [s["current"] for s in await listed(client, phone)] == [True, False]
    token = laptop["Authorization"].split()[1]
    assert all(token not in s["id"] and len(s["id"]) >= 22 for s in sessions)


async def test_ending_another_session_works_at_once_and_only_on_your_own(shop) -> None:
    client, _ = shop
    mine = await join(client, "sess_bob")
    other_device = await login(client, "sess_bob", agent="Other/1")
    eve = await join(client, "sess_eve")
    assert (await client.get("/api/auth/me", headers=other_device)).status_code == 200  # now cached
    other_id = next(s["id"] for s in await listed(client, mine) if not s["current"])
    eve_id = (await listed(client, eve))[0]["id"]
    # Another user's session and an unknown id answer alike, and change nothing.
    assert (
        assert_error(await client.delete(f"/api/auth/sessions/{eve_id}", headers=mine), 404)["error"]["code"]
        == "session_not_found"
    )
    assert_error(await client.delete("/api/auth/sessions/no-such-session", headers=mine), 404)
    assert (await client.get("/api/auth/me", headers=eve)).status_code == 200
    assert (await client.delete(f"/api/auth/sessions/{other_id}", headers=mine)).status_code == 204
    assert_error(await client.get("/api/auth/me", headers=other_device), 401)
    assert_error(await client.delete(f"/api/auth/sessions/{other_id}", headers=mine), 404)
    assert [s["current"] for s in await listed(client, mine)] == [True]


async def test_logout_everywhere_ends_every_session_and_expires_cookies(shop) -> None:
    client, _ = shop
    one = await join(client, "sess_cat")
    two = await login(client, "sess_cat", agent="Two/1")
    response = await client.post("/api/auth/logout-everywhere", headers=one)
    assert response.status_code == 204
    assert expired(response) == {"session", "csrftoken"}
    for headers in (one, two):
        assert_error(await client.get("/api/auth/me", headers=headers), 401)
    assert (
        await client.post("/api/auth/login", json={"username": "sess_cat", "password": PASSWORD})
    ).status_code == 200
    client.cookies.clear()


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/auth/sessions", None),
        ("DELETE", "/api/auth/sessions/abc", None),
        ("POST", "/api/auth/logout-everywhere", None),
        ("GET", "/api/account/export", None),
        ("DELETE", "/api/account", {"password": PASSWORD}),
    ],
)
async def test_anonymous_visitors_get_401(shop, method: str, path: str, body: dict | None) -> None:
    client, _ = shop
    assert_error(await client.request(method, path, json=body), 401)


async def shop_a_little(client: AsyncTestClient, me: dict) -> None:
    found = (await client.get("/api/search", params={"q": "headphones"}, headers=me)).json()
    click = {
        "type": "click",
        "sku": "HP-001",
        "search_id": found["search_id"],
        "position": 1,
        "query": "headphones",
    }
    assert (await client.post("/api/events", json=click, headers=me)).status_code == 202
    assert (
        await client.post("/api/events", json={"type": "add_to_cart", "sku": "HP-001"}, headers=me)
    ).status_code == 202
    assert (await client.get("/api/products/CM-003", headers=me)).status_code == 200
    assert (
        await client.post("/api/events", json={"type": "view", "sku": "CM-003"}, headers=me)
    ).status_code == 202
    assert (
        await client.post("/api/cart/items", json={"sku": "HP-001", "quantity": 2}, headers=me)
    ).status_code == 200
    review = {"rating": 1, "comment": "mine, all mine"}
    assert (await client.put("/api/products/CM-003/reviews", json=review, headers=me)).status_code == 200


async def test_export_holds_the_shoppers_data_as_a_download(shop) -> None:
    client, _ = shop
    me = await join(client, "exp_dan", email="dan@example.com")
    await shop_a_little(client, me)
    other = await join(client, "exp_other")
    await client.post("/api/events", json={"type": "view", "sku": "HP-002"}, headers=other)
    response = await client.get("/api/account/export", headers=me)
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"] == 'attachment; filename="ecomsearch-export-exp_dan.json"'
    data = response.json()
    assert set(data) == {"profile", "cart", "reviews", "events", "recently_viewed", "sessions"}
    assert (data["profile"]["username"], data["profile"]["email"]) == ("exp_dan", "dan@example.com")
    assert {"created_at", "is_admin", "group"} <= set(data["profile"])
    assert data["cart"] == [{"sku": "HP-001", "quantity": 2}]
    assert [(r["sku"], r["rating"], r["comment"]) for r in data["reviews"]] == [
        ("CM-003", 1, "mine, all mine")
    ]
    assert [(e["type"], e["sku"]) for e in data["events"]] == [
        ("click", "HP-001"),
        ("add_to_cart", "HP-001"),
        ("view", "CM-003"),
    ]
    assert (data["events"][0]["query"], data["events"][0]["position"]) == ("headphones", 1)
    assert set(data["events"][0]) == {"type", "sku", "query", "position", "at"}
    assert "CM-003" in [v["sku"] for v in data["recently_viewed"]]
    assert [s["current"] for s in data["sessions"]] == [True]


async def rolled_totals(url: str) -> dict:
    engine = make_engine(url)
    rollup = SqlAnalyticsRollup(engine)
    today = datetime.now(UTC).date()
    await rollup.rollup_day(today)
    totals = await rollup.totals(date(2000, 1, 1))
    await engine.dispose()
    return {arm: t for arm, t in totals.items()}


async def test_deleting_the_account_leaves_no_trace_and_keeps_counts(shop) -> None:
    client, settings = shop
    me = await join(client, "del_erin", email="erin@example.com")
    await shop_a_little(client, me)
    second = await login(client, "del_erin", agent="Second/1")
    user_id = (await client.get("/api/auth/me", headers=me)).json()["user"]["id"]
    before = await rolled_totals(settings.database_url)
    assert sum(t.clicks for t in before.values()) >= 1 and sum(t.impressions for t in before.values()) >= 1
    needles = ["del_erin", "erin@example.com", f"user:{user_id}"]
    assert {
        "users.username",
        "users.email",
        "auth_sessions.user_id",
        "events.visitor_id",
        "impressions.visitor_id",
        "cart_items.user_id",
        "cart_events.user_id",
        "reviews.user_id",
        "product_views.user_id",
        "popularity_marks.visitor_key",
        "analytics_visitors.visitor_id",
    } <= set(await traces_of(settings.database_url, user_id, needles))
    rating_before = (await client.get("/api/products/CM-003")).json()
    # Missing, empty and wrong passwords change nothing.
    assert_error(await client.request("DELETE", "/api/account", json={}, headers=me), 400)
    assert_error(
        await client.request("DELETE", "/api/account", json={"password": ""}, headers=me), 400, "password"
    )
    assert_error(
        await client.request("DELETE", "/api/account", json={"password": "not it at all"}, headers=me),
        400,
        "password",
    )
    assert (await client.get("/api/auth/me", headers=me)).status_code == 200
    response = await client.request("DELETE", "/api/account", json={"password": PASSWORD}, headers=me)
    assert response.status_code == 204, response.text
    assert expired(response) == {"session", "csrftoken"}
    for headers in (me, second):
        assert_error(await client.get("/api/auth/me", headers=headers), 401)
    assert_error(
        await client.post("/api/auth/login", json={"username": "del_erin", "password": PASSWORD}), 401
    )
    rating_after = (await client.get("/api/products/CM-003")).json()
    assert rating_after["review_count"] == rating_before["review_count"] - 1
    assert rating_after["popularity"] == rating_before["popularity"]  # popularity keeps its counts
    assert (
        await traces_of(settings.database_url, user_id, ["del_erin", "erin@example.com", f"user:{user_id}"])
        == []
    )
    assert await rolled_totals(settings.database_url) == before  # the day rebuilt from the pseudonymised log
    # The name is free again.
    await join(client, "del_erin")


async def test_wrong_passwords_are_rate_limited_like_password_changes(shop) -> None:
    client, _ = shop
    me = await join(client, "del_fay")
    for _ in range(5):
        assert_error(
            await client.request("DELETE", "/api/account", json={"password": "guess guess"}, headers=me), 400
        )
    limited = await client.request("DELETE", "/api/account", json={"password": PASSWORD}, headers=me)
    assert_error(limited, 429)
    assert int(limited.headers["retry-after"]) > 0
    assert (await client.get("/api/auth/me", headers=me)).status_code == 200


async def test_the_last_administrator_cannot_delete_their_account(shop) -> None:
    client, settings = shop
    boss = await join(client, "del_boss")
    container = build_container(settings)
    await container.grant_admin()("del_boss", actor=TEST_ACTOR)
    refused = await client.request("DELETE", "/api/account", json={"password": PASSWORD}, headers=boss)
    assert assert_error(refused, 409)["error"]["code"] == "last_admin"
    await container.grant_admin()("del_erin", actor=TEST_ACTOR)  # another administrator: now the first may go
    await close_container(container)
    assert (
        await client.request("DELETE", "/api/account", json={"password": PASSWORD}, headers=boss)
    ).status_code == 204
