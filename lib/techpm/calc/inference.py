"""Serving speed from first principles: the roofline of prefill and decode, TTFT, tokens/s, batching.

One replica's latency, throughput and cost at a batch size, built on these steps, is ``calc.serving``.

The roofline model (Williams, Waterman & Patterson 2009, https://doi.org/10.1145/1498765.1498785): a
step takes at least ``max(FLOPs / FLOP_per_s, bytes / bytes_per_s)``. Applied to a transformer (Austin
et al. 2025, "How to Scale Your Model", inference chapter, https://jax-ml.github.io/scaling-book/inference/):

- **Prefill** runs the whole prompt through the model at once: ``B * P`` tokens share one read of the
  weights, so it is *compute-bound* for prompts of more than a few hundred tokens. Its time is the
  **time to first token (TTFT)** on an idle server.
- **Decode** produces one token per sequence per step and must read every weight (and the KV cache) for
  it: at small batch it is *memory-bound*, ``time = bytes / bandwidth``. One step's time is the **time per
  output token**, and ``1 / time`` is the tokens/s a user sees.
- **Batching** makes ``B`` sequences share the weight read: throughput grows almost linearly with B
  until compute catches up, at the **critical batch size** ``B* = (FLOP/s / bytes/s) * bytes_per_param / 2``
  (about 295 for an H100 with bf16 weights: 989e12 / 3.35e12). Past it, more batch adds latency, not
  throughput. The KV cache, read once per sequence, eats into this: at long context decode may never
  become compute-bound.

FLOPs come from ``calc.forward_flops_per_token`` (weights + attention), bytes from the weights read
(``param_count``, minus the input embedding, which is a lookup) and ``calc.kv_cache_bytes``. Tensor
parallelism over ``n_gpus`` divides both; ``tp_communication=True`` adds its all-reduces over the
interconnect (``tp_allreduce_s``). ``efficiency`` (0-1] scales both peak rates (``compute_efficiency`` /
``memory_efficiency`` one of them). The step functions default to the roofline bound (``efficiency=1.0``,
free communication); ``calc.serving``'s ``serving_estimate`` and ``serving_sweep`` default to the realistic
shares ``DECODE_MEMORY_EFFICIENCY`` and ``PREFILL_COMPUTE_EFFICIENCY`` (sourced below) with communication.
Measure (``benchmarks/gpu_decode_check.py`` times a decode step on a GPU against this module's prediction).

Continuous batching (Yu et al. 2022, "Orca", OSDI, https://www.usenix.org/conference/osdi22/presentation/yu:
"36.9x throughput improvement at the same level of latency" over FasterTransformer on GPT-3 175B)
refills a finished sequence's slot at the next step instead of waiting for the whole batch:
``simulate_batching`` counts the steps each policy needs.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass

from techpm.calc._validate import model_config, non_negative_int, positive, positive_int, probability
from techpm.calc.memory import _gpu, memory_fit
from techpm.calc.transformer import forward_flops_per_token, kv_cache_bytes, param_breakdown
from techpm.errors import TechpmError, unknown_name
from techpm.tables import GPUSpec, ModelConfig

__all__ = [
    "COMPUTE_PRECISIONS",
    "compute_flops_per_s",
    "DECODE_MEMORY_EFFICIENCY",
    "DECODE_MEMORY_EFFICIENCY_RANGE",
    "PREFILL_COMPUTE_EFFICIENCY",
    "PREFILL_COMPUTE_EFFICIENCY_RANGE",
    "tp_allreduce_s",
    "decode_weight_bytes",
    "RooflineStep",
    "prefill_step",
    "prefill_time_s",
    "ttft_s",
    "decode_step",
    "decode_time_per_token_s",
    "decode_tokens_per_s",
    "critical_batch_size",
    "compute_bound_batch_size",
    "BatchingRun",
    "simulate_batching",
]

COMPUTE_PRECISIONS = ("bf16", "fp16", "fp8", "int8")

# Realistic shares of the datasheet that serving engines reach (the serving calculators' defaults).
# Memory-bound decode: gpt-fast on an A100-80GB (power-limited to 330 W) reads 1,397 GB/s for Llama-2-7B
# in bf16 and 1,323 GB/s for Llama-2-70B in int8, 69% and 65% of the 2,039 GB/s datasheet; with tensor
# parallelism, 70B in bf16 reads 70% per GPU on 2 GPUs, 59% on 4, 42% on 8 (README "Benchmarks",
# https://github.com/pytorch-labs/gpt-fast, read 2026-11-29).
DECODE_MEMORY_EFFICIENCY = 0.7
DECODE_MEMORY_EFFICIENCY_RANGE = (0.5, 0.8)
# Compute-bound prefill: Pope et al. 2022, "Efficiently Scaling Transformer Inference" (abstract,
# https://arxiv.org/abs/2211.05102): 76% MFU prefilling PaLM 540B in large batches on TPU v4, a best
# case; Llama 3 pre-training on H100s, forward and backward, reached 38-43% MFU (Dubey et al. 2024,
# "The Llama 3 Herd of Models", Table 4, https://arxiv.org/abs/2407.21783).
PREFILL_COMPUTE_EFFICIENCY = 0.5
PREFILL_COMPUTE_EFFICIENCY_RANGE = (0.4, 0.6)


def compute_flops_per_s(gpu: GPUSpec | str, compute_precision: str = "bf16") -> float:
    """Dense tensor-core throughput of ``gpu`` in ``compute_precision`` ('bf16', 'fp16', 'fp8', 'int8').

    'bf16' falls back to fp16 on chips without bf16 (the T4). A chip without the mode is a clear error.

    Source: the dense tensor-core rates in ``data/gpus.json`` (each row from the vendor's datasheet, with its
        URL).
    Used in: 07 (via agents.context).
    """
    g = _gpu(gpu)
    key = str(compute_precision).strip().lower()
    if key not in COMPUTE_PRECISIONS:
        raise unknown_name("compute precision", str(compute_precision), COMPUTE_PRECISIONS)
    value = {"bf16": g.matmul_flops_per_s, "fp16": g.fp16_flops_per_s, "fp8": g.fp8_flops_per_s,
             "int8": g.int8_ops_per_s}[key]
    if not value:
        raise TechpmError(f"{g.name} has no {key} tensor cores in its datasheet; choose another precision or GPU.")
    return float(value)


def decode_weight_bytes(cfg: ModelConfig | str, bytes_per_param: float = 2, batch_tokens: int = 1) -> float:
    """Bytes of weights one forward step reads when it processes ``batch_tokens`` tokens.

    Every weight except the input embedding (a table lookup: one row per token). For a mixture of
    experts, only the experts some token is routed to are read: with ``k`` of ``n`` experts per token and
    routing assumed uniform and independent, a layer touches on average ``n * (1 - (1 - k/n)**tokens)``
    experts: ``k`` at batch 1 (Mixtral: 13B of 47B), nearly all ``n`` once a few dozen tokens share a step.

    Source: the roofline model, Williams, Waterman & Patterson 2009, https://doi.org/10.1145/1498765.1498785,
        applied to transformers as in Austin et al. 2025, "How to Scale Your Model", inference chapter,
        https://jax-ml.github.io/scaling-book/inference/; peak rates from ``data/gpus.json`` (datasheets).
    Used in: 03 §4.
    """
    c = model_config(cfg)
    positive("bytes_per_param", bytes_per_param)
    positive_int("batch_tokens", batch_tokens)
    b = param_breakdown(c)
    lookup = 0 if c.tied_embeddings else c.vocab_size * c.d_model
    if c.n_experts == 1:
        return (b.total - lookup) * bytes_per_param
    per_expert = (c.n_layers - c.n_dense_layers) * c.ffn_matrices * c.d_model * c.d_ff   # one routed expert, all layers
    touched = c.n_experts * (1 - (1 - c.experts_per_token / c.n_experts) ** batch_tokens)
    return (b.total - c.n_experts * per_expert - lookup + per_expert * touched) * bytes_per_param


@dataclass(frozen=True)
class RooflineStep:
    """One forward step on the roofline: its FLOPs and bytes against the replica's peak rates."""

    flops: float
    weight_bytes: float
    kv_bytes: float
    flops_per_s: float      # the replica's (n_gpus x efficiency x peak)
    bytes_per_s: float
    communication_s: float = 0.0   # tensor-parallel all-reduces (tp_allreduce_s), added after the roofline

    @property
    def bytes(self) -> float:
        return self.weight_bytes + self.kv_bytes

    @property
    def compute_s(self) -> float:
        return self.flops / self.flops_per_s

    @property
    def memory_s(self) -> float:
        return self.bytes / self.bytes_per_s

    @property
    def time_s(self) -> float:
        """The slower of computing and moving memory (the roofline bound), plus any all-reduce time.

        Communication is added, not overlapped: engines overlap part of it, so this errs long.
        """
        return max(self.compute_s, self.memory_s) + self.communication_s

    @property
    def bound(self) -> str:
        """'compute' or 'memory': which side of the roofline limits this step."""
        return "compute" if self.compute_s >= self.memory_s else "memory"

    @property
    def arithmetic_intensity(self) -> float:
        """FLOPs per byte moved; compare with the GPU's ridge point ``flops_per_s / bytes_per_s``."""
        return self.flops / self.bytes


