"""API-product calculators (``calc.api``) and capacity planning (``calc.serving``): Little's law, the token bucket, pricing and margin, retry math.

The token bucket is checked against an independent brute-force reference (the arrival-curve form of the
algorithm, recomputed from scratch for every request) and against properties; Little's law against a
discrete-event simulation of a multi-server queue; retry formulas against Monte Carlo runs.
"""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from techpm import calc
from techpm.calc import api as api_module
from techpm.calc import serving as serving_module
from techpm.errors import TechpmError

# --------------------------------------------------------------------------------------------------
# Little's law and capacity
# --------------------------------------------------------------------------------------------------


def test_docstring_examples_hold():
    assert doctest.testmod(api_module).failed == 0
    assert doctest.testmod(serving_module).failed == 0


def test_little_concurrency_is_rate_times_latency_and_inverts():
    assert calc.little_concurrency(20, 6.0) == 120.0
    assert calc.little_concurrency(0, 6.0) == 0.0
    assert calc.little_latency_s(calc.little_concurrency(7.5, 3.2), 7.5) == pytest.approx(3.2)
    with pytest.raises(TechpmError, match="latency_s"):
        calc.little_concurrency(10, -1)
    with pytest.raises(TechpmError, match="arrival_rate_per_s"):
        calc.little_concurrency("fast", 1)


@pytest.mark.parametrize("rate, service_s, servers", [(8.0, 1.0, 10), (3.0, 2.5, 9), (0.5, 0.4, 1)])
def test_little_law_matches_a_simulated_queue(rate, service_s, servers):
    from techpm.api_lab.queueing import erlang_c_mean_latency_s, simulate_mmc

    run = simulate_mmc(rate, service_s, servers, 40_000, seed=3)
    # Measured concurrency (time average over a window) vs lambda * W measured in that window.
    assert run.measured_concurrency == pytest.approx(
        calc.little_concurrency(run.measured_arrival_rate_per_s, run.measured_latency_s), rel=0.02)
    # The simulator itself agrees with queueing theory (Erlang C) and with the nominal rate.
    assert run.measured_latency_s == pytest.approx(erlang_c_mean_latency_s(rate, service_s, servers), rel=0.06)
    assert run.measured_concurrency == pytest.approx(
        calc.little_concurrency(rate, erlang_c_mean_latency_s(rate, service_s, servers)), rel=0.07)


def test_capacity_plan_rounds_replicas_up_and_keeps_headroom():
    plan = calc.capacity_plan(20, 6.0, slots_per_replica=32, gpus_per_replica=8, target_utilization=0.75)
    assert (plan.concurrency, plan.replicas, plan.gpus) == (120.0, 5, 40)
    assert plan.utilization == pytest.approx(120 / 160)
    assert calc.replicas_for_concurrency(121, 32, 0.75) == 6
    assert calc.replicas_for_concurrency(0, 32) == 1
    with pytest.raises(TechpmError, match="target_utilization"):
        calc.replicas_for_concurrency(10, 8, 0)
    with pytest.raises(TechpmError, match="slots_per_replica"):
        calc.replicas_for_concurrency(10, 0)


@settings(max_examples=300, deadline=None)
@given(st.floats(0.01, 1e4), st.floats(0.01, 600), st.integers(1, 512), st.floats(0.05, 1.0),
       st.one_of(st.none(), st.floats(0.01, 1e3)))
def test_capacity_plan_sustained_throughput_covers_the_peak(peak, latency, slots, util, per_replica):
    """Issue 14 item 1: replicas x sustained throughput >= peak, whatever latency is passed in."""
    plan = calc.capacity_plan(peak, latency, slots, 4, util, requests_per_s_per_replica=per_replica)
    assert plan.replicas * plan.requests_per_s_per_replica >= peak * (1 - 1e-9)
    assert plan.sustained_requests_per_s == pytest.approx(plan.replicas * plan.requests_per_s_per_replica)
    if per_replica is not None:   # the throughput given is the one the plan keeps
        assert plan.requests_per_s_per_replica == per_replica
        assert plan.latency_s >= slots / per_replica * (1 - 1e-12)


