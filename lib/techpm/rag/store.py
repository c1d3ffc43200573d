"""The vector store: ``usearch``, an embedded (in-process, single-file) vector search engine.

Why usearch for this course (the lesson argues it at length): a ~2 MB wheel on PyPI for Linux, macOS and
Windows with no service to run; one index type that answers both exactly (a brute-force scan) and
approximately (an HNSW graph, Malkov & Yashunin 2016, https://arxiv.org/abs/1603.09320); and an index that
saves to one file and can be memory-mapped back (``view``) without loading it. It is the engine inside
DuckDB's ``vss`` extension (https://github.com/duckdb/duckdb-vss, "based on the usearch library") and
ClickHouse's vector index (https://clickhouse.com/docs/en/engines/table-engines/mergetree-family/annindexes).
Docs: https://unum-cloud.github.io/usearch/.

Vectors are unit length, so the inner product ('ip') is the cosine similarity; usearch reports the
distance 1 - similarity.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from techpm.errors import TechpmError


class VectorStore:
    """An HNSW index over unit vectors, keyed 0..n-1 in the order added.

    ``connectivity`` is HNSW's M (graph degree); ``expansion_add`` and ``expansion_search`` are its
    efConstruction and ef: larger means better recall, slower build and search.
    """

    def __init__(self, dim: int, connectivity: int = 16, expansion_add: int = 32, expansion_search: int = 32,
                 dtype: str = "f32") -> None:
        from usearch.index import Index

        if isinstance(dim, bool) or not isinstance(dim, int) or dim < 1:
            raise TechpmError(f"dim must be a whole number of at least 1, got {dim!r}.")
        self.dim = dim
        self.index = Index(ndim=dim, metric="ip", dtype=dtype, connectivity=connectivity,
                           expansion_add=expansion_add, expansion_search=expansion_search)

    @classmethod
    def from_vectors(cls, vectors: np.ndarray, **options: int | str) -> VectorStore:
        store = cls(int(vectors.shape[1]), **options)  # type: ignore[arg-type]
        store.add(vectors)
        return store

    def add(self, vectors: np.ndarray) -> None:
        """Add rows of ``vectors``; their keys continue from the current size."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[1] != self.dim:
            raise TechpmError(f"vectors must be a 2-D array with {self.dim} columns, got shape {vectors.shape}.")
        keys = np.arange(len(self), len(self) + len(vectors), dtype=np.uint64)
        self.index.add(keys, vectors, threads=1)

    def __len__(self) -> int:
        return len(self.index)

    def search(self, queries: np.ndarray, k: int = 10, exact: bool = False) -> np.ndarray:
        """Keys of the ``k`` nearest vectors for each query row (one row of keys per query), nearest first.

        ``exact=True`` scans every vector (perfect recall, time grows with n); otherwise the HNSW graph is
        walked (time grows about with log n, recall below 1)."""
        queries = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        k = min(k, len(self))
        matches = self.index.search(queries, k, exact=exact, threads=1)
        return np.asarray(matches.keys, dtype=np.int64).reshape(len(queries), k)

    @property
    def nbytes(self) -> int:
        """Bytes the index takes when saved: vectors plus graph."""
        return int(self.index.serialized_length)

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        self.index.save(str(path))
        return path

    @classmethod
    def load(cls, path: str | Path, view: bool = False) -> VectorStore:
        """Open a saved index; ``view=True`` memory-maps it (opens instantly, pages load on demand)."""
        from usearch.index import Index

        index = Index.restore(str(path), view=view)
        if index is None:
            raise TechpmError(f"{path} is not a usearch index file.")
        store = cls.__new__(cls)
        store.dim, store.index = int(index.ndim), index
        return store


def recall_vs_exact(approx: np.ndarray, exact: np.ndarray) -> float:
    """Share of the exact top-k that the approximate search also returned (averaged over queries)."""
    if approx.shape != exact.shape:
        raise TechpmError(f"approx and exact must have the same shape, got {approx.shape} and {exact.shape}.")
    return float(np.mean([len(set(a) & set(e)) / len(e) for a, e in zip(approx.tolist(), exact.tolist(), strict=True)]))


def grow_corpus(vectors: np.ndarray, n: int, noise: float = 0.05, seed: int = 0) -> np.ndarray:
    """``n`` unit vectors made from the real ones: a random real row plus Gaussian noise of std ``noise``
    per value. A stand-in for a bigger documentation set with the same topics (near-duplicates,
    versions, translations): it keeps the real corpus's clustered shape, unlike uniform random vectors."""
    rng = np.random.default_rng(seed)
    grown = vectors[rng.integers(0, len(vectors), n)] + rng.standard_normal((n, vectors.shape[1])) * noise
    return (grown / np.linalg.norm(grown, axis=1, keepdims=True)).astype(np.float32)


@dataclass(frozen=True)
class ScalePoint:
    """Exact vs. HNSW search on one corpus size: recall of HNSW against exact, times per query."""

    n: int
    recall: float
    exact_s: float
    approx_s: float
    build_s: float
    index_bytes: int
    vector_bytes: int


def measure_scaling(vectors: np.ndarray, queries: np.ndarray, sizes: Sequence[int], k: int = 10,
                    seed: int = 0, **options: int) -> list[ScalePoint]:
    """Build an index at each size (grown from ``vectors``) and time exact and HNSW search for ``queries``."""
    points = []
    for n in sizes:
        data = grow_corpus(vectors, n, seed=seed)
        t0 = time.perf_counter()
        store = VectorStore.from_vectors(data, **options)
        t1 = time.perf_counter()
        store.search(queries[:1], k)  # warm up: the first search pays one-time setup
        store.search(queries[:1], k, exact=True)
        t1b = time.perf_counter()
        exact = store.search(queries, k, exact=True)
        t2 = time.perf_counter()
        approx = store.search(queries, k)
        t3 = time.perf_counter()
        points.append(ScalePoint(n, recall_vs_exact(approx, exact), (t2 - t1b) / len(queries),
                                 (t3 - t2) / len(queries), t1 - t0, store.nbytes, data.nbytes))
    return points
