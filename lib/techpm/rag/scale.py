"""Scale and cost: what 10 thousand, 1 million and 100 million documents need.

Every row is computed from the course's calculators and from two things measured on this machine: how
fast the vector engine scans vectors (exact search) and how long one HNSW query takes. The HNSW time is
projected by ``calc.hnsw_query_seconds``: log n per shard, times the dimension ratio (a 1,024-d distance
costs 8x a 128-d one), plus a datacenter round trip when the index is sharded. That is a floor: cache
misses, the larger ``ef`` needed to keep recall, and the slowest shard add more; published billion-scale
systems answer in milliseconds (see ``calc.hnsw_query_seconds``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from techpm import calc

NODE_MEMORY_BYTES = 64e9  # a common memory-optimized cloud instance size; change it to yours
INTERACTIVE_BUDGET_S = 0.05  # retrieval's share of an interactive answer's latency budget


@dataclass(frozen=True)
class ScaleRow:
    n_docs: int
    n_chunks: int
    vector_bytes: int
    index_bytes: int
    embed_usd: float
    exact_s: float
    approx_s: float
    shards: int
    architecture: str


def architecture(index_bytes: float, exact_s: float, shards: int) -> str:
    """The architecture the numbers call for (thresholds: the interactive budget and one node's RAM)."""
    if exact_s <= INTERACTIVE_BUDGET_S:
        return "one process, exact search: an embedded index or even a numpy array is enough"
    if shards == 1:
        return "one server, approximate (HNSW) index in RAM; add replicas for query volume"
    return (f"{shards} shards of an HNSW index (or quantize vectors to int8 / PQ to need fewer); "
            "a managed vector database or a sharded search cluster; rebuilds take hours")


def scale_table(n_docs: Sequence[int], chunks_per_doc: float, tokens_per_chunk: float, dim: int,
                embed_model: str, scan_bytes_per_s: float, approx_s_measured: float, n_measured: int,
                connectivity: int = 16, node_memory_bytes: float = NODE_MEMORY_BYTES,
                dim_measured: int | None = None) -> list[ScaleRow]:
    """One row per corpus size: storage, one-time embedding cost, query latency, shards, architecture.

    ``dim_measured``: the dimension of the vectors the HNSW time was measured on (default ``dim``).
    """
    rows = []
    for n in n_docs:
        chunks = math.ceil(round(n * chunks_per_doc, 6))
        vec = calc.embedding_storage_bytes(chunks, dim)
        index = calc.hnsw_index_bytes(chunks, dim, connectivity)
        exact = calc.exact_search_seconds(chunks, dim, scan_bytes_per_s)
        shards = calc.vector_shards_needed(index, node_memory_bytes)
        approx = calc.hnsw_query_seconds(chunks, dim, approx_s_measured, n_measured, dim_measured or dim, shards)
        rows.append(ScaleRow(n, chunks, vec, index, calc.embedding_cost_usd(chunks * tokens_per_chunk, embed_model),
                             exact, approx, shards, architecture(index, exact, shards)))
    return rows
