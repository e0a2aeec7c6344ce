"""API keys over HTTP on both databases (PostgreSQL with Redis, SQLite with the in-process
cache): created once-shown and stored hashed, listed without secrets, scoped, limited, audited,
revoked and expired keys refused at the next request, events reported for a shopper."""

import asyncio
import hashlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import create_async_engine

from domain.experiments.assignment import anonymous_visitor_id, assign_arm, user_visitor_id
from entrypoints.container import build_container
from entrypoints.http.app import create_app
from entrypoints.settings import Settings
from tests.conftest import REDIS_URL
from tests.e2e.api_keys import as_bearer, error_code, make_key, with_key
from tests.e2e.shop import open_shop, shopper
from tests.e2e.test_http_admin_products import bearer, token_for
from tests.e2e.test_http_search import assert_error

BASE = "/api/admin/api-keys"
ANON_ID = "shopperCookie_0123456789abcdef"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
async def shop(
    request: pytest.FixtureRequest, make_database
) -> AsyncIterator[tuple[AsyncTestClient, Settings]]:
    env = {"API_KEY_RATE_LIMIT": "40", "EVENT_RATE_LIMIT": "0"}
    if request.param == "postgresql":
        env["REDIS_URL"] = REDIS_URL  # key records cached in Redis, shared by processes
    async for opened in open_shop(make_database, request.param, env=env):
        yield opened


@pytest.fixture(scope="module")
async def admin(shop) -> dict[str, str]:
    client, settings = shop
    return bearer(await token_for(client, settings, "keymaster", admin=True))


async def rows(settings: Settings, statement: str) -> list[sa.Row]:
    engine = create_async_engine(settings.database_url)
    try:
        async with engine.connect() as db:
            return list(await db.execute(sa.text(statement)))
    finally:
        await engine.dispose()


async def test_the_secret_is_shown_once_and_stored_only_as_its_hash(shop, admin) -> None:
    client, settings = shop
    created = await make_key(client, admin, "search", "catalog:write", description="ERP sync")
    secret = created["secret"]
    mark, prefix, raw = secret[:4], secret[4:16], secret[17:]
    assert mark == "esk_" and prefix == created["prefix"] and len(raw) == 43
    assert created["scopes"] == ["search", "catalog:write"] and created["created_by"] == "keymaster"
    stored = (await rows(settings, f"SELECT * FROM api_keys WHERE prefix = '{prefix}'"))[0]._mapping
    assert stored["secret_hash"] == hashlib.sha256(raw.encode()).hexdigest()
    assert all(raw not in str(value) for value in stored.values())
    listed = (await client.get(BASE, headers=admin)).json()["api_keys"]
    mine = next(k for k in listed if k["id"] == created["id"])
    assert "secret" not in mine and "secret_hash" not in mine
    assert raw not in (await client.get(BASE, headers=admin)).text
    assert {"id", "prefix", "description", "scopes", "created_at", "last_used_at", "expires_at"} <= set(mine)


async def test_a_key_works_in_either_header_and_is_no_user(shop, admin) -> None:
    client, _ = shop
    secret = (await make_key(client, admin, "search"))["secret"]
    for headers in (with_key(secret), as_bearer(secret)):
        found = await client.get("/api/search", params={"q": "headphones"}, headers=headers)
        assert found.status_code == 200, found.text
        assert "set-cookie" not in found.headers  # a server is no browser visitor
    # A key is not a person: the routes that act for one refuse it, even an admin key.
    boss = (await make_key(client, admin, "admin"))["secret"]
    for method, path in [("GET", "/api/cart"), ("GET", "/api/auth/me"), ("GET", BASE), ("POST", BASE)]:
        answer = await client.request(method, path, headers=with_key(boss), json={"scopes": ["admin"]})
        assert_error(answer, 403)
        assert error_code(answer) == "api_key_not_accepted"