def _share(name: str, value: float) -> float:
    probability(name, value)
    if value == 0:
        raise TechpmError(f"{name} must be above 0 (1.0 = the datasheet's peak rate).")
    return float(value)


def _rates(gpu: GPUSpec, n_gpus: int, efficiency: float, compute_precision: str,
           compute_efficiency: float | None = None, memory_efficiency: float | None = None) -> tuple[float, float]:
    positive_int("n_gpus", n_gpus)
    efficiency = _share("efficiency", efficiency)
    ce = efficiency if compute_efficiency is None else _share("compute_efficiency", compute_efficiency)
    me = efficiency if memory_efficiency is None else _share("memory_efficiency", memory_efficiency)
    positive("hbm_bytes_per_s", gpu.hbm_bytes_per_s)
    return (compute_flops_per_s(gpu, compute_precision) * n_gpus * ce, gpu.hbm_bytes_per_s * n_gpus * me)


def tp_allreduce_s(cfg: ModelConfig | str, gpu: GPUSpec | str, tokens: int, n_gpus: int,
                   bytes_per_value: float = 2) -> float:
    """Seconds a tensor-parallel forward pass over ``tokens`` tokens spends in all-reduces (bandwidth term).

    Megatron-style tensor parallelism (Shoeybi et al. 2019, https://arxiv.org/abs/1909.08053, sec. 3)
    all-reduces the activations twice per layer in the forward pass (after attention and after the
    MLP), ``tokens * d_model * bytes_per_value`` bytes each. A ring all-reduce sends and receives
    ``2 (n - 1) / n`` times those bytes per GPU (Patarasuk & Yuan 2009, "Bandwidth optimal all-reduce
    algorithms for clusters of workstations", https://doi.org/10.1016/j.jpdc.2008.09.002), over the
    GPU's link at half its ``interconnect_gb_per_s`` (NVIDIA quotes NVLink bandwidth in both directions
    together; a ring uses each direction for half the traffic):

        t = 2 * n_layers * 2 (n - 1) / n * tokens * d_model * bytes_per_value / (interconnect / 2)

    Zero for one GPU. Per-message latency (microseconds per all-reduce) is left out, so this is a floor.

    Source: Shoeybi et al. 2019, "Megatron-LM", sec. 3, https://arxiv.org/abs/1909.08053; Patarasuk & Yuan
        2009, https://doi.org/10.1016/j.jpdc.2008.09.002 (ring all-reduce); link rates from
        ``data/gpus.json``.
    Used in: no lesson directly; inside ``decode_step``, ``prefill_step``.
    """
    c, g = model_config(cfg), _gpu(gpu)
    positive_int("tokens", tokens)
    positive_int("n_gpus", n_gpus)
    positive("bytes_per_value", bytes_per_value)
    if n_gpus == 1:
        return 0.0
    if not g.interconnect_bytes_per_s:
        raise TechpmError(f"{g.name} has no interconnect bandwidth in gpus.json; cannot price tensor parallelism.")
    message_bytes = tokens * c.d_model * bytes_per_value
    per_gpu_bytes = 2 * (n_gpus - 1) / n_gpus * message_bytes
    return 2 * c.n_layers * per_gpu_bytes / (g.interconnect_bytes_per_s / 2)


