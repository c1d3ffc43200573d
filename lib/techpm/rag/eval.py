"""Evaluation: a labelled question set, and recall@k, MRR and nDCG@k for each retrieval variant.

A question counts a *section* as found when any of its chunks is ranked (a chunk ranking is collapsed to
sections, each at its best chunk's rank), because the labels name sections. Metrics come from
``techpm.calc``; each is averaged over the questions.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from techpm import calc
from techpm.errors import TechpmError

METRICS = ("recall@5", "recall@10", "MRR", "nDCG@10")


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    relevant: tuple[str, ...]
    key_terms: tuple[str, ...]


@cache
def load_questions() -> tuple[Question, ...]:
    """The labelled questions of ``techpm/data/rag_questions.json``."""
    text = resources.files("techpm").joinpath("data", "rag_questions.json").read_text(encoding="utf-8")
    return tuple(Question(q["id"], q["question"], tuple(q["relevant"]), tuple(q["key_terms"]))
                 for q in json.loads(text)["questions"])


def score_ranking(ranked_sections: Sequence[str], relevant: Sequence[str]) -> dict[str, float]:
    """The four metrics for one question's section ranking."""
    return {
        "recall@5": calc.recall_at_k(ranked_sections, relevant, 5),
        "recall@10": calc.recall_at_k(ranked_sections, relevant, 10),
        "MRR": calc.mrr(ranked_sections, relevant),
        "nDCG@10": calc.ndcg_at_k(ranked_sections, relevant, 10),
    }


def per_question(rank_sections: Callable[[str], Sequence[str]],
                 questions: Sequence[Question] | None = None) -> dict[str, list[float]]:
    """Each metric for each question (in question order), for a function question -> ranked section ids."""
    questions = load_questions() if questions is None else questions
    if not questions:
        raise TechpmError("questions is empty: nothing to evaluate.")
    out: dict[str, list[float]] = {m: [] for m in METRICS}
    for q in questions:
        for name, value in score_ranking(list(rank_sections(q.question)), q.relevant).items():
            out[name].append(value)
    return out


def evaluate(rank_sections: Callable[[str], Sequence[str]], questions: Sequence[Question] | None = None) -> dict[str, float]:
    """Mean of each metric over ``questions``."""
    return {m: sum(v) / len(v) for m, v in per_question(rank_sections, questions).items()}


def rankers(pipeline, depth: int = 40) -> dict[str, Callable[[str], list[str]]]:
    """The retrieval variants of the lesson, each a function question -> ranked section ids."""
    from techpm.rag.rerank import section_evidence

    out = {m: (lambda q, m=m: pipeline.sections(pipeline.search(q, m, depth))) for m in ("bm25", "dense", "hybrid")}
    out["hybrid + rerank"] = lambda q: section_evidence(pipeline, q)
    return out


def evaluate_all(variants: dict[str, Callable[[str], Sequence[str]]], questions: Sequence[Question] | None = None
                 ) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, list[float]]]]:
    """(table of means, per-question scores) for every variant."""
    per = {name: per_question(fn, questions) for name, fn in variants.items()}
    return {name: {m: sum(v) / len(v) for m, v in scores.items()} for name, scores in per.items()}, per


def paired_interval(a: Sequence[float], b: Sequence[float], n_boot: int = 2000, seed: int = 0,
                    level: float = 0.95) -> tuple[float, float, float]:
    """Mean of a - b over the same questions, and its bootstrap interval (Efron & Tibshirani 1993):
    resample questions with replacement, so the interval shows what a different question set might say."""
    import numpy as np

    diff = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    if diff.ndim != 1 or len(diff) < 2:
        raise TechpmError("a and b must be per-question scores of equal length (at least 2).")
    rng = np.random.default_rng(seed)
    means = diff[rng.integers(0, len(diff), (n_boot, len(diff)))].mean(axis=1)
    lo, hi = np.quantile(means, [(1 - level) / 2, (1 + level) / 2])
    return float(diff.mean()), float(lo), float(hi)


@dataclass(frozen=True)
class SweepRow:
    """One chunk size: how many chunks, their size, recall@k, and what the k chunks cost in tokens."""

    size_chars: int
    n_chunks: int
    mean_chunk_tokens: float
    recall: float
    context_tokens: float
    context_precision: float


