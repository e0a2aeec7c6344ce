"""Ranking metrics against hand-computed values and scikit-learn; intervals and the paired test."""

import math

import numpy as np
import pytest
from sklearn.metrics import ndcg_score

from domain.evaluation.errors import InvalidJudgments
from domain.evaluation.intervals import bootstrap_mean, paired_difference
from domain.evaluation.judgments import format_judgments, parse_judgments
from domain.evaluation.metrics import dcg, ndcg_at_k, recall_at_k, reciprocal_rank, score_query

JUDGED = {"A": 3, "B": 2, "C": 0, "D": 1}
RANKED = ["C", "A", "E", "B"]  # E is unjudged: grade 0


def test_ndcg_matches_the_hand_computation() -> None:
    # DCG@3 = 0/log2(2) + 3/log2(3) + 0/log2(4); ideal = 3/1 + 2/log2(3) + 1/2
    expected = (3 / math.log2(3)) / (3 + 2 / math.log2(3) + 0.5)
    assert ndcg_at_k(RANKED, JUDGED, 3) == pytest.approx(expected)
    assert expected == pytest.approx(0.39749, abs=1e-5)
    assert ndcg_at_k(["A", "B", "D"], JUDGED, 3) == pytest.approx(1.0)
    assert ndcg_at_k(["B", "A", "D"], JUDGED, 3) < 1.0
    assert ndcg_at_k([], JUDGED, 10) == 0.0
    assert ndcg_at_k(["A"], {"A": 0}, 10) == 0.0  # no ideal ranking


def test_ndcg_agrees_with_scikit_learn() -> None:
    # Judged products the engine did not return are ranked below everything it did.
    items = ["C", "A", "E", "B", "D"]
    truth = np.array([[JUDGED.get(i, 0) for i in items]], dtype=float)
    scores = np.array([[5, 4, 3, 2, 1]], dtype=float)
    for k in (1, 2, 3, 4):
        assert ndcg_at_k(RANKED, JUDGED, k) == pytest.approx(ndcg_score(truth, scores, k=k))


def test_dcg_of_nothing_is_zero() -> None:
    assert dcg([], 10) == 0.0
    assert dcg([1, 1], 1) == 1.0


def test_reciprocal_rank_and_recall_by_hand() -> None:
    assert reciprocal_rank(RANKED, JUDGED) == 0.5
    assert reciprocal_rank(["C", "D", "A"], JUDGED, threshold=1) == 0.5
    assert reciprocal_rank(["C", "D", "A"], JUDGED, threshold=2) == pytest.approx(1 / 3)
    assert reciprocal_rank(["C", "E"], JUDGED) == 0.0
    assert recall_at_k(RANKED, JUDGED, 2) == pytest.approx(1 / 3)  # A of {A, B, D}
    assert recall_at_k(RANKED, JUDGED, 4) == pytest.approx(2 / 3)  # A and B
    assert recall_at_k(RANKED, JUDGED, 4, threshold=2) == 1.0
    metrics = score_query("q", RANKED, JUDGED, ndcg_k=3, recall_k=4)
    assert (metrics.relevant, metrics.retrieved, metrics.reciprocal_rank) == (3, 4, 0.5)


def test_bootstrap_interval_holds_the_mean_and_is_deterministic() -> None:
    scores = [0.2, 0.4, 0.5, 0.9, 1.0, 0.7, 0.3, 0.6]
    first = bootstrap_mean(scores, seed=3)
    assert first == bootstrap_mean(scores, seed=3)
    assert first.mean == pytest.approx(np.mean(scores))
    assert first.ci_low < first.mean < first.ci_high
    # Roughly mean +- 1.96 * sd / sqrt(n) for a sample this small.
    half = 1.96 * np.std(scores) / math.sqrt(len(scores))
    assert first.ci_high - first.ci_low == pytest.approx(2 * half, rel=0.25)
    constant = bootstrap_mean([0.5, 0.5, 0.5])
    assert (constant.ci_low, constant.ci_high) == (0.5, 0.5)
    with pytest.raises(ValueError):
        bootstrap_mean([])


def test_paired_difference_finds_a_consistent_gain_and_not_noise() -> None:
    rng = np.random.default_rng(1)
    base = rng.uniform(0.2, 0.8, 60)
    better = base + 0.05 + rng.normal(0, 0.02, 60)
    gain = paired_difference(base, better)
    assert gain.mean == pytest.approx(0.05, abs=0.01)
    assert gain.ci_low > 0 and gain.p_value < 0.001
    same = paired_difference(base, base)
    assert same.mean == 0.0 and same.p_value == 1.0
    noise = paired_difference(base, base + rng.normal(0, 0.05, 60))
    assert noise.ci_low < 0 < noise.ci_high and noise.p_value > 0.05
    with pytest.raises(ValueError):
        paired_difference([1.0, 2.0], [1.0])


def test_judgments_round_trip_and_errors_name_the_line() -> None:
    text = "query\tsku\tgrade\n# comment\nred shoes\tS1\t2\n\nred shoes\tS2\t0\nmug\tM1\t1\n"
    parsed = parse_judgments(text.splitlines())
    assert parsed == {"red shoes": {"S1": 2, "S2": 0}, "mug": {"M1": 1}}
    assert parse_judgments(format_judgments(parsed).splitlines()) == parsed
    bad = {
        "a\tb\n": "expected 3",
        "a\tb\tx\n": "not an integer",
        "a\tb\t11\n": "outside",
        "\tb\t1\n": "must not be empty",
        "a\tb\t1\na\tb\t2\n": "judged twice",
    }
    for content, reason in bad.items():
        with pytest.raises(InvalidJudgments, match=reason) as caught:
            parse_judgments(("ok\tX\t1\n" + content).splitlines())
        assert caught.value.line >= 2
    with pytest.raises(ValueError):
        format_judgments({"tab\there": {"S": 1}})
