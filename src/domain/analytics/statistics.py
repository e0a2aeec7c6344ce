"""The experiment's statistics: lift with a confidence interval, p-values, sample-ratio checks.

The formulas are written out so the readout is checkable by hand; the distribution tails come
from scipy.stats rather than from our own series.
"""

import math
from collections.abc import Sequence

import msgspec
from scipy import stats

Z_95 = float(stats.norm.ppf(0.975))


class Lift(msgspec.Struct, frozen=True, kw_only=True):
    """Relative lift of the treatment over the control: treatment_rate / control_rate - 1."""

    control_rate: float
    treatment_rate: float
    lift: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    method: str


class SampleRatioCheck(msgspec.Struct, frozen=True, kw_only=True):
    observed: tuple[int, ...]
    expected: tuple[float, ...]
    chi_square: float
    p_value: float
    mismatch: bool


def two_proportion_lift(
    control_successes: int, control_trials: int, treatment_successes: int, treatment_trials: int
) -> Lift:
    """Pooled two-proportion z-test; the interval is for the ratio of rates (log scale, delta method).

    Undefined parts (no trials, a zero control rate) come back as None rather than as infinities.
    """
    for successes, trials in ((control_successes, control_trials), (treatment_successes, treatment_trials)):
        if trials < 0 or successes < 0 or successes > trials:
            raise ValueError("successes must lie between 0 and the number of trials")
    control = control_successes / control_trials if control_trials else 0.0
    treatment = treatment_successes / treatment_trials if treatment_trials else 0.0
    method = "two-proportion z-test (pooled), CI on the rate ratio by the delta method"
    if not control_trials or not treatment_trials:
        return Lift(
            control_rate=control, treatment_rate=treatment, lift=None, ci_low=None, ci_high=None,
            p_value=None, method=method,
        )  # fmt: skip
    pooled = (control_successes + treatment_successes) / (control_trials + treatment_trials)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / control_trials + 1 / treatment_trials))
    p_value = 1.0 if spread == 0 else 2 * float(stats.norm.sf(abs(treatment - control) / spread))
    if control_successes == 0 or treatment_successes == 0:
        lift = None if control == 0 else treatment / control - 1
        return Lift(
            control_rate=control, treatment_rate=treatment, lift=lift, ci_low=None, ci_high=None,
            p_value=p_value, method=method,
        )  # fmt: skip
    log_ratio = math.log(treatment / control)
    log_se = math.sqrt((1 - treatment) / treatment_successes + (1 - control) / control_successes)
    return Lift(
        control_rate=control,
        treatment_rate=treatment,
        lift=math.exp(log_ratio) - 1,
        ci_low=math.exp(log_ratio - Z_95 * log_se) - 1,
        ci_high=math.exp(log_ratio + Z_95 * log_se) - 1,
        p_value=p_value,
        method=method,
    )


def sample_ratio_check(
    observed: Sequence[int], expected_shares: Sequence[float], alpha: float = 0.001
) -> SampleRatioCheck:
    """Chi-square goodness of fit of the arm counts to the configured split.

    A strict alpha (0.001, the usual choice for this guard) because the check runs on every readout.
    """
    if len(observed) != len(expected_shares) or len(observed) < 2:
        raise ValueError("one observed count per arm, and at least two arms")
    total_share = sum(expected_shares)
    total = sum(observed)
    expected = tuple(total * share / total_share for share in expected_shares)
    if total == 0:
        return SampleRatioCheck(
            observed=tuple(observed), expected=expected, chi_square=0.0, p_value=1.0, mismatch=False
        )
    statistic = sum(
        (seen - want) ** 2 / want for seen, want in zip(observed, expected, strict=True) if want > 0
    )
    p_value = float(stats.chi2.sf(statistic, len(observed) - 1))
    return SampleRatioCheck(
        observed=tuple(observed),
        expected=expected,
        chi_square=statistic,
        p_value=p_value,
        mismatch=p_value < alpha,
    )
