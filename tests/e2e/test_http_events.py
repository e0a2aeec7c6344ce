"""POST /api/events and impressions over HTTP, on SQLite and PostgreSQL.

Checks what was stored by reading the tables back through the event log adapter, on a connection
of the test's own, never through the API that wrote it.
"""

import asyncio
import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from adapters.sql.engine import make_engine
from adapters.sql.event_log import SqlEventLog
from domain.events.model import Event, Impression
from domain.experiments.assignment import anonymous_visitor_id, assign_arm
from domain.ranking.features import FEATURE_NAMES, FEATURE_VERSION
from entrypoints.container import build_container
from entrypoints.http.app import create_app
from entrypoints.settings import Settings, load_settings
from tests.e2e.test_http_admin_products import bearer, token_for
from tests.e2e.test_http_search import assert_error
from tests.fixtures.catalog import CATALOG
from tests.fixtures.loading import settings_for

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
FUTURE = datetime(2100, 1, 1, tzinfo=UTC)
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
async def shop(
    request: pytest.FixtureRequest, make_database
) -> AsyncIterator[tuple[AsyncTestClient, Settings]]:
    url = await make_database(request.param)
    # No event rate limit here: these tests send more than a client's budget (it has its own tests).
    env = {**settings_for(url), "BCRYPT_ROUNDS": "4", "EVENT_RATE_LIMIT": "0"}
    settings = load_settings(env, dotenv=Path(os.devnull))
    container = build_container(settings)
    await container.import_catalog()([(i + 2, row) for i, row in enumerate(CATALOG)])
    await container.engine().dispose()
    async with AsyncTestClient(app=create_app(settings, container)) as client:
        yield client, settings


async def stored(settings: Settings) -> tuple[list[Event], list[Impression]]:
    engine = make_engine(settings.database_url)
    try:
        log = SqlEventLog(engine)
        return await log.events_between(EPOCH, FUTURE), await log.impressions_between(EPOCH, FUTURE)
    finally:
        await engine.dispose()


def as_visitor(client: AsyncTestClient, anonymous_id: str) -> str:
    client.cookies.clear()
    client.cookies.set("anon_id", anonymous_id)
    return anonymous_visitor_id(anonymous_id)


async def popularity(client: AsyncTestClient, sku: str) -> float:
    response = await client.get(f"/api/products/{sku}")
    assert response.status_code == 200, response.text
    return float(response.json()["popularity"])


async def test_an_anonymous_event_is_accepted_and_kept_with_the_visitors_arm(shop) -> None:
    client, settings = shop
    visitor = as_visitor(client, "anonymous-visitor-0001-abc")
    response = await client.post(
        "/api/events",
        json={"type": "click", "sku": "HP-001", "search_id": "s-123", "position": 2, "query": "headphones"},
    )
    assert response.status_code == 202, response.text
    assert response.json() == {"accepted": True}
    events, _ = await stored(settings)
    mine = [e for e in events if e.visitor_id == visitor]
    assert len(mine) == 1
    assert (mine[0].type, mine[0].sku, mine[0].search_id, mine[0].position, mine[0].query) == (
        "click", "HP-001", "s-123", 2, "headphones",
    )  # fmt: skip
    assert mine[0].user_id is None
    assert mine[0].arm == assign_arm(visitor, settings.experiment)


async def test_a_first_time_visitor_gets_an_anonymous_id_and_keeps_it(shop) -> None:
    client, settings = shop
    client.cookies.clear()
    response = await client.post("/api/events", json={"type": "view", "sku": "HP-001"})
    assert response.status_code == 202
    anonymous_id = client.cookies.get("anon_id")
    assert anonymous_id
    await client.post("/api/events", json={"type": "view", "sku": "HP-001"})
    events, _ = await stored(settings)
    assert len([e for e in events if e.visitor_id == anonymous_visitor_id(anonymous_id)]) == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"type": "purchase", "sku": "HP-001"}, "type"),
        ({"sku": "HP-001"}, "type"),
        ({"type": "click"}, "sku"),
        ({"type": "click", "sku": ""}, "sku"),
        ({"type": "click", "sku": "x" * 65}, "sku"),
        ({"type": "click", "sku": "HP-001", "position": 0}, "position"),
        ({"type": "click", "sku": "HP-001", "position": "first"}, "position"),
        ({"type": "click", "sku": "HP-001", "query": "q" * 501}, "query"),
        ({"type": "click", "sku": "HP-001", "search_id": "s" * 65}, "search_id"),
    ],
)
async def test_bad_events_get_400_and_store_nothing(shop, body: dict, field: str) -> None:
    client, settings = shop
    as_visitor(client, "anonymous-visitor-0002-abc")
    before_events, _ = await stored(settings)
    before = await popularity(client, "HP-001")
    assert_error(await client.post("/api/events", json=body), 400, field)
    assert len((await stored(settings))[0]) == len(before_events)
    assert await popularity(client, "HP-001") == before


