"""The pipeline that the lesson builds stage by stage: chunks -> BM25 + embeddings -> fused ranking.

    p = build_pipeline(strategy="heading", size_chars=800)
    p.search("how do I define a context manager?", method="hybrid", k=5)   # chunk indices, best first
    p.sections(...)                                                     # the same, collapsed to sections
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

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

    def query_vector(self, query: str) -> np.ndarray:
        if query not in self._query_cache:
            self._query_cache[query] = self.embedder.encode([query])[0]
        return self._query_cache[query]

    def dense_scores(self, query: str) -> np.ndarray:
        """Cosine similarity of the query with every chunk (an exact scan)."""
        return self.vectors @ self.query_vector(query)

    def search(self, query: str, method: str = "hybrid", k: int = 10) -> list[int]:
        """Indices of the ``k`` best chunks for ``query`` by 'bm25', 'dense' or 'hybrid' (RRF of both)."""
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


def build_pipeline(strategy: str = "heading", size_chars: int = 800, embedder: object | None = None,
                   sections: Sequence[Section] | None = None, dim: int = 128) -> Pipeline:
    """Chunk the corpus and index it twice: BM25 and embeddings (LSA unless an ``embedder`` is given)."""
    from techpm.rag.dense import LSAEmbedder

    chunks = chunk_corpus(sections if sections is not None else load_sections(), strategy, size_chars)
    texts = [c.text for c in chunks]
    embedder = (embedder or LSAEmbedder(dim)).fit(texts)
    return Pipeline(chunks, BM25Index(texts), embedder, embedder.encode(texts))
