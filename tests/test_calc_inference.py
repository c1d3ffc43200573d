"""Inference calculators: the roofline against worked numbers from sources, and its invariants."""

from __future__ import annotations

import dataclasses
import doctest
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from techpm import calc
from techpm.calc import inference
from techpm.errors import TechpmError

H100 = calc.get_gpu("h100-sxm")
MODELS = ["llama-3.1-8b", "llama-2-7b", "mistral-7b", "mixtral-8x7b", "llama-3.1-70b"]


def test_doctests():
    assert doctest.testmod(inference).failed == 0


def test_decode_at_batch_one_is_weight_bytes_over_bandwidth():
    # The memory-bound decode step: every weight read once (the input embedding is a lookup, not a read)
    # plus the KV cache of the one token, divided by HBM bandwidth (H100 SXM datasheet: 3.35 TB/s).
    cfg = calc.get_model("llama-3.1-8b")
    weight_bytes = (calc.param_count(cfg) - cfg.vocab_size * cfg.d_model) * 2
    expected = (weight_bytes + calc.kv_cache_bytes_per_token(cfg)) / 3.35e12
    assert calc.decode_time_per_token_s(cfg, H100) == pytest.approx(expected, rel=1e-9)
    assert calc.decode_time_per_token_s(cfg, H100) == pytest.approx(4.5e-3, rel=0.01)  # the rule of thumb
    step = calc.decode_step(cfg, H100)
    assert step.bound == "memory" and step.compute_s < step.memory_s / 100


def test_decode_reads_the_kv_cache_of_every_sequence():
    cfg = calc.get_model("llama-3.1-70b")
    step = calc.decode_step(cfg, H100, batch_size=8, context_tokens=1023, n_gpus=4)
    assert step.kv_bytes == 8 * 1024 * 327_680          # 320 KiB per token in bf16 (80 layers, 8 KV heads)
    assert step.time_s == pytest.approx(step.bytes / (4 * 3.35e12), rel=1e-9)


def test_critical_batch_size_matches_the_ridge_point():
    # H100 SXM: 989 TFLOPS dense bf16 / 3.35 TB/s = 295 FLOPs per byte.
    assert calc.critical_batch_size(H100) == pytest.approx(989 / 3.35, rel=1e-9)
    assert round(calc.critical_batch_size(H100)) == 295
    # "How to Scale Your Model", inference chapter: TPU v5e (1.97e14 FLOP/s, 8.2e11 B/s): 240, int8 weights 120.
    v5e = dataclasses.replace(H100, id="tpu-v5e", bf16_flops_per_s=1.97e14, hbm_bytes_per_s=8.2e11)
    assert calc.critical_batch_size(v5e) == pytest.approx(240, abs=0.5)
    assert calc.critical_batch_size(v5e, bytes_per_param=1) == pytest.approx(120, abs=0.5)
    # int8 weights and int8 compute: both rates double, the ratio is back where it was.
    assert calc.critical_batch_size(H100, 1, "int8") == pytest.approx(calc.critical_batch_size(H100), rel=0.01)


def test_compute_bound_batch_size_agrees_with_the_ridge_point_at_short_context():
    b = calc.compute_bound_batch_size("llama-3.1-70b", H100, context_tokens=0, n_gpus=2)
    step = calc.decode_step("llama-3.1-70b", H100, int(b), 0, n_gpus=2, check_memory=False)
    before = calc.decode_step("llama-3.1-70b", H100, int(b) - 1, 0, n_gpus=2, check_memory=False)
    assert step.bound == "compute" and before.bound == "memory"
    assert b == pytest.approx(calc.critical_batch_size(H100), rel=0.03)


def test_long_context_decode_never_turns_compute_bound():
    # Each Llama 3.1 70B sequence at 8K context reads 2.7 GB of KV cache per step, more than its FLOPs cover.
    assert calc.compute_bound_batch_size("llama-3.1-70b", H100, context_tokens=8192) == math.inf


