"""Safety calculators against hand-computed values, their own definitions, and scipy as an oracle."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from techpm import calc
from techpm.errors import TechpmError

scipy_stats = pytest.importorskip("scipy.stats")


# --- zero-failure bound and the rule of three -----------------------------------------------------------

def test_zero_failure_bound_hand_values():
    # One clean trial: (1 - p)^1 = 0.05 at p = 0.95. Two: 1 - sqrt(0.05) = 0.776393...
    assert calc.zero_failure_upper_bound(1) == pytest.approx(0.95, rel=1e-12)
    assert calc.zero_failure_upper_bound(2) == pytest.approx(1 - math.sqrt(0.05), rel=1e-12)
    assert calc.zero_failure_upper_bound(1, confidence=0.99) == pytest.approx(0.99, rel=1e-12)
    # 100 clean: 1 - 0.05^(1/100) = 1 - e^(-0.0299573) = 0.0295130
    assert calc.zero_failure_upper_bound(100) == pytest.approx(0.0295130, abs=5e-7)
    # 300 clean: 1 - e^(-0.00998577) = 0.0099361, just under the rule of three's 0.01
    assert calc.zero_failure_upper_bound(300) == pytest.approx(0.0099361, abs=5e-7)
    assert calc.rule_of_three(300) == pytest.approx(0.01)


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 10**7), c=st.floats(0.5, 0.999))
def test_zero_failure_bound_is_where_n_clean_trials_have_chance_one_minus_c(n, c):
    p = calc.zero_failure_upper_bound(n, c)
    assert 0 < p < 1
    assert (1 - p) ** n == pytest.approx(1 - c, rel=1e-6)
    assert p == pytest.approx(scipy_stats.beta.ppf(c, 1, n), rel=1e-6)


@pytest.mark.parametrize("n", [31, 100, 1_000, 100_000])
def test_rule_of_three_approximates_the_exact_bound_above_thirty(n):
    exact = calc.zero_failure_upper_bound(n)
    assert exact < calc.rule_of_three(n)           # 3/n is conservative ...
    assert calc.rule_of_three(n) / exact < 1.06    # ... and close for n > 30


def test_one_sided_bound_is_tighter_than_the_two_sided_wilson_top():
    assert calc.zero_failure_upper_bound(100) < calc.wilson_interval(0, 100)[1]


# --- k-failure bound ------------------------------------------------------------------------------------

@pytest.mark.parametrize("k,n", [(1, 10), (3, 120), (5, 1_000), (50, 200), (199, 200), (1, 3_000)])
@pytest.mark.parametrize("c", [0.9, 0.95, 0.99])
def test_failure_rate_upper_bound_matches_clopper_pearson(k, n, c):
    assert calc.failure_rate_upper_bound(k, n, c) == pytest.approx(scipy_stats.beta.ppf(c, k + 1, n - k), rel=1e-9)


def test_failure_rate_upper_bound_edges_and_hand_value():
    assert calc.failure_rate_upper_bound(0, 50) == calc.zero_failure_upper_bound(50)
    assert calc.failure_rate_upper_bound(7, 7) == 1.0
    # One failure in two trials: P(X <= 1) = 1 - p^2 = 0.05 -> p = sqrt(0.95)
    assert calc.failure_rate_upper_bound(1, 2) == pytest.approx(math.sqrt(0.95), rel=1e-9)
    assert calc.failure_rate_upper_bound(1, 100) > calc.zero_failure_upper_bound(100)


# --- trials to bound a rate -----------------------------------------------------------------------------

def test_trials_to_bound_rate_hand_values():
    # 0.5^5 = 0.031 < 0.05 but 0.5^4 = 0.0625 > 0.05
    assert calc.trials_to_bound_rate(0.5) == 5
    # 0.95^59 = 0.0485 < 0.05 but 0.95^58 = 0.0511
    assert calc.trials_to_bound_rate(0.05) == 59
    # ln(0.05) / ln(0.999) = 2994.2
    assert calc.trials_to_bound_rate(0.001) == 2995
    # ln(0.01) / ln(0.99) = 458.2
    assert calc.trials_to_bound_rate(0.01, confidence=0.99) == 459


@settings(max_examples=200, deadline=None)
@given(rate=st.floats(1e-6, 0.99), c=st.floats(0.5, 0.999))
def test_trials_to_bound_rate_is_the_smallest_enough(rate, c):
    n = calc.trials_to_bound_rate(rate, c)
    assert calc.zero_failure_upper_bound(n, c) <= rate
    if n > 1:
        assert calc.zero_failure_upper_bound(n - 1, c) > rate


# --- layers ---------------------------------------------------------------------------------------------

def test_layered_miss_rate_multiplies():
    assert calc.layered_miss_rate([0.1, 0.2]) == pytest.approx(0.02)
    assert calc.layered_miss_rate([0.5, 0.5, 0.5]) == pytest.approx(0.125)
    assert calc.layered_miss_rate([0.3]) == pytest.approx(0.3)
    assert calc.layered_miss_rate([0.3, 0.0]) == 0.0


def test_layered_miss_rate_range_frechet_bounds():
    assert calc.layered_miss_rate_range([0.1, 0.2]) == pytest.approx((0.0, 0.1))
    assert calc.layered_miss_rate_range([0.7, 0.8]) == pytest.approx((0.5, 0.7))
    assert calc.layered_miss_rate_range([0.9, 0.9, 0.9]) == pytest.approx((0.7, 0.9))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=1, max_size=6))
def test_independent_product_lies_inside_the_range(rates):
    low, high = calc.layered_miss_rate_range(rates)
    assert low - 1e-12 <= calc.layered_miss_rate(rates) <= high + 1e-12


# --- attack success with intervals ----------------------------------------------------------------------

def test_attack_success_rates_rows_and_pooled_total():
    rows = calc.attack_success_rates({"jailbreak": (3, 120), "injection": (0, 40)})
    assert [r.label for r in rows] == ["jailbreak", "injection", "all"]
    jail, inj, total = rows
    assert (jail.events, jail.trials, jail.rate) == (3, 120, pytest.approx(0.025))
    assert (jail.low, jail.high) == pytest.approx(calc.wilson_interval(3, 120))
    assert inj.rate == 0 and inj.low == 0 and inj.high == pytest.approx(calc.wilson_interval(0, 40)[1])
    assert (total.events, total.trials) == (3, 160)
    assert total.rate == pytest.approx(3 / 160)
    assert inj.high - inj.low > total.high - total.low  # fewer attempts, wider interval
    assert [r.label for r in calc.attack_success_rates({"a": (1, 2)}, total_label=None)] == ["a"]


def test_rate_with_interval_uses_wilson():
    r = calc.rate_with_interval(84, 100, label="x")
    assert (r.low, r.high) == pytest.approx((0.756, 0.899), abs=1e-3)
    assert r.label == "x" and r.rate == pytest.approx(0.84)


# --- bad input ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("call", [
    lambda: calc.zero_failure_upper_bound(0),
    lambda: calc.zero_failure_upper_bound(10, confidence=1.0),
    lambda: calc.zero_failure_upper_bound(2.5),
    lambda: calc.rule_of_three(0),
    lambda: calc.trials_to_bound_rate(0),
    lambda: calc.trials_to_bound_rate(1.0),
    lambda: calc.trials_to_bound_rate(0.01, confidence=0),
    lambda: calc.failure_rate_upper_bound(5, 4),
    lambda: calc.failure_rate_upper_bound(-1, 4),
    lambda: calc.layered_miss_rate([]),
    lambda: calc.layered_miss_rate([0.1, 1.2]),
    lambda: calc.layered_miss_rate_range([float("nan")]),
    lambda: calc.attack_success_rates({}),
    lambda: calc.attack_success_rates({"a": (5, 3)}),
    lambda: calc.attack_success_rates({"a": 3}),
])
def test_bad_input_is_one_clear_error(call):
    with pytest.raises(TechpmError):
        call()


# --- error cost, screening overhead, time to mitigate ---------------------------------------------------

def test_expected_error_cost_by_hand():
    # 1% harmful: 0.01 * 0.10 * $100 + 0.99 * 0.02 * $1 = 0.1 + 0.0198
    assert calc.expected_error_cost_usd(0.10, 0.02, 0.01, 100.0, 1.0) == pytest.approx(0.1198)
    assert calc.expected_error_cost_usd(0.0, 0.0, 0.3, 5.0, 5.0) == 0.0
    assert calc.expected_error_cost_usd(1.0, 1.0, 0.5, 2.0, 4.0) == pytest.approx(3.0)


def test_screening_overhead_series_and_parallel():
    s = calc.screening_overhead(request_usd=0.01, request_latency_s=2.0, screen_usd=0.001, screen_latency_s=0.3)
    assert (s.added_usd, s.added_latency_s) == (0.001, 0.3)
    assert s.cost_fraction == pytest.approx(0.1) and s.latency_fraction == pytest.approx(0.15)
    p = calc.screening_overhead(0.01, 2.0, 0.001, 0.3, parallel=True)
    assert p.added_latency_s == 0.0 and p.added_usd == 0.001
    assert calc.screening_overhead(0.01, 0.2, 0.0, 0.5, parallel=True).added_latency_s == pytest.approx(0.3)


def test_mitigation_times_by_hand():
    # durations 2, 4, 6, 8, 30 h, one issue still open
    m = calc.mitigation_times([0, 10, 20, 30, 40, 50], [2, 14, 26, 38, 70, None])
    assert (m.fixed, m.still_open, m.median_h, m.p90_h) == (5, 1, 6, 30)
    assert calc.mitigation_times([0], [3.5]).p90_h == 3.5


@pytest.mark.parametrize("call", [
    lambda: calc.expected_error_cost_usd(1.2, 0.1, 0.1, 1, 1),
    lambda: calc.expected_error_cost_usd(0.1, 0.1, 0.1, -1, 1),
    lambda: calc.screening_overhead(0, 1, 0, 0),
    lambda: calc.mitigation_times([0, 1], [2]),
    lambda: calc.mitigation_times([5], [3]),
    lambda: calc.mitigation_times([0], [None]),
    lambda: calc.mitigation_times(3.0, [4.0]),
    lambda: calc.layered_miss_rate(0.1),
    lambda: calc.layered_miss_rate("0.1"),
    lambda: calc.attack_success_rates([("a", (1, 2))]),
    lambda: calc.layer_misses({"a": 1}),
])
def test_more_bad_input(call):
    with pytest.raises(TechpmError):
        call()


def test_layer_misses_measures_the_joint_rate():
    # Two layers over 4 attacks: A misses 1, 2; B misses 1, 2, 3. Together they miss 1 and 2.
    m = calc.layer_misses({"A": [1, 1, 0, 0], "B": [1, 1, 1, 0]})
    assert [r.rate for r in m.per_layer] == [0.5, 0.75]
    assert m.independent == pytest.approx(0.375) and m.joint.rate == 0.5 and m.joint.events == 2
    assert m.bounds == pytest.approx((0.25, 0.5))
    assert (m.joint.low, m.joint.high) == pytest.approx(calc.wilson_interval(2, 4))
    with pytest.raises(TechpmError):
        calc.layer_misses({"A": [1, 0], "B": [1]})
    with pytest.raises(TechpmError):
        calc.layer_misses({})


def test_errors_name_the_callers_arguments():
    with pytest.raises(TechpmError, match="trials"):
        calc.rate_with_interval(1, 0)
    with pytest.raises(TechpmError, match="attempts in 'jailbreak'"):
        calc.attack_success_rates({"jailbreak": (0, 0)})
    with pytest.raises(TechpmError, match="successes in 'jailbreak'"):
        calc.attack_success_rates({"jailbreak": (5, 3)})