def test_capacity_plan_uses_the_loaded_latency_not_the_idle_one():
    # The review's case: 64 slots, 7.35 requests/s per busy replica, idle latency 4.2 s, peak 20/s.
    idle = calc.capacity_plan(20, 4.2, 64, 4, 0.8)
    assert idle.replicas == 2          # what the idle latency alone (wrongly) gives: 2 x 7.35 < 20
    plan = calc.capacity_plan(20, 4.2, 64, 4, 0.8, requests_per_s_per_replica=7.35)
    assert plan.latency_s == pytest.approx(64 / 7.35)
    assert (plan.replicas, plan.gpus) == (4, 16)
    assert plan.sustained_requests_per_s >= 20


def test_capacity_plan_for_a_serving_estimate():
    est = calc.serving_estimate("llama-3.1-70b", "h100-sxm", 4, batch_size=64, prompt_tokens=2000,
                                output_tokens=300)
    plan = calc.capacity_plan_for(20, est, 0.8)
    assert plan.gpus_per_replica == 4 and plan.slots_per_replica == 64
    assert plan.replicas == math.ceil(20 / (est.requests_per_s * 0.8))
    assert plan.latency_s > est.request_latency_s      # loaded latency exceeds the idle one
    assert plan.replicas * est.requests_per_s >= 20
    with pytest.raises(TechpmError, match="serving_estimate"):
        calc.capacity_plan_for(20, object())


@given(st.floats(0, 1e4), st.integers(1, 512), st.floats(0.05, 1.0))
def test_replicas_always_cover_the_concurrency_at_target_utilization(concurrency, slots, util):
    replicas = calc.replicas_for_concurrency(concurrency, slots, util)
    assert replicas * slots * util >= concurrency * (1 - 1e-9)
    assert replicas == 1 or (replicas - 1) * slots * util < concurrency * (1 + 1e-9)


# --------------------------------------------------------------------------------------------------
# Token bucket
# --------------------------------------------------------------------------------------------------


def reference_decisions(times, rate, burst, costs):
    """Brute force, from the arrival-curve definition: just before time t the bucket holds
    min(burst, min over admitted s_j <= t of burst + rate*(t - s_j) - (cost admitted in [s_j, t))),
    recomputed from the whole history for every request."""
    admitted: list[tuple[float, float]] = []
    out = []
    for t, c in zip(times, costs, strict=True):
        tokens = burst
        for j, (s, _) in enumerate(admitted):
            used = sum(cost for _, cost in admitted[j:])
            tokens = min(tokens, burst + rate * (t - s) - used)
        ok = tokens + 1e-9 >= c
        if ok:
            admitted.append((t, c))
        out.append(ok)
    return out


# Dyadic numbers (multiples of 1/8 and 1/4) keep every sum exact, so a decision on the boundary is the
# same in the implementation and in the reference.
times_st = st.lists(st.integers(0, 4000), min_size=0, max_size=60).map(lambda ks: [k / 8 for k in sorted(ks)])
rate_st = st.integers(1, 40).map(lambda j: j / 4)
burst_st = st.integers(1, 12)


@settings(max_examples=200, deadline=None)
@given(times_st, rate_st, burst_st, st.data())
def test_token_bucket_matches_brute_force_reference(times, rate, burst, data):
    costs = data.draw(st.lists(st.integers(1, 5), min_size=len(times), max_size=len(times)))
    result = calc.simulate_token_bucket(times, rate, burst, costs)
    assert list(result.decisions) == reference_decisions(times, rate, burst, costs)
    assert result.allowed + result.throttled == len(times)
    assert result.allowed == sum(result.decisions)


@settings(max_examples=150, deadline=None)
@given(times_st, rate_st, burst_st, st.integers(1, 20), st.integers(0, 8))
def test_more_rate_or_burst_never_throttles_more(times, rate, burst, more_rate, more_burst):
    base = calc.simulate_token_bucket(times, rate, burst)
    assert calc.simulate_token_bucket(times, rate + more_rate / 4, burst).allowed >= base.allowed
    assert calc.simulate_token_bucket(times, rate, burst + more_burst).allowed >= base.allowed


@settings(max_examples=100, deadline=None)
@given(times_st, rate_st, burst_st)
def test_admitted_requests_conform_to_the_rate_and_burst(times, rate, burst):
    result = calc.simulate_token_bucket(times, rate, burst)
    admitted = [t for t, ok in zip(times, result.decisions, strict=True) if ok]
    for i, s in enumerate(admitted):
        for j in range(i, len(admitted)):
            assert j - i + 1 <= burst + rate * (admitted[j] - s) + 1e-9


