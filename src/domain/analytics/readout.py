"""The experiment readout built from per-arm totals (summed from the daily rollups).

Comparisons are two-proportion z-tests on searches (or impressions for ctr_per_impression);
the verdict says plainly when there is too little data to conclude.
"""

from collections.abc import Mapping

import msgspec

from domain.analytics.statistics import sample_ratio_check, two_proportion_lift
from domain.experiments.model import CONTROL_ARM as CONTROL
from domain.experiments.model import TREATMENT_ARM as TREATMENT

# Rule: conclude only with at least this many searches with results in each arm.
MIN_SEARCHES_PER_ARM = 1000
METHOD = "two-proportion z-test (pooled) on searches; 95% CI on the rate ratio (delta method)"


class ArmTotals(msgspec.Struct, frozen=True, kw_only=True):
    users: int = 0
    searches: int = 0
    searches_with_results: int = 0
    zero_result_searches: int = 0
    impressions: int = 0
    clicks: int = 0
    add_to_cart: int = 0
    searches_with_click: int = 0
    searches_with_cart: int = 0
    first_click_rr_sum: float = 0.0


class ArmMetrics(msgspec.Struct, frozen=True, kw_only=True):
    users: int
    searches: int
    impressions: int
    clicks: int
    add_to_cart: int
    ctr: float
    conversion: float
    ctr_per_impression: float
    zero_result_rate: float
    mrr: float


class Comparison(msgspec.Struct, frozen=True, kw_only=True):
    lift: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None


class SampleRatio(msgspec.Struct, frozen=True, kw_only=True):
    """Observed and configured shares of visitors by arm (observed shares are 0 with no visitors)."""

    observed: dict[str, float]
    expected_share: dict[str, float]
    p_value: float
    mismatch: bool


class Readout(msgspec.Struct, frozen=True, kw_only=True):
    arms: dict[str, ArmMetrics]
    comparison: dict[str, Comparison]
    method: str
    sample_ratio: SampleRatio
    verdict: str


def _rate(part: float, whole: int) -> float:
    return part / whole if whole else 0.0


def arm_metrics(totals: ArmTotals) -> ArmMetrics:
    return ArmMetrics(
        users=totals.users,
        searches=totals.searches,
        impressions=totals.impressions,
        clicks=totals.clicks,
        add_to_cart=totals.add_to_cart,
        ctr=_rate(totals.searches_with_click, totals.searches_with_results),
        conversion=_rate(totals.searches_with_cart, totals.searches_with_results),
        ctr_per_impression=_rate(totals.clicks, totals.impressions),
        zero_result_rate=_rate(totals.zero_result_searches, totals.searches),
        mrr=_rate(totals.first_click_rr_sum, totals.searches_with_results),
    )


def _compare(control: tuple[int, int], treatment: tuple[int, int]) -> Comparison:
    # Clicks can exceed impressions only in a corrupt log; clamp so the test stays defined.
    lift = two_proportion_lift(min(*control), control[1], min(*treatment), treatment[1])
    return Comparison(lift=lift.lift, ci_low=lift.ci_low, ci_high=lift.ci_high, p_value=lift.p_value)


def build_readout(totals: Mapping[str, ArmTotals], split: Mapping[str, float]) -> Readout:
    """Per-arm metrics, personalized-over-popularity comparisons, SRM check and a verdict."""
    arms = list(split)
    by_arm = {arm: totals.get(arm, ArmTotals()) for arm in arms}
    comparison: dict[str, Comparison] = {}
    if CONTROL in by_arm and TREATMENT in by_arm:
        c, t = by_arm[CONTROL], by_arm[TREATMENT]
        comparison = {
            "ctr": _compare((c.searches_with_click, c.searches_with_results),
                            (t.searches_with_click, t.searches_with_results)),
            "conversion": _compare((c.searches_with_cart, c.searches_with_results),
                                   (t.searches_with_cart, t.searches_with_results)),
            "ctr_per_impression": _compare((c.clicks, c.impressions), (t.clicks, t.impressions)),
        }  # fmt: skip
    srm = sample_ratio_check([by_arm[a].users for a in arms], [split[a] for a in arms])
    visitors = sum(by_arm[a].users for a in arms)
    return Readout(
        arms={arm: arm_metrics(value) for arm, value in by_arm.items()},
        comparison=comparison,
        method=METHOD,
        sample_ratio=SampleRatio(
            observed={a: _rate(by_arm[a].users, visitors) for a in arms},
            expected_share={a: split[a] / sum(split.values()) for a in arms},
            p_value=srm.p_value,
            mismatch=srm.mismatch,
        ),
        verdict=_verdict(by_arm, comparison, srm.mismatch),
    )


def _verdict(by_arm: Mapping[str, ArmTotals], comparison: Mapping[str, Comparison], mismatch: bool) -> str:
    if mismatch:
        return "sample ratio mismatch: the arm split differs from the configured one; do not trust the lift"
    if any(value.searches_with_results < MIN_SEARCHES_PER_ARM for value in by_arm.values()):
        return f"not enough data yet: need {MIN_SEARCHES_PER_ARM} searches with results in each arm"
    ctr = comparison.get("ctr")
    if ctr is None or ctr.p_value is None or ctr.lift is None:
        return "not enough data yet: no comparable click-through in both arms"
    if ctr.p_value >= 0.05:
        return "no significant difference in click-through yet"
    direction = "better" if ctr.lift > 0 else "worse"
    return f"{TREATMENT} is {direction} than {CONTROL} on click-through (p={ctr.p_value:.3g})"