def test_prefill_is_compute_bound_and_counts_causal_attention():
    cfg = calc.get_model("llama-3.1-8b")
    step = calc.prefill_step(cfg, H100, 2048)
    assert step.bound == "compute"
    by_token = sum(calc.forward_flops_per_token(cfg, i) for i in range(1, 2049))
    assert step.flops == pytest.approx(by_token, rel=1e-9)
    assert calc.ttft_s(cfg, H100, 2048) == pytest.approx(by_token / 989e12, rel=1e-9)
    assert calc.prefill_step(cfg, H100, 8).bound == "memory"  # a few tokens cannot amortize the weight read


def test_mixture_of_experts_reads_only_routed_experts():
    cfg = calc.get_model("mixtral-8x7b")
    lookup = cfg.vocab_size * cfg.d_model
    assert calc.decode_weight_bytes(cfg, 2, 1) == pytest.approx((calc.active_param_count(cfg) - lookup) * 2)
    # With many tokens in a step every expert is touched: almost the whole model is read.
    assert calc.decode_weight_bytes(cfg, 2, 256) == pytest.approx((calc.param_count(cfg) - lookup) * 2, rel=1e-6)
    # Uniform routing, 2 of 8 experts per token: 1 - (3/4)**4 of the experts after 4 tokens.
    b = calc.param_breakdown(cfg)
    expected = b.total - b.ffn - lookup + b.ffn * (1 - 0.75**4)
    assert calc.decode_weight_bytes(cfg, 1, 4) == pytest.approx(expected)


def test_does_not_fit_is_explained():
    with pytest.raises(TechpmError, match=r"Does not fit in memory: Llama 3.1 70B needs 141.1 GB of weights"
                                          r".*at least 2 x NVIDIA H100"):
        calc.decode_time_per_token_s("llama-3.1-70b", H100)
    with pytest.raises(TechpmError, match="weights fit, but at most"):
        calc.decode_time_per_token_s("llama-3.1-8b", "l4", batch_size=64, context_tokens=8192)
    assert calc.decode_time_per_token_s("llama-3.1-70b", H100, n_gpus=2) > 0


@pytest.mark.parametrize("call, message", [
    (lambda: calc.decode_time_per_token_s("llama-3.1-8b", H100, batch_size=0), "batch_size"),
    (lambda: calc.decode_time_per_token_s("llama-3.1-8b", H100, context_tokens=-1), "context_tokens"),
    (lambda: calc.decode_time_per_token_s("llama-3.1-8b", H100, bytes_per_param=0), "bytes_per_param"),
    (lambda: calc.decode_time_per_token_s("llama-3.1-8b", H100, n_gpus=1.5), "n_gpus"),
    (lambda: calc.decode_time_per_token_s("llama-3.1-8b", H100, efficiency=1.5), "efficiency"),
    (lambda: calc.decode_time_per_token_s("llama-3.1-8b", dataclasses.replace(H100, hbm_bytes_per_s=0)),
     "hbm_bytes_per_s"),
    (lambda: calc.prefill_time_s("llama-3.1-8b", H100, 0), "prompt_tokens"),
    (lambda: calc.decode_time_per_token_s("llama-3.1-8b", "t4", compute_precision="fp8"), "no fp8 tensor cores"),
    (lambda: calc.decode_time_per_token_s("llama-3.1-8b", H100, compute_precision="fp4"), "Unknown compute"),
    (lambda: calc.decode_time_per_token_s("llama-3-8b", H100), "Did you mean"),
    (lambda: calc.decode_time_per_token_s(42, H100), "cfg must be"),
])
def test_bad_input_names_the_argument(call, message):
    with pytest.raises(TechpmError, match=message):
        call()


# ---------------------------------------------------------------------------------------------------
# Invariants
# ---------------------------------------------------------------------------------------------------

models = st.sampled_from(MODELS)
batches = st.integers(1, 512)
contexts = st.integers(0, 32_768)


