"""After retrieval: a second-stage reranker, and packing chunks into the context window.

Reranking. The first stage must be cheap over the whole corpus; a second stage may spend more on a few
dozen candidates. Two rerankers here:

- ``section_evidence`` (offline): a section whose several chunks all rank well is more likely the answer
  than one lucky chunk, so the fused RRF scores of each section's candidate chunks are summed (CombSUM,
  Fox & Shaw 1994) and sections are reordered by the sum. Cheap, no model.
- ``CrossEncoderReranker`` (with sentence-transformers): a cross-encoder reads query and chunk together
  and scores their match (Nogueira & Cho 2019, https://arxiv.org/abs/1901.04085), much better and much
  slower per candidate than the first stage; used only where the model is available.

Context. ``pack`` keeps the best chunks that fit a token budget. ``reorder_for_long_context`` puts the
strongest chunks at both ends of the prompt and the weakest in the middle: Liu et al. 2023, "Lost in the
Middle: How Language Models Use Long Contexts" (https://arxiv.org/abs/2307.03172), found models use
information at the start and end of a long context best and in the middle worst.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from techpm import calc
from techpm.errors import TechpmError
from techpm.rag.hybrid import rrf

T = TypeVar("T")
DEFAULT_CROSS_ENCODER = "cross-encoder/ms-marco-MiniLM-L-6-v2"  # https://huggingface.co/cross-encoder/ms-marco-MiniLM-L-6-v2
CANDIDATES = 20  # how many fused chunks the second stage looks at


def section_evidence(pipeline, query: str, candidates: int = CANDIDATES) -> list[str]:
    """Section ids ranked by the summed RRF score of their chunks among the top ``candidates``."""
    from techpm.rag.pipeline import FUSION_DEPTH

    fused = rrf([pipeline.search(query, "bm25", FUSION_DEPTH), pipeline.search(query, "dense", FUSION_DEPTH)])
    total: dict[str, float] = {}
    for i, score in fused[:candidates]:
        sid = pipeline.chunks[i].section_id
        total[sid] = total.get(sid, 0.0) + score
    ranked = sorted(total, key=lambda s: -total[s])  # stable: ties keep the fused order
    rest = [s for s in pipeline.sections([i for i, _ in fused]) if s not in total]
    return ranked + rest


class CrossEncoderReranker:
    """Score (query, chunk) pairs with a sentence-transformers ``CrossEncoder``; best first."""

    def __init__(self, model_name: str = DEFAULT_CROSS_ENCODER, model: object | None = None) -> None:
        if model is None:
            from sentence_transformers import CrossEncoder

            model = CrossEncoder(model_name)
        self.model, self.name = model, model_name

    def rerank(self, query: str, texts: Sequence[str]) -> list[int]:
        """Indices into ``texts``, best match first."""
        scores = self.model.predict([(query, t) for t in texts])
        return sorted(range(len(texts)), key=lambda i: (-float(scores[i]), i))


def pack(chunk_texts: Sequence[str], budget_tokens: int) -> list[int]:
    """Indices of the leading chunks whose estimated tokens (characters / 4) fit in ``budget_tokens``."""
    if isinstance(budget_tokens, bool) or not isinstance(budget_tokens, int) or budget_tokens < 1:
        raise TechpmError(f"budget_tokens must be a whole number of at least 1, got {budget_tokens!r}.")
    kept, used = [], 0
    for i, text in enumerate(chunk_texts):
        tokens = calc.text_tokens_estimate(text)
        if used + tokens > budget_tokens:
            break
        kept.append(i)
        used += tokens
    return kept


def reorder_for_long_context(ranked: Sequence[T]) -> list[T]:
    """Best items at the two ends, weakest in the middle: ranks 1, 3, 5, ... then ..., 6, 4, 2.

    >>> reorder_for_long_context([1, 2, 3, 4, 5])
    [1, 3, 5, 4, 2]
    """
    items = list(ranked)
    return items[0::2] + items[1::2][::-1]


def middle_share(positions: Sequence[int], n_slots: int) -> float:
    """Share of ``positions`` (0-based slots in a context of ``n_slots``) that fall in its middle third."""
    if n_slots < 3:
        raise TechpmError(f"n_slots must be at least 3 to have a middle, got {n_slots!r}.")
    if not positions:
        return 0.0
    lo, hi = n_slots / 3, 2 * n_slots / 3
    return sum(lo <= p < hi for p in positions) / len(positions)
