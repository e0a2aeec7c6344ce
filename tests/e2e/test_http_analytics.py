"""GET /api/analytics: administrators only, a checked window, figures read from the rollups."""

import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from litestar.testing import AsyncTestClient

from adapters.sql.analytics_rollup import SqlAnalyticsRollup
from adapters.sql.tables import events, impressions
from entrypoints.container import build_container, close_container
from entrypoints.http.app import create_app
from entrypoints.settings import Settings, load_settings
from tests.e2e.test_http_admin_products import bearer, token_for
from tests.e2e.test_http_search import assert_error


def _log(now: datetime) -> tuple[list[dict], list[dict]]:
    """Two personalized visitors (one search answered, one not) and one popularity visitor."""
    shown = [
        dict(search_id="s1", visitor_id="p1", arm="personalized", query="mug", items=[["A", 1], ["B", 2]], total=5),
        dict(search_id="s2", visitor_id="p2", arm="personalized", query="zzz", items=[], total=0),
        dict(search_id="s3", visitor_id="u1", arm="popularity", query="mug", items=[["A", 1], ["B", 2]], total=5),
    ]  # fmt: skip
    acted = [
        dict(type="click", sku="B", visitor_id="p1", arm="personalized", search_id="s1", position=2, query="mug"),
        dict(type="add_to_cart", sku="B", visitor_id="p1", arm="personalized", search_id="s1", position=2,
             query="mug"),
        dict(type="click", sku="A", visitor_id="u1", arm="popularity", search_id="s3", position=1, query="mug"),
    ]  # fmt: skip
    return [r | {"page": 1, "occurred_at": now} for r in shown], [r | {"occurred_at": now} for r in acted]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
async def shop(
    request: pytest.FixtureRequest, make_database
) -> AsyncIterator[tuple[AsyncTestClient, Settings]]:
    url = await make_database(request.param)
    settings = load_settings({"DATABASE_URL": url, "BCRYPT_ROUNDS": "4"}, dotenv=Path(os.devnull))
    seeding = build_container(settings)
    now = datetime.now(UTC)
    shown, acted = _log(now)
    async with seeding.engine().begin() as connection:
        await connection.execute(sa.insert(impressions), shown)
        await connection.execute(sa.insert(events), acted)
    await SqlAnalyticsRollup(seeding.engine()).rollup_day(now.date())
    await close_container(seeding)
    async with AsyncTestClient(app=create_app(settings)) as client:
        yield client, settings


async def test_only_administrators(shop) -> None:
    client, settings = shop
    assert_error(await client.get("/api/analytics"), 401)
    shopper = bearer(await token_for(client, settings, "analytics-shopper", admin=False))
    assert_error(await client.get("/api/analytics", headers=shopper), 403)
    assert_error(await client.get("/api/analytics", params={"days": "0"}, headers=shopper), 403)


@pytest.mark.parametrize("days", ["0", "366", "abc", "-3", "2.5", ""])
async def test_a_bad_window_is_a_400_naming_days(shop, days: str) -> None:
    client, settings = shop
    admin = bearer(await token_for(client, settings, "analytics-admin", admin=True))
    body = assert_error(await client.get("/api/analytics", params={"days": days}, headers=admin), 400, "days")
    assert "between 1 and 365" in body["error"]["message"]


async def test_the_readout_after_simulated_events_and_a_rollup(shop) -> None:
    client, settings = shop
    admin = bearer(await token_for(client, settings, "analytics-admin", admin=True))
    response = await client.get("/api/analytics", params={"days": "7"}, headers=admin)
    assert response.status_code == 200, response.text
    body = response.json()
    today = datetime.now(UTC).date()
    assert body["days"] == 7 and body["until"] == today.isoformat()
    assert body["since"] == (today - timedelta(days=6)).isoformat()
    assert set(body) >= {"arms", "comparison", "clusters", "top_queries", "zero_result_queries", "method",
                         "verdict", "sample_ratio", "series", "positions", "lowest_ctr_queries"}  # fmt: skip
    assert body["arms"]["personalized"] == {
        "users": 2, "searches": 2, "impressions": 2, "clicks": 1, "add_to_cart": 1, "ctr": 1.0,
        "conversion": 1.0, "ctr_per_impression": 0.5, "zero_result_rate": 0.5, "mrr": 0.5,
    }  # fmt: skip
    assert body["arms"]["popularity"] == {
        "users": 1, "searches": 1, "impressions": 2, "clicks": 1, "add_to_cart": 0, "ctr": 1.0,
        "conversion": 0.0, "ctr_per_impression": 0.5, "zero_result_rate": 0.0, "mrr": 1.0,
    }  # fmt: skip
    assert set(body["comparison"]) == {"ctr", "conversion", "ctr_per_impression"}
    assert body["comparison"]["conversion"]["lift"] is None  # no conversions in the control arm
    assert body["comparison"]["ctr_per_impression"]["lift"] == pytest.approx(0.0)
    assert "z-test" in body["method"]
    assert body["verdict"].startswith("not enough data")
    srm = body["sample_ratio"]
    assert srm["observed"] == pytest.approx({"personalized": 2 / 3, "popularity": 1 / 3})
    assert srm["expected_share"] == {"personalized": 0.5, "popularity": 0.5} and srm["mismatch"] is False
    day = today.isoformat()
    assert body["series"] == [
        {"day": day, "arm": "personalized", "searches": 2, "clicks": 1, "add_to_cart": 1},
        {"day": day, "arm": "popularity", "searches": 1, "clicks": 1, "add_to_cart": 0},
    ]
    assert body["positions"] == [
        {"position": 1, "arm": "personalized", "impressions": 1, "clicks": 0, "ctr": 0.0},
        {"position": 1, "arm": "popularity", "impressions": 1, "clicks": 1, "ctr": 1.0},
        {"position": 2, "arm": "personalized", "impressions": 1, "clicks": 1, "ctr": 1.0},
        {"position": 2, "arm": "popularity", "impressions": 1, "clicks": 0, "ctr": 0.0},
    ]
    assert body["top_queries"] == [{"query": "mug", "count": 2}, {"query": "zzz", "count": 1}]
    assert body["zero_result_queries"] == [{"query": "zzz", "count": 1}]
    assert body["lowest_ctr_queries"] == []  # no query has 5 searches with results yet
    assert body["clusters"] == []  # no clustering has run


async def test_the_default_window_is_30_days(shop) -> None:
    client, settings = shop
    admin = bearer(await token_for(client, settings, "analytics-admin", admin=True))
    body = (await client.get("/api/analytics", headers=admin)).json()
    assert body["days"] == 30 and body["arms"]["personalized"]["searches"] == 2
