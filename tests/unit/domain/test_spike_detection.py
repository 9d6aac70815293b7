"""The spike rule (domain.spike_detection): a Poisson tail test with a minimum count and a minimum ratio."""
import math

import pytest

from crisisdesk.domain.spike_detection import (
    PRODUCT_RULE, SHOP_RULE, SpikeRule, decide, dominant_cause, expected_count, poisson_tail)


def brute_tail(k, mean):
    return 1.0 - sum(math.exp(-mean) * mean ** i / math.factorial(i) for i in range(k))


@pytest.mark.parametrize("k, mean", [(0, 1.0), (1, 0.5), (3, 0.5), (5, 2.0), (10, 10.0), (25, 12.5), (2, 30.0)])
def test_it_computes_the_poisson_upper_tail(k, mean):
    assert poisson_tail(k, mean) == pytest.approx(brute_tail(k, mean), rel=1e-9, abs=1e-15)


def test_it_keeps_tiny_tails_accurate_where_one_minus_the_sum_would_round_to_zero():
    # P(X ≥ 40 | 1) = e^-1 / 40! (1 + 1/41 + …): about 4.5e-49, far below double rounding of 1 − …
    assert poisson_tail(40, 1.0) == pytest.approx(math.exp(-1) / math.factorial(40) * 1.0250, rel=1e-3)
    assert poisson_tail(3, 0.0) == 0.0 and poisson_tail(0, 0.0) == 1.0


@pytest.mark.parametrize("observed", [0, 1, 2])
def test_it_never_fires_on_tiny_numbers_even_for_a_product_that_never_had_a_complaint(observed):
    decision = decide(observed, baseline_count=0, baseline_windows=28, rule=PRODUCT_RULE)
    assert not decision.is_spike
    assert decision.p_value < 0.001 or observed < 2  # 2 reviews are already "improbable", yet not a wave


def test_it_fires_on_a_clear_spike_for_a_product():
    # 1 negative review a week for four weeks, then 6 in one day.
    decision = decide(6, baseline_count=4, baseline_windows=28, rule=PRODUCT_RULE)
    assert decision.is_spike
    assert decision.expected == pytest.approx(4.5 / 29)
    assert decision.p_value < 1e-6


def test_it_needs_five_shop_wide_where_three_suffice_for_one_product():
    assert decide(3, 0, 28, PRODUCT_RULE).is_spike
    assert not decide(4, 0, 28, SHOP_RULE).is_spike
    assert decide(5, 0, 28, SHOP_RULE).is_spike


def test_it_gives_a_shop_without_history_a_finite_rate_from_the_prior():
    assert expected_count(0, 0) == 0.5
    assert not decide(4, 0, 0, PRODUCT_RULE).is_spike  # p = 0.0018: not enough without history
    assert decide(5, 0, 0, PRODUCT_RULE).is_spike


def test_it_does_not_fire_on_a_busy_shops_ordinary_variation_even_when_significant():
    # About 20 a day: 35 in one day is already improbable (p < 0.001) but under 2×; 39 is double.
    busy = 20 * 28
    significant_not_doubled = decide(35, busy, 28, SHOP_RULE)
    assert significant_not_doubled.p_value < 0.001 and not significant_not_doubled.is_spike
    assert not decide(38, busy, 28, SHOP_RULE).is_spike
    assert decide(39, busy, 28, SHOP_RULE).is_spike


def test_it_applies_each_threshold_of_a_custom_rule():
    assert not decide(6, 4, 28, SpikeRule(min_count=7)).is_spike
    assert not decide(6, 4, 28, SpikeRule(min_count=3, max_p_value=1e-9)).is_spike
    assert not decide(6, 4, 28, SpikeRule(min_count=3, min_ratio=50)).is_spike
    assert decide(6, 4, 28, SpikeRule(min_count=3)).is_spike


def test_it_refuses_negative_counts():
    with pytest.raises(ValueError):
        expected_count(-1, 28)


def test_it_describes_the_rule_in_words():
    assert PRODUCT_RULE.describe() == ("Poisson tail p < 0.001, at least 3 negative reviews and at least 2× "
                                       "the baseline")


def test_it_names_the_dominant_cause_and_breaks_ties_by_the_causes_order():
    assert dominant_cause({}) is None
    assert dominant_cause({"other": 1, "late_delivery": 3}) == "late_delivery"
    assert dominant_cause({"other": 2, "late_delivery": 2}, ["late_delivery", "other"]) == "late_delivery"
