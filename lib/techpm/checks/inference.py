"""Checks for ``solutions/03_inference`` / ``exercises/03_inference``.

Every expected value comes from ``techpm.calc``; every hint names the mistake that produces its ratio.
The scenarios live here, so the solution notebook and the checks agree.
"""

from __future__ import annotations

import math

from techpm import calc
from techpm.checks import CheckResult, check_choice, check_number, check_predicate

# Exercise 1: a 70B model in 4-bit AWQ.
QUANT_MODEL, QUANT_FORMAT = "llama-3.1-70b", "int4-awq"
# Exercise 2: one user, one GPU.
DECODE_MODEL, DECODE_GPU = "llama-3.1-8b", "h100-sxm"
# Exercise 3: int8 weights, bf16 arithmetic.
CRITICAL_GPU, CRITICAL_BYTES_PER_PARAM = "h100-sxm", 1
# Exercise 4: a chat service's replica.
FIT_MODEL, FIT_GPU, FIT_SEQUENCES, FIT_CONTEXT = "llama-3.1-70b", "h100-sxm", 64, 8192
# Exercise 5: a draft model.
SPEC_ALPHA, SPEC_GAMMA, SPEC_COST_RATIO = 0.7, 4, 0.1
# Exercises 6 and 7: self-hosting an open 70B model against an API of comparable quality for the task.
SELFHOST = {"cfg": "llama-3.1-70b", "gpu": "h100-sxm", "n_gpus": 4, "batch_size": 64, "prompt_tokens": 2000,
            "output_tokens": 300}
API_MODEL = "claude-sonnet-5-5"
UTILIZATION = 0.6
VOLUME_REQUESTS_PER_MONTH = 3_000_000


def int4_weights_gb(answer: object) -> CheckResult:
    """Exercise 1: GB of weights of Llama 3.1 70B in 4-bit AWQ (group 128, fp16 scales, 4-bit zeros)."""
    fmt = calc.get_quant_format(QUANT_FORMAT)
    n = calc.param_count(QUANT_MODEL)
    expected = fmt.weights_bytes(n) / 1e9
    name = "Exercise 1 · 4-bit weights"
    no_overhead = n * 4 / 8 / 1e9   # 4% below the answer: too close for a ratio hint
    if isinstance(answer, (int, float)) and not isinstance(answer, bool) and math.isclose(answer, no_overhead,
                                                                                         rel_tol=0.005):
        return check_predicate(name, answer, lambda _: (
            f"close: {answer:,.1f} GB is the 4-bit payload alone. Every 128 weights also store an fp16 scale and "
            "a 4-bit zero point (about 0.16 extra bits per weight): use fmt.weights_bytes or calc.weights_bytes "
            "with group_size=128, zero_bits=4."), "")
    return check_number(name, answer, expected, rel_tol=0.01, hints={
        16 / fmt.effective_bits_per_param: "that is the bf16 size: 4-bit weights take a quarter of it, plus scales.",
        8 / fmt.effective_bits_per_param: "that is 8 bits per weight; AWQ stores 4.",
        1e9 / 2**30: "GPU memory is marketed in decimal GB (1e9 bytes), not GiB.",
    }, unit="GB")


def decode_ms(answer: object) -> CheckResult:
    """Exercise 2: milliseconds per output token, Llama 3.1 8B in bf16 on one H100 SXM, batch 1."""
    expected_s = calc.decode_time_per_token_s(DECODE_MODEL, DECODE_GPU)
    step = calc.decode_step(DECODE_MODEL, DECODE_GPU)
    return check_number("Exercise 2 · decode time per token", answer, expected_s * 1e3, rel_tol=0.08, hints={
        0.5: "bf16 is 2 bytes per parameter: read bytes = parameters x 2.",
        2.0: "bf16 is 2 bytes per parameter, not 4.",
        step.compute_s / step.time_s: "that is the compute time; at batch 1 decode waits on memory, so "
                                      "time = bytes read / bandwidth.",
    }, unit="ms")


def critical_batch(answer: object) -> CheckResult:
    """Exercise 3: batch size where decode turns compute-bound, H100 SXM, int8 weights, bf16 compute."""
    expected = calc.critical_batch_size(CRITICAL_GPU, CRITICAL_BYTES_PER_PARAM)
    return check_number("Exercise 3 · critical batch size", answer, expected, rel_tol=0.02, hints={
        2.0: "1-byte weights: B* = (FLOP/s / bytes/s) x bytes_per_param / 2 uses bytes_per_param = 1 (and the "
             "arithmetic stays bf16: the question's int8 is storage only).",
        0.5: "each weight does 2 FLOPs per sequence (a multiply and an add): divide by 2 once, not twice.",
        4.0: "two slips: bytes_per_param is 1 here, and each weight does 2 FLOPs, so divide by 2.",
    }, unit="sequences")


