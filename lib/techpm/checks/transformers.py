"""Checks for ``solutions/01_transformers`` / ``exercises/01_transformers``.

Every expected value comes from ``techpm.calc``; every hint names the mistake that produces its ratio.
"""

from __future__ import annotations

import math

from techpm import calc
from techpm.checks import CheckResult, check_choice, check_number

GIB_PER_GB = 1e9 / 2**30
SECONDS_PER_DAY = 86_400

# The exercises' scenarios, in one place so the solution notebook and the checks agree.
CONTEXT_TOKENS = 32_768              # Exercise 2: one long conversation
TRAIN_PARAMS, TRAIN_TOKENS = 7e9, 2e12  # Exercise 3
TRAIN_GPU, TRAIN_GPUS, TRAIN_MFU = "h100-sxm", 1024, 0.4
BUDGET_FLOPS = 1e24                  # Exercise 4
SERVED_TOKENS = 1e12 * 24            # Exercises 6-8: a trillion tokens a month for two years
OPTION_A = (70e9, 1.4e12)            # compute-optimal: Chinchilla's recipe
OPTION_B = (8e9, 15e12)              # over-trained: Llama 3 8B's recipe


def kv_cache_per_token(answer: object) -> CheckResult:
    """Exercise 1: bytes of KV cache per token for Llama 3.1 8B in bf16."""
    cfg = calc.get_model("llama-3.1-8b")
    return check_number("Exercise 1 · KV cache per token", answer, calc.kv_cache_bytes_per_token(cfg), hints={
        0.5: "count both K and V: the cache stores a key and a value per KV head (the 2 in the formula).",
        cfg.n_heads / cfg.n_kv_heads: f"grouped-query attention: Llama 3.1 8B stores {cfg.n_kv_heads} KV "
                                      f"heads, not {cfg.n_heads} query heads.",
        2.0: "bf16 is 2 bytes per value, not 4.",
        1 / 1024: "the answer is in bytes, not KiB.",
        1 / cfg.n_layers: f"multiply by the number of layers ({cfg.n_layers}): every layer keeps its own K and V.",
    }, unit="bytes")


def conversations_that_fit(answer: object) -> CheckResult:
    """Exercise 2: how many 32k-token conversations fit next to Llama 3.1 8B's bf16 weights on one H100."""
    cfg, gpu = calc.get_model("llama-3.1-8b"), calc.get_gpu("h100-sxm")
    free = gpu.memory_bytes - calc.model_memory_bytes(cfg).weights
    per_conversation = calc.kv_cache_bytes(cfg, CONTEXT_TOKENS)
    expected = math.floor(free / per_conversation)
    hints = {
        math.floor(gpu.memory_bytes / per_conversation) / expected:
            "the weights sit in the same memory: subtract them before dividing.",
        math.floor(free / (per_conversation * cfg.n_heads / cfg.n_kv_heads)) / expected:
            "that would be right without grouped-query attention; Llama 3.1 8B caches 8 KV heads, not 32.",
        math.ceil(free / per_conversation) / expected: "round down: a partial conversation does not fit.",
        math.floor((gpu.memory_bytes / GIB_PER_GB - calc.model_memory_bytes(cfg).weights) / per_conversation)
        / expected: "this course counts the H100's memory as 80e9 bytes, the marketed figure in decimal GB (a "
                    "conservative convention: the HBM stacks hold binary-sized 80 GiB); use memory_bytes.",
    }
    return check_number("Exercise 2 · conversations per GPU", answer, expected, rel_tol=0.001, hints=hints,
                        unit="conversations")


def training_days(answer: object) -> CheckResult:
    """Exercise 3: days to train 7B parameters on 2T tokens on 1,024 H100s at 40% MFU."""
    gpu = calc.get_gpu(TRAIN_GPU)
    compute = calc.training_flops(TRAIN_PARAMS, TRAIN_TOKENS)
    seconds = calc.training_time_s(compute, gpu.matmul_flops_per_s, TRAIN_GPUS, TRAIN_MFU)
    return check_number("Exercise 3 · training days", answer, seconds / SECONDS_PER_DAY, rel_tol=0.03, hints={
        1 / 3: "training costs 6ND, not 2ND: the backward pass costs twice the forward pass.",
        TRAIN_MFU: f"no run reaches peak: divide by the utilization ({TRAIN_MFU:.0%}) as well.",
        0.5: f"use the dense bf16 peak ({gpu.matmul_flops_per_s / 1e12:,.0f} TFLOPS); NVIDIA's datasheet "
             "prints twice that 'with sparsity'.",
        24.0: "that is hours; the question asks for days.",
        float(SECONDS_PER_DAY): "that is seconds; divide by 86,400 for days.",
    }, unit="days")