async def test_scopes_are_enforced_and_admin_implies_the_others(shop, admin) -> None:
    client, _ = shop
    search = with_key((await make_key(client, admin, "search"))["secret"])
    writer = with_key((await make_key(client, admin, "catalog:write"))["secret"])
    boss = with_key((await make_key(client, admin, "admin"))["secret"])
    product = {"sku": "KEY-1", "title": "Key-made kettle", "price": 20.0, "category": "Kitchen"}
    refused = await client.post("/api/admin/products", json=product, headers=search)
    assert_error(refused, 403)
    assert refused.json()["error"] == {
        "code": "insufficient_scope",
        "message": "this API key lacks the 'catalog:write' scope",
        "details": {"scope": "catalog:write"},
    }
    assert (await client.get("/api/search", headers=writer)).status_code == 403
    assert (await client.post("/api/admin/products", json=product, headers=writer)).status_code == 201
    assert (await client.get("/api/analytics", headers=writer)).status_code == 403
    assert (await client.get("/api/analytics", headers=boss)).status_code == 200
    assert (await client.get("/api/admin/jobs", headers=boss)).status_code == 200
    assert (await client.delete("/api/admin/products/KEY-1", headers=boss)).status_code == 204


async def test_key_writes_are_audited_with_the_key_as_actor(shop, admin) -> None:
    client, _ = shop
    writer = await make_key(client, admin, "catalog:write")
    boss = await make_key(client, admin, "admin")
    product = {"sku": "AUD-1", "title": "Audited anvil", "price": 99.0}
    assert (
        await client.post("/api/admin/products", json=product, headers=with_key(writer["secret"]))
    ).status_code == 201
    synonym = await client.post(
        "/api/admin/synonyms", json={"terms": ["anvil", "forge block"]}, headers=with_key(boss["secret"])
    )
    assert synonym.status_code == 201, synonym.text
    entries = (await client.get("/api/admin/audit", headers=admin)).json()["entries"]
    by_action = {(e["action"], e["target"]): e["actor"] for e in entries}
    assert by_action[("product.create", "AUD-1")] == f"key:{writer['prefix']}"
    assert by_action[("synonym.create", str(synonym.json()["id"]))] == f"key:{boss['prefix']}"
    assert by_action[("api_key.create", writer["prefix"])] == "keymaster"


async def test_revoked_unknown_malformed_and_expired_keys_get_401_even_on_public_routes(shop, admin) -> None:
    client, _ = shop
    created = await make_key(client, admin, "search")
    secret = created["secret"]
    assert (await client.get("/api/categories", headers=with_key(secret))).status_code == 200  # now cached
    assert (await client.delete(f"{BASE}/{created['id']}", headers=admin)).status_code == 204
    for headers in (with_key(secret), as_bearer(secret)):
        answer = await client.get("/api/categories", headers=headers)
        assert_error(answer, 401)
        assert error_code(answer) == "invalid_api_key"
    unknown = "esk_0123456789ab_" + "A" * 43
    for bad in (unknown, "esk_nope", "not-a-key", secret[:-1] + ("B" if secret[-1] != "B" else "C")):
        assert error_code(await client.get("/health", headers=with_key(bad))) == "invalid_api_key"
    assert_error(await client.delete(f"{BASE}/999999", headers=admin), 404)
    assert created["id"] not in [k["id"] for k in (await client.get(BASE, headers=admin)).json()["api_keys"]]
    everything = (await client.get(BASE, params={"include_revoked": "true"}, headers=admin)).json()[
        "api_keys"
    ]
    assert next(k for k in everything if k["id"] == created["id"])["revoked_at"] is not None

    soon = (datetime.now(UTC) + timedelta(seconds=2)).isoformat()
    expiring = (await make_key(client, admin, "search", expires_at=soon))["secret"]
    assert (await client.get("/api/categories", headers=with_key(expiring))).status_code == 200
    await asyncio.sleep(2.2)
    assert_error(await client.get("/api/categories", headers=with_key(expiring)), 401)
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    assert_error(
        await client.post(BASE, json={"scopes": ["search"], "expires_at": past}, headers=admin),
        400,
        "expires_at",
    )
    assert_error(await client.post(BASE, json={"scopes": ["root"]}, headers=admin), 400)
    assert_error(await client.post(BASE, json={"scopes": []}, headers=admin), 400)


