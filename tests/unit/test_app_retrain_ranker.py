"""RetrainRanker on a synthetic log with planted preferences; champion/challenger promotion."""

import numpy as np
import pytest

from adapters.learning.sklearn_fitter import SklearnFitter
from application.ranking.train import RetrainRanker, TrainingConfig
from domain.ranking.features import FEATURE_NAMES, FEATURE_VERSION
from tests.unit.fakes import FIXED_NOW, FakeClock
from tests.unit.ranking_fakes import InMemoryModelStore, InMemoryTrainingData, planted_log


class ConstantModel:
    """A champion that scores everything the same: the challenger must beat it."""

    def predict(self, features: np.ndarray) -> np.ndarray:
        return np.zeros(len(features))


class PerfectishFitter(SklearnFitter):
    """Loads any blob as a model that knows the planted preference exactly."""

    def loads(self, blob: bytes):  # type: ignore[override]
        if blob == b"oracle":
            col = FEATURE_NAMES.index("category_affinity")

            class Oracle:
                def predict(self, features: np.ndarray) -> np.ndarray:
                    return features[:, col] + 0.01 * features[:, 0]

            return Oracle()
        return super().loads(blob)


def retrain(store: InMemoryModelStore, fitter: SklearnFitter | None = None) -> RetrainRanker:
    data = InMemoryTrainingData(planted_log(FIXED_NOW, days=10))
    config = TrainingConfig(window_days=30, holdout_days=3, min_impressions=200)
    return RetrainRanker(data, store, fitter or SklearnFitter(max_iter=60), FakeClock(), config)


async def test_learns_the_planted_preference_and_beats_the_formula() -> None:
    store = InMemoryModelStore()
    report = await retrain(store)()
    assert report.status == "promoted"
    version = report.version
    assert version is not None
    metrics = version.metrics
    assert metrics["ndcg@10"] > metrics["formula_ndcg@10"] + 0.05
    assert metrics["auc"] > metrics["formula_auc"]
    assert metrics["train_impressions"] == 7 * 60 * 10
    assert metrics["test_impressions"] == 3 * 60 * 10
    assert version.features == FEATURE_NAMES and version.feature_version == FEATURE_VERSION
    assert {"scikit-learn", "numpy"} <= set(version.libraries)
    assert version.window_start is not None and version.window_end is not None
    assert version.window_end > version.window_start
    promoted = await store.promoted()
    assert promoted is not None and promoted.version == version.version
    # The stored blob is the trained model: it loads and ranks affinity first.
    model = SklearnFitter().loads(store.blobs[version.version])
    x = np.zeros((2, len(FEATURE_NAMES)))
    x[0, FEATURE_NAMES.index("category_affinity")] = 0.8
    scores = model.predict(x)
    assert scores[0] > scores[1]


async def test_a_worse_challenger_does_not_replace_the_champion() -> None:
    store = InMemoryModelStore()
    fitter = PerfectishFitter(max_iter=60)
    first = await retrain(store, fitter)()
    assert first.version is not None
    store.blobs[first.version.version] = b"oracle"  # the champion is now the planted truth
    second = await retrain(store, fitter)()
    assert second.status == "kept_champion"
    assert second.version is not None
    assert second.version.metrics["champion_ndcg@10"] > second.version.metrics["ndcg@10"]
    promoted = await store.promoted()
    assert promoted is not None and promoted.version == first.version.version
    assert len(await store.versions()) == 2  # the challenger is kept, unpromoted, for the record


class Contrarian:
    """Ranks the planted preference last: what a badly trained model would do."""

    def predict(self, features: np.ndarray) -> np.ndarray:
        return -features[:, FEATURE_NAMES.index("category_affinity")] - features[:, 0]


class ContrarianFitter(SklearnFitter):
    def fit(self, features: np.ndarray, gains: np.ndarray, weights: np.ndarray):  # type: ignore[override]
        return Contrarian()

    def dumps(self, model: object) -> bytes:  # type: ignore[override]
        return b"contrarian"


async def test_a_challenger_worse_than_the_formula_is_refused_without_a_champion() -> None:
    store = InMemoryModelStore()
    report = await retrain(store, ContrarianFitter())()
    assert report.status == "kept_champion"
    assert report.version is not None
    metrics = report.version.metrics
    assert metrics["gain"] < metrics["formula_gain"]
    assert await store.promoted() is None  # the formula keeps serving


async def test_the_gate_credits_a_better_ranking_than_the_one_that_logged_the_clicks() -> None:
    """The log is ranked by the formula; the gate's counterfactual gain must not simply favour it."""
    store = InMemoryModelStore()
    report = await retrain(store)()
    assert report.version is not None
    metrics = report.version.metrics
    # The formula re-ranking its own pages collects what was logged.
    assert metrics["formula_gain"] == pytest.approx(metrics["logged_gain"], rel=0.05)
    assert metrics["gain"] > 1.2 * metrics["formula_gain"]


async def test_too_little_data_is_skipped_and_nothing_is_stored() -> None:
    store = InMemoryModelStore()
    data = InMemoryTrainingData(planted_log(FIXED_NOW, days=1, searches_per_day=5))
    report = await RetrainRanker(data, store, SklearnFitter(), FakeClock())()
    assert report.status == "skipped"
    assert store.records == {}


@pytest.mark.parametrize("holdout_days", [3.0, 5.0])
async def test_split_is_by_time(holdout_days: float) -> None:
    store = InMemoryModelStore()
    data = InMemoryTrainingData(planted_log(FIXED_NOW, days=10))
    config = TrainingConfig(holdout_days=holdout_days, min_impressions=100)
    report = await RetrainRanker(data, store, SklearnFitter(max_iter=20), FakeClock(), config)()
    assert report.version is not None
    assert report.version.metrics["test_impressions"] == holdout_days * 600