def chinchilla_params(answer: object) -> CheckResult:
    """Exercise 4: the compute-optimal parameter count for a 1e24 FLOP budget."""
    n_params, n_tokens = calc.chinchilla_optimal(BUDGET_FLOPS)
    return check_number("Exercise 4 · compute-optimal size", answer, n_params, rel_tol=0.05, hints={
        math.sqrt(calc.CHINCHILLA_TOKENS_PER_PARAM): "you set D = N; Chinchilla's optimum has D ≈ 20 N, so "
                                                     "N = sqrt(C / (6 * 20)).",
        n_tokens / n_params: "that is the number of training tokens, D; the question asks for parameters, N.",
        math.sqrt(calc.TRAINING_FLOPS_PER_PARAM_TOKEN): "keep the 6 of C = 6ND: N = sqrt(C / 120).",
    }, unit="parameters")


def moe_memory_gb(answer: object) -> CheckResult:
    """Exercise 5: GB of bf16 weights for Mixtral 8x7B."""
    cfg = calc.get_model("mixtral-8x7b")
    expected = calc.model_memory_bytes(cfg).weights / 1e9
    return check_number("Exercise 5 · MoE memory", answer, expected, rel_tol=0.02, hints={
        calc.active_param_count(cfg) / calc.param_count(cfg): "those are the active parameters; the router "
            "may pick any expert for the next token, so all 8 must sit in memory.",
        8 * 7e9 * 2 / 1e9 / expected: "'8x7B' overcounts: only the feed-forward layers are replicated per "
                                      "expert; attention and embeddings are shared (46.7B in all).",
        0.5: "bf16 is 2 bytes per parameter.",
        GIB_PER_GB: "the exercise asks for decimal GB (1e9 bytes), the unit GPU memory is marketed in; you "
                    "gave GiB.",
    }, unit="GB")


def serving_flops_ratio(answer: object) -> CheckResult:
    """Exercise 6: forward FLOPs per token of option A's model over option B's."""
    expected = calc.forward_flops(OPTION_A[0], 1) / calc.forward_flops(OPTION_B[0], 1)
    return check_number("Exercise 6 · serving cost ratio", answer, expected, rel_tol=0.05, hints={
        1 / expected**2: "the ratio is A over B: the bigger model costs more per token.",
        OPTION_B[1] / OPTION_A[1] / expected: "that compares training tokens; serving cost per token depends "
                                              "on parameters (about 2 FLOPs per parameter).",
    }, unit="x")


def lifetime_compute_ratio(answer: object) -> CheckResult:
    """Exercise 7: option A's serving compute over two years divided by its training compute."""
    expected = calc.forward_flops(OPTION_A[0], SERVED_TOKENS) / calc.training_flops(*OPTION_A)
    return check_number("Exercise 7 · serving vs. training compute", answer, expected, rel_tol=0.03, hints={
        3.0: "serving is a forward pass only: 2 FLOPs per parameter per token, not 6.",
        1 / 24: "that is one month of serving; the question asks for two years (24 months).",
        1 / expected**2: "the ratio is serving over training.",
    }, unit="x")


def over_training_choice(answer: object) -> CheckResult:
    """Exercise 8: which model to train for a high-volume product."""
    per_token = calc.forward_flops(OPTION_A[0], 1) / calc.forward_flops(OPTION_B[0], 1)
    lifetime = calc.forward_flops(OPTION_A[0], SERVED_TOKENS) / calc.training_flops(*OPTION_A)
    return check_choice("Exercise 8 · train which model?", answer, "B", {
        "B": f"Serving dominates lifetime compute at this volume, and B costs about {per_token:.0f}x less per "
             "token, fits one GPU and answers faster; over-training buys that at some quality per FLOP.",
        "A": f"A is compute-optimal for training only. At this volume serving A costs {lifetime:.1f}x its "
             f"training run, and A costs about {per_token:.0f}x more per token to serve than B.",
    })