def _decode(cfg, gpu=H100, batch=1, context=0, bpp=2.0, n=8, **kw):
    """The roofline time of a decode step, whether or not that batch fits (invariants of the model)."""
    return calc.decode_step(cfg, gpu, batch, context, bpp, n, check_memory=False, **kw).time_s


@settings(max_examples=60, deadline=None)
@given(models, batches, st.integers(0, 4096), st.floats(1.0, 20.0))
def test_more_bandwidth_never_slows_decode(model, batch, context, factor):
    faster = dataclasses.replace(H100, hbm_bytes_per_s=H100.hbm_bytes_per_s * factor)
    assert _decode(model, faster, batch, context) <= _decode(model, H100, batch, context)


@settings(max_examples=60, deadline=None)
@given(models, st.integers(1, 64), st.integers(0, 4096), st.integers(1, 8), st.integers(0, 8))
def test_more_gpus_never_slower(model, batch, context, n, extra):
    assert _decode(model, H100, batch, context, n=n + extra) <= _decode(model, H100, batch, context, n=n)
    assert (calc.prefill_step(model, H100, context + 1, 1, n + extra, check_memory=False).time_s
            <= calc.prefill_step(model, H100, context + 1, 1, n, check_memory=False).time_s)


@settings(max_examples=60, deadline=None)
@given(models, batches, batches, st.integers(0, 4096))
def test_bigger_batch_never_lowers_throughput_nor_speeds_each_user(model, b1, b2, context):
    small, big = min(b1, b2), max(b1, b2)
    t_small, t_big = _decode(model, H100, small, context, n=16), _decode(model, H100, big, context, n=16)
    assert big / t_big >= small / t_small * (1 - 1e-12)   # total tokens/s
    assert t_big >= t_small                                 # per-user time per token


@settings(max_examples=60, deadline=None)
@given(models, batches, contexts, contexts)
def test_longer_context_never_faster(model, batch, c1, c2):
    short, long = min(c1, c2), max(c1, c2)
    assert (_decode(model, H100, batch, long, n=64, kv_bytes_per_value=1)
            >= _decode(model, H100, batch, short, n=64, kv_bytes_per_value=1))


@settings(max_examples=60, deadline=None)
@given(models, batches, st.floats(0.5, 2.0), st.floats(0.5, 2.0))
def test_fewer_bytes_per_param_never_slower(model, batch, p1, p2):
    assert _decode(model, H100, batch, 128, min(p1, p2)) <= _decode(model, H100, batch, 128, max(p1, p2))


@settings(max_examples=40, deadline=None)
@given(models, st.integers(1, 8192), st.integers(1, 8192))
def test_longer_prompts_never_reach_the_first_token_sooner(model, p1, p2):
    assert calc.ttft_s(model, H100, min(p1, p2), n_gpus=4) <= calc.ttft_s(model, H100, max(p1, p2), n_gpus=4)


# ---------------------------------------------------------------------------------------------------
# Serving estimate and sweep
# ---------------------------------------------------------------------------------------------------

def test_serving_estimate_is_consistent_with_the_step_calculators():
    est = calc.serving_estimate("llama-3.1-70b", H100, n_gpus=4, batch_size=32, prompt_tokens=2000,
                                output_tokens=300, usd_per_gpu_hour=4.0, efficiency=1.0)
    assert est.is_roofline_bound
    step = calc.decode_time_per_token_s("llama-3.1-70b", H100, 32, 2150, n_gpus=4)
    assert est.time_per_output_token_s == pytest.approx(step)
    assert est.ttft_s == pytest.approx(calc.ttft_s("llama-3.1-70b", H100, 2000, n_gpus=4))
    assert est.request_latency_s == pytest.approx(est.ttft_s + 299 * step)
    prefill = calc.prefill_time_s("llama-3.1-70b", H100, 2000, 32, 4)
    assert est.requests_per_s == pytest.approx(32 / (prefill + 300 * step))
    assert est.usd_per_mtok_output == pytest.approx(4 * 4.0 / 3600 / est.output_tokens_per_s * 1e6)
    assert est.usd_per_request * est.requests_per_s == pytest.approx(4 * 4.0 / 3600)