async def test_malformed_json_and_unknown_skus_are_refused(shop) -> None:
    client, settings = shop
    as_visitor(client, "anonymous-visitor-0003-abc")
    before, _ = await stored(settings)
    malformed = await client.post(
        "/api/events", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert_error(malformed, 400)
    body = assert_error(await client.post("/api/events", json={"type": "click", "sku": "NO-SUCH"}), 404)
    assert body["error"]["details"] == {"sku": "NO-SUCH"}
    assert len((await stored(settings))[0]) == len(before)


async def test_a_product_read_shows_the_new_popularity_at_once(shop) -> None:
    client, _ = shop
    as_visitor(client, "anonymous-visitor-0004-abc")
    start = await popularity(client, "HP-002")  # now cached
    for kind in ("click", "view", "add_to_cart", "click"):
        assert (await client.post("/api/events", json={"type": kind, "sku": "HP-002"})).status_code == 202
    # An anonymous visitor weighs a quarter, and the second click within the hour adds nothing.
    assert await popularity(client, "HP-002") == start + 0.25 * (1 + 3)


async def test_each_search_page_served_is_an_impression_with_positions(shop) -> None:
    client, settings = shop
    visitor = as_visitor(client, "anonymous-visitor-0005-abc")
    params = {"q": "headphones", "page": 2, "per_page": 2}
    first = (await client.get("/api/search", params=params)).json()
    again = (await client.get("/api/search", params=params)).json()  # a cached answer is still served
    assert first["search_id"] != again["search_id"]
    _, impressions = await stored(settings)
    by_id = {i.search_id: i for i in impressions}
    for body in (first, again):
        shown = by_id[body["search_id"]]
        assert [(s.sku, s.position) for s in shown.items] == [
            (i["sku"], i["position"]) for i in body["items"]
        ]
        assert [s.position for s in shown.items] == [3, 4][: len(body["items"])]
        assert (shown.visitor_id, shown.user_id, shown.query) == (visitor, None, "headphones")
        assert (shown.page, shown.total) == (2, body["total"])
        assert shown.arm == assign_arm(visitor, settings.experiment)
        # Each item keeps the feature vector it was ranked with: the training data of the next model.
        assert shown.feature_version == FEATURE_VERSION
        assert all(len(s.features) == len(FEATURE_NAMES) for s in shown.items)


async def test_cookie_sessions_need_the_csrf_token_and_events_name_the_user(shop) -> None:
    client, settings = shop
    client.cookies.clear()
    signup = await client.post("/api/auth/signup", json={"username": "eve_shopper", "password": PASSWORD})
    assert signup.status_code == 201
    user = signup.json()["user"]
    csrf = client.cookies.get("csrftoken")
    before, _ = await stored(settings)
    assert_error(await client.post("/api/events", json={"type": "click", "sku": "HP-001"}), 403)
    assert len((await stored(settings))[0]) == len(before)
    accepted = await client.post(
        "/api/events", json={"type": "add_to_cart", "sku": "HP-001"}, headers={"X-CSRF-Token": csrf}
    )
    assert accepted.status_code == 202
    token = signup.json()["token"]
    client.cookies.clear()
    assert (
        await client.post("/api/events", json={"type": "view", "sku": "HP-001"}, headers=bearer(token))
    ).status_code == 202
    events, _ = await stored(settings)
    mine = [e for e in events if e.user_id == user["id"]]
    assert [(e.type, e.visitor_id, e.arm) for e in mine] == [
        ("add_to_cart", f"user:{user['id']}", user["group"]),
        ("view", f"user:{user['id']}", user["group"]),
    ]


async def test_admin_edits_and_deletes_reach_product_reads_at_once(shop) -> None:
    client, settings = shop
    admin = bearer(await token_for(client, settings, "events_admin", admin=True))
    assert (await client.get("/api/products/HP-003")).json()["price"] != 12.5  # cached now
    updated = await client.put("/api/admin/products/HP-003", json={"price": 12.5}, headers=admin)
    assert updated.status_code == 200, updated.text
    assert (await client.get("/api/products/HP-003")).json()["price"] == 12.5
    assert (await client.delete("/api/admin/products/HP-003", headers=admin)).status_code == 204
    assert_error(await client.get("/api/products/HP-003"), 404)


async def test_a_hundred_concurrent_clicks_are_all_stored_and_count_once(shop) -> None:
    # No increment is lost under concurrency (tests/integration/test_event_log.py); here one
    # visitor's burst is stored in full yet moves popularity once, at the anonymous weight.
    client, settings = shop
    as_visitor(client, "anonymous-visitor-0006-abc")
    before = await popularity(client, "HP-004")
    responses = await asyncio.gather(
        *(client.post("/api/events", json={"type": "click", "sku": "HP-004"}) for _ in range(100))
    )
    assert [r.status_code for r in responses] == [202] * 100
    assert await popularity(client, "HP-004") == before + 0.25
    events, _ = await stored(settings)
    assert len([e for e in events if e.sku == "HP-004" and e.type == "click"]) == 100
