"""Evaluation: a labelled question set, and recall@k, MRR and nDCG@k for each retrieval variant.

A question counts a *section* as found when any of its chunks is ranked (a chunk ranking is collapsed to
sections, each at its best chunk's rank), because the labels name sections. Metrics come from
``techpm.calc``; each is averaged over the questions.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from techpm import calc
from techpm.calc.retrieval import CHARS_PER_TOKEN as _CHARS_PER_TOKEN
from techpm.errors import TechpmError

METRICS = ("recall@5", "recall@10", "MRR", "nDCG@10")


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    relevant: tuple[str, ...]
    key_terms: tuple[str, ...]


def _flat(text: str) -> str:
    return " ".join(text.lower().split())


def label_holds(question: Question, sections: dict) -> bool:
    """True when every relevant section exists in ``sections`` (id -> Section) and contains every key term
    (case and line breaks ignored). Python versions differ: 3.10's reference has no ``except*``."""
    return all(sid in sections and all(_flat(t) in _flat(sections[sid].text) for t in question.key_terms)
               for sid in question.relevant)


def all_questions() -> tuple[Question, ...]:
    """Every question of ``techpm/data/rag_questions.json``, as written."""
    text = resources.files("techpm").joinpath("data", "rag_questions.json").read_text(encoding="utf-8")
    return tuple(Question(q["id"], q["question"], tuple(q["relevant"]), tuple(q["key_terms"]))
                 for q in json.loads(text)["questions"])


@cache
def load_questions() -> tuple[Question, ...]:
    """The labelled questions whose labels hold for the running Python's reference (all of them on
    Python 3.11 to 3.13; 3.10 lacks one feature)."""
    from techpm.rag.corpus import section_index

    sections = section_index()
    return tuple(q for q in all_questions() if label_holds(q, sections))


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
    budget_tokens: int = 0           # the fixed prompt budget of recall_at_budget (0: not computed)
    recall_at_budget: float = float("nan")   # recall when as many chunks as fit the budget are sent
    chunks_at_budget: int = 0


def chunk_size_sweep(sizes: Sequence[int], strategy: str = "fixed", k: int = 5,
                     budget_tokens: int | None = None) -> list[SweepRow]:
    """At each chunk size (corpus re-chunked and BM25-indexed), over the labelled questions: recall@k of
    sections in the top k chunks, the tokens those chunks put in the prompt, and the share of those tokens
    that come from relevant sections.

    With ``budget_tokens``, also the recall when the prompt gets a fixed budget instead of a fixed k: as
    many top chunks as fit in it on average (small chunks: many of them; large: few). That is the
    comparison a product faces, since the budget, not k, is what it pays for.
    """
    if budget_tokens is not None and budget_tokens <= 0:
        raise TechpmError(f"budget_tokens must be positive, got {budget_tokens!r}.")
    rows = []
    for size in sizes:
        max_k = max(k, 20)
        if budget_tokens:
            max_k = max(max_k, min(400, math.ceil(budget_tokens / max(1.0, size / _CHARS_PER_TOKEN / 2))))
        curve = topk_curve(strategy, size, max_k)
        extra = {}
        if budget_tokens:
            fit = max([j + 1 for j, t in enumerate(curve.context_tokens) if t <= budget_tokens] or [1])
            extra = {"budget_tokens": int(budget_tokens), "recall_at_budget": curve.recall[fit - 1],
                     "chunks_at_budget": fit}
        rows.append(SweepRow(size, curve.n_chunks, curve.mean_chunk_tokens, curve.recall[k - 1],
                             curve.context_tokens[k - 1], curve.relevant_tokens[k - 1] / max(curve.context_tokens[k - 1], 1),
                             **extra))
    return rows


def metric_intervals(per_question: dict[str, dict[str, Sequence[float]]], n_boot: int = 2000, seed: int = 0,
                     level: float = 0.95) -> dict[str, dict[str, tuple[float, float]]]:
    """Bootstrap interval of each variant's mean on each metric, resampling questions (Efron & Tibshirani
    1993): the error bars of the evaluation table."""
    import numpy as np

    out: dict[str, dict[str, tuple[float, float]]] = {}
    for name, metrics in per_question.items():
        out[name] = {}
        for metric, values in metrics.items():
            v = np.asarray(values, dtype=float)
            if v.ndim != 1 or len(v) < 2:
                raise TechpmError(f"{name}/{metric}: need per-question scores (at least 2).")
            rng = np.random.default_rng(seed)
            means = v[rng.integers(0, len(v), (n_boot, len(v)))].mean(axis=1)
            lo, hi = np.quantile(means, [(1 - level) / 2, (1 + level) / 2])
            out[name][metric] = (float(lo), float(hi))
    return out


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
    """For one chunking, with BM25: recall of sections and prompt tokens when the top 1..max_k chunks are
    sent (``recall[k - 1]`` is the mean with the top k), and how many of those tokens are relevant."""

    strategy: str
    size_chars: int
    n_chunks: int
    mean_chunk_tokens: float
    recall: tuple[float, ...]
    context_tokens: tuple[float, ...]
    relevant_tokens: tuple[float, ...]


