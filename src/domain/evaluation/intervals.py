"""Uncertainty over queries: bootstrap confidence intervals and a paired sign-flip test.

Queries are the unit of sampling (a judgment set is a sample of the queries shoppers type), so
intervals resample queries. Both procedures use a seeded numpy generator: the same scores and
seed always give the same interval and p-value.
"""

import msgspec
import numpy as np
from numpy.typing import ArrayLike

DEFAULT_RESAMPLES = 10_000


class Estimate(msgspec.Struct, frozen=True):
    mean: float
    ci_low: float
    ci_high: float
    n: int


class PairedDifference(msgspec.Struct, frozen=True):
    """Mean of (b - a) over the same queries, its bootstrap interval and a two-sided p-value."""

    mean: float
    ci_low: float
    ci_high: float
    p_value: float
    n: int


def _values(scores: ArrayLike) -> np.ndarray:
    values = np.asarray(scores, dtype=float)
    if values.ndim != 1 or values.size == 0:
        raise ValueError("need a non-empty list of per-query scores")
    return values


def bootstrap_mean(
    scores: ArrayLike, *, confidence: float = 0.95, resamples: int = DEFAULT_RESAMPLES, seed: int = 0
) -> Estimate:
    """Percentile bootstrap of the mean: resample queries with replacement."""
    values = _values(scores)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, values.size, size=(resamples, values.size))
    means = values[picks].mean(axis=1)
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(means, [tail, 1.0 - tail])
    return Estimate(mean=float(values.mean()), ci_low=float(low), ci_high=float(high), n=int(values.size))


def paired_difference(
    a: ArrayLike,
    b: ArrayLike,
    *,
    confidence: float = 0.95,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
) -> PairedDifference:
    """b - a per query: bootstrap interval of the mean and a sign-flip randomization p-value.

    Under the null hypothesis that the two configurations are exchangeable on every query, each
    difference is as likely positive as negative; the p-value is the share of random sign flips
    whose mean is at least as far from 0 as the observed one (with the observed set counted, so
    it is never 0).
    """
    first, second = _values(a), _values(b)
    if first.shape != second.shape:
        raise ValueError("paired scores need the same queries in both lists")
    diff = second - first
    interval = bootstrap_mean(diff, confidence=confidence, resamples=resamples, seed=seed)
    rng = np.random.default_rng(seed + 1)
    signs = rng.choice(np.array([-1.0, 1.0]), size=(resamples, diff.size))
    flipped = np.abs((signs * diff).mean(axis=1))
    observed = abs(float(diff.mean()))
    extreme = int(np.count_nonzero(flipped >= observed - 1e-12))
    p_value = (extreme + 1) / (resamples + 1)
    return PairedDifference(
        mean=interval.mean, ci_low=interval.ci_low, ci_high=interval.ci_high, p_value=p_value, n=interval.n
    )
