"""Auditing an automated judge against human grades: agreement, length bias, position bias, leaderboards.

An LLM-as-judge (or any automated grader) is a measuring instrument; before its numbers steer a
product, measure it against people on a sample:

    agreement      per rubric point, percent agreement and Cohen's kappa (``calc.cohens_kappa``) between the
                   judge and the human grades; kappa corrects for the agreement chance alone would give
    length bias    does the judge's score rise with length more than the human grade does? (Spearman
                   correlation of length with the judge-minus-human gap; Zheng et al. 2023 call it
                   verbosity bias, https://arxiv.org/abs/2306.05685)
    position bias  in a pairwise comparison, does the verdict change when the two answers swap places?
                   (Zheng et al. 2023 report GPT-4 consistent on 65% of swapped pairs, Claude-v1 on 23.8%)
    leaderboard    rank systems by the judge and by people; where the ranks differ, the judge's biases
                   have changed a decision
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import permutations

from techpm.calc.stats import cohens_kappa, kappa_band, percent_agreement
from techpm.errors import TechpmError

__all__ = [
    "ranks", "spearman", "PointAgreement", "agreement_by_point", "LengthBias", "length_bias",
    "Verdict", "pairwise_verdict", "SwapTest", "swap_test", "LeaderboardRow", "leaderboard",
    "pairwise_win_rates", "grader_points", "agreement_statement", "pad_by_repetition", "stuff_keywords", "BUZZWORD_PARAGRAPH",
]


def ranks(values: Sequence[float]) -> list[float]:
    """Ranks 1..n, ties given their average rank (as scipy.stats.rankdata does by default)."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def _pearson(x: Sequence[float], y: Sequence[float]) -> float:
    n = len(x)
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    return sxy / math.sqrt(sxx * syy) if sxx > 0 and syy > 0 else math.nan


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    """Spearman's rank correlation: Pearson's correlation of the ranks (nan if either is constant)."""
    if len(x) != len(y):
        raise TechpmError(f"x and y must have the same length, got {len(x)} and {len(y)}.")
    if len(x) < 3:
        raise TechpmError(f"need at least 3 pairs for a rank correlation, got {len(x)}.")
    return _pearson(ranks(list(x)), ranks(list(y)))


@dataclass(frozen=True)
class PointAgreement:
    """Judge vs. human on one rubric point, over all graded answers."""

    point: str
    n: int
    agreement: float
    kappa: float
    human_mean: float
    judge_mean: float

    @property
    def band(self) -> str:
        return "undefined" if math.isnan(self.kappa) else kappa_band(self.kappa)


def agreement_by_point(human: Sequence[Mapping[str, int]], judge: Sequence[Mapping[str, int]],
                       points: Sequence[str], weights: str | None = None) -> list[PointAgreement]:
    """Per-point agreement between two graders who scored the same answers (one mapping per answer).

    ``weights`` is passed to ``calc.cohens_kappa`` (``"linear"`` for ordinal 0/1/2 grades).
    """
    if len(human) != len(judge):
        raise TechpmError(f"human and judge must grade the same answers: got {len(human)} and {len(judge)}.")
    rows = []
    for point in points:
        try:
            h = [grades[point] for grades in human]
            j = [grades[point] for grades in judge]
        except KeyError:
            raise TechpmError(f"rubric point {point!r} is missing from some grades.") from None
        rows.append(PointAgreement(point, len(h), percent_agreement(h, j), cohens_kappa(h, j, weights),
                                   sum(h) / len(h), sum(j) / len(j)))
    return rows