@cache
def topk_curve(strategy: str, size_chars: int, max_k: int = 20) -> TopKCurve:
    """The recall / tokens curve of BM25 over the corpus chunked by ``strategy``/``size_chars`` (cached)."""
    from techpm.rag.pipeline import lexical_index, to_sections

    chunks, index = lexical_index(strategy, size_chars)
    tokens_of = [calc.text_tokens_estimate(c.text) for c in chunks]
    questions = load_questions()
    recall, tokens, relevant = [0.0] * max_k, [0.0] * max_k, [0.0] * max_k
    for q in questions:
        top = [i for i, _ in index.search(q.question, max_k)]
        sent = hit = 0
        for k in range(1, max_k + 1):
            if k <= len(top):
                sent += tokens_of[top[k - 1]]
                hit += tokens_of[top[k - 1]] * (chunks[top[k - 1]].section_id in q.relevant)
            recall[k - 1] += calc.recall_at_k(to_sections(top[:k], chunks) or ["-"], q.relevant, k)
            tokens[k - 1] += sent
            relevant[k - 1] += hit
    n = len(questions)
    return TopKCurve(strategy, size_chars, len(chunks), sum(tokens_of) / len(chunks),
                     tuple(r / n for r in recall), tuple(t / n for t in tokens), tuple(h / n for h in relevant))


@dataclass(frozen=True)
class AnswerChecks:
    """Answer-level checks over the question set (extractive answers from the top ``k`` hybrid chunks)."""

    questions: int
    citation_precision: float  # citations whose quote is really in the cited chunk
    faithfulness: float  # share of claim words found in the cited chunk
    cites_relevant: float  # answers citing at least one relevant section


def answer_checks(pipeline, k: int = 5, questions: Sequence[Question] | None = None) -> AnswerChecks:
    """Answer every question offline and check its citations, faithfulness and relevance."""
    from techpm.rag.generate import check_citations, extractive_answer

    questions = load_questions() if questions is None else questions
    precision = faithful = relevant = 0.0
    for q in questions:
        chunks = [pipeline.chunks[i] for i in pipeline.search(q.question, "hybrid", k)]
        ans = extractive_answer(q.question, chunks)
        report = check_citations(ans, chunks)
        precision += report.citation_precision
        faithful += report.faithfulness
        relevant += any(c.chunk_id.split("#")[0] in q.relevant for c in ans.claims)
    n = len(questions)
    return AnswerChecks(n, precision / n, faithful / n, relevant / n)


def middle_shares(pipeline, n: int = 20, questions: Sequence[Question] | None = None) -> tuple[float, float]:
    """Share of relevant chunks that land in the middle third of an ``n``-chunk prompt: in rank order,
    and after ``reorder_for_long_context``."""
    from techpm.rag.rerank import middle_share, reorder_for_long_context

    questions = load_questions() if questions is None else questions
    plain, reordered = [], []
    for q in questions:
        top = pipeline.search(q.question, "hybrid", n)
        hits = {i for i in top if pipeline.chunks[i].section_id in q.relevant}
        plain += [p for p, i in enumerate(top) if i in hits]
        reordered += [p for p, i in enumerate(reorder_for_long_context(top)) if i in hits]
    return middle_share(plain, n), middle_share(reordered, n)


def recall_with_chunks(pipeline, ks: Sequence[int], method: str = "hybrid",
                       questions: Sequence[Question] | None = None) -> list[float]:
    """For each k in ``ks``: mean recall of the relevant sections among the sections of the top k chunks."""
    from techpm.rag.pipeline import to_sections

    questions = load_questions() if questions is None else questions
    tops = [pipeline.search(q.question, method, max(ks)) for q in questions]
    return [sum(calc.recall_at_k(to_sections(top[:k], pipeline.chunks) or ["-"], q.relevant, k)
                for q, top in zip(questions, tops, strict=True)) / len(questions) for k in ks]