@settings(max_examples=100, deadline=None)
@given(times_st, rate_st, burst_st)
def test_retry_after_is_exactly_when_the_tokens_are_back(times, rate, burst):
    result = calc.simulate_token_bucket(times, rate, burst)
    for i, (ok, wait) in enumerate(zip(result.decisions, result.retry_after_s, strict=True)):
        if ok:
            assert wait == 0.0
            continue
        history = list(times[:i])
        decided = list(result.decisions[:i])
        admitted_before = [t for t, d in zip(history, decided, strict=True) if d]
        # Replaying the admitted history plus this request at t + wait admits it; a bit earlier does not.
        at = calc.simulate_token_bucket([*admitted_before, times[i] + wait], rate, burst)
        assert at.decisions[-1]
        early = calc.simulate_token_bucket([*admitted_before, times[i] + wait - 0.01], rate, burst)
        assert not early.decisions[-1]


@given(st.lists(st.integers(0, 10_000), max_size=80).map(sorted), burst_st)
def test_huge_rate_throttles_only_what_arrives_at_the_same_instant_beyond_the_burst(ms, burst):
    times = [m / 1000 for m in ms]  # a millisecond grid, with repeats
    expected = sum(max(0, ms.count(m) - burst) for m in set(ms))
    assert calc.simulate_token_bucket(times, 1e9, burst).throttled == expected


@given(st.integers(1, 200), rate_st, burst_st)
def test_requests_spaced_at_the_rate_all_pass(n, rate, burst):
    times = [k / rate for k in range(n)]
    assert calc.simulate_token_bucket(times, rate, burst).throttled == 0


def test_simultaneous_burst_admits_exactly_the_bucket():
    result = calc.simulate_token_bucket([0.0] * 30, rate_per_s=2.0, burst=10)
    assert (result.allowed, result.throttled) == (10, 20)
    assert result.retry_after_s[10] == pytest.approx(0.5)
    assert result.throttled_share == pytest.approx(2 / 3)
    # A request bigger than the bucket can never pass: the wait is infinite, not a lie.
    big = calc.simulate_token_bucket([0.0], 1.0, 100, costs=[150])
    assert big.throttled == 1 and math.isinf(big.retry_after_s[0])
    # Tokens-per-minute limit: 60,000 tokens a minute = 1,000 a second.
    tpm = calc.simulate_token_bucket([0, 1, 2], 60_000 / 60, 60_000, costs=[50_000, 20_000, 2_000])
    assert tpm.decisions == (True, False, True)


def test_token_bucket_rejects_bad_input():
    with pytest.raises(TechpmError, match="sorted"):
        calc.simulate_token_bucket([1.0, 0.5], 1, 1)
    with pytest.raises(TechpmError, match="rate_per_s"):
        calc.simulate_token_bucket([0.0], 0, 1)
    with pytest.raises(TechpmError, match="costs"):
        calc.simulate_token_bucket([0.0, 1.0], 1, 1, costs=[1])
    with pytest.raises(TechpmError, match="initial_tokens"):
        calc.TokenBucket(1, 5, initial_tokens=6)
    bucket = calc.TokenBucket(1, 5)
    bucket.try_acquire(3.0)
    with pytest.raises(TechpmError, match="backwards"):
        bucket.try_acquire(2.0)


# --------------------------------------------------------------------------------------------------
# Pricing, cost and margin
# --------------------------------------------------------------------------------------------------


@given(st.integers(0, 500), st.lists(st.tuples(st.integers(1, 50), st.floats(0, 10)), min_size=1, max_size=4),
       st.floats(0, 10))
def test_tiered_price_matches_a_unit_by_unit_sum(quantity, steps, last_price):
    bounds = np.cumsum([s for s, _ in steps]).tolist()
    tiers = [(float(b), p) for b, (_, p) in zip(bounds, steps, strict=True)] + [(math.inf, last_price)]
    # Reference: unit k (k = 0, 1, ...) is charged at the price of the first tier whose bound exceeds k.
    reference = sum(next(p for b, p in tiers if k < b) for k in range(quantity))
    assert calc.tiered_price_usd(quantity, tiers) == pytest.approx(reference, rel=1e-9, abs=1e-9)


def test_per_token_plan_at_list_price_bills_what_the_api_charges():
    price = calc.get_api_price("claude-sonnet-5-5")
    plan = calc.PricingPlan("list", "per_token", price.input_usd_per_mtok, price.output_usd_per_mtok)
    usage = calc.CustomerUsage(requests=1_000, input_tokens=2_000_000, output_tokens=300_000)
    assert calc.plan_revenue_usd(plan, usage) == pytest.approx(
        calc.api_cost_usd("claude-sonnet-5-5", 2_000_000, 300_000))


