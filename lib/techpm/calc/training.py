"""What training a model costs: compute (6ND), the compute-optimal split, and optimizer memory.

    training_flops   C = 6 N D      N parameters, D training tokens
                     (2ND for the forward pass, 4ND for the backward: Kaplan et al. 2020, section 2.1,
                     https://arxiv.org/abs/2001.08361; Hoffmann et al. 2022 use the same approximation)
    chinchilla       D ~ 20 N at the compute optimum (Hoffmann et al. 2022, "Training Compute-Optimal
                     Large Language Models", Table 3, https://arxiv.org/abs/2203.15556), so with C = 6ND:
                     N = sqrt(C / (6 * 20)),  D = 20 N
    memory           16 bytes per parameter for mixed-precision Adam: fp16 weights (2) + fp16 gradients (2)
                     + fp32 master weights, momentum and variance (4 + 4 + 4) (Rajbhandari et al. 2019,
                     "ZeRO", section 3.1, https://arxiv.org/abs/1910.02054). Activations are extra.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from techpm.calc._validate import positive, positive_int, probability

__all__ = [
    "TRAINING_FLOPS_PER_PARAM_TOKEN",
    "CHINCHILLA_TOKENS_PER_PARAM",
    "ADAM_MIXED_PRECISION_BYTES_PER_PARAM",
    "training_flops",
    "chinchilla_optimal",
    "tokens_per_param",
    "tokens_for_compute",
    "forward_flops",
    "training_memory_bytes",
    "training_time_s",
    "TrainingRun",
    "PUBLISHED_TRAINING_RUNS",
    "CHINCHILLA_TABLE_3",
]

TRAINING_FLOPS_PER_PARAM_TOKEN = 6
"""Forward 2 + backward 4 FLOPs per parameter per token (Kaplan et al. 2020, section 2.1)."""

CHINCHILLA_TOKENS_PER_PARAM = 20
"""Training tokens per parameter at the compute optimum: Hoffmann et al. 2022, Table 3 (400M params ->
8.0B tokens; 1B -> 20.2B; 10B -> 205.1B; 67B -> 1.5T). Their fitted loss formula (Approach 3) implies
a different ratio; 20 is the rule of thumb the field quotes."""

ADAM_MIXED_PRECISION_BYTES_PER_PARAM = 16
"""2 (fp16 weights) + 2 (fp16 gradients) + 12 (fp32 weights, momentum, variance): ZeRO, section 3.1."""



@dataclass(frozen=True)
class TrainingRun:
    """A published pre-training run: parameters and training tokens, as the paper states them."""

    name: str
    n_params: float
    n_tokens: float
    source_url: str


PUBLISHED_TRAINING_RUNS: tuple[TrainingRun, ...] = (
    # Brown et al. 2020, Table 2.1 and Table D.1: 175B parameters, 300B tokens.
    TrainingRun("GPT-3", 175e9, 300e9, "https://arxiv.org/abs/2005.14165"),
    # Hoffmann et al. 2022, Table 1 (Gopher 280B / 300B tokens; MT-NLG 530B / 270B; Chinchilla 70B / 1.4T).
    TrainingRun("Gopher", 280e9, 300e9, "https://arxiv.org/abs/2203.15556"),
    TrainingRun("MT-NLG 530B", 530e9, 270e9, "https://arxiv.org/abs/2203.15556"),
    TrainingRun("Chinchilla", 70e9, 1.4e12, "https://arxiv.org/abs/2203.15556"),
    # Meta, "Introducing Meta Llama 3" (2024-04-18): 8B and 70B, "pretrained on over 15T tokens".
    TrainingRun("Llama 3 8B", 8e9, 15e12, "https://ai.meta.com/blog/meta-llama-3/"),
    # Dubey et al. 2024, abstract and section 3.2.1: 405B parameters, 15.6T tokens, 3.8e25 FLOPs.
    TrainingRun("Llama 3.1 405B", 405e9, 15.6e12, "https://arxiv.org/abs/2407.21783"),
)
"""Landmark runs for the scaling-law plots; each row cites the paper that states both numbers."""

CHINCHILLA_TABLE_3: tuple[tuple[float, float, float], ...] = (
    (400e6, 1.92e19, 8.0e9),
    (1e9, 1.21e20, 20.2e9),
    (10e9, 1.23e22, 205.1e9),
    (67e9, 5.76e23, 1.5e12),
    (175e9, 3.85e24, 3.7e12),
    (280e9, 9.90e24, 5.9e12),
    (520e9, 3.43e25, 11.0e12),
    (1e12, 1.27e26, 21.2e12),
    (10e12, 1.30e28, 216.2e12),
)
"""(parameters, FLOPs, tokens) of Hoffmann et al. 2022, Table 3 (Approach 1's compute-optimal projections),
https://arxiv.org/abs/2203.15556."""


def training_flops(n_params: float, n_tokens: float) -> float:
    """Training compute in FLOPs: ``6 * n_params * n_tokens``.

    GPT-3 175B on 300B tokens: 3.15e23 (the paper's Table D.1 lists 3.14e23).
    Chinchilla 70B on 1.4T tokens: 5.88e23 (the paper's Table 3 budget for its 67B row is 5.76e23).

    Source: Kaplan et al. 2020, "Scaling Laws for Neural Language Models", section 2.1,
        https://arxiv.org/abs/2001.08361.
    Used in: 01 §8, §11, exercises; 02 §1; 07 (via agents.context).
    """
    positive("n_params", n_params)
    positive("n_tokens", n_tokens)
    return float(TRAINING_FLOPS_PER_PARAM_TOKEN) * n_params * n_tokens


def chinchilla_optimal(compute_flops: float,
                       tokens_per_param: float = CHINCHILLA_TOKENS_PER_PARAM) -> tuple[float, float]:
    """The compute-optimal ``(n_params, n_tokens)`` for a budget of ``compute_flops``.

    With ``C = 6 N D`` and ``D = tokens_per_param * N``: ``N = sqrt(C / (6 * tokens_per_param))``.
    Gopher's budget (5.76e23 FLOPs) gives ~69B parameters on ~1.4T tokens; Chinchilla itself was 70B
    on 1.4T (Hoffmann et al. 2022, Table 3 lists 67B and 1.5T for this budget).

    Source: Hoffmann et al. 2022, "Training Compute-Optimal Large Language Models", Table 3,
        https://arxiv.org/abs/2203.15556.
    Used in: 01 §8, exercises.
    """
    positive("compute_flops", compute_flops)
    positive("tokens_per_param", tokens_per_param)
    n_params = math.sqrt(compute_flops / (TRAINING_FLOPS_PER_PARAM_TOKEN * tokens_per_param))
    return n_params, tokens_per_param * n_params


def tokens_per_param(n_params: float, n_tokens: float) -> float:
    """Training tokens per parameter: ~20 is compute-optimal; Llama 3 8B's 15T tokens is ~1,900.

    Source: Hoffmann et al. 2022, "Training Compute-Optimal Large Language Models", Table 3,
        https://arxiv.org/abs/2203.15556.
    Used in: 01 §8.
    """
    positive("n_params", n_params)
    positive("n_tokens", n_tokens)
    return n_tokens / n_params


def forward_flops(n_params: float, n_tokens: float) -> float:
    """FLOPs to run ``n_tokens`` through a dense model's forward pass: ``2 * n_params * n_tokens``.

    The serving-side twin of ``training_flops`` (Kaplan et al. 2020, eq. 2.2: ``C_forward ~ 2N`` per
    token, attention aside). For a model's exact per-token count, see ``forward_flops_per_token``.

    Source: Kaplan et al. 2020, "Scaling Laws for Neural Language Models", section 2.1,
        https://arxiv.org/abs/2001.08361.
    Used in: 01 exercises.
    """
    positive("n_params", n_params)
    positive("n_tokens", n_tokens)
    return 2.0 * n_params * n_tokens


def tokens_for_compute(compute_flops: float, n_params: float) -> float:
    """Training tokens that a budget of ``compute_flops`` buys for a model of ``n_params``: ``C / (6N)``.

    Source: Kaplan et al. 2020, "Scaling Laws for Neural Language Models", section 2.1,
        https://arxiv.org/abs/2001.08361.
    Used in: 01 (via widgets.transformers).
    """
    positive("compute_flops", compute_flops)
    positive("n_params", n_params)
    return compute_flops / (TRAINING_FLOPS_PER_PARAM_TOKEN * n_params)


def training_memory_bytes(n_params: float,
                          bytes_per_param: float = ADAM_MIXED_PRECISION_BYTES_PER_PARAM) -> int:
    """Bytes of model state for mixed-precision Adam training: ``16 * n_params`` (ZeRO, section 3.1).

    Counts weights, gradients and optimizer states only. Excluded: activations (they grow with batch
    size x sequence length x layers, and activation checkpointing trades them for recompute), temporary
    buffers, memory fragmentation, and any sharding across GPUs (ZeRO-3 divides these 16 bytes by the
    number of data-parallel GPUs). A 7.5B model needs 120 GB: more than one 80 GB GPU before activations.

    Source: Rajbhandari et al. 2019, "ZeRO", section 3.1, https://arxiv.org/abs/1910.02054.
    Used in: 01 §8; 02 (via checks.rlhf).
    """
    positive("n_params", n_params)
    positive("bytes_per_param", bytes_per_param)
    return math.ceil(n_params * bytes_per_param)


def training_time_s(compute_flops: float, flops_per_s: float, n_gpus: int = 1,
                    mfu: float = 0.4) -> float:
    """Wall-clock seconds to spend ``compute_flops`` on ``n_gpus`` chips of peak ``flops_per_s`` each.

    ``compute_flops / (n_gpus * flops_per_s * mfu)``. ``mfu`` (model FLOPs utilization) is the share of
    peak that training achieves: 0.38-0.43 for Llama 3 405B on 16k H100s (Dubey et al. 2024, "The Llama 3
    Herd of Models", Table 4, https://arxiv.org/abs/2407.21783).

    Source: Dubey et al. 2024, "The Llama 3 Herd of Models", Table 4 (MFU), https://arxiv.org/abs/2407.21783.
    Used in: 01 §8, §11, exercises; 02 §1; 07 (via agents.context).
    """
    positive("compute_flops", compute_flops)
    positive("flops_per_s", flops_per_s)
    positive_int("n_gpus", n_gpus)
    probability("mfu", mfu, above_zero=True)
    return compute_flops / (n_gpus * flops_per_s * mfu)