def _check_fit(c: ModelConfig, g: GPUSpec, n_gpus: int, batch_size: int, context_tokens: int,
               bytes_per_param: float, kv_bytes_per_value: float) -> None:
    if g.memory_bytes > 0:  # a measured CPU may not know its memory size
        memory_fit(c, g, n_gpus, batch_size, context_tokens, bytes_per_param, kv_bytes_per_value).require()


def prefill_step(cfg: ModelConfig | str, gpu: GPUSpec | str, prompt_tokens: int, batch_size: int = 1,
                 n_gpus: int = 1, efficiency: float = 1.0, *, bytes_per_param: float = 2,
                 kv_bytes_per_value: float = 2, compute_precision: str = "bf16",
                 check_memory: bool = True, compute_efficiency: float | None = None,
                 memory_efficiency: float | None = None, tp_communication: bool = False) -> RooflineStep:
    """The roofline of processing ``batch_size`` prompts of ``prompt_tokens`` in one forward pass.

    FLOPs ``B * P * forward_flops_per_token(cfg, (P + 1) / 2)``: token ``i`` attends to ``i`` tokens,
    and the FLOPs are linear in context, so the mean context ``(P + 1) / 2`` gives the exact sum. Bytes:
    the weights once, plus the KV cache written for all ``B * P`` tokens. ``compute_efficiency`` and
    ``memory_efficiency`` override ``efficiency`` for one rate; ``tp_communication`` adds the
    tensor-parallel all-reduces (``tp_allreduce_s``).

    Source: the roofline model, Williams, Waterman & Patterson 2009, https://doi.org/10.1145/1498765.1498785,
        applied to transformers as in Austin et al. 2025, "How to Scale Your Model", inference chapter,
        https://jax-ml.github.io/scaling-book/inference/; peak rates from ``data/gpus.json`` (datasheets).
    Used in: 03 §1; 07 (via agents.context).
    """
    c, g = model_config(cfg), _gpu(gpu)
    positive_int("prompt_tokens", prompt_tokens)
    positive_int("batch_size", batch_size)
    positive("kv_bytes_per_value", kv_bytes_per_value)
    flops_per_s, bytes_per_s = _rates(g, n_gpus, efficiency, compute_precision, compute_efficiency,
                                      memory_efficiency)
    if check_memory:
        _check_fit(c, g, n_gpus, batch_size, prompt_tokens, bytes_per_param, kv_bytes_per_value)
    return RooflineStep(
        flops=batch_size * prompt_tokens * forward_flops_per_token(c, (prompt_tokens + 1) / 2),
        weight_bytes=decode_weight_bytes(c, bytes_per_param, batch_size * prompt_tokens),
        kv_bytes=float(kv_cache_bytes(c, prompt_tokens, batch_size, kv_bytes_per_value)),
        flops_per_s=flops_per_s, bytes_per_s=bytes_per_s,
        communication_s=tp_allreduce_s(c, g, batch_size * prompt_tokens, n_gpus) if tp_communication else 0.0,
    )