def test_plan_economics_totals_margin_and_loss_making_customers():
    light = calc.CustomerUsage(100, 1e5, 2e4)
    heavy = calc.CustomerUsage(10_000, 5e8, 1e8, seats=2)
    seat = calc.PricingPlan("seat", "seat", usd_per_seat=20)
    econ = calc.plan_economics(seat, [light, heavy], cost_in_usd_per_mtok=1.0, cost_out_usd_per_mtok=5.0)
    assert econ.revenue_usd == 60
    assert econ.cost_usd == pytest.approx((1e5 + 5e8) / 1e6 + 5 * (2e4 + 1e8) / 1e6)
    assert econ.gross_margin == pytest.approx((60 - econ.cost_usd) / 60)
    assert econ.unprofitable_customers == 1  # the heavy user costs far more than two seats bring in
    per_token = calc.PricingPlan("tokens", "per_token", 3.0, 15.0)
    econ = calc.plan_economics(per_token, [light, heavy], 1.0, 5.0)
    assert econ.gross_margin == pytest.approx(2 / 3) and econ.unprofitable_customers == 0
    per_request = calc.PricingPlan("req", "per_request", usd_per_request=0.01)
    assert calc.plan_revenue_usd(per_request, heavy) == pytest.approx(100.0)
    assert calc.gross_margin_fraction(100, 130) == pytest.approx(-0.3)


def test_pricing_rejects_bad_plans():
    with pytest.raises(TechpmError, match="plan kind"):
        calc.PricingPlan("x", "per_vibe")
    with pytest.raises(TechpmError, match="math.inf"):
        calc.PricingPlan("x", "tiered", tiers=((10, 1.0), (20, 0.5)))
    with pytest.raises(TechpmError, match="revenue_usd"):
        calc.gross_margin_fraction(0, 1)
    with pytest.raises(TechpmError, match="customers"):
        calc.plan_economics(calc.PricingPlan("s", "seat", usd_per_seat=1), [], 1, 1)


# --------------------------------------------------------------------------------------------------
# Retries
# --------------------------------------------------------------------------------------------------


def test_retry_defaults_are_the_installed_sdks():
    from anthropic import _constants

    assert calc.SDK_INITIAL_RETRY_DELAY_S == _constants.INITIAL_RETRY_DELAY
    assert calc.SDK_MAX_RETRY_DELAY_S == _constants.MAX_RETRY_DELAY
    assert calc.SDK_DEFAULT_MAX_RETRIES == _constants.DEFAULT_MAX_RETRIES


def test_backoff_ceiling_ranges_and_means():
    assert [calc.backoff_ceiling_s(n) for n in range(6)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert calc.backoff_delay_range_s(1, "full") == (0.0, 1.0)
    assert calc.backoff_delay_range_s(2, "equal") == (1.0, 2.0)
    assert calc.backoff_delay_range_s(0, "sdk") == (0.375, 0.5)
    assert calc.expected_backoff_s(3, "none") == 4.0
    assert calc.expected_total_backoff_s(2, "sdk") == pytest.approx(0.875 * 1.5)
    assert calc.expected_total_backoff_s(0) == 0
    assert calc.backoff_ceiling_s(10_000) == 8.0  # no overflow
    with pytest.raises(TechpmError, match="jitter"):
        calc.expected_backoff_s(0, "decorrelated")
    with pytest.raises(TechpmError, match="retry"):
        calc.backoff_ceiling_s(-1)


@pytest.mark.parametrize("p, retries", [(0.0, 2), (0.3, 2), (0.5, 3), (0.9, 5), (1.0, 2)])
def test_retry_attempts_and_success_match_monte_carlo(p, retries):
    rng = np.random.default_rng(0)
    fails = rng.random((200_000, retries + 1)) < p
    # Attempts: up to and including the first success, or all of them.
    first_ok = np.where(fails.all(axis=1), retries + 1, np.argmin(fails, axis=1) + 1)
    assert calc.retry_attempts_expected(p, retries) == pytest.approx(first_ok.mean(), rel=0.01)
    assert calc.retry_success_probability(p, retries) == pytest.approx(1 - fails.all(axis=1).mean(), abs=0.005)
    with pytest.raises(TechpmError, match="failure_probability"):
        calc.retry_attempts_expected(1.5)
