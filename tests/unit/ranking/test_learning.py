"""Labels, the examination curve, inverse-propensity weights and the offline metrics."""

import numpy as np
import pytest
from sklearn.metrics import ndcg_score, roc_auc_score

from domain.ranking.learning import (
    auc,
    counterfactual_gains,
    examination_curve,
    gains,
    ipw_weights,
    mean_ndcg,
    ndcg_at,
)


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
    clipped = ipw_weights([1, 3, 3, 9], np.array([1.0, 2.0, 0.0, 1.0]), curve, max_weight=3.0)
    assert list(clipped) == [1.0, 3.0, 1.0, 3.0]


def test_counterfactual_gain_of_the_logged_order_is_what_was_logged() -> None:
    curve = np.array([1.0, 0.5, 0.3])
    groups = ["a", "a", "a", "b", "b"]
    positions = [1, 2, 3, 1, 2]
    y = np.array([0.0, 1.0, 2.0, 1.0, 0.0])
    logged_order = -np.asarray(positions, dtype=float)
    assert list(counterfactual_gains(groups, positions, y, logged_order, curve)) == pytest.approx([3.0, 1.0])
    # Search a reversed: the click at 2 stays at 2, the cart at 3 moves to 1 (x 1 / 0.3).
    reversed_a = np.asarray(positions, dtype=float) * np.array([1, 1, 1, -1, -1])
    assert counterfactual_gains(groups, positions, y, reversed_a, curve)[0] == pytest.approx(1.0 + 2.0 / 0.3)


def test_counterfactual_gain_keeps_the_positions_a_search_showed() -> None:
    curve = 1.0 / np.arange(1, 25)
    # A second page alone (13, 14): swapping its items moves the click from 14 to 13, not to 1.
    groups, positions, y = ["p", "p", "q"], [13, 14, 1], np.array([0.0, 1.0, 1.0])
    swapped = np.array([0.0, 1.0, 5.0])
    got = counterfactual_gains(groups, positions, y, swapped, curve)
    assert list(got) == pytest.approx([(1 / 13) / (1 / 14), 1.0])
    # The result is per search in sorted order of the ids, however the rows are interleaved.
    assert list(counterfactual_gains(["q", "p", "q"], [1, 1, 2], np.array([0.0, 1.0, 1.0]),
                                     np.array([1.0, 0.0, 2.0]), curve)) == pytest.approx([1.0, 2.0])  # fmt: skip


def test_counterfactual_gain_estimates_a_new_ranking_from_another_rankings_log() -> None:
    """Under a position-based click model, logged by one ranking, it recovers another's expected clicks."""
    rng = np.random.default_rng(5)
    curve = 1.0 / np.arange(1, 9)
    n_search, n = 4000, 8
    attract = rng.uniform(0.0, 0.6, (n_search, n))
    logging_scores = rng.random((n_search, n))  # the logging ranking ignores attractiveness
    groups, positions, clicks, new_scores = [], [], [], []
    true_new = 0.0
    for s in range(n_search):
        logged_rank = np.empty(n, dtype=int)
        logged_rank[np.argsort(-logging_scores[s])] = np.arange(1, n + 1)
        new_rank = np.empty(n, dtype=int)
        new_rank[np.argsort(-attract[s])] = np.arange(1, n + 1)
        true_new += float(np.sum(curve[new_rank - 1] * attract[s]))
        for i in range(n):
            groups.append(f"s{s}")
            positions.append(int(logged_rank[i]))
            clicks.append(float(rng.random() < curve[logged_rank[i] - 1] * attract[s, i]))
            new_scores.append(attract[s, i])
    y = np.asarray(clicks)
    estimate = counterfactual_gains(groups, positions, y, np.asarray(new_scores), curve).mean()
    logged = y.sum() / n_search
    assert estimate == pytest.approx(true_new / n_search, rel=0.08)
    assert estimate > 1.15 * logged  # the better ranking is credited, not the logging one


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