async def test_a_revocation_holds_at_once_in_another_process(shop, admin) -> None:
    """A second app with its own container (own pool, own in-process state) on the same
    database and cache refuses the key at its next request after the first app revokes it."""
    client, settings = shop
    created = await make_key(client, admin, "search")
    async with AsyncTestClient(app=create_app(settings, build_container(settings))) as other:
        assert (await other.get("/api/categories", headers=with_key(created["secret"]))).status_code == 200
        assert (await client.delete(f"{BASE}/{created['id']}", headers=admin)).status_code == 204
        assert_error(await other.get("/api/categories", headers=with_key(created["secret"])), 401)


async def test_each_key_has_its_own_limit_with_a_default(shop, admin) -> None:
    client, _ = shop
    tight = with_key((await make_key(client, admin, "search", rate_limit=3))["secret"])
    roomy = with_key((await make_key(client, admin, "search"))["secret"])  # API_KEY_RATE_LIMIT=40
    for _ in range(3):
        assert (await client.get("/health", headers=tight)).status_code == 200
    limited = await client.get("/health", headers=tight)
    assert_error(limited, 429)
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    assert (await client.get("/health", headers=roomy)).status_code == 200  # another key's budget
    for _ in range(39):
        await client.get("/health", headers=roomy)
    assert (await client.get("/health", headers=roomy)).status_code == 429
    assert (await client.get("/health")).status_code == 200  # no key: no key limit


async def test_last_used_is_written_at_most_once_a_minute(shop, admin) -> None:
    client, settings = shop
    created = await make_key(client, admin, "search")
    assert created["last_used_at"] is None
    select = f"SELECT last_used_at FROM api_keys WHERE id = {created['id']}"
    assert (await client.get("/api/categories", headers=with_key(created["secret"]))).status_code == 200
    first = (await rows(settings, select))[0][0]
    assert first is not None
    await asyncio.sleep(0.05)
    assert (await client.get("/api/categories", headers=with_key(created["secret"]))).status_code == 200
    assert (await rows(settings, select))[0][0] == first
    listed = (await client.get(BASE, headers=admin)).json()["api_keys"]
    assert next(k for k in listed if k["id"] == created["id"])["last_used_at"] is not None


async def test_events_reported_with_a_key_land_in_the_shoppers_arm(shop, admin) -> None:
    client, settings = shop
    reporter = with_key((await make_key(client, admin, "events:write"))["secret"])
    event = {"type": "view", "sku": "HP-001"}
    anonymous = await client.post("/api/events", json={**event, "visitor_id": ANON_ID}, headers=reporter)
    assert anonymous.status_code == 202, anonymous.text
    logged_in = await client.post("/api/events", json={**event, "user_id": 4242}, headers=reporter)
    assert logged_in.status_code == 202, logged_in.text
    stored = await rows(
        settings,
        "SELECT visitor_id, user_id, arm FROM events WHERE visitor_id IN ('anon:"
        + ANON_ID
        + "', 'user:4242')",
    )
    arms = {row.visitor_id: (row.user_id, row.arm) for row in stored}
    anon = anonymous_visitor_id(ANON_ID)
    assert arms[anon] == (None, assign_arm(anon, settings.experiment))
    assert arms["user:4242"] == (4242, assign_arm(user_visitor_id(4242), settings.experiment))
    # A key must say whom it reports for; nobody else may name a visitor.
    assert_error(await client.post("/api/events", json=event, headers=reporter), 400, "visitor_id")
    assert_error(await client.post("/api/events", json={**event, "visitor_id": ANON_ID}), 400, "visitor_id")
    person = await shopper(client, "eventful")
    assert_error(
        await client.post("/api/events", json={**event, "user_id": 1}, headers=person), 400, "visitor_id"
    )
    assert_error(
        await client.post("/api/events", json={**event, "visitor_id": "bad id!"}, headers=reporter), 400
    )
    searcher = with_key((await make_key(client, admin, "search"))["secret"])
    assert_error(
        await client.post("/api/events", json={**event, "visitor_id": ANON_ID}, headers=searcher), 403
    )
