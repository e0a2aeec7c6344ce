"""Personalized search over HTTP: a shopper's clicks and cart adds reorder their next search.

A logged-in shopper in the `personalized` arm clicks and carts a brand's products; their very next
search for a broad query (no profiles job run, the result cache on) puts that brand first, while an
anonymous visitor ranked by the same model, and a shopper in the `popularity` arm who did the same,
keep their order: the popularity arm's stays popularity order over the same matches.

The promoted model is a stand-in with known weights on named features (training is tested
elsewhere): it shows that what the shopper did reaches the features the model scores.
"""

import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from litestar.testing import AsyncTestClient

from adapters.learning.sklearn_fitter import SklearnFitter
from domain.experiments.assignment import anonymous_visitor_id, assign_arm
from domain.ranking.features import FEATURE_NAMES, FEATURE_VERSION
from domain.ranking.model import ShopperProfile
from domain.ranking.versions import ModelVersion
from entrypoints.container import build_container, close_container
from entrypoints.http.app import create_app
from entrypoints.settings import Settings, load_settings
from tests.e2e.shop import PASSWORD
from tests.fixtures.catalog import CATALOG, _p

WEIGHTS = {"text": 1.0, "log_popularity": 0.3, "brand_affinity": 3.0, "recent_interaction": 1.0}
# Not a category name: a category's name alone is browsed in stored order, not re-ranked.
QUERY = "shoes"
# Pace: the least popular running shoes, one of them added here and never touched by the shopper.
PACE = {"SH-003", "SH-004"}
EXTRA = _p(
    "SH-004", "Pace Road Running Shoes", 79.0, "Running Shoes", "Pace", "Light road shoes.", popularity=5
)


class LinearOnNamedFeatures:
    def predict(self, features: np.ndarray) -> np.ndarray:
        columns = [FEATURE_NAMES.index(name) for name in WEIGHTS]
        return features[:, columns] @ np.array(list(WEIGHTS.values()))


@pytest.fixture(params=["sqlite", "postgresql"])
async def shop(
    request: pytest.FixtureRequest, make_database
) -> AsyncIterator[tuple[AsyncTestClient, Settings]]:
    url = await make_database(request.param)
    env = {"DATABASE_URL": url, "BCRYPT_ROUNDS": "4", "MODEL_STORE": "database", "MODEL_REFRESH_SECONDS": "0"}
    settings = load_settings(env, dotenv=Path(os.devnull))
    loader = build_container(settings)
    try:
        await loader.import_catalog()([(i + 2, row) for i, row in enumerate([*CATALOG, EXTRA])])
        version = ModelVersion(
            version="stand-in",
            created_at=datetime.now(UTC),
            metrics={},
            features=FEATURE_NAMES,
            feature_version=FEATURE_VERSION,
        )
        await loader.model_store().save(version, SklearnFitter().dumps(LinearOnNamedFeatures()))  # type: ignore[arg-type]
        await loader.model_store().promote("stand-in")
    finally:
        await close_container(loader)
    async with AsyncTestClient(app=create_app(settings)) as client:
        yield client, settings


async def shopper_in(client: AsyncTestClient, arm: str) -> tuple[dict[str, str], int]:
    """Sign up shoppers until one lands in `arm` (the split is a hash: a few tries suffice)."""
    for n in range(40):
        response = await client.post("/api/auth/signup", json={"username": f"{arm}{n}", "password": PASSWORD})
        assert response.status_code == 201, response.text
        client.cookies.clear()
        if response.json()["user"]["group"] == arm:
            return {"Authorization": f"Bearer {response.json()['token']}"}, response.json()["user"]["id"]
    raise AssertionError(f"nobody landed in {arm}")


def anonymous_in(settings: Settings, arm: str) -> dict[str, str]:
    for n in range(200):
        cookie = f"anonymous-visitor-{n:05d}-x"
        if assign_arm(anonymous_visitor_id(cookie), settings.experiment) == arm:
            return {"Cookie": f"anon_id={cookie}"}
    raise AssertionError(f"no anonymous id lands in {arm}")


