"""Search over HTTP serves a newly promoted model without a restart, and survives a corrupt one."""

import asyncio
import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from litestar.testing import AsyncTestClient

from adapters.learning.sklearn_fitter import SklearnFitter
from domain.ranking.features import FEATURE_NAMES, FEATURE_VERSION
from domain.ranking.versions import ModelVersion
from entrypoints.container import build_container, close_container
from entrypoints.http.app import create_app
from entrypoints.settings import Settings, load_settings
from tests.fixtures.catalog import CATALOG
from tests.fixtures.loading import settings_for

PRICE = FEATURE_NAMES.index("price_vs_category")


class CheapestInCategoryFirst:
    """A stand-in model with an obvious order: the lower the price against its category, the better."""

    def predict(self, features: np.ndarray) -> np.ndarray:
        return -features[:, PRICE]


def record(version: str) -> ModelVersion:
    return ModelVersion(
        version=version,
        created_at=datetime.now(UTC),
        metrics={},
        features=FEATURE_NAMES,
        feature_version=FEATURE_VERSION,
    )


@pytest.fixture(params=["sqlite", "postgresql"])
async def shop(
    request: pytest.FixtureRequest, make_database
) -> AsyncIterator[tuple[AsyncTestClient, Settings]]:
    url = await make_database(request.param)
    env = {
        **settings_for(url),
        "MODEL_STORE": "database",
        "MODEL_REFRESH_SECONDS": "0",
        "SEARCH_RESULT_TTL": "0",
        # Every visitor in the personalized arm: the popularity arm orders by popularity, not the model.
        "EXPERIMENT_ARMS": "personalized",
    }
    settings = load_settings(env, dotenv=Path(os.devnull))
    loader = build_container(settings)
    await loader.import_catalog()([(i + 2, row) for i, row in enumerate(CATALOG)])
    await close_container(loader)
    async with AsyncTestClient(app=create_app(settings)) as client:
        yield client, settings


async def prices(client: AsyncTestClient, until=lambda order: True) -> list[float]:
    """Search until the order satisfies `until`: a search notices a new version in the background
    (at most every MODEL_REFRESH_SECONDS, here 0), and a later search uses it."""
    for _ in range(100):
        response = await client.get("/api/search", params={"q": "shoes"})
        assert response.status_code == 200, response.text
        order = [item["price"] for item in response.json()["items"]]
        if until(order):
            return order
        await asyncio.sleep(0.05)
    return order


async def publish(settings: Settings, version: str, blob: bytes) -> None:
    """As the worker does, from its own process: save and promote in the shared store."""
    worker = build_container(settings)
    try:
        await worker.model_store().save(record(version), blob)
        await worker.model_store().promote(version)
    finally:
        await close_container(worker)


async def test_a_promoted_model_is_served_without_restart_and_a_corrupt_one_falls_back(shop) -> None:
    client, settings = shop
    formula_order = await prices(client)
    assert len(formula_order) >= 3
    assert formula_order != sorted(formula_order)  # the formula does not rank by price

    await publish(settings, "cheap-first", SklearnFitter().dumps(CheapestInCategoryFirst()))  # type: ignore[arg-type]
    learned_order = await prices(client, until=lambda order: order != formula_order)
    assert learned_order == sorted(learned_order)  # the three shoes: cheapest first

    await publish(settings, "broken", b"\x80\x04 definitely not a model")
    # A broken champion never fails a search: the formula answers again.
    assert await prices(client, until=lambda order: order == formula_order) == formula_order


async def test_the_popularity_arm_orders_the_same_matches_by_popularity(make_database) -> None:
    url = await make_database("sqlite")
    base = {**settings_for(url), "SEARCH_RESULT_TTL": "0"}
    loader = build_container(load_settings(base, dotenv=Path(os.devnull)))
    await loader.import_catalog()([(i + 2, row) for i, row in enumerate(CATALOG)])
    await close_container(loader)
    answers = {}
    for arm in ("popularity", "personalized"):
        settings = load_settings({**base, "EXPERIMENT_ARMS": arm}, dotenv=Path(os.devnull))
        async with AsyncTestClient(app=create_app(settings)) as client:
            response = await client.get("/api/search", params={"q": "shoes", "per_page": 50})
            assert response.status_code == 200, response.text
            answers[arm] = response.json()["items"]
    control = [item["popularity"] for item in answers["popularity"]]
    assert control == sorted(control, reverse=True)
    assert {i["sku"] for i in answers["popularity"]} == {i["sku"] for i in answers["personalized"]}
