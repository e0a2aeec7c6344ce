"""GET /api/admin/search/preview on both databases: with and without the rules or synonyms, for
administrators only, logging nothing and leaving the shoppers' result cache as shoppers fill it."""

from collections.abc import AsyncIterator
from typing import Any

import pytest
import sqlalchemy as sa
from litestar.testing import AsyncTestClient

from adapters.sql.engine import make_engine
from adapters.sql.tables import events, impressions
from entrypoints.settings import Settings
from tests.e2e.shop import open_shop, shopper
from tests.e2e.test_http_admin_products import bearer, token_for
from tests.e2e.test_http_rules import ROWS, _row
from tests.e2e.test_http_search import assert_error

PREVIEW = "/api/admin/search/preview"
# Says only "beaker": found for "mug" through the synonym alone.
BEAKER = _row("BKR-1", "Glass beaker", 8.0, "Kitchen", "Lab", 1)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
async def shop(
    request: pytest.FixtureRequest, make_database
) -> AsyncIterator[tuple[AsyncTestClient, Settings]]:
    # One arm, the control: every anonymous shopper shares the preview's result cache entries.
    env = {"EXPERIMENT_ARMS": "popularity"}
    async for opened in open_shop(make_database, request.param, [*ROWS, BEAKER], env=env):
        yield opened


@pytest.fixture(scope="module")
async def admin(shop) -> dict[str, str]:
    client, settings = shop
    return bearer(await token_for(client, settings, "previewer", admin=True))


@pytest.fixture(scope="module")
async def curated(shop, admin) -> AsyncIterator[None]:
    """`mug` pins the teapot first and hides the most popular mug; `beaker` means `mug`."""
    client, _ = shop
    rule = {
        "name": "teapot first",
        "query": "mug",
        "pin": [{"sku": "POT-1", "position": 1}],
        "hide": ["MUG-01"],
    }
    made = await client.post("/api/admin/rules", json=rule, headers=admin)
    synonym = await client.post("/api/admin/synonyms", json={"terms": ["mug", "beaker"]}, headers=admin)
    assert made.status_code == synonym.status_code == 201, made.text + synonym.text
    yield
    assert (await client.delete(f"/api/admin/rules/{made.json()['id']}", headers=admin)).status_code == 204
    assert (
        await client.delete(f"/api/admin/synonyms/{synonym.json()['id']}", headers=admin)
    ).status_code == 204


async def logged(settings: Settings) -> tuple[int, int]:
    """Rows in the search log (impressions) and the event log, read on a connection of our own."""
    engine = make_engine(settings.database_url)
    try:
        async with engine.connect() as conn:
            shown = (await conn.execute(sa.select(sa.func.count()).select_from(impressions))).scalar_one()
            seen = (await conn.execute(sa.select(sa.func.count()).select_from(events))).scalar_one()
            return int(shown), int(seen)
    finally:
        await engine.dispose()


def skus(body: dict[str, Any]) -> list[str]:
    return [i["sku"] for i in body["items"]]


async def preview(client: AsyncTestClient, admin: dict[str, str], **params: Any) -> dict[str, Any]:
    response = await client.get(PREVIEW, params={"q": "mug", "per_page": 50, **params}, headers=admin)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"with", "without"}
    return body


async def test_without_rules_the_pin_and_the_hide_are_gone_and_synonyms_stay(shop, admin, curated) -> None:
    client, settings = shop
    before = await logged(settings)
    body = await preview(client, admin, without="rules")
    seen, bare = body["with"], body["without"]
    assert skus(seen)[0] == "POT-1" and seen["items"][0]["pinned"] and "MUG-01" not in skus(seen)
    assert seen["query"]["rules"] == ["teapot first"]
    assert bare["query"]["rules"] == [] and not any(i["pinned"] for i in bare["items"])
    assert skus(bare)[0] == "MUG-01" and "POT-1" not in skus(bare)  # popularity order, as ranked
    assert "BKR-1" in skus(seen) and "BKR-1" in skus(bare)
    assert seen["total"] == bare["total"] == 31  # 30 mugs and the beaker; one hidden, one pinned
    assert await logged(settings) == before


async def test_without_synonyms_the_rules_stay(shop, admin, curated) -> None:
    client, settings = shop
    before = await logged(settings)
    body = await preview(client, admin, without="synonyms")
    assert "BKR-1" in skus(body["with"]) and "BKR-1" not in skus(body["without"])
    assert skus(body["without"])[0] == "POT-1" and "MUG-01" not in skus(body["without"])
    assert body["without"]["query"]["rules"] == ["teapot first"]
    assert await logged(settings) == before


async def test_without_both_by_default_and_shoppers_still_get_the_curated_answer(
    shop, admin, curated
) -> None:
    client, settings = shop
    before = await logged(settings)
    page = {"q": "mug", "per_page": 50}
    body = await preview(client, admin)  # first: had it filled the cache, the shopper below would get it
    bare = skus(body["without"])
    assert "BKR-1" not in bare and "MUG-01" in bare and "POT-1" not in bare
    assert await logged(settings) == before
    client.cookies.clear()
    shopper_sees = (await client.get("/api/search", params=page)).json()
    assert skus(shopper_sees) == skus(body["with"])  # the control arm's page, curated
    assert shopper_sees["query"]["rules"] == ["teapot first"]
    assert (await logged(settings))[0] == before[0] + 1  # the shopper's search is logged, as always
    again = await preview(client, admin)  # the shopper's cached answer is not taken for "without"
    assert skus(again["without"]) == bare and skus(again["with"]) == skus(shopper_sees)


async def test_refusals(shop, admin) -> None:
    client, settings = shop
    before = await logged(settings)
    assert_error(await client.get(PREVIEW, params={"q": "mug"}), 401)
    assert_error(
        await client.get(PREVIEW, params={"q": "mug"}, headers=await shopper(client, "curious")), 403
    )
    assert_error(
        await client.get(PREVIEW, params={"q": "mug", "without": "nothing"}, headers=admin), 400, "without"
    )
    assert_error(await client.get(PREVIEW, params={"q": "mug", "page": 0}, headers=admin), 400, "page")
    assert_error(
        await client.get(PREVIEW, params={"min_price": 9, "max_price": 1}, headers=admin), 400, "min_price"
    )
    assert_error(await client.get(PREVIEW, params={"sort": "random"}, headers=admin), 400, "sort")
    assert await logged(settings) == before