async def search(client: AsyncTestClient, headers: dict[str, str]) -> tuple[str, list[dict]]:
    response = await client.get("/api/search", params={"q": QUERY, "per_page": 50}, headers=headers)
    assert response.status_code == 200, response.text
    client.cookies.clear()
    body = response.json()
    return body["search_id"], body["items"]


async def click_and_cart(client: AsyncTestClient, headers: dict[str, str]) -> None:
    search_id, items = await search(client, headers)
    position = next(i["position"] for i in items if i["sku"] == "SH-003")
    events = [
        {"type": "click", "sku": "SH-003", "search_id": search_id, "position": position, "query": QUERY},
        {"type": "view", "sku": "SH-003"},
        {"type": "add_to_cart", "sku": "SH-003"},
    ]
    for event in events:
        response = await client.post("/api/events", json=event, headers=headers)
        assert response.status_code == 202, response.text


async def stored_profile(settings: Settings, visitor_id: str) -> ShopperProfile | None:
    """Read from the database with a container of this test's own (the app's runs on another loop)."""
    reader = build_container(settings)
    try:
        return await reader.profiles().get(visitor_id)
    finally:
        await close_container(reader)


async def every_profile(settings: Settings) -> list[ShopperProfile]:
    reader = build_container(settings)
    try:
        return await reader.profiles().all()
    finally:
        await close_container(reader)


def skus(items: list[dict]) -> list[str]:
    return [i["sku"] for i in items]


async def test_a_shoppers_clicks_and_carts_lift_that_brand_in_their_next_search(shop) -> None:
    client, settings = shop
    personal, personal_id = await shopper_in(client, "personalized")
    control, _ = await shopper_in(client, "popularity")
    anonymous = anonymous_in(settings, "personalized")

    # A first event elsewhere in the catalog: the shopper has a profile, and their page is cached with it.
    viewed = await client.post("/api/events", json={"type": "view", "sku": "CM-001"}, headers=personal)
    assert viewed.status_code == 202, viewed.text
    _, before = await search(client, personal)
    _, anonymous_before = await search(client, anonymous)
    assert skus(before) == skus(anonymous_before)  # no history yet: the same order as anyone's
    assert set(skus(before)[:2]).isdisjoint(PACE)  # the popular brand leads

    await click_and_cart(client, personal)
    await click_and_cart(client, control)

    # The events rebuilt the shopper's profile after their responses, without the profiles job.
    profile = await stored_profile(settings, f"user:{personal_id}")
    assert profile is not None and profile.brands["Pace"] > 0.8

    _, after = await search(client, personal)
    assert set(skus(after)) == set(skus(before))  # the same matches, reordered
    assert set(skus(after)[:2]) == PACE  # the cached page from before the events was not served

    _, anonymous_after = await search(client, anonymous)
    assert skus(anonymous_after) == skus(anonymous_before)
    _, control_after = await search(client, control)
    assert set(skus(control_after)) == set(skus(after))
    popularity = [i["popularity"] for i in control_after]
    assert popularity == sorted(popularity, reverse=True)
    assert set(skus(control_after)[:2]).isdisjoint(PACE)


async def test_anonymous_events_leave_profiles_to_the_periodic_job(shop) -> None:
    client, settings = shop
    anonymous = anonymous_in(settings, "personalized")
    response = await client.post("/api/events", json={"type": "click", "sku": "SH-003"}, headers=anonymous)
    assert response.status_code == 202, response.text
    assert await every_profile(settings) == []
    # A bad event is refused and rebuilds nothing either.
    personal, personal_id = await shopper_in(client, "personalized")
    response = await client.post("/api/events", json={"type": "purchase", "sku": "SH-003"}, headers=personal)
    assert response.status_code == 400
    assert await stored_profile(settings, f"user:{personal_id}") is None