def chunk_size_sweep(sizes: Sequence[int], strategy: str = "fixed", k: int = 5,
                     questions: Sequence[Question] | None = None) -> list[SweepRow]:
    """Re-chunk and re-index (BM25) at each size; measure recall@k of sections, the tokens the top k
    chunks put in the prompt, and the share of those tokens that come from relevant sections."""
    from techpm.rag.chunking import chunk_corpus
    from techpm.rag.corpus import load_sections
    from techpm.rag.lexical import BM25Index
    from techpm.rag.pipeline import to_sections

    questions = load_questions() if questions is None else questions
    rows = []
    for size in sizes:
        chunks = chunk_corpus(load_sections(), strategy, size)
        index = BM25Index([c.text for c in chunks])
        recall = tokens = relevant_tokens = 0.0
        for q in questions:
            top = [i for i, _ in index.search(q.question, k)]
            recall += calc.recall_at_k(to_sections(top, chunks) or ["-"], q.relevant, k)
            t = [calc.text_tokens_estimate(chunks[i].text) for i in top]
            tokens += sum(t)
            relevant_tokens += sum(n for n, i in zip(t, top, strict=True) if chunks[i].section_id in q.relevant)
        mean_tokens = sum(calc.text_tokens_estimate(c.text) for c in chunks) / len(chunks)
        rows.append(SweepRow(size, len(chunks), mean_tokens, recall / len(questions),
                             tokens / len(questions), relevant_tokens / max(tokens, 1)))
    return rows


def hybrid_verdict(table: dict[str, dict[str, float]], hybrid: str = "hybrid", tol: float = 0.005,
                   singles: Sequence[str] = ("bm25", "dense")) -> str:
    """One honest sentence per single method: does fusion beat, match (within ``tol``) or trail it?"""
    if hybrid not in table:
        raise TechpmError(f"the table has no {hybrid!r} row; rows: {', '.join(table)}.")
    lines = []
    for method in singles:
        row = table[method]
        wins = [m for m in row if table[hybrid][m] > row[m] + tol]
        ties = [m for m in row if abs(table[hybrid][m] - row[m]) <= tol]
        losses = [m for m in row if table[hybrid][m] < row[m] - tol]
        if not losses:
            verdict = "beats" if wins else "matches"
            lines.append(f"{hybrid} {verdict} {method} on every metric" +
                         (f" (ties on {', '.join(ties)})" if ties and wins else "") + ".")
        else:
            lines.append(f"{hybrid} does NOT beat {method} on {', '.join(losses)} "
                         f"({', '.join(f'{table[hybrid][m]:.3f} vs {row[m]:.3f}' for m in losses)}).")
    return "\n".join(lines)


@dataclass(frozen=True)
class TopKCurve:
    """For one chunking: recall of sections and prompt tokens when the top 1..max_k chunks are sent."""

    strategy: str
    size_chars: int
    n_chunks: int
    recall: tuple[float, ...]  # recall[k - 1] = mean recall with the top k chunks
    context_tokens: tuple[float, ...]


@cache
def topk_curve(strategy: str, size_chars: int, max_k: int = 20) -> TopKCurve:
    """BM25 over the corpus chunked by ``strategy``/``size_chars``: the recall / tokens curve (cached)."""
    from techpm.rag.chunking import chunk_corpus
    from techpm.rag.corpus import load_sections
    from techpm.rag.lexical import BM25Index
    from techpm.rag.pipeline import to_sections

    chunks = chunk_corpus(load_sections(), strategy, size_chars)
    index = BM25Index([c.text for c in chunks])
    questions = load_questions()
    recall, tokens = [0.0] * max_k, [0.0] * max_k
    for q in questions:
        top = [i for i, _ in index.search(q.question, max_k)]
        running = 0
        for k in range(1, max_k + 1):
            running += calc.text_tokens_estimate(chunks[top[k - 1]].text) if k <= len(top) else 0
            recall[k - 1] += calc.recall_at_k(to_sections(top[:k], chunks) or ["-"], q.relevant, k)
            tokens[k - 1] += running
    n = len(questions)
    return TopKCurve(strategy, size_chars, len(chunks), tuple(r / n for r in recall), tuple(t / n for t in tokens))
