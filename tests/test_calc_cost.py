"""API cost: list prices from the table, prompt caching, batch discount, and the long-context tier."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from techpm import calc
from techpm.calc import cost
from techpm.errors import TechpmError

HAIKU = "claude-haiku-5-5"


def _price(model):
    return calc.get_api_price(model)


def test_doctests():
    assert doctest.testmod(cost).failed == 0


def test_plain_price_is_tokens_times_rates():
    p = _price("claude-sonnet-5-5")
    assert calc.api_cost_usd("claude-sonnet-5-5", 2_000, 400) == pytest.approx(
        (2_000 * p.input_usd_per_mtok + 400 * p.output_usd_per_mtok) / 1e6)


def test_cache_reads_writes_and_batch_stack():
    p = _price("claude-opus-5-5")
    full = (1_000 * p.input_usd_per_mtok + 500 * p.output_usd_per_mtok + 10_000 * p.cache_write_usd_per_mtok
            + 90_000 * p.cache_read_usd_per_mtok) / 1e6
    assert calc.api_cost_usd("claude-opus-5-5", 1_000, 500, 10_000, 90_000) == pytest.approx(full)
    assert calc.api_cost_usd("claude-opus-5-5", 1_000, 500, 10_000, 90_000, batch=True) == pytest.approx(
        full * (1 - p.batch_discount))
    one_hour = calc.api_cost_usd("claude-opus-5-5", 0, 0, 10_000, cache_write_ttl="1h")
    assert one_hour == pytest.approx(10_000 * p.cache_write_1h_usd_per_mtok / 1e6)


def test_long_context_tier_applies_per_request():
    p = _price(HAIKU)
    assert p.long_context_threshold_tokens == 100_000
    # One request with a 150K-token prompt pays the long-context rates on everything, output included.
    long_request = calc.api_cost_breakdown(HAIKU, 150_000, 1_000, requests=1)
    assert long_request.long_context
    assert long_request.total_usd == pytest.approx(
        (150_000 * p.long_context_input_usd_per_mtok + 1_000 * p.long_context_output_usd_per_mtok) / 1e6)
    # The same tokens spread over 10 requests of 15K each stay at the standard rates.
    spread = calc.api_cost_breakdown(HAIKU, 150_000, 1_000, requests=10)
    assert not spread.long_context
    assert spread.total_usd == pytest.approx(calc.api_cost_usd(HAIKU, 150_000, 1_000))
    # Cached tokens count toward the prompt length.
    assert calc.api_cost_breakdown(HAIKU, 50_000, 0, cache_read_tokens=60_000, requests=1).long_context
    # Without requests= the totals are not split into requests: standard rates (backward compatible).
    assert not calc.api_cost_breakdown(HAIKU, 150_000, 1_000).long_context


def test_workload_with_cached_prefix():
    p = _price("claude-sonnet-5-5")
    bill = calc.api_workload_cost("claude-sonnet-5-5", requests=1_000, prompt_tokens=5_000, output_tokens=300,
                                  cached_prefix_tokens=4_000, cache_hit_rate=0.9)
    assert bill.input_usd == pytest.approx(1_000 * 1_000 * p.input_usd_per_mtok / 1e6)
    assert bill.cache_read_usd == pytest.approx(1_000 * 0.9 * 4_000 * p.cache_read_usd_per_mtok / 1e6)
    assert bill.cache_write_usd == pytest.approx(1_000 * 0.1 * 4_000 * p.cache_write_usd_per_mtok / 1e6)
    assert bill.output_usd == pytest.approx(1_000 * 300 * p.output_usd_per_mtok / 1e6)
    uncached = calc.api_workload_cost("claude-sonnet-5-5", 1_000, 5_000, 300)
    assert uncached.total_usd == pytest.approx(calc.api_cost_usd("claude-sonnet-5-5", 5e6, 3e5))
    assert bill.total_usd < uncached.total_usd


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["claude-opus-5-5", "claude-sonnet-5-5", HAIKU]), st.integers(1, 10_000),
       st.integers(1, 90_000), st.integers(0, 4_000), st.floats(0, 1), st.floats(0, 1))
def test_higher_hit_rate_never_costs_more(model, requests, prompt, output, h1, h2):
    prefix = prompt // 2
    lo = calc.api_workload_cost(model, requests, prompt, output, prefix, min(h1, h2)).total_usd
    hi = calc.api_workload_cost(model, requests, prompt, output, prefix, max(h1, h2)).total_usd
    assert hi <= lo * (1 + 1e-12)
    assert calc.api_workload_cost(model, requests, prompt, output, prefix, h1, batch=True).total_usd <= \
        calc.api_workload_cost(model, requests, prompt, output, prefix, h1).total_usd


@pytest.mark.parametrize("call, message", [
    (lambda: calc.api_cost_usd(HAIKU, -1, 0), "input_tokens"),
    (lambda: calc.api_cost_usd("text-embedding-3-small", 100, 10), "embedding model"),
    (lambda: calc.api_cost_usd("embed-v4.0", 100, 0, batch=True), "no batch price"),
    (lambda: calc.api_cost_usd(HAIKU, 100, 0, cache_write_ttl="1d"), "cache_write_ttl"),
    (lambda: calc.api_cost_usd(HAIKU, 100, 0, requests=0), "requests"),
    (lambda: calc.api_cost_usd("claude-haiku-5", 100, 0), "Did you mean"),
    (lambda: calc.api_workload_cost(HAIKU, 10, 1_000, 10, cached_prefix_tokens=2_000), "cannot exceed"),
    (lambda: calc.api_workload_cost(HAIKU, 10, 1_000, 10, 500, cache_hit_rate=1.5), "cache_hit_rate"),
])
def test_bad_input(call, message):
    with pytest.raises(TechpmError, match=message):
        call()


def test_routing_blends_the_prices():
    all_large = calc.api_cost_usd("claude-sonnet-5-5", 1e6, 2e5)
    routed = calc.routed_cost_usd({"claude-haiku-5-5": 0.7, "claude-sonnet-5-5": 0.3}, 1e6, 2e5)
    assert routed == pytest.approx(0.7 * calc.api_cost_usd("claude-haiku-5-5", 1e6, 2e5) + 0.3 * all_large)
    assert routed < all_large
    with pytest.raises(TechpmError, match="add up to 1"):
        calc.routed_cost_usd({"claude-haiku-5-5": 0.7, "claude-sonnet-5-5": 0.2}, 1e6, 2e5)
    with pytest.raises(TechpmError, match="share of"):
        calc.routed_cost_usd({"claude-haiku-5-5": 1.5, "claude-sonnet-5-5": -0.5}, 1e6, 2e5)
    with pytest.raises(TechpmError, match="shares must map"):
        calc.routed_cost_usd([], 1e6, 2e5)
    # As pairs, the same model may appear twice (a notebook's two parameters may name one model).
    assert calc.routed_cost_usd([("claude-sonnet-5-5", 0.7), ("claude-sonnet-5-5", 0.3)], 1e6, 2e5) == \
        pytest.approx(all_large)
