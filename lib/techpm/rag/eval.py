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


def evaluate(rank_sections: Callable[[str], Sequence[str]], questions: Sequence[Question] | None = None) -> dict[str, float]:
    """Mean of each metric over ``questions`` for a function question -> ranked section ids."""
    questions = load_questions() if questions is None else questions
    if not questions:
        raise TechpmError("questions is empty: nothing to evaluate.")
    totals = dict.fromkeys(METRICS, 0.0)
    for q in questions:
        for name, value in score_ranking(list(rank_sections(q.question)), q.relevant).items():
            totals[name] += value
    return {name: total / len(questions) for name, total in totals.items()}


def evaluate_pipeline(pipeline, methods: Sequence[str] = ("bm25", "dense", "hybrid"), depth: int = 40,
                      questions: Sequence[Question] | None = None) -> dict[str, dict[str, float]]:
    """Metrics for each retrieval ``method`` of a ``Pipeline`` (top ``depth`` chunks per question)."""
    return {m: evaluate(lambda q, m=m: pipeline.sections(pipeline.search(q, m, depth)), questions)
            for m in methods}


def hybrid_verdict(table: dict[str, dict[str, float]], hybrid: str = "hybrid", tol: float = 0.005) -> str:
    """One honest sentence per single method: does fusion beat, match (within ``tol``) or trail it?"""
    if hybrid not in table:
        raise TechpmError(f"the table has no {hybrid!r} row; rows: {', '.join(table)}.")
    lines = []
    for method, row in table.items():
        if method == hybrid or method.startswith(hybrid):
            continue
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
