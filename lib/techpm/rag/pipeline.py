"""The pipeline that the lesson builds stage by stage: chunks -> BM25 + embeddings -> fused ranking.

    p = build_pipeline(strategy="heading", size_chars=800)
    p.search("how do I define a context manager?", method="hybrid", k=5)   # chunk indices, best first
    p.sections(...)                                                     # the same, collapsed to sections
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from techpm.errors import TechpmError
from techpm.rag.chunking import Chunk, chunk_corpus
from techpm.rag.corpus import Section, load_sections
from techpm.rag.hybrid import rrf
from techpm.rag.lexical import BM25Index, top_k

METHODS = ("bm25", "dense", "hybrid")
FUSION_DEPTH = 50  # how many candidates each retriever hands to the fusion


@dataclass
class Pipeline:
    """Chunks and their two indexes. ``vectors`` are unit-length rows, one per chunk."""

    chunks: list[Chunk]
    bm25: BM25Index
    embedder: object
    vectors: np.ndarray
    _query_cache: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    _search_cache: dict[tuple[str, str, int], list[int]] = field(default_factory=dict, repr=False)

    def query_vector(self, query: str) -> np.ndarray:
        if query not in self._query_cache:
            self._query_cache[query] = self.embedder.encode([query])[0]
        return self._query_cache[query]

    def dense_scores(self, query: str) -> np.ndarray:
        """Cosine similarity of the query with every chunk (an exact scan)."""
        return self.vectors @ self.query_vector(query)

    def search(self, query: str, method: str = "hybrid", k: int = 10) -> list[int]:
        """Indices of the ``k`` best chunks for ``query`` by 'bm25', 'dense' or 'hybrid' (RRF of both).

        Results are remembered per (query, method, k): the lesson asks the same questions many times."""
        key = (query, method, k)
        if key not in self._search_cache:
            self._search_cache[key] = self._search(query, method, k)
        return list(self._search_cache[key])

    def _search(self, query: str, method: str, k: int) -> list[int]:
        if method == "bm25":
            return [i for i, _ in self.bm25.search(query, k)]
        if method == "dense":
            return [i for i, _ in top_k(self.dense_scores(query), k)]
        if method == "hybrid":
            depth = max(k, FUSION_DEPTH)
            fused = rrf([self.search(query, "bm25", depth), self.search(query, "dense", depth)])
            return [int(i) for i, _ in fused[:k]]
        raise TechpmError(f"method must be one of {', '.join(METHODS)}, got {method!r}.")

    def with_sections(self, extra: Sequence[Section], strategy: str = "heading", size_chars: int = 800) -> Pipeline:
        """A copy with ``extra`` sections added: BM25 is rebuilt, the embedder is reused as fitted."""
        new = chunk_corpus(extra, strategy, size_chars)
        chunks = [*self.chunks, *new]
        vectors = np.vstack([self.vectors, self.embedder.encode([c.text for c in new])])
        return Pipeline(chunks, BM25Index([c.text for c in chunks]), self.embedder, vectors)

    def sections(self, chunk_ids: Sequence[int]) -> list[str]:
        """Section ids of a chunk ranking, each once, at its best chunk's rank."""
        return to_sections(chunk_ids, self.chunks)


def to_sections(chunk_ids: Sequence[int], chunks: Sequence[Chunk]) -> list[str]:
    """Collapse a chunk ranking into a section ranking (first occurrence wins)."""
    return list(dict.fromkeys(chunks[i].section_id for i in chunk_ids))


@cache
def lexical_index(strategy: str, size_chars: int) -> tuple[list[Chunk], BM25Index]:
    """The whole corpus chunked and BM25-indexed (built once per chunking, then shared by the lesson's
    sweep, explorer and pipeline)."""
    chunks = chunk_corpus(load_sections(), strategy, size_chars)
    return chunks, BM25Index([c.text for c in chunks])


def build_pipeline(strategy: str = "heading", size_chars: int = 800, embedder: object | None = None,
                   sections: Sequence[Section] | None = None, dim: int = 128) -> Pipeline:
    """Chunk the corpus and index it twice: BM25 and embeddings (LSA unless an ``embedder`` is given)."""
    from techpm.rag.dense import LSAEmbedder

    if sections is None:
        chunks, bm25 = lexical_index(strategy, size_chars)
        chunks = list(chunks)
    else:
        chunks = chunk_corpus(sections, strategy, size_chars)
        bm25 = BM25Index([c.text for c in chunks])
    texts = [c.text for c in chunks]
    embedder = (embedder or LSAEmbedder(dim)).fit(texts)
    return Pipeline(chunks, bm25, embedder, embedder.encode(texts))
