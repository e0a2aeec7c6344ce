"""Attribute facets and `attr.*` filters through HTTP on both databases: every count is the total of
the search that chooses it, filters combine (OR within an attribute, AND across), numeric ranges,
bad parameters, the admin's declaration, and every write path keeping the rows in step."""

from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from entrypoints.settings import Settings
from simulation.catalog.generator import generate_catalog
from tests.e2e.shop import open_shop
from tests.e2e.test_http_admin_products import bearer, token_for
from tests.e2e.test_http_search import assert_error

SIZES = [32, 40, 43, 48, 50, 55, 58, 65, 70, 75, 77, 85]


def _tv(i: int) -> dict[str, Any]:
    size = SIZES[i % len(SIZES)]
    return {
        "sku": f"TV-{i:03}", "title": f"Vistavue television {size} inch", "price": 300 + 10 * i,
        "category": "Test Televisions", "brand": "Vistavue" if i % 2 else "Pictura",
        # As a CSV import gives numbers: text that reads as a number is one.
        "screen_size": str(size) if i % 3 == 0 else size,
        "panel": ("OLED", "LED", "QLED")[i % 3],
    }  # fmt: skip


ROWS = [*generate_catalog(400, 5), *[_tv(i) for i in range(36)]]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
async def shop(
    request: pytest.FixtureRequest, make_database
) -> AsyncIterator[tuple[AsyncTestClient, Settings]]:
    async for opened in open_shop(make_database, request.param, ROWS):
        yield opened


@pytest.fixture(scope="module")
async def admin(shop) -> dict[str, str]:
    client, settings = shop
    return bearer(await token_for(client, settings, "merchandiser", admin=True))


