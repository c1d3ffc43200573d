"""Reward over-optimisation (Goodhart's law) made visible: optimise the learned reward, measure the users'.

Setup (the synthetic setup of Gao, Schulman & Hilton 2022, "Scaling Laws for Reward Model
Overoptimization", https://arxiv.org/abs/2210.10760, in miniature): for each held-out question, every
answer the reference policy can write from the parts in ``techpm.rlhf.preferences`` (3 cores x cited or
not x 3 openers x 0-6 fillers x hedge or not x closing or not = 504 answers), with the reference policy's
probability of each. The *proxy* is the reward model fitted to the labels; the *gold* is ``USER_WEIGHTS``.

Two optimisers, as in Gao et al.:
- the KL-regularised optimum ``pi_beta(y|x) ~ pi_ref(y|x) exp(r_proxy(y) / beta)``, what PPO with a KL
  penalty converges to (Rafailov et al. 2023, eq. 4); lowering beta moves it further from the reference;
- best-of-n: draw n answers from the reference, keep the one the proxy scores highest. Its distribution
  is exact here: P(pick y) = F(y)^n - F(y-)^n over answers sorted by proxy score (ties share).

Both report the KL divergence from the reference and the expected proxy and gold rewards, averaged over
questions. The proxy rises without end; the gold rises, peaks and falls.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from techpm.errors import TechpmError
from techpm.rlhf import preferences as prefs
from techpm.rlhf.toy_policy import answer_ref_prob


@dataclass(frozen=True)
class AnswerPool:
    """Every answer to each question: ``features[q, i]``, with ``ref_probs[q, i]`` (rows sum to 1)."""

    prompt_indices: tuple[int, ...]
    answers: tuple[prefs.Answer, ...]
    features: np.ndarray  # (questions, answers, features)
    ref_probs: np.ndarray  # (questions, answers)

    def rewards(self, weights: np.ndarray | dict[str, float]) -> np.ndarray:
        """Linear rewards ``features . weights`` for every question and answer."""
        if isinstance(weights, dict):
            weights = np.array([weights[f] for f in prefs.FEATURES])
        return self.features @ np.asarray(weights, dtype=float)


def all_answers() -> tuple[prefs.Answer, ...]:
    """One answer of every kind: fixed phrases, the first k filler sentences."""
    kinds = itertools.product(("correct", "vague", "wrong"), (False, True), ("none", "empathy", "flattery"),
                              range(len(prefs.REFERENCE_POLICY["fillers"])), (None, 0), (None, 0))
    return tuple(prefs.Answer(core, cite, opener, 0, tuple(range(k)), hedge, closing)
                 for core, cite, opener, k, hedge, closing in kinds)


@cache
def _pool(prompt_indices: tuple[int, ...]) -> AnswerPool:
    answers = all_answers()
    feats = np.array([[prefs.answer_features(q, a) for a in answers] for q in prompt_indices])
    ref = np.array([answer_ref_prob(a) for a in answers])
    return AnswerPool(prompt_indices, answers, feats, np.tile(ref / ref.sum(), (len(prompt_indices), 1)))


def answer_pool(split: str = "test") -> AnswerPool:
    """The pool over the held-out questions (``split="test"``), the training ones, or ``"all"``."""
    if split not in ("test", "train", "all"):
        raise TechpmError(f"split must be 'test', 'train' or 'all', got {split!r}.")
    test = tuple(i for i in range(len(prefs.PROMPTS)) if i % prefs.TEST_EVERY == prefs.TEST_EVERY - 1)
    chosen = {"test": test, "train": tuple(i for i in range(len(prefs.PROMPTS)) if i not in test),
              "all": tuple(range(len(prefs.PROMPTS)))}[split]
    return _pool(chosen)


@dataclass(frozen=True)
class OptimisationCurve:
    """How far each optimiser setting moved the policy (KL, nats) and what it earned, averaged over questions."""

    method: str  # "kl-regularised" or "best-of-n"
    knob: np.ndarray  # beta or n
    kl: np.ndarray
    proxy: np.ndarray
    gold: np.ndarray

    @property
    def peak(self) -> int:
        """Index of the setting with the highest gold reward."""
        return int(np.argmax(self.gold))


def _kl_rows(pi: np.ndarray, ref: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(pi > 0, pi * (np.log(pi) - np.log(ref)), 0.0)
    return terms.sum(axis=-1)


def kl_regularised_policy(pool: AnswerPool, proxy: np.ndarray, beta: float) -> np.ndarray:
    """``pi_beta(y|x) ~ pi_ref(y|x) exp(proxy(y) / beta)`` for every question (rows sum to 1);
    ``beta = inf`` is the reference policy itself."""
    if not (isinstance(beta, (int, float)) and beta > 0):
        raise TechpmError(f"beta must be a positive number, got {beta!r}.")
    logits = np.log(pool.ref_probs) + proxy / beta
    logits -= logits.max(axis=1, keepdims=True)
    pi = np.exp(logits)
    return pi / pi.sum(axis=1, keepdims=True)


def kl_regularised_curve(pool: AnswerPool, proxy_weights: np.ndarray | dict[str, float],
                         gold_weights: np.ndarray | dict[str, float], betas: np.ndarray) -> OptimisationCurve:
    """KL, proxy and gold of the KL-regularised optimum at each beta."""
    proxy, gold = pool.rewards(proxy_weights), pool.rewards(gold_weights)
    rows = []
    for beta in np.asarray(betas, dtype=float):
        pi = kl_regularised_policy(pool, proxy, float(beta))
        rows.append((_kl_rows(pi, pool.ref_probs).mean(), (pi * proxy).sum(1).mean(), (pi * gold).sum(1).mean()))
    kl, px, gd = (np.array(c) for c in zip(*rows, strict=True))
    return OptimisationCurve("kl-regularised", np.asarray(betas, dtype=float), kl, px, gd)


def best_of_n_policy(ref_probs: np.ndarray, proxy: np.ndarray, n: int) -> np.ndarray:
    """Exact distribution of best-of-n for one question: answers with equal proxy share their group's mass
    in proportion to their reference probability."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise TechpmError(f"n must be a whole number of at least 1, got {n!r}.")
    values, group = np.unique(proxy, return_inverse=True)
    group_mass = np.bincount(group, weights=ref_probs, minlength=len(values))
    cdf = np.minimum(np.cumsum(group_mass), 1.0)
    below = np.concatenate(([0.0], cdf[:-1]))
    pick_group = cdf**n - below**n
    return ref_probs * (pick_group / group_mass)[group]