def prefill_time_s(cfg: ModelConfig | str, gpu: GPUSpec | str, prompt_tokens: int, batch_size: int = 1,
                   n_gpus: int = 1, efficiency: float = 1.0, *, bytes_per_param: float = 2,
                   kv_bytes_per_value: float = 2, compute_precision: str = "bf16") -> float:
    """Seconds to prefill ``batch_size`` prompts of ``prompt_tokens`` (roofline bound; see ``prefill_step``).

    Source: the roofline model, Williams, Waterman & Patterson 2009, https://doi.org/10.1145/1498765.1498785,
        applied to transformers as in Austin et al. 2025, "How to Scale Your Model", inference chapter,
        https://jax-ml.github.io/scaling-book/inference/; peak rates from ``data/gpus.json`` (datasheets).
    Used in: 01 (via transformer_lab.measure).
    """
    return prefill_step(cfg, gpu, prompt_tokens, batch_size, n_gpus, efficiency, bytes_per_param=bytes_per_param,
                        kv_bytes_per_value=kv_bytes_per_value, compute_precision=compute_precision).time_s


def ttft_s(cfg: ModelConfig | str, gpu: GPUSpec | str, prompt_tokens: int, n_gpus: int = 1,
           efficiency: float = 1.0, *, bytes_per_param: float = 2, kv_bytes_per_value: float = 2,
           compute_precision: str = "bf16") -> float:
    """Time to first token on an idle replica: the prefill of one prompt (its last position yields the token).

    Queueing behind other requests and the network come on top.

    Source: the roofline model, Williams, Waterman & Patterson 2009, https://doi.org/10.1145/1498765.1498785,
        applied to transformers as in Austin et al. 2025, "How to Scale Your Model", inference chapter,
        https://jax-ml.github.io/scaling-book/inference/; peak rates from ``data/gpus.json`` (datasheets).
    Used in: 03 §2; 09 §3.
    """
    return prefill_time_s(cfg, gpu, prompt_tokens, 1, n_gpus, efficiency, bytes_per_param=bytes_per_param,
                          kv_bytes_per_value=kv_bytes_per_value, compute_precision=compute_precision)


