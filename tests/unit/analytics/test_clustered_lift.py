"""The visitor-level lift: a cluster bootstrap interval and a permutation p-value."""

import numpy as np
import pytest

from domain.analytics.clustered import clustered_lift
from domain.analytics.statistics import two_proportion_lift


def visitors(rates: np.ndarray, searches: int, rng: np.random.Generator) -> list[tuple[int, int]]:
    return [(int(rng.binomial(searches, r)), searches) for r in rates]


def test_no_difference_gives_an_interval_around_zero_and_a_large_p() -> None:
    rng = np.random.default_rng(1)
    a = visitors(rng.uniform(0.3, 0.9, 200), 6, rng)
    b = visitors(rng.uniform(0.3, 0.9, 200), 6, rng)
    lift = clustered_lift(a, b, resamples=2000)
    assert lift.ci_low is not None and lift.ci_high is not None and lift.p_value is not None
    assert lift.ci_low < 0 < lift.ci_high
    assert lift.p_value > 0.05


def test_a_real_difference_is_found() -> None:
    rng = np.random.default_rng(2)
    a = visitors(rng.uniform(0.2, 0.6, 300), 6, rng)
    b = visitors(rng.uniform(0.4, 0.8, 300), 6, rng)
    lift = clustered_lift(a, b, resamples=2000)
    assert lift.lift == pytest.approx(sum(s for s, _ in b) / 1800 / (sum(s for s, _ in a) / 1800) - 1)
    assert lift.ci_low is not None and lift.ci_low > 0
    assert lift.p_value is not None and lift.p_value < 0.001


def test_correlated_searches_widen_the_interval_beyond_the_search_level_test() -> None:
    # Each visitor clicks always or never: 10 searches of one visitor carry one visitor's information.
    rng = np.random.default_rng(3)
    a = [(10, 10) if rng.random() < 0.5 else (0, 10) for _ in range(100)]
    b = [(10, 10) if rng.random() < 0.5 else (0, 10) for _ in range(100)]
    clustered = clustered_lift(a, b, resamples=2000)
    searches = two_proportion_lift(sum(s for s, _ in a), 1000, sum(s for s, _ in b), 1000)
    assert clustered.ci_low is not None and clustered.ci_high is not None
    assert searches.ci_low is not None and searches.ci_high is not None
    assert clustered.ci_high - clustered.ci_low > 2 * (searches.ci_high - searches.ci_low)


def test_visitors_without_searches_are_ignored_and_bad_counts_refused() -> None:
    lift = clustered_lift([(1, 2), (0, 0), (1, 1)], [(2, 2), (1, 1)], resamples=200)
    assert lift.control_rate == pytest.approx(2 / 3)
    with pytest.raises(ValueError):
        clustered_lift([(3, 2), (1, 1)], [(1, 1), (1, 1)])
