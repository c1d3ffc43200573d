"""Lexical retrieval: BM25, through the ``bm25s`` library.

BM25 scores a chunk d for a query q by the query terms it contains (Robertson & Zaragoza 2009, "The
Probabilistic Relevance Framework: BM25 and Beyond", https://doi.org/10.1561/1500000019). ``bm25s`` uses
Lucene's variant by default:

    score(q, d) = Σ_{t in q} IDF(t) * tf(t, d) / (tf(t, d) + k1 * (1 - b + b * |d| / avgdl))
    IDF(t)      = ln(1 + (N - df(t) + 0.5) / (df(t) + 0.5))

k1 = 1.5 saturates repeated terms; b = 0.75 normalizes for chunk length. Exact words matter: BM25 finds
``__exit__`` or ``nonlocal`` reliably and misses paraphrases ("leave a loop early" vs. ``break``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

import numpy as np

_TOKEN = re.compile(r"(?u)\b\w\w+\b")


@cache
def _stopwords() -> frozenset[str]:
    """bm25s's English stop words, less Python's keywords: in this corpus "with", "for", "if", "in",
    "is", "not" and "as" are the very words a developer searches for."""
    import keyword

    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN) - {k.lower() for k in keyword.kwlist}


def tokenize(text: str) -> list[str]:
    """Lower-cased words of two or more characters (``__exit__`` stays whole), stop words out."""
    stop = _stopwords()
    return [t for t in _TOKEN.findall(text.lower()) if t not in stop]


def top_k(scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    """(index, score) of the ``k`` best scores, ties broken by index, so results are reproducible."""
    k = min(k, len(scores))
    order = np.lexsort((np.arange(len(scores)), -scores))[:k]
    return [(int(i), float(scores[i])) for i in order]


class BM25Index:
    """A BM25 index over chunk texts: ``BM25Index(texts).search("query", k=10) -> [(i, score), ...]``."""

    def __init__(self, texts: Sequence[str], k1: float = 1.5, b: float = 0.75) -> None:
        import bm25s

        self.k1, self.b = k1, b
        self._bm25 = bm25s.BM25(k1=k1, b=b, method="lucene")
        self._bm25.index([tokenize(t) for t in texts], show_progress=False)
        self.size = len(texts)

    def scores(self, query: str) -> np.ndarray:
        """The BM25 score of every chunk for ``query`` (0 for chunks sharing no term with it)."""
        return np.asarray(self._bm25.get_scores(tokenize(query)), dtype=np.float64)

    def search(self, query: str, k: int = 10) -> list[tuple[int, float]]:
        """The ``k`` best chunks as (index, score), best first; chunks with score 0 are left out."""
        return [(i, s) for i, s in top_k(self.scores(query), k) if s > 0]
