"""Retrieval: how good a ranking is, and what storing and searching embeddings costs.

Quality of one ranked list against the set R of relevant ids (binary relevance):

    recall@k  = |top-k ∩ R| / |R|
    MRR       = 1 / rank of the first relevant id   (0 when none is ranked; averaged over queries)
    DCG@k     = Σ_{i=1..k} rel_i / log2(i + 1)        rel_i = 1 if the i-th id is relevant, else 0
    nDCG@k    = DCG@k / IDCG@k,  IDCG@k = Σ_{i=1..min(|R|, k)} 1 / log2(i + 1)

Sources: Manning, Raghavan & Schütze, *Introduction to Information Retrieval* (2008), ch. 8
(https://nlp.stanford.edu/IR-book/html/htmledition/evaluation-in-information-retrieval-1.html);
Voorhees, "The TREC-8 Question Answering Track Report" (1999) for mean reciprocal rank;
Järvelin & Kekäläinen, "Cumulated gain-based evaluation of IR techniques", ACM TOIS 20(4), 2002
(https://doi.org/10.1145/582415.582418) for nDCG. ``tests/test_calc_retrieval.py`` checks nDCG against
``sklearn.metrics.ndcg_score``.

Storage and search:

    vector bytes      = n_chunks * dim * bytes_per_value              (float32: 4 bytes a value)
    HNSW graph bytes  = n_chunks * 2 * M * bytes_per_link             (level-0 links dominate)
    exact-scan time   = vector bytes / memory bandwidth               (a brute-force scan reads them all)

The graph term is 2M neighbour ids of 4 bytes on level 0, i.e. 8M bytes a vector, matching hnswlib's
"roughly M * 8-10 bytes per stored element" (https://github.com/nmslib/hnswlib/blob/master/ALGO_PARAMS.md;
HNSW: Malkov & Yashunin, https://arxiv.org/abs/1603.09320). ``tests/test_calc_retrieval.py`` checks the
estimate against the size of a real usearch index.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from techpm.calc._validate import non_negative, positive, positive_int, probability
from techpm.calc.cost import api_cost_usd
from techpm.errors import TechpmError
from techpm.tables import get_api_price

__all__ = [
    "recall_at_k", "mrr", "ndcg_at_k", "embedding_storage_bytes", "hnsw_index_bytes",
    "embedding_cost_usd", "exact_search_seconds", "vector_shards_needed", "chunks_that_fit", "text_tokens_estimate",
    "hnsw_query_seconds", "DATACENTER_ROUND_TRIP_S",
]

# A round trip within one datacenter: 500,000 ns (Jeff Dean, "Numbers everyone should know", LADIS 2009
# keynote, https://www.cs.cornell.edu/projects/ladis2009/talks/dean-keynote-ladis2009.pdf).
DATACENTER_ROUND_TRIP_S = 0.5e-3

# About 4 characters of common English text per token: OpenAI, "What are tokens and how to count them?"
# (https://help.openai.com/en/articles/4936856-what-are-tokens-and-how-to-count-them). Claude's tokenizers
# differ (count exactly with client.messages.count_tokens); this is for planning, not billing.
CHARS_PER_TOKEN = 4.0
HNSW_BYTES_PER_LINK = 4  # a 32-bit neighbour id, as in hnswlib


def _ranking(ranked_ids: Sequence[object], relevant_ids: Iterable[object]) -> tuple[list[object], set[object]]:
    if isinstance(ranked_ids, (str, bytes)) or not isinstance(ranked_ids, Sequence):
        raise TechpmError(f"ranked_ids must be a list of ids, best first, got {ranked_ids!r}.")
    ranked = list(ranked_ids)
    if len(set(ranked)) != len(ranked):
        raise TechpmError("ranked_ids must not repeat an id: collapse chunks to documents first "
                          "(keep each document's best rank).")
    if isinstance(relevant_ids, (str, bytes)):
        raise TechpmError(f"relevant_ids must be a collection of ids, got the string {relevant_ids!r}.")
    relevant = set(relevant_ids)
    if not relevant:
        raise TechpmError("relevant_ids is empty: a question needs at least one relevant id to be scored.")
    return ranked, relevant


def recall_at_k(ranked_ids: Sequence[object], relevant_ids: Iterable[object], k: int) -> float:
    """Share of the relevant ids found in the top ``k``: |top-k ∩ R| / |R|.

    >>> recall_at_k(["a", "b", "c"], {"c", "z"}, k=3)
    0.5

    Source: Manning, Raghavan & Schütze, *Introduction to Information Retrieval* (2008), ch. 8,
        https://nlp.stanford.edu/IR-book/html/htmledition/evaluation-in-information-retrieval-1.html.
    Used in: 05 (via checks.rag); 07 (via rag.eval); 08 (via multimodal.retrieval).
    """
    ranked, relevant = _ranking(ranked_ids, relevant_ids)
    positive_int("k", k)
    return len(relevant.intersection(ranked[:k])) / len(relevant)


def mrr(ranked_ids: Sequence[object], relevant_ids: Iterable[object]) -> float:
    """Reciprocal rank of the first relevant id (1 for rank 1, 1/2 for rank 2, 0 when none appears).

    Averaged over a question set this is the mean reciprocal rank.

    >>> mrr(["a", "b", "c"], {"b"})
    0.5

    Source: Voorhees 1999, "The TREC-8 Question Answering Track Report"; Manning, Raghavan & Schütze,
        *Introduction to Information Retrieval* (2008), ch. 8,
        https://nlp.stanford.edu/IR-book/html/htmledition/evaluation-in-information-retrieval-1.html.
    Used in: 05 (via checks.rag); 07 (via rag.eval).
    """
    ranked, relevant = _ranking(ranked_ids, relevant_ids)
    for rank, doc in enumerate(ranked, start=1):
        if doc in relevant:
            return 1.0 / rank
    return 0.0


def ndcg_at_k(ranked_ids: Sequence[object], relevant_ids: Iterable[object], k: int) -> float:
    """Normalized discounted cumulative gain at ``k`` with binary relevance (Järvelin & Kekäläinen 2002).

    DCG@k = Σ rel_i / log2(i + 1) over the top k; divided by the DCG of a perfect ranking, which puts
    all min(|R|, k) relevant ids first. 1.0 is perfect; a relevant id lower down earns less.

    >>> round(ndcg_at_k(["x", "a"], {"a"}, k=2), 4)
    0.6309

    Source: Järvelin & Kekäläinen 2002, "Cumulated gain-based evaluation of IR techniques", ACM TOIS 20(4),
        https://doi.org/10.1145/582415.582418.
    Used in: 05 (via rag.eval); 07 (via rag.eval).
    """
    ranked, relevant = _ranking(ranked_ids, relevant_ids)
    positive_int("k", k)
    dcg = sum(1.0 / math.log2(i + 2) for i, doc in enumerate(ranked[:k]) if doc in relevant)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(relevant), k)))
    return dcg / ideal


def embedding_storage_bytes(n_chunks: int, dim: int, bytes_per_value: float = 4) -> int:
    """Bytes to store ``n_chunks`` embeddings of ``dim`` values: n * dim * bytes_per_value.

    float32 is 4 bytes a value, float16 2, int8 1, a binary (1-bit) code 1/8.

    >>> embedding_storage_bytes(1_000_000, 1024)
    4096000000

    Source: a definition, stated in the formula above (no external figure).
    Used in: 05 exercises.
    """
    if isinstance(n_chunks, bool) or not isinstance(n_chunks, int) or n_chunks < 0:
        raise TechpmError(f"n_chunks must be a whole number of at least 0, got {n_chunks!r}.")
    positive_int("dim", dim)
    positive("bytes_per_value", bytes_per_value)
    return math.ceil(n_chunks * dim * bytes_per_value)


def hnsw_index_bytes(n_chunks: int, dim: int, connectivity: int = 16, bytes_per_value: float = 4) -> int:
    """Vectors plus the HNSW graph's level-0 links: n * (dim * bytes_per_value + 2 * M * 4).

    ``connectivity`` is HNSW's M (links per node on the upper levels; level 0 keeps 2M). hnswlib's
    ALGO_PARAMS.md puts the graph at "roughly M * 8-10 bytes per stored element"; upper levels add a few
    percent.

    Source: hnswlib, ALGO_PARAMS.md ("roughly M * 8-10 bytes per stored element"),
        https://github.com/nmslib/hnswlib/blob/master/ALGO_PARAMS.md; Malkov & Yashunin,
        https://arxiv.org/abs/1603.09320.
    Used in: 05 §3, exercises.
    """
    positive_int("connectivity", connectivity)
    links = math.ceil(n_chunks * 2 * connectivity * HNSW_BYTES_PER_LINK) if n_chunks else 0
    return embedding_storage_bytes(n_chunks, dim, bytes_per_value) + links


def embedding_cost_usd(n_tokens: float, model: str, batch: bool = False) -> float:
    """US dollars to embed ``n_tokens`` with the tabled embedding ``model`` (input tokens only).

    Source: the embedding list prices in ``data/api_prices.json`` (each row with its URL and date).
    Used in: 05 §8, exercises; 07 (via agents.context).
    """
    non_negative("n_tokens", n_tokens)
    if get_api_price(model).kind != "embedding":
        raise TechpmError(f"{model!r} is not an embedding model; choose one of the table's kind "
                          "'embedding' rows (calc.api_model_ids('embedding')).")
    return api_cost_usd(model, n_tokens, 0, batch=batch)


def exact_search_seconds(n_chunks: int, dim: int, memory_bytes_per_s: float, bytes_per_value: float = 4) -> float:
    """Time for one brute-force (exact) query: every vector is read once, so bytes / bandwidth.

    A scan is memory-bound: 2 FLOP per 4-byte value is far below what a CPU core can compute per byte read.

    Source: a memory-bound scan (the roofline model, Williams et al. 2009,
        https://doi.org/10.1145/1498765.1498785).
    Used in: 05 (via rag.scale).
    """
    positive("memory_bytes_per_s", memory_bytes_per_s)
    return embedding_storage_bytes(n_chunks, dim, bytes_per_value) / memory_bytes_per_s


def hnsw_query_seconds(n_chunks: int, dim: int, measured_s: float, n_measured: int, dim_measured: int,
                       shards: int = 1, round_trip_s: float = DATACENTER_ROUND_TRIP_S) -> float:
    """Project one HNSW query's time from a measurement at ``n_measured`` vectors of ``dim_measured``.

    A query visits about ``log n`` graph layers' worth of nodes (Malkov & Yashunin 2016,
    https://arxiv.org/abs/1603.09320) and computes a distance at each, whose cost is linear in the
    dimension; with ``shards`` machines each searches its ``n / shards`` vectors in parallel and the
    query waits for them over the network and merges:

        t = measured_s * log(n / shards) / log(n_measured) * dim / dim_measured  (+ round_trip_s if shards > 1)

    A floor, not an estimate: it leaves out the cache misses of a graph far larger than the CPU's caches,
    the ``ef`` that must grow to keep recall as n grows, and waiting for the *slowest* shard. Published
    billion-scale systems answer in milliseconds: DiskANN serves SIFT1B (1 billion 128-d vectors) at
    "< 3ms mean latency and 95%+ 1-recall@1" on one 16-core machine (Subramanya et al. 2019, NeurIPS,
    https://papers.nips.cc/paper/2019/hash/09853c7fb1d3f8ee67a61b6bf4a7f8e6-Abstract.html).

    Source: Malkov & Yashunin 2016, https://arxiv.org/abs/1603.09320 (a query visits about log n nodes),
        scaled from a measurement.
    Used in: 05 (via rag.scale).
    """
    positive_int("n_chunks", n_chunks)
    positive_int("dim", dim)
    positive("measured_s", measured_s)
    positive_int("n_measured", n_measured)
    positive_int("dim_measured", dim_measured)
    positive_int("shards", shards)
    if round_trip_s < 0:
        raise TechpmError(f"round_trip_s must be zero or positive, got {round_trip_s!r}.")
    per_shard = max(n_chunks / shards, 2.0)
    t = measured_s * math.log(per_shard) / math.log(max(n_measured, 2)) * dim / dim_measured
    return t + (round_trip_s if shards > 1 else 0.0)


def vector_shards_needed(index_bytes: float, memory_bytes_per_node: float, fill: float = 0.7) -> int:
    """Machines needed to hold an index in memory, filling each to ``fill`` of its RAM (headroom for
    the OS, queries and growth): ceil(index_bytes / (memory_bytes_per_node * fill)).

    Source: a definition, stated in the formula above (no external figure).
    Used in: 05 exercises.
    """
    non_negative("index_bytes", index_bytes)
    positive("memory_bytes_per_node", memory_bytes_per_node)
    probability("fill", fill, above_zero=True)
    return max(1, math.ceil(index_bytes / (memory_bytes_per_node * fill)))


def chunks_that_fit(budget_tokens: float, chunk_tokens: float, overhead_tokens: float = 0) -> int:
    """How many chunks of ``chunk_tokens`` fit in a context budget after ``overhead_tokens``
    (instructions, question, room for the answer): floor((budget - overhead) / chunk).

    Source: a definition, stated in the formula above (no external figure).
    Used in: 05 §4, exercises.
    """
    positive("budget_tokens", budget_tokens)
    positive("chunk_tokens", chunk_tokens)
    non_negative("overhead_tokens", overhead_tokens)
    return max(0, math.floor((budget_tokens - overhead_tokens) / chunk_tokens))


def text_tokens_estimate(text_or_chars: str | int) -> int:
    """Planning estimate of a text's token count: characters / 4 (OpenAI's rule of thumb for English).

    Pass the text or its length in characters. For billing, count with the provider's tokenizer.

    Source: OpenAI, "What are tokens and how to count them",
        https://help.openai.com/en/articles/4936856-what-are-tokens-and-how-to-count-them.
    Used in: 05 §4, §8; 07 §7.
    """
    n_chars = len(text_or_chars) if isinstance(text_or_chars, str) else text_or_chars
    if isinstance(n_chars, bool) or not isinstance(n_chars, int) or n_chars < 0:
        raise TechpmError(f"text_or_chars must be a string or a character count, got {text_or_chars!r}.")
    return math.ceil(n_chars / CHARS_PER_TOKEN)