def gpus_needed(answer: object) -> CheckResult:
    """Exercise 4: H100s per replica for Llama 3.1 70B in bf16 with 64 concurrent 8K-token conversations."""
    expected = calc.min_gpus(FIT_MODEL, FIT_GPU, FIT_SEQUENCES, FIT_CONTEXT)
    weights_only = calc.min_gpus(FIT_MODEL, FIT_GPU, 1, 0)
    plain = calc.min_gpus(FIT_MODEL, FIT_GPU, FIT_SEQUENCES, FIT_CONTEXT, powers_of_two=False)
    full_memory = calc.min_gpus(FIT_MODEL, FIT_GPU, FIT_SEQUENCES, FIT_CONTEXT, memory_utilization=1.0,
                                powers_of_two=False)
    hints = {
        weights_only / expected: "that holds the weights, but each conversation's KV cache needs memory too.",
        plain / expected: "tensor parallelism splits heads evenly: replicas use 1, 2, 4 or 8 GPUs; round up.",
    }
    if full_memory != plain:
        hints[full_memory / expected] = ("keep about 10% of each GPU for activations and the runtime "
                                         "(vLLM's default gpu_memory_utilization = 0.9), and use powers of two.")
    return check_number("Exercise 4 · GPUs per replica", answer, expected, rel_tol=0.001, hints=hints, unit="GPUs")


def speculative_speedup(answer: object) -> CheckResult:
    """Exercise 5: expected speed-up with acceptance 0.7, 4 draft tokens, draft at 0.1 of the target's time."""
    expected = calc.speculative_speedup(SPEC_ALPHA, SPEC_GAMMA, SPEC_COST_RATIO)
    tokens = calc.speculative_expected_tokens(SPEC_ALPHA, SPEC_GAMMA)
    off_by_one = calc.speculative_expected_tokens(SPEC_ALPHA, SPEC_GAMMA - 1) / (SPEC_GAMMA * SPEC_COST_RATIO + 1)
    return check_number("Exercise 5 · speculative speed-up", answer, expected, rel_tol=0.01, hints={
        tokens / expected: "that is the tokens per target pass; the draft model's 4 guesses take time too: "
                           "divide by (gamma x c + 1).",
        off_by_one / expected: "the exponent is gamma + 1: the target adds one token of its own every pass.",
    }, unit="x")


def _selfhost() -> tuple[calc.ServingEstimate, calc.BreakEven]:
    est = calc.serving_estimate(**SELFHOST)  # type: ignore[arg-type]
    api = calc.api_cost_usd(API_MODEL, SELFHOST["prompt_tokens"], SELFHOST["output_tokens"])
    return est, calc.selfhost_breakeven(est.usd_per_gpu_hour, est.n_gpus, est.requests_per_s, api, UTILIZATION)


def breakeven_requests(answer: object) -> CheckResult:
    """Exercise 6: requests a month above which the self-hosted replica costs less than the API."""
    _, b = _selfhost()
    expected = b.breakeven_requests_per_month
    return check_number("Exercise 6 · break-even volume", answer, expected, rel_tol=0.02, hints={
        1 / SELFHOST["n_gpus"]: f"the replica rents {SELFHOST['n_gpus']} GPUs, not one.",
        UTILIZATION: "utilization sets the replica's capacity, not the break-even: a month of GPUs costs the "
                     "same busy or idle.",
        1 / UTILIZATION: "utilization sets the replica's capacity, not the break-even: a month of GPUs costs the "
                         "same busy or idle.",
        b.replica_capacity_requests_per_month / expected: "that is what one replica can serve; the break-even "
                                                          "is where its monthly rent equals the API bill.",
    }, unit="requests/month")


def selfhost_decision(answer: object) -> CheckResult:
    """Exercise 7: at VOLUME requests a month, 'self-host' or 'api'?"""
    _, b = _selfhost()
    selfhost_usd, api_usd = b.monthly_costs_usd(VOLUME_REQUESTS_PER_MONTH)
    expected = "self-host" if selfhost_usd < api_usd else "api"
    numbers = f"self-hosting ${selfhost_usd:,.0f} a month vs. ${api_usd:,.0f} for the API"
    if expected == "self-host":
        explanations = {
            "self-host": f"{numbers}. Before committing, add the engineers who run it, redundancy across zones "
                         "and the months it takes, and re-check as API prices fall.",
            "api": f"{numbers}: above the break-even volume the replica's fixed rent is spread over enough "
                   "requests to beat the per-request price.",
        }
    else:
        explanations = {
            "api": f"{numbers}. Below the break-even, renting GPUs means paying for idle capacity.",
            "self-host": f"{numbers}: below the break-even volume the GPUs' rent is not covered.",
        }
    return check_choice("Exercise 7 · self-host or API", answer, expected, explanations)