def test_serving_estimate_uses_the_quantization_format():
    bf16 = calc.serving_estimate("llama-3.1-70b", H100, n_gpus=2, precision="bf16", batch_size=1, efficiency=1.0)
    awq = calc.serving_estimate("llama-3.1-70b", H100, n_gpus=2, precision="int4-awq", batch_size=1, efficiency=1.0)
    assert awq.memory.weights_bytes / bf16.memory.weights_bytes == pytest.approx(4.15625 / 16, rel=1e-3)
    assert awq.time_per_output_token_s < bf16.time_per_output_token_s / 3
    fp8 = calc.serving_estimate("llama-3.1-70b", H100, n_gpus=2, precision="fp8", batch_size=1, efficiency=1.0)
    assert fp8.memory.weights_bytes * 2 == pytest.approx(bf16.memory.weights_bytes, abs=1)
    assert fp8.time_per_output_token_s / bf16.time_per_output_token_s == pytest.approx(0.5, rel=0.02)
    # fp8 tensor cores double the compute rate: prefill (compute-bound) halves too.
    assert fp8.ttft_s / bf16.ttft_s == pytest.approx(0.5, rel=0.02)
    kv8 = calc.serving_estimate("llama-3.1-70b", H100, n_gpus=2, precision="fp8", kv_precision="fp8", batch_size=1, efficiency=1.0)
    assert kv8.memory.max_batch_size >= 2 * fp8.memory.max_batch_size
    with pytest.raises(TechpmError, match="no fp8 tensor cores"):
        calc.serving_estimate("llama-3.1-8b", "a100-80gb", precision="fp8")


def test_serving_estimate_default_price_is_the_cheapest_tabled():
    est = calc.serving_estimate("llama-3.1-8b", "h100-sxm")
    assert est.usd_per_gpu_hour == min(p.usd_per_gpu_hour for p in calc.get_gpu_prices("h100-sxm"))


def test_sweep_stops_where_memory_runs_out_and_costs_fall_with_batch():
    sweep = calc.serving_sweep("llama-3.1-70b", H100, n_gpus=4, prompt_tokens=2000, output_tokens=300)
    limit = calc.max_batch_size("llama-3.1-70b", H100, 4, 2300)
    assert [e.batch_size for e in sweep][-1] == limit and sweep[0].batch_size == 1
    for a, b in zip(sweep, sweep[1:], strict=False):
        assert b.output_tokens_per_s >= a.output_tokens_per_s
        assert b.tokens_per_s_per_user <= a.tokens_per_s_per_user
        assert b.usd_per_mtok_output <= a.usd_per_mtok_output
    assert calc.serving_sweep("llama-3.1-70b", H100, n_gpus=4, batch_sizes=[1, 8, 10_000])[-1].batch_size == 8
    with pytest.raises(TechpmError, match="Does not fit"):
        calc.serving_sweep("llama-3.1-405b", H100, n_gpus=4)


# ---------------------------------------------------------------------------------------------------
# Batching policies
# ---------------------------------------------------------------------------------------------------

def test_static_batching_waits_for_the_longest_request():
    lengths = [100, 10, 10, 10, 100, 10, 10, 10]
    static = calc.simulate_batching(lengths, 4, "static")
    continuous = calc.simulate_batching(lengths, 4, "continuous")
    assert static.steps == 200 and static.slot_utilization == pytest.approx(260 / 800)
    # The second long request starts at step 10, when the first short ones free their slots.
    assert continuous.steps == 110 and continuous.slot_utilization == pytest.approx(260 / 440)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(1, 500), min_size=1, max_size=60), st.integers(1, 16))