def agreement_statement(human: Sequence[Mapping[str, int]], judge: Sequence[Mapping[str, int]],
                        points: Sequence[str]) -> str:
    """One paragraph of Markdown stating the agreement, computed: all points together (percent agreement and
    linearly weighted kappa, with its Landis & Koch band), the totals' rank correlation, and the points where
    the two graders agree most and least."""
    from techpm import calc

    rows = sorted(agreement_by_point(human, judge, points, weights="linear"), key=lambda r: r.kappa)
    all_h = [g[p] for g in human for p in points]
    all_j = [g[p] for g in judge for p in points]
    kappa = calc.cohens_kappa(all_h, all_j, weights="linear")
    rho = spearman([sum(g[p] for p in points) for g in human], [sum(g[p] for p in points) for g in judge])
    worst = ", ".join(f"{r.point} ({r.kappa:.2f})" for r in rows[:2])
    best = ", ".join(f"{r.point} ({r.kappa:.2f})" for r in rows[::-1][:2])
    return (f"**Agreement with the reference grades:** {calc.percent_agreement(all_h, all_j):.0%} of point grades "
            f"match; weighted kappa {kappa:.2f} ({calc.kappa_band(kappa)}); the totals rank the answers with "
            f"Spearman {rho:+.2f}. Closest on {best}; furthest on {worst}: read those disagreements before "
            "trusting the grader on those points.")


@dataclass(frozen=True)
class LengthBias:
    """How length relates to each grader's score, and to the judge's excess over the human grade."""

    length_vs_human: float
    length_vs_judge: float
    length_vs_gap: float  # > 0: the longer the answer, the more the judge over-scores it


def length_bias(lengths: Sequence[float], human: Sequence[float], judge: Sequence[float]) -> LengthBias:
    """Spearman correlations of answer length with human scores, judge scores and their gap."""
    if not len(lengths) == len(human) == len(judge):
        raise TechpmError("lengths, human and judge must cover the same answers.")
    gap = [j - h for h, j in zip(human, judge, strict=True)]
    return LengthBias(spearman(lengths, human), spearman(lengths, judge), spearman(lengths, gap))


Verdict = str  # "first", "second" or "tie"


def pairwise_verdict(score_first: float, score_second: float, tie_break: str = "tie") -> Verdict:
    """Turn two scores into a pairwise verdict; ``tie_break="first"`` mimics a judge that, unsure, picks
    the answer it read first (the simplest source of position bias)."""
    if tie_break not in ("tie", "first", "second"):
        raise TechpmError(f"tie_break must be 'tie', 'first' or 'second', got {tie_break!r}.")
    if score_first > score_second:
        return "first"
    if score_second > score_first:
        return "second"
    return tie_break


@dataclass(frozen=True)
class SwapTest:
    """What happens when each pair is judged in both orders."""

    pairs: int
    consistent: int  # the same answer wins (or it is a tie) in both orders
    first_wins: int  # verdicts, out of 2 * pairs, that went to whichever answer was shown first
    second_wins: int

    @property
    def consistency(self) -> float:
        return self.consistent / self.pairs

    @property
    def first_position_rate(self) -> float:
        """Share of decisive verdicts that went to the first slot: 0.5 is unbiased."""
        decisive = self.first_wins + self.second_wins
        return self.first_wins / decisive if decisive else math.nan


def swap_test(pairs: Sequence[tuple[object, object]], judge: Callable[[object, object], Verdict]) -> SwapTest:
    """Judge every pair as (a, b) and as (b, a); count how often the winner survives the swap."""
    if not pairs:
        raise TechpmError("pairs is empty: pass (answer_a, answer_b) tuples.")
    consistent = first = second = 0
    for a, b in pairs:
        v1, v2 = judge(a, b), judge(b, a)
        for v in (v1, v2):
            if v not in ("first", "second", "tie"):
                raise TechpmError(f"the judge must answer 'first', 'second' or 'tie', got {v!r}.")
        winner1 = {"first": "a", "second": "b", "tie": "tie"}[v1]
        winner2 = {"first": "b", "second": "a", "tie": "tie"}[v2]
        consistent += winner1 == winner2
        first += (v1 == "first") + (v2 == "first")
        second += (v1 == "second") + (v2 == "second")
    return SwapTest(len(pairs), consistent, first, second)


