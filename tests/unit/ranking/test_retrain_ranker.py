"""RetrainRanker on a synthetic log with planted preferences; champion/challenger promotion."""

from collections.abc import Mapping

import numpy as np
import pytest

from adapters.learning.sklearn_fitter import SklearnFitter
from application.ranking.ports import TrainingImpression
from application.ranking.retrain_ranker import RetrainRanker, TrainingConfig
from domain.ranking.features import FEATURE_NAMES, FEATURE_VERSION
from domain.ranking.ports import ScoringModel
from domain.ranking.position import AtTopPosition, with_positions
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


def retrain(
    store: InMemoryModelStore, fitter: SklearnFitter | None = None, position_bias: str = "feature"
) -> RetrainRanker:
    data = InMemoryTrainingData(planted_log(FIXED_NOW, days=10))
    config = TrainingConfig(window_days=30, holdout_days=3, min_impressions=200, position_bias=position_bias)
    return RetrainRanker(data, store, fitter or SklearnFitter(max_iter=60), FakeClock(), config)


@pytest.mark.parametrize("position_bias", ["feature", "ipw"])
async def test_learns_the_planted_preference_and_beats_the_formula(position_bias: str) -> None:
    store = InMemoryModelStore()
    report = await retrain(store, position_bias=position_bias)()
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
    assert version.position_bias == position_bias
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


class TextOnly:
    """Ignores the shopper: worse than the planted truth, whatever the log."""

    def predict(self, features: np.ndarray) -> np.ndarray:
        return features[:, 0]


class TextOnlyFitter(PerfectishFitter):
    def fit(self, features: np.ndarray, gains: np.ndarray, weights: np.ndarray):  # type: ignore[override]
        return TextOnly()

    def dumps(self, model: object) -> bytes:  # type: ignore[override]
        return b"text-only"


async def test_a_worse_challenger_does_not_replace_the_champion() -> None:
    store = InMemoryModelStore()
    first = await retrain(store, PerfectishFitter(max_iter=60))()
    assert first.version is not None
    store.blobs[first.version.version] = b"oracle"  # the champion is now the planted truth
    second = await retrain(store, TextOnlyFitter())()
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


def _ordered_by_freshness_log(searches: int = 600, per_page: int = 10) -> list[TrainingImpression]:
    """Pages ordered by freshness, which never moves a click; category affinity and position do."""
    rng = np.random.default_rng(5)
    fresh, affinity = FEATURE_NAMES.index("freshness"), FEATURE_NAMES.index("category_affinity")
    rows = []
    for s in range(searches):
        x = np.zeros((per_page, len(FEATURE_NAMES)))
        x[:, fresh] = np.sort(rng.uniform(0, 1, per_page))[::-1]
        x[:, affinity] = rng.choice([0.0, 0.8], per_page, p=[0.7, 0.3])
        for position, row in enumerate(x, start=1):
            clicked = rng.random() < (1.0 / position) * (0.1 + 0.8 * row[affinity])
            rows.append(
                TrainingImpression(
                    time=FIXED_NOW, visitor_id="v", search_id=f"s{s}", sku=f"p{s}-{position}",
                    position=position, clicked=bool(clicked), carted=False, features=[float(v) for v in row],
                )
            )  # fmt: skip
    return rows


def test_position_as_a_feature_keeps_the_logged_order_out_of_the_model() -> None:
    """The fresher a product, the higher it was shown; only the position made that count.

    Fitted without correction, the model's scores follow freshness and it sees a small affinity
    effect (much of each click is put down to freshness); with the position as a training column
    and scored at the top, freshness moves the score far less and the affinity effect is near the
    true one at position 1 (0.8 * 0.8 = 0.64).
    """
    rows = _ordered_by_freshness_log()
    x = np.asarray([r.features for r in rows])
    y = np.asarray([1.0 if r.clicked else 0.0 for r in rows])
    positions = np.asarray([r.position for r in rows], dtype=np.float64)
    fitter = SklearnFitter(max_iter=60)
    uncorrected = fitter.fit(x, y, np.ones(len(y)))
    corrected = AtTopPosition(fitter.fit(with_positions(x, positions), y, np.ones(len(y))))
    fresh, affinity = x[:, FEATURE_NAMES.index("freshness")], x[:, FEATURE_NAMES.index("category_affinity")]
    plain = affinity == 0

    def effects(model: ScoringModel) -> tuple[float, float]:
        scores = model.predict(x)
        follows_freshness = float(np.corrcoef(scores[plain], fresh[plain])[0, 1])
        return follows_freshness, float(scores[~plain].mean() - scores[plain].mean())

    fresh_uncorrected, affinity_uncorrected = effects(uncorrected)
    fresh_corrected, affinity_corrected = effects(corrected)
    assert fresh_uncorrected > 0.5
    assert fresh_corrected < 0.5 * fresh_uncorrected
    assert affinity_corrected > 2 * affinity_uncorrected
    assert 0.4 < affinity_corrected < 0.8


class RecordingNotices:
    def __init__(self) -> None:
        self.published: list[tuple[str, dict[str, object]]] = []

    async def publish(self, kind: str, data: Mapping[str, object]) -> None:
        self.published.append((kind, dict(data)))


async def test_a_promotion_is_published_and_a_kept_champion_is_not() -> None:
    store, notices = InMemoryModelStore(), RecordingNotices()
    promoting = retrain(store, PerfectishFitter(max_iter=60))
    promoting.notices = notices
    report = await promoting()
    assert report.status == "promoted" and report.version is not None
    ((kind, data),) = notices.published
    assert kind == "model.promoted" and data["version"] == report.version.version
    assert data["metrics"] == report.version.metrics and data["created_at"] == report.version.created_at
    store.blobs[report.version.version] = b"oracle"
    kept = retrain(store, TextOnlyFitter())
    kept.notices = notices
    assert (await kept()).status == "kept_champion"
    assert len(notices.published) == 1