def decode_step(cfg: ModelConfig | str, gpu: GPUSpec | str, batch_size: int = 1, context_tokens: int = 0,
                bytes_per_param: float = 2, n_gpus: int = 1, efficiency: float = 1.0, *,
                kv_bytes_per_value: float = 2, compute_precision: str = "bf16",
                check_memory: bool = True, compute_efficiency: float | None = None,
                memory_efficiency: float | None = None, tp_communication: bool = False) -> RooflineStep:
    """The roofline of one decode step: one new token for each of ``batch_size`` sequences.

    Each sequence already holds ``context_tokens`` tokens; the new one attends to ``context_tokens + 1``.
    FLOPs ``B * forward_flops_per_token(cfg, context + 1)``; bytes: the weights once
    (``decode_weight_bytes``) + every sequence's KV cache (``kv_cache_bytes(cfg, context + 1, B)``).
    The efficiency and communication options are ``prefill_step``'s.

    Source: the roofline model, Williams, Waterman & Patterson 2009, https://doi.org/10.1145/1498765.1498785,
        applied to transformers as in Austin et al. 2025, "How to Scale Your Model", inference chapter,
        https://jax-ml.github.io/scaling-book/inference/; peak rates from ``data/gpus.json`` (datasheets).
    Used in: 03 §1.
    """
    c, g = model_config(cfg), _gpu(gpu)
    positive_int("batch_size", batch_size)
    non_negative_int("context_tokens", context_tokens)
    positive("kv_bytes_per_value", kv_bytes_per_value)
    flops_per_s, bytes_per_s = _rates(g, n_gpus, efficiency, compute_precision, compute_efficiency,
                                      memory_efficiency)
    if check_memory:
        _check_fit(c, g, n_gpus, batch_size, context_tokens + 1, bytes_per_param, kv_bytes_per_value)
    return RooflineStep(
        flops=batch_size * forward_flops_per_token(c, context_tokens + 1),
        weight_bytes=decode_weight_bytes(c, bytes_per_param, batch_size),
        kv_bytes=float(kv_cache_bytes(c, context_tokens + 1, batch_size, kv_bytes_per_value)),
        flops_per_s=flops_per_s, bytes_per_s=bytes_per_s,
        communication_s=tp_allreduce_s(c, g, batch_size, n_gpus) if tp_communication else 0.0,
    )


