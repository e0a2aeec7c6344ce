"""The experiment's statistics: lift with a confidence interval, p-values, sample-ratio checks.

Pure Python (math only) so the readout is the same wherever it is computed, and checkable by hand.
"""

import math
from collections.abc import Sequence

import msgspec

Z_95 = 1.959963984540054


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


def normal_sf(z: float) -> float:
    """P(Z > z) for a standard normal Z."""
    return 0.5 * math.erfc(z / math.sqrt(2.0))


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
    p_value = 1.0 if spread == 0 else 2 * normal_sf(abs(treatment - control) / spread)
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


def chi_square_sf(statistic: float, degrees: int) -> float:
    """P(X > statistic) for a chi-square variable: the regularized upper incomplete gamma Q(k/2, x/2)."""
    if degrees < 1:
        raise ValueError("a chi-square test needs at least one degree of freedom")
    if statistic <= 0:
        return 1.0
    a, x = degrees / 2.0, statistic / 2.0
    if x < a + 1:
        # Series for the lower part P(a, x), then Q = 1 - P.
        term = total = 1.0 / a
        n = a
        for _ in range(500):
            n += 1
            term *= x / n
            total += term
            if abs(term) < abs(total) * 1e-15:
                break
        return max(0.0, 1.0 - total * math.exp(-x + a * math.log(x) - math.lgamma(a)))
    # Continued fraction (modified Lentz) for Q(a, x).
    tiny = 1e-300
    b = x + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, 500):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-15:
            break
    return min(1.0, math.exp(-x + a * math.log(x) - math.lgamma(a)) * h)


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
    p_value = chi_square_sf(statistic, len(observed) - 1)
    return SampleRatioCheck(
        observed=tuple(observed),
        expected=expected,
        chi_square=statistic,
        p_value=p_value,
        mismatch=p_value < alpha,
    )
