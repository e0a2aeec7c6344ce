"""A rate lift with visitors as the unit: cluster bootstrap interval, permutation p-value (numpy).

An A/B's searches are not independent trials: one shopper's searches share their tastes and
patience, so a test that counts searches as trials gives intervals that are too narrow. Here
each visitor is one cluster (their successes and trials): the interval resamples visitors with
replacement within each arm (percentile bootstrap of treatment rate / control rate - 1), and the
p-value permutes the arm labels among visitors (arm sizes kept) and counts how often the
difference of pooled rates is at least as far from 0 as the observed one.
"""

from collections.abc import Sequence

import numpy as np

from domain.analytics.statistics import Lift

METHOD = (
    "cluster bootstrap over visitors (percentile CI on the rate ratio), permutation p-value over visitors"
)


def _arrays(clusters: Sequence[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    for successes, trials in clusters:
        if trials < 0 or successes < 0 or successes > trials:
            raise ValueError("successes must lie between 0 and the number of trials")
    kept = [(s, n) for s, n in clusters if n > 0]
    s = np.asarray([c[0] for c in kept], dtype=np.float64)
    n = np.asarray([c[1] for c in kept], dtype=np.float64)
    return s, n


def clustered_lift(
    control: Sequence[tuple[int, int]],
    treatment: Sequence[tuple[int, int]],
    *,
    confidence: float = 0.95,
    resamples: int = 10_000,
    seed: int = 0,
) -> Lift:
    """Lift of the treatment's pooled rate over the control's; one (successes, trials) per visitor."""
    cs, cn = _arrays(control)
    ts, tn = _arrays(treatment)
    control_rate = float(cs.sum() / cn.sum()) if cn.size else 0.0
    treatment_rate = float(ts.sum() / tn.sum()) if tn.size else 0.0
    if cn.size < 2 or tn.size < 2 or control_rate == 0.0:
        return Lift(
            control_rate=control_rate, treatment_rate=treatment_rate, lift=None, ci_low=None,
            ci_high=None, p_value=None, method=METHOD,
        )  # fmt: skip
    rng = np.random.default_rng(seed)
    c_pick = rng.integers(0, cn.size, size=(resamples, cn.size))
    t_pick = rng.integers(0, tn.size, size=(resamples, tn.size))
    c_rates = cs[c_pick].sum(axis=1) / cn[c_pick].sum(axis=1)
    t_rates = ts[t_pick].sum(axis=1) / tn[t_pick].sum(axis=1)
    valid = c_rates > 0
    lifts = t_rates[valid] / c_rates[valid] - 1.0
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(lifts, [tail, 1.0 - tail])

    s, n = np.concatenate([cs, ts]), np.concatenate([cn, tn])
    observed = abs(treatment_rate - control_rate)
    perm_rng = np.random.default_rng(seed + 1)
    keys = perm_rng.random((resamples, s.size))
    treated = np.argsort(keys, axis=1)[:, : tn.size]  # a random set of tn.size visitors per row
    mask = np.zeros((resamples, s.size), dtype=bool)
    np.put_along_axis(mask, treated, True, axis=1)
    t_s, t_n = (mask * s).sum(axis=1), (mask * n).sum(axis=1)
    c_s, c_n = s.sum() - t_s, n.sum() - t_n
    diffs = np.abs(t_s / t_n - c_s / c_n)
    extreme = int(np.count_nonzero(diffs >= observed - 1e-12))
    return Lift(
        control_rate=control_rate,
        treatment_rate=treatment_rate,
        lift=treatment_rate / control_rate - 1.0,
        ci_low=float(low),
        ci_high=float(high),
        p_value=(extreme + 1) / (resamples + 1),
        method=METHOD,
    )
