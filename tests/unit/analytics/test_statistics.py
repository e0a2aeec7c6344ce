"""The readout's statistics against scipy and against figures worked by hand."""

import math

import pytest
from scipy import stats

from domain.analytics.statistics import sample_ratio_check, two_proportion_lift


def test_two_proportion_matches_a_hand_computed_z_test() -> None:
    lift = two_proportion_lift(100, 1000, 130, 1000)
    # pooled p = 0.115, se = sqrt(0.115 * 0.885 * 2 / 1000), z = 0.03 / se = 2.1027
    assert lift.control_rate == pytest.approx(0.10)
    assert lift.treatment_rate == pytest.approx(0.13)
    assert lift.lift == pytest.approx(0.30)
    assert lift.p_value == pytest.approx(2 * stats.norm.sf(0.03 / math.sqrt(0.115 * 0.885 * 0.002)))
    assert lift.p_value == pytest.approx(0.0355, abs=5e-4)
    assert lift.ci_low is not None and lift.ci_high is not None
    assert 0 < lift.ci_low < 0.30 < lift.ci_high
    # The log-ratio interval is symmetric around log(1.3).
    centre = math.log(1.3)
    assert math.log(1 + lift.ci_high) - centre == pytest.approx(centre - math.log(1 + lift.ci_low))


def test_no_difference_gives_p_one_and_an_interval_around_zero() -> None:
    lift = two_proportion_lift(50, 500, 50, 500)
    assert lift.lift == pytest.approx(0.0)
    assert lift.p_value == pytest.approx(1.0)
    assert lift.ci_low is not None and lift.ci_high is not None
    assert lift.ci_low < 0 < lift.ci_high


def test_missing_data_is_reported_as_none_not_infinity() -> None:
    empty = two_proportion_lift(0, 0, 3, 10)
    assert empty.lift is None and empty.p_value is None and empty.ci_low is None
    zero_control = two_proportion_lift(0, 100, 5, 100)
    assert zero_control.lift is None and zero_control.ci_low is None
    assert zero_control.p_value is not None and zero_control.p_value < 0.05


def test_impossible_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        two_proportion_lift(11, 10, 1, 10)
    with pytest.raises(ValueError):
        two_proportion_lift(-1, 10, 1, 10)


def test_sample_ratio_tails_match_closed_forms() -> None:
    # One degree of freedom: P(X > x) = erfc(sqrt(x / 2)); chi-square = 2 * 300^2 / 5000 = 36.
    two_arms = sample_ratio_check([5300, 4700], [0.5, 0.5])
    assert two_arms.chi_square == pytest.approx(36.0)
    assert two_arms.p_value == pytest.approx(math.erfc(6 / math.sqrt(2)), rel=1e-9)
    # Four degrees of freedom: P(X > x) = exp(-x / 2) * (1 + x / 2); chi-square = 1000 / 100 = 10.
    five_arms = sample_ratio_check([100, 90, 120, 80, 110], [1, 1, 1, 1, 1])
    assert five_arms.chi_square == pytest.approx(10.0)
    assert five_arms.p_value == pytest.approx(math.exp(-5) * 6, rel=1e-9)
    assert not five_arms.mismatch


def test_an_uneven_split_matches_scipys_goodness_of_fit() -> None:
    check = sample_ratio_check([9100, 900], [0.9, 0.1])
    assert check.chi_square == pytest.approx(100**2 / 9000 + 100**2 / 1000)
    assert check.p_value == pytest.approx(stats.chisquare([9100, 900], [9000, 1000]).pvalue, rel=1e-9)
    assert check.mismatch  # p = 0.00086 < 0.001


def test_a_fair_split_passes_the_sample_ratio_check() -> None:
    check = sample_ratio_check([5030, 4970], [0.5, 0.5])
    assert not check.mismatch
    assert check.p_value == pytest.approx(stats.chisquare([5030, 4970]).pvalue)


def test_a_planted_imbalance_trips_the_sample_ratio_check() -> None:
    check = sample_ratio_check([5300, 4700], [0.5, 0.5])
    assert check.mismatch
    assert check.p_value < 1e-6


def test_uneven_configured_split_is_honoured() -> None:
    assert not sample_ratio_check([9000, 1000], [0.9, 0.1]).mismatch
    assert sample_ratio_check([5000, 5000], [0.9, 0.1]).mismatch


def test_sample_ratio_check_refuses_mismatched_arms() -> None:
    with pytest.raises(ValueError):
        sample_ratio_check([1, 2, 3], [0.5, 0.5])
