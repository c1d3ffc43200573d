"""Hybrid retrieval: reciprocal rank fusion (RRF) of several rankings.

Cormack, Clarke & Büttcher, "Reciprocal Rank Fusion outperforms Condorcet and individual rank learning
methods", SIGIR 2009 (https://doi.org/10.1145/1571941.1572114):

    RRF(d) = Σ_{rankings r} 1 / (k + rank_r(d)),   rank starting at 1, k = 60

A document missing from a ranking gets nothing from it. Only ranks are used, never scores, so BM25's
unbounded scores and cosine similarities need no calibration against each other; k = 60 damps the
advantage of the very top ranks so that agreement between rankings wins.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from techpm.errors import TechpmError

RRF_K = 60  # the paper's constant, "fixed during a pilot investigation and not altered"


def rrf(rankings: Sequence[Sequence[Hashable]], k: float = RRF_K) -> list[tuple[Hashable, float]]:
    """Fuse rankings (each a list of ids, best first) into one list of (id, RRF score), best first.

    Ties are broken by the best rank the id reached in any ranking, then by first appearance.

    >>> [d for d, _ in rrf([["a", "b", "c"], ["c", "a"]])]
    ['a', 'c', 'b']
    """
    if isinstance(k, bool) or not isinstance(k, (int, float)) or k < 0:
        raise TechpmError(f"k must be zero or a positive number, got {k!r}.")
    if isinstance(rankings, (str, bytes)) or not rankings:
        raise TechpmError("rankings must be a non-empty list of rankings (lists of ids, best first).")
    score: dict[Hashable, float] = {}
    best: dict[Hashable, int] = {}
    first: dict[Hashable, int] = {}
    for ranking in rankings:
        if len(set(ranking)) != len(ranking):
            raise TechpmError("a ranking repeats an id: each id may appear once per ranking.")
        for rank, doc in enumerate(ranking, start=1):
            score[doc] = score.get(doc, 0.0) + 1.0 / (k + rank)
            best[doc] = min(best.get(doc, rank), rank)
            first.setdefault(doc, len(first))
    return sorted(score.items(), key=lambda item: (-item[1], best[item[0]], first[item[0]]))
