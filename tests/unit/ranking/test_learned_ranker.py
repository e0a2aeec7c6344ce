"""LearnedRanker: serves the promoted model, picks up a new one, falls back to the formula."""

import asyncio
import logging
from datetime import timedelta

import numpy as np
import pytest

from adapters.learning.sklearn_fitter import SklearnFitter
from application.ranking.learned_ranker import LearnedRanker
from domain.ranking.features import FEATURE_NAMES, FEATURE_VERSION
from domain.ranking.formula import FormulaRanker, FormulaWeights
from domain.ranking.model import RankingContext, ScoredProduct, ShopperProfile
from domain.ranking.versions import ModelVersion
from tests.unit.fakes import FIXED_NOW, FakeClock, make_product
from tests.unit.ranking_fakes import InMemoryModelStore

CAT = FEATURE_NAMES.index("category_affinity")


class AffinityModel:
    def predict(self, features: np.ndarray) -> np.ndarray:
        return features[:, CAT]


class CheapestFirst:
    def predict(self, features: np.ndarray) -> np.ndarray:
        return -features[:, FEATURE_NAMES.index("price_vs_category")]


def record(version: str) -> ModelVersion:
    return ModelVersion(
        version=version,
        created_at=FIXED_NOW,
        metrics={},
        features=FEATURE_NAMES,
        feature_version=FEATURE_VERSION,
    )


ITEMS = [
    ScoredProduct(make_product("popular", "P", price=50, category="tv", popularity=1000), text_score=5.0),
    ScoredProduct(make_product("liked", "L", price=90, category="shoes"), text_score=1.0),
    ScoredProduct(make_product("cheap", "C", price=5, category="shoes"), text_score=1.0),
]
SHOPPER = RankingContext(visitor_id="v", profile=ShopperProfile(visitor_id="v", categories={"shoes": 1.0}))


def order(ranker: LearnedRanker, context: RankingContext = SHOPPER) -> list[str]:
    return [r.product.sku for r in ranker.rank(ITEMS, context)]


def make(store: InMemoryModelStore, refresh: float = 0.0) -> LearnedRanker:
    fallback = FormulaRanker(FormulaWeights())
    return LearnedRanker(store, SklearnFitter(), fallback, FakeClock(FIXED_NOW + timedelta(days=1)), refresh)


async def saved(store: InMemoryModelStore, version: str, model: object, promote: bool = True) -> None:
    await store.save(record(version), SklearnFitter().dumps(model))  # type: ignore[arg-type]
    if promote:
        await store.promote(version)


async def test_without_a_model_the_formula_ranks() -> None:
    ranker = make(InMemoryModelStore())
    await ranker.refresh()
    assert ranker.model is None
    assert order(ranker)[0] == "popular"


async def test_the_promoted_model_ranks_and_a_new_one_is_picked_up_without_restart() -> None:
    store = InMemoryModelStore()
    await saved(store, "v1", AffinityModel())
    ranker = make(store, refresh=0.0)
    await ranker.refresh()
    assert ranker.version == "v1"
    assert order(ranker)[:2] in (["liked", "cheap"], ["cheap", "liked"])
    await saved(store, "v2", CheapestFirst())
    order(ranker)  # schedules the background check
    assert ranker._task is not None
    await ranker._task
    assert ranker.version == "v2"
    assert order(ranker)[0] == "cheap"


async def test_refresh_is_rate_limited() -> None:
    store = InMemoryModelStore()
    await saved(store, "v1", AffinityModel())
    ranker = make(store, refresh=3600.0)
    await ranker.refresh()
    loads = store.loads
    await saved(store, "v2", CheapestFirst())
    for _ in range(20):
        order(ranker)
    await asyncio.sleep(0)
    assert ranker.version == "v1" and store.loads == loads


async def test_a_corrupt_blob_falls_back_to_the_formula_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    store = InMemoryModelStore()
    await store.save(record("bad"), b"\x80\x04this is not a pickle")
    await store.promote("bad")
    ranker = make(store)
    with caplog.at_level(logging.WARNING):
        await ranker.refresh()
    assert ranker.model is None
    assert "unusable" in caplog.text
    assert order(ranker)[0] == "popular"


async def test_a_model_from_other_features_or_a_failing_model_falls_back() -> None:
    store = InMemoryModelStore()
    await store.save(
        ModelVersion(version="old", created_at=FIXED_NOW, metrics={}, features=("x",), feature_version="0"),
        SklearnFitter().dumps(AffinityModel()),  # type: ignore[arg-type]
    )
    await store.promote("old")
    ranker = make(store)
    await ranker.refresh()
    assert ranker.model is None

    class Broken:
        def predict(self, features: np.ndarray) -> np.ndarray:
            raise RuntimeError("boom")

    ranker.model = Broken()  # type: ignore[assignment]
    assert order(ranker)[0] == "popular"


async def test_anonymous_visitors_are_ranked_by_the_model_on_non_personal_features() -> None:
    store = InMemoryModelStore()
    await saved(store, "v1", CheapestFirst())
    ranker = make(store)
    await ranker.refresh()
    assert order(ranker, RankingContext())[0] == "cheap"


async def test_every_ranked_item_carries_its_feature_vector_with_or_without_a_model() -> None:
    store = InMemoryModelStore()
    ranker = make(store)
    await ranker.refresh()
    assert all(len(r.features) == len(FEATURE_NAMES) for r in ranker.rank(ITEMS, SHOPPER))
    await saved(store, "v1", AffinityModel())
    await ranker.refresh()
    ranked = {r.product.sku: r for r in ranker.rank(ITEMS, SHOPPER)}
    assert ranked["liked"].features[CAT] > ranked["popular"].features[CAT]
    assert ranked["liked"].score == pytest.approx(ranked["liked"].features[CAT], abs=1e-6)


async def test_a_watching_ranker_switches_to_a_promotion_without_any_search() -> None:
    # Several API processes: one answering nothing (or only cached pages) must still switch in time.
    store = InMemoryModelStore()
    await saved(store, "v1", AffinityModel())
    ranker = make(store, refresh=0.2)
    await ranker.refresh()
    ranker.watch()
    try:
        await saved(store, "v2", CheapestFirst())
        for _ in range(50):
            if ranker.version == "v2":
                break
            await asyncio.sleep(0.05)
        assert ranker.version == "v2"
    finally:
        await ranker.close()
    assert ranker._watch is not None and ranker._watch.done()