def test_continuous_batching_never_takes_more_steps(lengths, batch):
    static = calc.simulate_batching(lengths, batch, "static")
    continuous = calc.simulate_batching(lengths, batch, "continuous")
    assert continuous.steps <= static.steps
    assert continuous.tokens == static.tokens == sum(lengths)
    assert max(lengths) <= continuous.steps and sum(lengths) / batch <= continuous.steps
    assert 0 < static.slot_utilization <= continuous.slot_utilization <= 1


def test_batching_bad_input():
    with pytest.raises(TechpmError, match="output_tokens"):
        calc.simulate_batching([], 4)
    with pytest.raises(TechpmError, match="output_tokens"):
        calc.simulate_batching([3, 0], 4)
    with pytest.raises(TechpmError, match="Unknown batching policy"):
        calc.simulate_batching([3], 4, "dynamic")


def test_realistic_serving_defaults_are_the_sourced_shares_plus_communication():
    """Issue 14 item 2: the serving calculators default to sourced efficiencies and pay for TP."""
    kw = {"n_gpus": 4, "batch_size": 32, "prompt_tokens": 2000, "output_tokens": 300, "usd_per_gpu_hour": 4.0}
    real = calc.serving_estimate("llama-3.1-70b", H100, **kw)
    ideal = calc.serving_estimate("llama-3.1-70b", H100, efficiency=1.0, **kw)
    assert (real.compute_efficiency, real.memory_efficiency, real.tp_communication) == (
        calc.PREFILL_COMPUTE_EFFICIENCY, calc.DECODE_MEMORY_EFFICIENCY, True)
    assert not real.is_roofline_bound and ideal.is_roofline_bound
    lo, hi = calc.DECODE_MEMORY_EFFICIENCY_RANGE
    assert lo <= calc.DECODE_MEMORY_EFFICIENCY <= hi < 1
    lo, hi = calc.PREFILL_COMPUTE_EFFICIENCY_RANGE
    assert lo <= calc.PREFILL_COMPUTE_EFFICIENCY <= hi < 1
    # Memory-bound decode at 70% of the bandwidth plus one step's all-reduces.
    step = calc.decode_step("llama-3.1-70b", H100, 32, 2150, n_gpus=4, memory_efficiency=0.7,
                            compute_efficiency=0.5, tp_communication=True)
    assert real.time_per_output_token_s == pytest.approx(step.time_s)
    assert step.time_s == pytest.approx(ideal.time_per_output_token_s / 0.7 + calc.tp_allreduce_s(
        "llama-3.1-70b", H100, 32, 4))
    assert real.ttft_s > ideal.ttft_s / 0.5          # prefill at half the FLOP/s, plus communication
    assert real.requests_per_s < ideal.requests_per_s and real.usd_per_mtok > ideal.usd_per_mtok
    # One GPU: no all-reduce; a number given for efficiency leaves communication out unless asked.
    assert calc.tp_allreduce_s("llama-3.1-8b", H100, 1000, 1) == 0
    assert calc.serving_efficiencies(0.6) == (0.6, 0.6, False)
    assert calc.serving_efficiencies(0.6, tp_communication=True) == (0.6, 0.6, True)
    with pytest.raises(TechpmError, match="efficiency"):
        calc.serving_estimate("llama-3.1-8b", H100, efficiency=0)


def test_tp_allreduce_is_the_ring_formula_over_half_the_link():
    cfg = calc.get_model("llama-3.1-70b")
    gpu = H100
    for n in (2, 4, 8):
        expected = 2 * cfg.n_layers * 2 * (n - 1) / n * 1000 * cfg.d_model * 2 / (gpu.interconnect_bytes_per_s / 2)
        assert calc.tp_allreduce_s(cfg, gpu, 1000, n) == pytest.approx(expected)
    # More GPUs: each moves a larger share (2(n-1)/n grows toward 2).
    assert calc.tp_allreduce_s(cfg, gpu, 1000, 8) > calc.tp_allreduce_s(cfg, gpu, 1000, 2)
    assert gpu.interconnect_bytes_per_s == 900e9
