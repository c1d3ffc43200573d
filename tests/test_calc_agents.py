"""Agent loop math: compounding success, retries, quadratic tokens, caching, latency (hand-computed values)."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from techpm import calc
from techpm.calc import agents
from techpm.errors import TechpmError

SONNET = "claude-sonnet-5-5"


def test_doctests():
    assert doctest.testmod(agents).failed == 0


def test_success_compounds_and_retries_help():
    assert calc.agent_success_probability(0.9, 3) == pytest.approx(0.729)
    # One retry: a step fails only if both tries fail, 1 - 0.1**2 = 0.99; three steps 0.99**3.
    assert calc.agent_success_probability(0.9, 3, retries_per_step=1) == pytest.approx(0.970299)
    assert calc.agent_success_probability(1.0, 50) == 1.0
    assert calc.agent_success_probability(0.0, 1, retries_per_step=5) == 0.0
    assert calc.agent_success_probability(0.5, 1, 2) == pytest.approx(0.875)


@given(st.floats(0.01, 0.99), st.integers(1, 40), st.integers(0, 5))
@settings(max_examples=60, deadline=None)
def test_success_falls_with_steps_and_rises_with_retries(p, n, r):
    base = calc.agent_success_probability(p, n, r)
    assert calc.agent_success_probability(p, n + 1, r) < base
    assert calc.agent_success_probability(p, n, r + 1) > base
    assert base == pytest.approx((1 - (1 - p) ** (r + 1)) ** n)


def test_retries_for_target_success_is_the_smallest_that_works():
    # 0.9 over 10 steps: R=0 -> 0.349, R=1 -> 0.904, R=2 -> 0.990.
    assert calc.retries_for_target_success(0.9, 10, 0.95) == 2
    assert calc.retries_for_target_success(0.9, 10, 0.90) == 1
    assert calc.retries_for_target_success(0.99, 1, 0.99) == 0
    with pytest.raises(TechpmError, match="do not reach"):
        calc.retries_for_target_success(0.0, 3, 0.5)


def test_expected_attempts():
    assert calc.expected_attempts_per_step(0.5, 2) == pytest.approx(1 + 0.5 + 0.25)
    assert calc.expected_attempts_per_step(0.8, 0) == 1.0
    assert calc.expected_attempts_per_step(0.2, 3) == pytest.approx((1 - 0.8 ** 4) / 0.2)


def test_loop_input_tokens_is_quadratic():
    # Calls carry 2000+500, 2000+1000, 2000+1500: 7500 + 1500*... = 3*2000 + 500*6 = 9000.
    assert calc.agent_loop_input_tokens(3, 2_000, 500) == 9_000
    assert calc.agent_call_prompt_tokens(3, 2_000, 500) == [2_500, 3_000, 3_500]
    assert sum(calc.agent_call_prompt_tokens(17, 1_234, 321)) == calc.agent_loop_input_tokens(17, 1_234, 321)
    # History part quadruples (almost) when steps double.
    h10 = calc.agent_loop_input_tokens(10, 0, 100)
    h20 = calc.agent_loop_input_tokens(20, 0, 100)
    assert h10 == 5_500 and h20 == 21_000


def test_loop_cost_without_caching_matches_hand_count():
    p = calc.get_api_price(SONNET)
    bill = calc.agent_loop_cost(SONNET, 3, 2_000, 500, 200)
    assert bill.input_tokens == 9_000 and bill.output_tokens == 600 and bill.cache_read_tokens == 0
    assert bill.total_usd == pytest.approx((9_000 * p.input_usd_per_mtok + 600 * p.output_usd_per_mtok) / 1e6)


def test_loop_cost_with_caching_reads_the_prefix():
    p = calc.get_api_price(SONNET)
    bill = calc.agent_loop_cost(SONNET, 3, 2_000, 500, 200, caching=True)
    # Call 1 writes 2500; call 2 reads 2500, writes 500; call 3 reads 3000, writes 500.
    assert bill.cache_write_tokens == 3_500 and bill.cache_read_tokens == 5_500 and bill.input_tokens == 0
    assert bill.prompt_tokens == calc.agent_loop_input_tokens(3, 2_000, 500)
    expected = (3_500 * p.cache_write_usd_per_mtok + 5_500 * p.cache_read_usd_per_mtok
                + 600 * p.output_usd_per_mtok) / 1e6
    assert bill.total_usd == pytest.approx(expected)
    # Over a long loop caching wins by a wide margin.
    long_plain = calc.agent_loop_cost(SONNET, 30, 3_000, 800, 150)
    long_cached = calc.agent_loop_cost(SONNET, 30, 3_000, 800, 150, caching=True)
    assert long_cached.total_usd < 0.5 * long_plain.total_usd


def test_long_context_tier_applies_only_to_calls_that_cross_it():
    haiku = "claude-haiku-5-5"
    p = calc.get_api_price(haiku)
    # Prompts 60k, 120k: only the second crosses 100k.
    bill = calc.agent_loop_cost(haiku, 2, 0, 60_000, 0)
    assert bill.total_usd == pytest.approx((60_000 * p.input_usd_per_mtok
                                            + 120_000 * p.long_context_input_usd_per_mtok) / 1e6)


def test_expected_cost_with_retries_and_cost_per_success():
    one = calc.agent_loop_cost(SONNET, 5, 1_000, 300, 100).total_usd
    assert calc.agent_loop_cost_usd(SONNET, 5, 1_000, 300, 100) == pytest.approx(one)
    assert calc.agent_loop_cost_usd(SONNET, 5, 1_000, 300, 100, retries_per_step=2, step_success=0.5) == \
        pytest.approx(one * 1.75)
    assert calc.cost_per_successful_task_usd(0.3, 0.75) == pytest.approx(0.4)
    with pytest.raises(TechpmError, match="success_rate must be above 0"):
        calc.cost_per_successful_task_usd(0.3, 0.0)


def test_latency_sums_prefill_decode_and_tools():
    lat = calc.agent_loop_latency("llama-3.1-8b", "h100-sxm", 3, 1_000, 200, 50, tool_time_s=0.4)
    assert lat.prefill_s[0] == pytest.approx(calc.ttft_s("llama-3.1-8b", "h100-sxm", 1_200))
    assert lat.decode_s[2] == pytest.approx(50 * calc.decode_time_per_token_s("llama-3.1-8b", "h100-sxm", 1, 1_600))
    assert lat.tool_s == (0.4, 0.4, 0.0)
    assert lat.total_s == pytest.approx(sum(lat.prefill_s) + sum(lat.decode_s) + 0.8)
    cached = calc.agent_loop_latency("llama-3.1-8b", "h100-sxm", 3, 1_000, 200, 50, prefix_caching=True)
    assert cached.prefill_s[0] == lat.prefill_s[0]
    assert cached.prefill_s[2] == pytest.approx(calc.ttft_s("llama-3.1-8b", "h100-sxm", 200))
    assert cached.prefill_s[2] < lat.prefill_s[2]


@pytest.mark.parametrize("call", [
    lambda: calc.agent_success_probability(1.2, 3),
    lambda: calc.agent_success_probability(0.9, 0),
    lambda: calc.agent_success_probability(0.9, 3, -1),
    lambda: calc.agent_loop_input_tokens(3, -1, 5),
    lambda: calc.agent_loop_cost(SONNET, 2.5, 1, 1, 1),
    lambda: calc.agent_loop_cost("no-such-model", 2, 1, 1, 1),
    lambda: calc.agent_loop_latency("llama-3.1-8b", "h100-sxm", 3, 100, 10, 5, tool_time_s=-1),
    lambda: calc.agent_loop_cost(SONNET, 10**30, 1, 1, 1),           # would loop for ever: capped
    lambda: calc.expected_attempts_per_step(0.5, 10**30),
    lambda: calc.retries_for_target_success(0.5, 3, 0.9, max_retries=10**9),
])
def test_bad_input_is_one_clear_error(call):
    with pytest.raises(TechpmError):
        call()
