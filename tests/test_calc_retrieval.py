"""Retrieval metrics against their definitions and scikit-learn; storage and cost arithmetic."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from techpm import calc
from techpm.errors import TechpmError


def test_recall_and_mrr_on_a_worked_example():
    ranked = ["a", "b", "c", "d", "e"]
    assert calc.recall_at_k(ranked, {"b", "e", "z"}, 2) == pytest.approx(1 / 3)
    assert calc.recall_at_k(ranked, {"b", "e", "z"}, 5) == pytest.approx(2 / 3)
    assert calc.mrr(ranked, {"c", "e"}) == pytest.approx(1 / 3)
    assert calc.mrr(ranked, {"z"}) == 0.0


def _sklearn_ndcg(ranked, relevant, k):
    from sklearn.metrics import ndcg_score

    # Unranked relevant ids count in the ideal DCG but must earn nothing: put them after k irrelevant fillers.
    fillers = [f"filler{i}" for i in range(k + 1)]
    items = list(ranked) + fillers + sorted(set(relevant) - set(ranked))
    y_true = np.array([[1.0 if d in relevant else 0.0 for d in items]])
    y_score = np.array([[float(len(items) - i) for i in range(len(items))]])  # distinct, best first
    return ndcg_score(y_true, y_score, k=k)


@settings(max_examples=150, deadline=None)
@given(st.permutations(list(range(12))), st.sets(st.integers(0, 15), min_size=1, max_size=6),
       st.integers(1, 14), st.integers(0, 12))
def test_ndcg_matches_sklearn(perm, relevant, k, cut):
    ranked = perm[:cut] if cut else perm[:1]
    assert calc.ndcg_at_k(ranked, relevant, k) == pytest.approx(_sklearn_ndcg(ranked, relevant, k), abs=1e-12)


def test_ndcg_rewards_relevant_ids_higher_up():
    assert calc.ndcg_at_k(["a", "x", "y"], {"a"}, 3) == 1.0
    assert calc.ndcg_at_k(["x", "y", "a"], {"a"}, 3) == pytest.approx(1 / math.log2(4))
    assert calc.ndcg_at_k(["x", "y", "a"], {"a"}, 2) == 0.0


@pytest.mark.parametrize("call, word", [
    (lambda: calc.recall_at_k(["a", "a"], {"a"}, 1), "repeat"),
    (lambda: calc.recall_at_k(["a"], set(), 1), "relevant_ids"),
    (lambda: calc.recall_at_k(["a"], {"a"}, 0), "k must"),
    (lambda: calc.mrr("abc", {"a"}), "ranked_ids"),
    (lambda: calc.ndcg_at_k(["a"], "a", 1), "relevant_ids"),
    (lambda: calc.embedding_storage_bytes(-1, 8), "n_chunks"),
    (lambda: calc.embedding_storage_bytes(10, 0), "dim"),
    (lambda: calc.embedding_cost_usd(100, "claude-haiku-5-5"), "not an embedding model"),
    (lambda: calc.vector_shards_needed(1e9, 1e9, fill=0), "fill"),
    (lambda: calc.chunks_that_fit(0, 100), "budget_tokens"),
])
def test_bad_input_names_the_argument(call, word):
    with pytest.raises(TechpmError, match=word):
        call()


def test_storage_follows_the_formula_and_numpy():
    assert calc.embedding_storage_bytes(1000, 384) == np.zeros((1000, 384), np.float32).nbytes
    assert calc.embedding_storage_bytes(1000, 384, bytes_per_value=1) == np.zeros((1000, 384), np.int8).nbytes
    assert calc.embedding_storage_bytes(10, 8, bytes_per_value=1 / 8) == 10  # binary codes: 1 bit a value
    assert calc.hnsw_index_bytes(1000, 384, connectivity=16) == 1000 * (384 * 4 + 2 * 16 * 4)


def test_hnsw_estimate_is_close_to_what_usearch_saves():
    from techpm.rag.store import VectorStore

    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((3000, 64)).astype(np.float32)
    store = VectorStore.from_vectors(vectors / np.linalg.norm(vectors, axis=1, keepdims=True), connectivity=16)
    estimate = calc.hnsw_index_bytes(3000, 64, connectivity=16)
    assert 0.85 < estimate / store.nbytes < 1.15  # level-0 links dominate; upper levels add a few percent


def test_embedding_cost_uses_the_table_and_batch_discount():
    price = calc.get_api_price("voyage-4")
    assert calc.embedding_cost_usd(2_000_000, "voyage-4") == pytest.approx(2 * price.input_usd_per_mtok)
    assert calc.embedding_cost_usd(2_000_000, "voyage-4", batch=True) == pytest.approx(
        2 * price.input_usd_per_mtok * (1 - price.batch_discount))


def test_search_time_shards_and_budget():
    assert calc.exact_search_seconds(1_000_000, 1000, 4e9) == pytest.approx(1.0)
    assert calc.vector_shards_needed(100e9, 64e9, fill=0.5) == 4
    assert calc.vector_shards_needed(0, 64e9) == 1
    assert calc.chunks_that_fit(8000, 300, overhead_tokens=1000) == 23
    assert calc.chunks_that_fit(500, 300, overhead_tokens=1000) == 0
    assert calc.text_tokens_estimate("x" * 401) == 101


def test_hnsw_projection_scales_with_log_n_dimension_and_shards():
    """Issue 14 item 3: the billion-chunk projection counts the dimension and the shard fan-out."""
    base = calc.hnsw_query_seconds(4_500, 128, 17e-6, 4_500, 128)
    assert base == pytest.approx(17e-6)
    assert calc.hnsw_query_seconds(4_500, 1024, 17e-6, 4_500, 128) == pytest.approx(8 * 17e-6)
    one = calc.hnsw_query_seconds(10**9, 1024, 17e-6, 4_500, 128)
    assert one == pytest.approx(17e-6 * math.log(1e9) / math.log(4_500) * 8)
    sharded = calc.hnsw_query_seconds(10**9, 1024, 17e-6, 4_500, 128, shards=93)
    assert sharded == pytest.approx(17e-6 * math.log(1e9 / 93) / math.log(4_500) * 8 + calc.DATACENTER_ROUND_TRIP_S)
    assert sharded > 0.5e-3                      # a sharded query costs at least a network round trip
    with pytest.raises(TechpmError):
        calc.hnsw_query_seconds(10, 128, 1e-5, 10, 128, shards=0)
