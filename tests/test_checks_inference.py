"""The 03 inference checks: right answers pass, the usual mistakes get their specific hint."""

from __future__ import annotations

import pytest

from techpm import calc
from techpm.checks import inference as check


def test_right_answers_pass():
    n = calc.param_count(check.QUANT_MODEL)
    fmt = calc.get_quant_format(check.QUANT_FORMAT)
    assert check.int4_weights_gb(fmt.weights_bytes(n) / 1e9).passed
    assert check.decode_ms(calc.decode_time_per_token_s(check.DECODE_MODEL, check.DECODE_GPU) * 1e3).passed
    assert check.critical_batch(calc.critical_batch_size(check.CRITICAL_GPU, 1)).passed
    assert check.gpus_needed(calc.min_gpus(check.FIT_MODEL, check.FIT_GPU, 64, 8192)).passed
    assert check.speculative_speedup(calc.speculative_speedup(0.7, 4, 0.1)).passed
    est = calc.serving_estimate(**check.SELFHOST)
    api = calc.api_cost_usd(check.API_MODEL, 2000, 300)
    b = calc.selfhost_breakeven(est.usd_per_gpu_hour, est.n_gpus, est.requests_per_s, api, check.UTILIZATION)
    assert check.breakeven_requests(b.breakeven_requests_per_month).passed
    selfhost, api_monthly = b.monthly_costs_usd(check.VOLUME_REQUESTS_PER_MONTH)
    assert check.selfhost_decision("self-host" if selfhost < api_monthly else "api").passed


def test_a_pm_estimate_of_parameters_times_two_over_bandwidth_is_accepted():
    estimate_ms = calc.param_count(check.DECODE_MODEL) * 2 / calc.get_gpu(check.DECODE_GPU).hbm_bytes_per_s * 1e3
    assert check.decode_ms(estimate_ms).passed


@pytest.mark.parametrize("call, hint", [
    (lambda: check.int4_weights_gb(calc.param_count("llama-3.1-70b") / 2 / 1e9), "4-bit payload alone"),
    (lambda: check.int4_weights_gb(calc.param_count("llama-3.1-70b") * 2 / 1e9), "bf16 size"),
    (lambda: check.decode_ms(calc.decode_time_per_token_s("llama-3.1-8b", "h100-sxm") * 1e3 / 2), "2 bytes"),
    (lambda: check.decode_ms(calc.decode_step("llama-3.1-8b", "h100-sxm").compute_s * 1e3), "compute time"),
    (lambda: check.critical_batch(calc.critical_batch_size("h100-sxm", 2)), "bytes_per_param = 1"),
    (lambda: check.gpus_needed(2), "KV cache needs memory"),
    (lambda: check.gpus_needed(calc.min_gpus("llama-3.1-70b", "h100-sxm", 64, 8192, powers_of_two=False)),
     "1, 2, 4 or 8"),
    (lambda: check.speculative_speedup(calc.speculative_expected_tokens(0.7, 4)), "divide by"),
    (lambda: check.speculative_speedup(calc.speculative_expected_tokens(0.7, 3) / 1.4), "gamma + 1"),
])
def test_usual_mistakes_get_their_hint(call, hint):
    result = call()
    assert not result.passed and hint in result.message


def test_unfilled_answers_are_not_done():
    assert check.breakeven_requests(...).status == "not done"
    assert check.selfhost_decision(...).status == "not done"
    assert "not one of the choices" in check.selfhost_decision("maybe").message
