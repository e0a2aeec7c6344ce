"""GET /api/admin/audit: what administrators did over HTTP and on the command line, newest first,
with who and from where; only administrators read it."""

from collections.abc import AsyncIterator
from datetime import datetime

import pytest
from litestar.testing import AsyncTestClient

from entrypoints.container import build_container, close_container
from entrypoints.settings import Settings
from tests.e2e.shop import open_shop, shopper
from tests.e2e.test_http_search import assert_error
from tests.fixtures.actors import TEST_ACTOR

# Behind the shop's own proxy: the last X-Forwarded-For hop is the client.
PROXIED = {"X-Forwarded-For": "198.51.100.1, 203.0.113.9"}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
async def shop(
    request: pytest.FixtureRequest, make_database
) -> AsyncIterator[tuple[AsyncTestClient, Settings]]:
    async for opened in open_shop(make_database, request.param, env={"TRUST_FORWARDED_FOR": "true"}):
        yield opened


async def admin_headers(client: AsyncTestClient, settings: Settings, name: str) -> dict[str, str]:
    headers = await shopper(client, name)
    granting = build_container(settings)  # as `ecomsearch user create-admin` does
    try:
        await granting.grant_admin()(name, actor=TEST_ACTOR)
    finally:
        await close_container(granting)
    return headers


async def audit(client: AsyncTestClient, headers: dict[str, str], **params: object) -> list[dict]:
    response = await client.get("/api/admin/audit", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return list(response.json()["entries"])


async def test_admin_actions_are_listed_newest_first_with_who_and_where(shop) -> None:
    client, settings = shop
    admin = await admin_headers(client, settings, "auditor")
    headers = admin | PROXIED
    body = {"sku": "AUD-1", "title": "Audited Kettle", "price": 20}
    assert (await client.post("/api/admin/products", json=body, headers=headers)).status_code == 201
    # Refused: nothing changed, nothing recorded.
    assert_error(await client.post("/api/admin/products", json=body, headers=headers), 409, "sku")
    assert_error(await client.put("/api/admin/products/NOPE", json={"price": 1}, headers=headers), 404)
    changed = await client.put(
        "/api/admin/products/AUD-1", json={"price": 25, "brand": "Ac"}, headers=headers
    )
    assert changed.status_code == 200, changed.text
    assert (await client.delete("/api/admin/products/AUD-1", headers=headers)).status_code == 204
    started = await client.post("/api/admin/jobs/rollup", headers=admin)  # straight, not proxied
    assert started.status_code == 202, started.text

    entries = await audit(client, admin, limit=5)
    assert [(e["action"], e["target"], e["actor"]) for e in entries] == [
        ("job.start", "rollup", "auditor"),
        ("product.delete", "AUD-1", "auditor"),
        ("product.update", "AUD-1", "auditor"),
        ("product.create", "AUD-1", "auditor"),
        ("role.grant", "auditor", "test"),
    ]
    assert [e["address"] for e in entries] == ["testclient", *["203.0.113.9"] * 3, "local"]
    assert entries[0]["details"] == {"job_id": started.json()["job_id"]}
    assert entries[2]["details"] == {"fields": ["brand", "price"]}
    times = [datetime.fromisoformat(e["at"]) for e in entries]
    assert times == sorted(times, reverse=True) and all(t.tzinfo is not None for t in times)
    assert [e["action"] for e in await audit(client, admin, limit=2)] == ["job.start", "product.delete"]


async def test_only_administrators_read_the_log_and_the_limit_is_checked(shop) -> None:
    client, settings = shop
    admin = await admin_headers(client, settings, "auditor2")
    assert_error(await client.get("/api/admin/audit"), 401)
    assert_error(await client.get("/api/admin/audit", headers=await shopper(client, "nosy")), 403)
    for bad in ("0", "501", "-3", "many"):
        assert_error(await client.get("/api/admin/audit", params={"limit": bad}, headers=admin), 400)
    assert len(await audit(client, admin)) >= 1  # the default limit
    assert len(await audit(client, admin, limit=500)) >= 1


async def test_a_forged_overlong_forwarded_address_is_cut_not_a_failure(shop) -> None:
    client, settings = shop
    admin = await admin_headers(client, settings, "auditor3")
    forged = admin | {"X-Forwarded-For": "x" * 300}
    body = {"sku": "AUD-2", "title": "Forged Kettle", "price": 20}
    assert (await client.post("/api/admin/products", json=body, headers=forged)).status_code == 201
    (latest,) = await audit(client, admin, limit=1)
    assert (latest["target"], latest["address"]) == ("AUD-2", "x" * 64)