def decode_time_per_token_s(cfg: ModelConfig | str, gpu: GPUSpec | str, batch_size: int = 1,
                            context_tokens: int = 0, bytes_per_param: float = 2, n_gpus: int = 1,
                            efficiency: float = 1.0, *, kv_bytes_per_value: float = 2,
                            compute_precision: str = "bf16") -> float:
    """Seconds per decode step (= per output token for each sequence): ``max(compute, memory)``.

    At batch 1 this is about ``weight bytes / bandwidth``: Llama 3.1 8B in bf16 on an H100 SXM,
    15 GB / 3.35 TB/s = 4.5 ms. Raises a ``TechpmError`` that explains itself when the weights and the
    KV cache do not fit in ``n_gpus`` GPUs (``calc.memory_fit``).

    Source: the roofline model, Williams, Waterman & Patterson 2009, https://doi.org/10.1145/1498765.1498785,
        applied to transformers as in Austin et al. 2025, "How to Scale Your Model", inference chapter,
        https://jax-ml.github.io/scaling-book/inference/; peak rates from ``data/gpus.json`` (datasheets).
    Used in: 01 §7; 03 §2, §3, §7, exercises.
    """
    return decode_step(cfg, gpu, batch_size, context_tokens, bytes_per_param, n_gpus, efficiency,
                       kv_bytes_per_value=kv_bytes_per_value, compute_precision=compute_precision).time_s


def decode_tokens_per_s(cfg: ModelConfig | str, gpu: GPUSpec | str, batch_size: int = 1, context_tokens: int = 0,
                        bytes_per_param: float = 2, n_gpus: int = 1, efficiency: float = 1.0, *,
                        kv_bytes_per_value: float = 2, compute_precision: str = "bf16") -> float:
    """Output tokens per second of the whole batch: ``batch_size / decode_time_per_token_s``.

    Each user sees ``1 / decode_time_per_token_s`` tokens/s.

    Source: the roofline model, Williams, Waterman & Patterson 2009, https://doi.org/10.1145/1498765.1498785,
        applied to transformers as in Austin et al. 2025, "How to Scale Your Model", inference chapter,
        https://jax-ml.github.io/scaling-book/inference/; peak rates from ``data/gpus.json`` (datasheets).
    Used in: 07 (via agents.tasks).
    """
    return batch_size / decode_time_per_token_s(cfg, gpu, batch_size, context_tokens, bytes_per_param, n_gpus,
                                                efficiency, kv_bytes_per_value=kv_bytes_per_value,
                                                compute_precision=compute_precision)


def critical_batch_size(gpu: GPUSpec | str, bytes_per_param: float = 2, compute_precision: str = "bf16") -> float:
    """Batch size where decode turns compute-bound, counting weight reads only.

    A decode step at batch ``B`` does ``~2 N B`` FLOPs and reads ``N * bytes_per_param`` bytes of
    weights; compute catches up with memory when ``2 N B / FLOP_per_s = N bytes_per_param / bytes_per_s``:

        B* = (FLOP_per_s / bytes_per_s) * bytes_per_param / 2

    ("How to Scale Your Model": 240 for a TPU v5e in bf16, 120 with int8 weights.) The KV cache is
    extra memory traffic per sequence and pushes the real crossing higher: ``compute_bound_batch_size``.

    >>> round(critical_batch_size("h100-sxm"))
    295

    Source: the roofline model, Williams, Waterman & Patterson 2009, https://doi.org/10.1145/1498765.1498785,
        applied to transformers as in Austin et al. 2025, "How to Scale Your Model", inference chapter,
        https://jax-ml.github.io/scaling-book/inference/; peak rates from ``data/gpus.json`` (datasheets).
    Used in: 03 §4, exercises.
    """
    g = _gpu(gpu)
    positive("bytes_per_param", bytes_per_param)
    positive("hbm_bytes_per_s", g.hbm_bytes_per_s)
    return compute_flops_per_s(g, compute_precision) / g.hbm_bytes_per_s * bytes_per_param / 2


