"""Curation rules through HTTP on both databases: admin CRUD, and search curated at the next request."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from entrypoints.settings import Settings
from tests.e2e.shop import open_shop, shopper
from tests.e2e.test_http_admin_products import bearer, token_for
from tests.e2e.test_http_search import assert_error

BASE = "/api/admin/rules"


def _row(sku: str, title: str, price: float, category: str, brand: str, popularity: int) -> dict[str, Any]:
    return {
        "sku": sku, "title": title, "price": price, "category": category, "brand": brand,
        "description": "", "rating": 4.0, "review_count": 10, "popularity": popularity,
        "created_at": "2026-01-01T00:00:00+00:00",
    }  # fmt: skip


ROWS = [
    *[
        _row(f"MUG-{i:02}", f"Stoneware mug {i}", 10.0 + i, "Kitchen", "Potter", 1000 - 10 * i)
        for i in range(1, 31)
    ],
    _row("POT-1", "Cast iron teapot", 45.0, "Kitchen", "Potter", 5),
    _row("BAG-1", "Canvas tote bag", 20.0, "Bags", "Sack", 50),
    _row("BAG-2", "Leather weekend bag", 120.0, "Bags", "Sack", 40),
]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
async def shop(
    request: pytest.FixtureRequest, make_database
) -> AsyncIterator[tuple[AsyncTestClient, Settings]]:
    async for opened in open_shop(make_database, request.param, ROWS):
        yield opened


@pytest.fixture(scope="module")
async def admin(shop) -> dict[str, str]:
    client, settings = shop
    return bearer(await token_for(client, settings, "curator", admin=True))


async def search(client: AsyncTestClient, **params: Any) -> dict[str, Any]:
    response = await client.get("/api/search", params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def every_sku(client: AsyncTestClient, q: str) -> list[str]:
    found, page = [], 1
    while True:
        body = await search(client, q=q, page=page, per_page=12)
        found += [i["sku"] for i in body["items"]]
        if page >= body["pages"]:
            return found
        page += 1


async def test_a_pin_lands_on_page_two_and_hidden_items_never_show(shop, admin) -> None:
    client, _ = shop
    before = await every_sku(client, "mug")
    assert len(before) == 30
    rule = {
        "name": "mug season",
        "query": "Mugs",
        "pin": [{"sku": "POT-1", "position": 14}],
        "hide": [before[0]],
    }
    created = await client.post(BASE, json=rule, headers=admin)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body == {
        "id": body["id"], "name": "mug season", "query": "mugs", "contains": None, "category": None,
        "pin": [{"sku": "POT-1", "position": 14}], "hide": [before[0]], "boost": [],
        "starts_at": None, "ends_at": None,
    }  # fmt: skip
    page2 = await search(client, q="mug", page=2, per_page=12)
    assert page2["items"][1]["sku"] == "POT-1" and page2["items"][1]["position"] == 14
    assert [i["pinned"] for i in page2["items"]] == [i == 1 for i in range(12)]
    assert page2["query"]["rules"] == ["mug season"] and page2["total"] == 30
    after = await every_sku(client, "mug")
    assert before[0] not in after and len(after) == len(set(after)) == 30
    assert (await search(client, q="teapot"))["query"]["rules"] == []  # another query: untouched
    assert (await client.delete(f"{BASE}/{body['id']}", headers=admin)).status_code == 204
    assert await every_sku(client, "mug") == before
    audit = await client.get("/api/admin/audit", params={"limit": 2}, headers=admin)
    assert [(e["action"], e["target"]) for e in audit.json()["entries"]] == [
        ("rule.delete", str(body["id"])), ("rule.create", str(body["id"]))
    ]  # fmt: skip


async def test_a_category_page_rule_boosts_and_buries(shop, admin) -> None:
    client, _ = shop
    assert [i["sku"] for i in (await search(client, category="Bags"))["items"]] == ["BAG-1", "BAG-2"]
    rule = {"category": "Bags", "boost": [{"filter": {"min_price": 100}, "weight": 2}]}
    created = await client.post(BASE, json=rule, headers=admin)
    assert created.status_code == 201, created.text
    body = await search(client, category="Bags")
    assert [i["sku"] for i in body["items"]] == ["BAG-2", "BAG-1"]
    assert body["query"]["rules"] == [f"rule {created.json()['id']}"] and not body["items"][0]["pinned"]
    changed = {**rule, "boost": [{"filter": {"brand": "sack", "max_price": 50}, "weight": 1}]}
    updated = await client.put(f"{BASE}/{created.json()['id']}", json=changed, headers=admin)
    assert updated.status_code == 200 and updated.json()["boost"][0]["filter"]["brand"] == "sack"
    assert [i["sku"] for i in (await search(client, category="Bags"))["items"]] == ["BAG-1", "BAG-2"]
    assert (await client.delete(f"{BASE}/{created.json()['id']}", headers=admin)).status_code == 204


async def test_a_rule_outside_its_window_does_nothing(shop, admin) -> None:
    client, _ = shop
    now = datetime.now(UTC)
    windows = [
        (now + timedelta(days=1), now + timedelta(days=2)),
        (now - timedelta(days=2), now - timedelta(days=1)),
    ]
    made = []
    for start, end in windows:
        rule = {
            "contains": "mug",
            "hide": ["MUG-01"],
            "starts_at": start.isoformat(),
            "ends_at": end.isoformat(),
        }
        created = await client.post(BASE, json=rule, headers=admin)
        assert created.status_code == 201, created.text
        made.append(created.json()["id"])
    body = await search(client, q="stoneware mug")
    assert "MUG-01" in [i["sku"] for i in body["items"]] and body["query"]["rules"] == []
    listed = await client.get(BASE, headers=admin)
    assert [r["id"] for r in listed.json()["rules"]] == made
    for rule_id in made:
        assert (await client.delete(f"{BASE}/{rule_id}", headers=admin)).status_code == 204


async def test_writes_are_refused_clearly_and_change_nothing(shop, admin) -> None:
    client, _ = shop
    rule = {"query": "mug", "hide": ["MUG-01"]}
    assert_error(await client.get(BASE), 401)
    assert_error(await client.post(BASE, json=rule), 401)
    shop_headers = await shopper(client, "not-a-curator")
    assert_error(await client.get(BASE, headers=shop_headers), 403)
    assert_error(await client.post(BASE, json=rule, headers=shop_headers), 403)
    assert_error(await client.put(f"{BASE}/1", json=rule, headers=shop_headers), 403)
    assert_error(await client.delete(f"{BASE}/1", headers=shop_headers), 403)
    assert_error(await client.post(BASE, json={"hide": ["MUG-01"]}, headers=admin), 400, "query")
    assert_error(await client.post(BASE, json={"query": "mug"}, headers=admin), 400, "pin")
    bad_pin = {"query": "mug", "pin": [{"sku": "MUG-01", "position": 0}]}
    assert_error(await client.post(BASE, json=bad_pin, headers=admin), 400, "pin")
    bad_weight = {"query": "mug", "boost": [{"filter": {"brand": "x"}, "weight": 50}]}
    assert_error(await client.post(BASE, json=bad_weight, headers=admin), 400, "boost")
    backwards = {**rule, "starts_at": "2026-12-02T00:00:00Z", "ends_at": "2026-12-01T00:00:00Z"}
    assert_error(await client.post(BASE, json=backwards, headers=admin), 400, "ends_at")
    assert_error(await client.post(BASE, json={**rule, "colour": "red"}, headers=admin), 400)
    assert_error(await client.put(f"{BASE}/999999", json=rule, headers=admin), 404)
    assert_error(await client.delete(f"{BASE}/999999", headers=admin), 404)
    assert (await client.get(BASE, headers=admin)).json() == {"rules": []}