def best_of_n_curve(pool: AnswerPool, proxy_weights: np.ndarray | dict[str, float],
                    gold_weights: np.ndarray | dict[str, float], ns: np.ndarray) -> OptimisationCurve:
    """KL, proxy and gold of best-of-n sampling at each n (exact, not sampled)."""
    proxy, gold = pool.rewards(proxy_weights), pool.rewards(gold_weights)
    rows = []
    for n in np.asarray(ns, dtype=int):
        pi = np.array([best_of_n_policy(pool.ref_probs[q], proxy[q], int(n)) for q in range(len(proxy))])
        rows.append((_kl_rows(pi, pool.ref_probs).mean(), (pi * proxy).sum(1).mean(), (pi * gold).sum(1).mean()))
    kl, px, gd = (np.array(c) for c in zip(*rows, strict=True))
    return OptimisationCurve("best-of-n", np.asarray(ns, dtype=float), kl, px, gd)


def plot_overoptimisation(ax, *curves: OptimisationCurve, marker: tuple[float, float] | None = None,
                          legend: bool = True) -> None:
    """Draw proxy (dashed) and gold (solid) reward against KL for each curve on ``ax``; dots mark the gold
    peaks, a black square the ``marker``. ``legend=False`` saves a widget's redraw time."""
    colors = {"kl-regularised": "tab:blue", "best-of-n": "tab:orange"}
    for c in curves:
        color = colors.get(c.method, "tab:gray")
        ax.plot(c.kl, c.proxy, "--", color=color, label=f"{c.method}: learned reward (proxy)")
        ax.plot(c.kl, c.gold, "-", color=color, label=f"{c.method}: users' reward (gold)")
        ax.plot(c.kl[c.peak], c.gold[c.peak], "o", color=color)
    if marker is not None:
        ax.plot(*marker, "s", color="black", markersize=7, label="current setting")
    ax.set_xlabel("KL from the reference policy (nats)")
    ax.set_ylabel("expected reward")
    if legend:
        ax.legend(fontsize=7, loc="center right")


def overoptimisation_image(*curves: OptimisationCurve, figsize: tuple[float, float] = (6.4, 3.8)) -> Any:
    """The over-optimisation figure as a PNG image for a notebook (no pyplot: quicker to import and draw)."""
    import io

    from IPython.display import Image
    from matplotlib.figure import Figure

    from techpm.plotting import DPI, use_course_style

    use_course_style()
    fig = Figure(figsize=figsize, dpi=DPI)
    ax = fig.add_subplot()
    plot_overoptimisation(ax, *curves)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return Image(data=buffer.getvalue(), format="png")