async def search(client: AsyncTestClient, params: Any) -> dict[str, Any]:
    response = await client.get("/api/search", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def counts(body: dict[str, Any], name: str) -> dict[str, int]:
    return {f["value"]: f["count"] for f in body["facets"]["attributes"][name]}


async def test_each_count_is_the_total_of_choosing_it(shop) -> None:
    client, _ = shop
    body = await search(client, {"q": ""})
    attributes = body["facets"]["attributes"]
    assert "color" in attributes and "panel" not in attributes  # panel: 36 of 436 products
    for name, entries in attributes.items():
        assert len(entries) >= 2
        for entry in entries:
            narrowed = await search(client, {"q": "", f"attr.{name}": entry["value"], "sort": "price_asc"})
            assert narrowed["total"] == entry["count"], (name, entry)


async def test_filters_combine_with_each_other_and_every_other_filter(shop) -> None:
    client, _ = shop
    base = [("q", ""), ("category", "Test Televisions")]
    body = await search(client, base)
    assert body["total"] == 36
    panels = counts(body, "panel")
    assert panels == {"OLED": 12, "LED": 12, "QLED": 12}
    either = await search(client, [*base, ("attr.panel", "OLED"), ("attr.panel", "LED")])
    assert either["total"] == 24
    # The chosen attribute keeps counting its other values; the others count within the choice.
    assert counts(either, "panel") == panels
    both = [*base, ("attr.panel", "OLED"), ("attr.panel", "LED"), ("brand", "Vistavue")]
    narrowed = await search(client, both)
    for value, count in counts(narrowed, "screen_size").items():
        chosen = await search(client, [*both, ("attr.screen_size", value)])
        assert chosen["total"] == count, value
    for value, count in counts(narrowed, "panel").items():
        instead = [p for p in both if p[0] != "attr.panel"] + [("attr.panel", value)]
        assert (await search(client, instead))["total"] == count, value
    words = await search(client, [("q", "television"), ("attr.panel", "QLED"), ("max_price", "500")])
    assert words["total"] > 0
    assert all(item["attributes"]["panel"] == "QLED" and item["price"] <= 500 for item in words["items"])


async def test_numeric_attributes_have_range_buckets_and_equality(shop) -> None:
    client, _ = shop
    body = await search(client, {"q": "", "category": "Test Televisions"})
    buckets = counts(body, "screen_size")
    assert list(buckets) == ["..40", "40..50", "50..60", "60..70", "70..80", "80.."]
    assert sum(buckets.values()) == 36
    assert buckets["50..60"] == 9  # 50, 55, 58 three times each
    for label, count in buckets.items():
        ranged = await search(client, {"q": "", "attr.screen_size": label})
        assert ranged["total"] == count, label
    assert (await search(client, {"q": "", "attr.screen_size": "55"}))["total"] == 3
    assert (await search(client, {"q": "", "attr.screen_size": "55.0"}))["total"] == 3
    two = await search(client, [("q", ""), ("attr.screen_size", "..40"), ("attr.screen_size", "80..")])
    assert two["total"] == buckets["..40"] + buckets["80.."]


async def test_unknown_attributes_match_nothing_and_bad_parameters_are_refused(shop) -> None:
    client, _ = shop
    assert (await search(client, {"q": "", "attr.no_such_thing": "x"}))["total"] == 0
    for value in ("40..x", "..", "55..40", "a..b"):
        response = await client.get("/api/search", params={"attr.screen_size": value})
        assert_error(response, 400, "attr.screen_size")
    many = [("attr.color", f"c{i}") for i in range(21)]
    assert_error(await client.get("/api/search", params=many), 400, "attr.color")
    wide = [(f"attr.a{i}", "x") for i in range(11)]
    assert_error(await client.get("/api/search", params=wide), 400, "attr.a10")
    assert_error(await client.get("/api/search", params={"attr.color": "x" * 201}), 400, "attr.color")
    assert_error(await client.get("/api/search", params={"attr.": "x"}), 400, "attr.")


async def test_the_declaration_shows_and_hides_attributes_and_is_audited(shop, admin) -> None:
    client, _ = shop
    assert (await client.put("/api/admin/facets", json={"declared": ["panel"]})).status_code == 401
    current = await client.get("/api/admin/facets", headers=admin)
    assert current.status_code == 200, current.text
    assert "color" in current.json()["discovered"]
    saved = await client.put(
        "/api/admin/facets", json={"declared": ["panel"], "excluded": ["color"]}, headers=admin
    )
    assert saved.status_code == 200, saved.text
    assert (saved.json()["declared"], saved.json()["excluded"]) == (["panel"], ["color"])
    body = await search(client, {"q": ""})
    assert "panel" in body["facets"]["attributes"] and "color" not in body["facets"]["attributes"]
    assert counts(body, "panel") == {"OLED": 12, "LED": 12, "QLED": 12}
    clash = await client.put("/api/admin/facets", json={"declared": ["x"], "excluded": ["x"]}, headers=admin)
    assert_error(clash, 400, "excluded")
    audit = await client.get("/api/admin/audit", params={"limit": 1}, headers=admin)
    entry = audit.json()["entries"][0]
    assert (entry["action"], entry["details"]) == (
        "facets.update",
        {"declared": ["panel"], "excluded": ["color"]},
    )
    assert (await client.put("/api/admin/facets", json={}, headers=admin)).status_code == 200
    assert "color" in (await search(client, {"q": ""}))["facets"]["attributes"]


async def test_product_writes_keep_the_filter_rows_in_step(shop, admin) -> None:
    client, _ = shop
    created = await client.post(
        "/api/admin/products",
        json={
            "sku": "TV-NEW",
            "title": "Brand new set",
            "price": 999,
            "screen_size": 99,
            "panel": "MicroLED",
        },
        headers=admin,
    )
    assert created.status_code == 201, created.text
    assert (await search(client, {"attr.panel": "MicroLED"}))["total"] == 1
    assert (await search(client, {"attr.screen_size": "90..100"}))["total"] == 1
    changed = await client.put("/api/admin/products/TV-NEW", json={"panel": "OLED"}, headers=admin)
    assert changed.status_code == 200, changed.text
    assert (await search(client, {"attr.panel": "MicroLED"}))["total"] == 0
    assert (await search(client, {"attr.panel": "OLED", "attr.screen_size": "99"}))["total"] == 1
    assert (await client.delete("/api/admin/products/TV-NEW", headers=admin)).status_code == 204
    assert (await search(client, {"attr.screen_size": "90.."}))["total"] == 0
