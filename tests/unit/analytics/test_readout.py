import pytest

from domain.analytics.readout import MIN_SEARCHES_PER_ARM, ArmTotals, build_readout

SPLIT = {"personalized": 0.5, "popularity": 0.5}


def _arm(users: int, with_results: int, clicked: int) -> ArmTotals:
    return ArmTotals(
        users=users, searches=with_results + 10, searches_with_results=with_results, zero_result_searches=10,
        impressions=with_results * 10, clicks=clicked, add_to_cart=clicked // 4, searches_with_click=clicked,
        searches_with_cart=clicked // 4, first_click_rr_sum=clicked * 0.5,
    )  # fmt: skip


def test_arm_metrics_are_ratios_of_the_totals() -> None:
    readout = build_readout({"personalized": _arm(100, 200, 50), "popularity": _arm(100, 200, 40)}, SPLIT)
    arm = readout.arms["personalized"]
    assert arm.ctr == pytest.approx(50 / 200)
    assert arm.conversion == pytest.approx(12 / 200)
    assert arm.ctr_per_impression == pytest.approx(50 / 2000)
    assert arm.zero_result_rate == pytest.approx(10 / 210)
    assert arm.mrr == pytest.approx(25 / 200)
    assert readout.comparison["ctr"].lift == pytest.approx(0.25)
    assert "two-proportion z-test" in readout.method


def test_too_little_data_is_said_plainly() -> None:
    readout = build_readout({"personalized": _arm(100, 200, 50), "popularity": _arm(100, 200, 40)}, SPLIT)
    assert readout.verdict.startswith("not enough data")
    assert not readout.sample_ratio.mismatch


def test_significant_lift_is_reported_with_its_interval() -> None:
    n = MIN_SEARCHES_PER_ARM * 10
    readout = build_readout({"personalized": _arm(5000, n, 3000), "popularity": _arm(5000, n, 2000)}, SPLIT)
    ctr = readout.comparison["ctr"]
    assert ctr.ci_low is not None and ctr.ci_high is not None and ctr.p_value is not None
    assert 0 < ctr.ci_low < 0.5 < ctr.ci_high
    assert ctr.p_value < 0.001
    assert readout.verdict.startswith("personalized is better")


def test_planted_split_imbalance_trips_the_sample_ratio_check() -> None:
    n = MIN_SEARCHES_PER_ARM * 10
    readout = build_readout({"personalized": _arm(6000, n, 3000), "popularity": _arm(4000, n, 2000)}, SPLIT)
    assert readout.sample_ratio.mismatch
    assert readout.verdict.startswith("sample ratio mismatch")


def test_missing_arm_counts_as_empty() -> None:
    readout = build_readout({}, SPLIT)
    assert readout.arms["popularity"].searches == 0
    assert readout.comparison["ctr"].lift is None
    assert readout.verdict.startswith("not enough data")
