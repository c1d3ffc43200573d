"""Speculative decoding: a small draft model guesses, the large model checks several guesses at once.

Leviathan, Kalman & Matias 2023, "Fast Inference from Transformers via Speculative Decoding" (ICML,
https://arxiv.org/abs/2211.17192). Each iteration the draft model proposes ``gamma`` tokens; the target
model scores all of them in one forward pass (about the cost of one decode step, since decoding is
memory-bound) and keeps the longest prefix it agrees with, plus one token of its own. With ``alpha`` the
chance that the target accepts a draft token (the paper's acceptance rate, assumed independent per token)
and ``c`` the draft's time per token relative to the target's:

    expected tokens per iteration   E = (1 - alpha**(gamma + 1)) / (1 - alpha)          (Eq. 1)
    expected wall-time speed-up     S = E / (gamma * c + 1)                              (Theorem 3.8)
    arithmetic per token, relative  A = (gamma * c_ops + gamma + 1) / E                  (Section 3.4)

The output distribution is exactly the target model's: quality does not change, only latency and compute.
The paper measures 2x-3x on T5-XXL "with identical outputs". A is above 1: speculation spends extra
FLOPs to save time, which is free on an idle, memory-bound GPU and costly on one already saturated by
a large batch.
"""

from __future__ import annotations

from techpm.calc._validate import non_negative, non_negative_int, positive_int, probability

__all__ = [
    "speculative_expected_tokens",
    "speculative_speedup",
    "speculative_compute_factor",
    "optimal_draft_tokens",
]

MAX_DRAFT_TOKENS = 1_024  # optimal_draft_tokens tries every gamma up to its max_gamma


def speculative_expected_tokens(alpha: float, gamma: int) -> float:
    """Tokens one target-model pass yields on average: ``(1 - alpha**(gamma+1)) / (1 - alpha)``.

    ``alpha`` in [0, 1]: acceptance rate of draft tokens; ``gamma`` >= 0: draft tokens per iteration.
    Between 1 (every guess rejected: the target's own token only) and ``gamma + 1`` (all accepted).

    >>> round(speculative_expected_tokens(0.8, 4), 4)
    3.3616

    Source: Leviathan, Kalman & Matias 2023, "Fast Inference from Transformers via Speculative Decoding",
        https://arxiv.org/abs/2211.17192, Eq. 1.
    Used in: 03 §7.
    """
    probability("alpha", alpha)
    non_negative_int("gamma", gamma)
    if alpha == 1:
        return float(gamma + 1)
    return (1 - alpha ** (gamma + 1)) / (1 - alpha)


def speculative_speedup(alpha: float, gamma: int, cost_ratio: float) -> float:
    """Expected wall-time speed-up over plain decoding (Leviathan et al. 2023, Theorem 3.8).

    ``cost_ratio`` (the paper's ``c``) is the draft model's time per token over the target's; a draft
    model 20x smaller runs roughly 0.05 of the time. Below 1 means speculation slows you down.

    >>> round(speculative_speedup(0.8, 4, 0.05), 3)
    2.801

    Source: Leviathan, Kalman & Matias 2023, "Fast Inference from Transformers via Speculative Decoding",
        https://arxiv.org/abs/2211.17192, Theorem 3.8.
    Used in: 03 §7, exercises.
    """
    expected = speculative_expected_tokens(alpha, gamma)
    non_negative("cost_ratio", cost_ratio)
    return expected / (gamma * cost_ratio + 1)


def speculative_compute_factor(alpha: float, gamma: int, ops_ratio: float) -> float:
    """Arithmetic per generated token relative to plain decoding (Leviathan et al. 2023, Section 3.4).

    Each iteration runs the target on ``gamma + 1`` positions and the draft ``gamma`` times (each
    ``ops_ratio`` of a target pass) to produce ``speculative_expected_tokens`` tokens. Above 1: the
    extra FLOPs that buy the latency.

    Source: Leviathan, Kalman & Matias 2023, "Fast Inference from Transformers via Speculative Decoding",
        https://arxiv.org/abs/2211.17192, section 3.4.
    Used in: 03 §7.
    """
    expected = speculative_expected_tokens(alpha, gamma)
    non_negative("ops_ratio", ops_ratio)
    return (gamma * ops_ratio + gamma + 1) / expected


def optimal_draft_tokens(alpha: float, cost_ratio: float, max_gamma: int = 16) -> int:
    """The ``gamma`` in 0..``max_gamma`` with the largest expected speed-up (0 = do not speculate).

    ``max_gamma`` is at most ``MAX_DRAFT_TOKENS`` (1,024): every gamma up to it is tried.

    >>> optimal_draft_tokens(0.8, 0.05)
    8

    Source: Leviathan, Kalman & Matias 2023, "Fast Inference from Transformers via Speculative Decoding",
        https://arxiv.org/abs/2211.17192, Theorem 3.8, maximised over gamma.
    Used in: 03 §7.
    """
    probability("alpha", alpha)
    non_negative("cost_ratio", cost_ratio)
    positive_int("max_gamma", max_gamma, at_most=MAX_DRAFT_TOKENS)
    return max(range(max_gamma + 1), key=lambda g: (speculative_speedup(alpha, g, cost_ratio), -g))