def compute_bound_batch_size(cfg: ModelConfig | str, gpu: GPUSpec | str, context_tokens: int = 0,
                             bytes_per_param: float = 2, n_gpus: int = 1, *, kv_bytes_per_value: float = 2,
                             compute_precision: str = "bf16", max_batch: int = 2**24) -> float:
    """Smallest batch at which a decode step's compute time reaches its memory time, KV cache included.

    ``math.inf`` when no batch up to ``max_batch`` gets there: each sequence adds as many bytes (its KV
    cache) as its FLOPs can cover, which happens at long context. Ignores whether that batch fits in
    memory (compare ``calc.max_batch_size``).

    Source: the roofline model, Williams, Waterman & Patterson 2009, https://doi.org/10.1145/1498765.1498785,
        applied to transformers as in Austin et al. 2025, "How to Scale Your Model", inference chapter,
        https://jax-ml.github.io/scaling-book/inference/; peak rates from ``data/gpus.json`` (datasheets).
    Used in: 03 §4.
    """
    c, g = model_config(cfg), _gpu(gpu)
    positive_int("max_batch", max_batch)

    def compute_bound(batch: int) -> bool:
        step = decode_step(c, g, batch, context_tokens, bytes_per_param, n_gpus, kv_bytes_per_value=kv_bytes_per_value,
                           compute_precision=compute_precision, check_memory=False)
        return step.compute_s >= step.memory_s

    if not compute_bound(max_batch):
        return math.inf
    lo, hi = 0, 1  # compute - memory is convex in the batch, so the compute-bound batches form [B*, inf)
    while not compute_bound(hi):
        lo, hi = hi, hi * 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if compute_bound(mid) else (mid, hi)
    return float(hi)


@dataclass(frozen=True)
class BatchingRun:
    """How many decode steps a queue of requests takes under one batching policy."""

    policy: str
    batch_size: int
    requests: int
    tokens: int        # output tokens produced
    steps: int         # decode steps until the last request finishes

    @property
    def slot_utilization(self) -> float:
        """Share of (step x slot) pairs that produced a token: 1.0 means no slot ever sat idle."""
        return self.tokens / (self.steps * self.batch_size)

    @property
    def tokens_per_step(self) -> float:
        return self.tokens / self.steps


def simulate_batching(output_tokens: Sequence[int], batch_size: int, policy: str = "continuous") -> BatchingRun:
    """Decode steps to finish a queue of requests with ``output_tokens[i]`` tokens each (all waiting at t=0).

    - ``'static'``: take ``batch_size`` requests, decode until the *longest* is done, then the next group
      (request-level scheduling: short answers wait for long ones, their slots idle);
    - ``'continuous'``: a slot freed by a finished request takes the next one at the next step
      (iteration-level scheduling, Orca 2022 / vLLM).

    Prefill is left out: both policies spend the same prefill work.

    >>> simulate_batching([10, 1, 1, 1], 2, "static").steps, simulate_batching([10, 1, 1, 1], 2).steps
    (11, 10)

    Source: Yu et al. 2022, "Orca", OSDI, https://www.usenix.org/conference/osdi22/presentation/yu (continuous
        batching).
    Used in: 03 §4.
    """
    lengths = list(output_tokens) if not isinstance(output_tokens, (str, bytes)) else []
    if not lengths or any(isinstance(n, bool) or not isinstance(n, int) or n < 1 for n in lengths):
        raise TechpmError("output_tokens must be a non-empty list of whole numbers of at least 1.")
    positive_int("batch_size", batch_size)
    if policy == "static":
        steps = sum(max(lengths[i:i + batch_size]) for i in range(0, len(lengths), batch_size))
    elif policy == "continuous":
        free_at = [0] * min(batch_size, len(lengths))   # the step at which each slot frees up
        heapq.heapify(free_at)
        for n in lengths:
            heapq.heappush(free_at, heapq.heappop(free_at) + n)
        steps = max(free_at)
    else:
        raise unknown_name("batching policy", str(policy), ("continuous", "static"))
    return BatchingRun(policy, batch_size, len(lengths), sum(lengths), steps)
