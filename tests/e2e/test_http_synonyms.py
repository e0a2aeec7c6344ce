"""Synonym administration through HTTP on both databases: search follows at the next request."""

from collections.abc import AsyncIterator

import pytest
from litestar.testing import AsyncTestClient

from entrypoints.settings import Settings
from tests.e2e.shop import open_shop, shopper
from tests.e2e.test_http_admin_products import bearer, search_skus, token_for
from tests.e2e.test_http_search import assert_error

BASE = "/api/admin/synonyms"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
async def shop(
    request: pytest.FixtureRequest, make_database
) -> AsyncIterator[tuple[AsyncTestClient, Settings]]:
    async for opened in open_shop(make_database, request.param):
        yield opened


@pytest.fixture(scope="module")
async def admin(shop) -> dict[str, str]:
    client, settings = shop
    return bearer(await token_for(client, settings, "thesaurus", admin=True))


async def test_a_multi_way_synonym_finds_products_that_only_have_the_other_word(shop, admin) -> None:
    client, _ = shop
    assert await search_skus(client, "griddle") == []  # cached as empty, too
    created = await client.post(BASE, json={"terms": ["Griddle", "frying pan"]}, headers=admin)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body == {
        "id": body["id"],
        "kind": "multi_way",
        "terms": ["griddle", "frying pan"],
        "from": None,
        "to": None,
    }
    assert await search_skus(client, "griddle") == ["KT-001"]
    assert "KT-001" in await search_skus(client, "frying pan")
    assert (await client.delete(f"{BASE}/{body['id']}", headers=admin)).status_code == 204
    assert await search_skus(client, "griddle") == []
    audit = await client.get("/api/admin/audit", params={"limit": 2}, headers=admin)
    assert [(e["action"], e["target"], e["actor"]) for e in audit.json()["entries"]] == [
        ("synonym.delete", str(body["id"]), "thesaurus"),
        ("synonym.create", str(body["id"]), "thesaurus"),
    ]
    assert audit.json()["entries"][1]["details"] == {"terms": ["griddle", "frying pan"]}


async def test_a_one_way_synonym_works_one_way(shop, admin) -> None:
    client, _ = shop
    before = set(await search_skus(client, "skillet"))
    assert before == {"KT-002"} and set(await search_skus(client, "pan")) == {"KT-001"}
    created = await client.post(BASE, json={"from": "pan", "to": ["skillet"]}, headers=admin)
    assert created.status_code == 201 and created.json()["to"] == ["skillet"]
    assert set(await search_skus(client, "pan")) == {"KT-001", "KT-002"}
    assert set(await search_skus(client, "skillet")) == before
    # Edited into a multi-way synonym: now the other way too.
    changed = await client.put(
        f"{BASE}/{created.json()['id']}", json={"terms": ["pan", "skillet"]}, headers=admin
    )
    assert changed.status_code == 200 and changed.json()["kind"] == "multi_way"
    assert set(await search_skus(client, "skillet")) == {"KT-001", "KT-002"}
    listed = (await client.get(BASE, headers=admin)).json()["synonyms"]
    assert changed.json() in listed
    await client.delete(f"{BASE}/{created.json()['id']}", headers=admin)


async def test_the_same_synonym_twice_is_stored_once(shop, admin) -> None:
    client, _ = shop
    first = await client.post(BASE, json={"terms": ["rucksack", "backpack"]}, headers=admin)
    again = await client.post(BASE, json={"terms": ["Backpacks", "rucksacks"]}, headers=admin)
    assert again.status_code == 201 and again.json() == first.json()
    assert (await client.delete(f"{BASE}/{first.json()['id']}", headers=admin)).status_code == 204


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"terms": []}, "terms"),
        ({"terms": ["sofa"]}, "terms"),
        ({"terms": ["sofa", " "]}, "terms"),
        ({"terms": ["sofa", "Sofas"]}, "terms"),
        ({"terms": [f"w{i}" for i in range(21)]}, "terms"),
        ({"from": "tv"}, "to"),
        ({"to": ["tv"]}, "from"),
        ({"from": "tv", "to": ["TV"]}, "to"),
        ({"terms": ["a1", "b1"], "from": "c1", "to": ["d1"]}, "terms"),
        ({}, "terms"),
        ({"terms": "sofa, couch"}, "terms"),
        ({"terms": ["a1", "b1"], "extra": 1}, None),
    ],
)
async def test_bad_synonyms_are_refused_and_change_nothing(
    shop, admin, body: dict, field: str | None
) -> None:
    client, _ = shop
    before = (await client.get(BASE, headers=admin)).json()
    assert_error(await client.post(BASE, json=body, headers=admin), 400, field)
    assert (await client.get(BASE, headers=admin)).json() == before


async def test_unknown_ids_are_404(shop, admin) -> None:
    client, _ = shop
    assert_error(await client.put(f"{BASE}/999999", json={"terms": ["a1", "b1"]}, headers=admin), 404)
    assert_error(await client.delete(f"{BASE}/999999", headers=admin), 404)
    assert_error(await client.post(f"{BASE}/suggestions/999999/accept", headers=admin), 404)
    assert_error(await client.post(f"{BASE}/suggestions/999999/reject", headers=admin), 404)


async def test_only_administrators_manage_synonyms(shop) -> None:
    client, _ = shop
    shopper_headers = await shopper(client, "plainshopper")
    routes = [
        ("GET", BASE, None),
        ("POST", BASE, {"terms": ["a1", "b1"]}),
        ("PUT", f"{BASE}/1", {"terms": ["a1", "b1"]}),
        ("DELETE", f"{BASE}/1", None),
        ("GET", f"{BASE}/suggestions", None),
        ("POST", f"{BASE}/suggestions/1/accept", None),
        ("POST", f"{BASE}/suggestions/1/reject", None),
    ]
    for method, path, body in routes:
        assert_error(await client.request(method, path, json=body), 401)
        assert_error(await client.request(method, path, json=body, headers=shopper_headers), 403)


async def test_suggestions_list_empty_without_traffic(shop, admin) -> None:
    client, _ = shop
    answer = await client.get(f"{BASE}/suggestions", params={"refresh": "true"}, headers=admin)
    assert answer.status_code == 200 and answer.json() == {"suggestions": []}