@dataclass(frozen=True)
class LeaderboardRow:
    system: str
    mean: float
    rank: int


def leaderboard(scores: Mapping[str, Sequence[float]]) -> list[LeaderboardRow]:
    """Systems ranked by mean score, best first (ties share the better rank; names break display ties)."""
    if not scores:
        raise TechpmError("scores is empty: pass {system: [score per question]}.")
    means = {system: sum(v) / len(v) for system, v in scores.items() if len(v)}
    if len(means) != len(scores):
        raise TechpmError("every system needs at least one score.")
    ordered = sorted(means, key=lambda s: (-means[s], s))
    return [LeaderboardRow(s, means[s], 1 + sum(means[o] > means[s] for o in means)) for s in ordered]


def pairwise_win_rates(answers: Mapping[str, Sequence[object]], judge: Callable[[object, object], Verdict],
                       both_orders: bool = True, first: str | None = None) -> dict[str, float]:
    """Round-robin win rate of each system over the same questions (a tie counts half).

    ``answers[system][i]`` answers question i. With ``both_orders`` every pair is judged in both
    orders; otherwise in one order only, with ``first`` (if given) always shown first: the way an
    arena that always shows the incumbent first would run.
    """
    systems = list(answers)
    n_questions = {len(v) for v in answers.values()}
    if len(systems) < 2 or len(n_questions) != 1:
        raise TechpmError("answers needs at least two systems, each answering the same questions.")
    wins = dict.fromkeys(systems, 0.0)
    games = dict.fromkeys(systems, 0)
    orders = list(permutations(systems, 2))
    if not both_orders:
        orders = [(a, b) for a, b in orders if (a == first if first in (a, b) else a < b)]
    for a, b in orders:
        for qa, qb in zip(answers[a], answers[b], strict=True):
            verdict = judge(qa, qb)
            wins[a] += {"first": 1.0, "tie": 0.5, "second": 0.0}[verdict]
            wins[b] += {"first": 0.0, "tie": 0.5, "second": 1.0}[verdict]
            games[a] += 1
            games[b] += 1
    return {s: wins[s] / games[s] for s in systems}


def grader_points(report: object, use_judge: bool = False) -> dict[str, int]:
    """A ``techpm.grade`` report's per-point scores on the human 0/1/2 scale (its 0, 0.5, 1 doubled).

    ``use_judge=True`` reads Claude's scores (``techpm.grade(text, judge=True)``) where it gave them, and
    the deterministic checks' elsewhere.
    """
    points = getattr(report, "points", None)
    if points is None:
        raise TechpmError(f"expected a techpm.grade report, got {type(report).__name__}.")
    out = {}
    for p in points:
        score = p.judge_score if use_judge and p.judge_score is not None else p.score
        out[p.id] = round(2 * score)
    return out


def pad_by_repetition(text: str) -> str:
    """The answer followed by itself, introduced as a recap: twice the words, not one new idea."""
    return f"{text}\n\nTo recap the points above in full:\n\n{text}"


BUZZWORD_PARAGRAPH = (
    "Deep dive: the latency-cost-quality triangle drives every choice here. Streaming, caching and speculative "
    "decoding cut latency; batching, routing to a smaller model and quantization cut cost; retrieval, "
    "reranking, chain-of-thought and human review raise quality, each a trade-off. We evaluate with a golden "
    "set, an LLM-as-judge calibrated against human labels, A/B tests and error bars, watching for "
    "contamination and Goodhart's law; hallucination is detected, mitigated and measured with citations, "
    "abstention and monitoring."
)
"""Vocabulary from the method's rubric with nothing specific to any question: a probe for keyword bias."""


def stuff_keywords(text: str) -> str:
    """The answer with ``BUZZWORD_PARAGRAPH`` appended: a few dozen words, no new idea about the question."""
    return f"{text}\n\n{BUZZWORD_PARAGRAPH}"
