"""Labels, the examination curve, inverse-propensity weights and the offline metrics."""

import numpy as np
import pytest
from sklearn.metrics import ndcg_score, roc_auc_score

from domain.ranking.learning import auc, examination_curve, gains, ipw_weights, mean_ndcg, ndcg_at


def test_graded_gains() -> None:
    assert list(gains([True, True, False], [True, False, False])) == [2.0, 1.0, 0.0]


def test_examination_curve_recovers_a_planted_curve_under_random_order() -> None:
    rng = np.random.default_rng(3)
    true_curve = 1.0 / np.arange(1, 11) ** 0.7
    positions = rng.integers(1, 11, 200_000)
    # Random order: relevance does not depend on position, so CTR ratios are examination ratios.
    clicks = rng.random(positions.size) < 0.3 * true_curve[positions - 1]
    curve = examination_curve(positions.tolist(), clicks.tolist())
    assert curve == pytest.approx(true_curve, abs=0.03)
    assert np.all(np.diff(curve) <= 0)


def test_ipw_weights_upweight_clicks_at_low_positions() -> None:
    curve = np.array([1.0, 0.5, 0.25])
    w = ipw_weights([1, 3, 3, 9], np.array([1.0, 2.0, 0.0, 1.0]), curve)
    assert list(w) == [1.0, 4.0, 1.0, 4.0]  # position 9 clipped to the last known position


def test_ndcg_matches_sklearn() -> None:
    rng = np.random.default_rng(0)
    for _ in range(50):
        relevance = rng.integers(0, 3, 15).astype(float)
        scores = rng.random(15)
        expected = ndcg_score(relevance[None, :], scores[None, :], k=10) if relevance.any() else 0.0
        assert ndcg_at(relevance, scores, 10) == pytest.approx(expected)


def test_mean_ndcg_skips_queries_without_positives() -> None:
    groups = ["a", "a", "b", "b"]
    assert mean_ndcg(groups, np.array([1.0, 0.0, 0.0, 0.0]), np.array([0.9, 0.1, 0.5, 0.4])) == 1.0
    assert mean_ndcg(groups, np.array([1.0, 0.0, 0.0, 0.0]), np.array([0.1, 0.9, 0.5, 0.4])) < 1.0


def test_auc_matches_sklearn_with_ties() -> None:
    rng = np.random.default_rng(1)
    positive = rng.random(300) < 0.3
    scores = np.round(rng.random(300) + positive * 0.3, 1)  # many ties
    assert auc(positive, scores) == pytest.approx(roc_auc_score(positive, scores))
    assert auc(np.zeros(3, dtype=bool), np.ones(3)) == 0.5
