"""Checks for ``solutions/05_rag`` / ``exercises/05_rag``: expected values come from the calculators."""

from __future__ import annotations

from techpm import calc
from techpm.checks import CheckResult, CheckResults, check_choice, check_number


def storage_gb(answer: object, n_chunks: int, dim: int) -> CheckResult:
    """Exercise 1: float32 embeddings of n_chunks × dim, in GB (1e9 bytes)."""
    expected = calc.embedding_storage_bytes(n_chunks, dim) / 1e9
    return check_number("Exercise 1 · embedding storage", answer, expected, unit="GB", hints={
        0.5: "that is float16 (2 bytes a value); the question asks for float32 (4 bytes).",
        0.25: "that is int8 (1 byte a value); float32 takes 4 bytes.",
        1.073741824: "that is GiB (2^30 bytes); use GB = 1e9 bytes.",
        1 / 1.073741824: "that is GiB (2^30 bytes); use GB = 1e9 bytes.",
    })


def recall_and_mrr(recall: object, reciprocal_rank: object, ranked: list[str], relevant: set[str], k: int
                   ) -> CheckResults:
    """Exercise 2: recall@k and the reciprocal rank of one ranking."""
    exp_recall = calc.recall_at_k(ranked, relevant, k)
    exp_rr = calc.mrr(ranked, relevant)
    return CheckResults([
        check_number("Exercise 2a · recall@k", recall, exp_recall, hints={
            len(relevant) / k: "recall divides by the number of relevant ids, not by k (that is precision)."}),
        check_number("Exercise 2b · reciprocal rank", reciprocal_rank, exp_rr, hints={
            2.0: "ranks start at 1, not 0.", 0.5: "is that the rank of the second relevant id?"}),
    ])


def rrf_winner(answer: object, rankings: list[list[str]]) -> CheckResult:
    """Exercise 3: which id does reciprocal rank fusion put first?"""
    from techpm.rag.hybrid import rrf

    fused = rrf(rankings)
    winner = str(fused[0][0])
    others = {str(d): f"RRF gives it {s:.4f}; {winner} gets {fused[0][1]:.4f} (Σ 1/(60 + rank))."
              for d, s in fused[1:]}
    return check_choice("Exercise 3 · fusion", answer, winner, {winner: "agreement between the lists beats "
                        "one first place.", **others})


def context_budget(n_chunks: object, usd_per_month: object, *, budget_tokens: int, overhead_tokens: int,
                   chunk_tokens: int, output_tokens: int, queries_per_day: int, model: str) -> CheckResults:
    """Exercise 4: how many chunks fit, and a month of queries sending that many."""
    fit = calc.chunks_that_fit(budget_tokens, chunk_tokens, overhead_tokens)
    days = 30 * queries_per_day
    prompt = overhead_tokens + fit * chunk_tokens
    cost = calc.api_cost_usd(model, prompt * days, output_tokens * days)
    input_only = calc.api_cost_usd(model, prompt * days, 0)
    return CheckResults([
        check_number("Exercise 4a · chunks that fit", n_chunks, fit, rel_tol=0, hints={
            budget_tokens / chunk_tokens / fit: "subtract the instructions and question (overhead) first."}),
        check_number("Exercise 4b · monthly cost", usd_per_month, cost, unit="USD", hints={
            1 / 30: "that is one day; the question asks for 30.",
            input_only / cost: "you left out the output tokens."}),
    ])


def embedding_cost(answer: object, n_docs: int, chunks_per_doc: int, tokens_per_chunk: int, model: str) -> CheckResult:
    """Exercise 5: one-time cost of embedding a corpus."""
    tokens = n_docs * chunks_per_doc * tokens_per_chunk
    expected = calc.embedding_cost_usd(tokens, model)
    batch = calc.embedding_cost_usd(tokens, model, batch=True)
    return check_number("Exercise 5 · embedding the corpus", answer, expected, unit="USD", hints={
        batch / expected: "that is the batch price; the question asks for the standard one.",
        1 / chunks_per_doc: "you embedded one chunk per document; each document has several."})


def architecture_choice(answer: object, n_chunks: int, dim: int, node_memory_bytes: float) -> CheckResult:
    """Exercise 6: exact scan, one HNSW server, or a sharded index, from the numbers."""
    shards = calc.vector_shards_needed(calc.hnsw_index_bytes(n_chunks, dim), node_memory_bytes)
    expected = "sharded" if shards > 1 else "hnsw"
    return check_choice("Exercise 6 · architecture", answer, expected, {
        "sharded": f"the index needs {shards} machines' memory at 70% fill, so it must be split.",
        "hnsw": f"the HNSW index fits one machine ({shards} shard).",
        "exact": "a full scan reads every vector per query: at this size that takes seconds, not milliseconds.",
    })


def injection_defense(answer: object) -> CheckResult:
    """Exercise 7: which defense works even when the screening patterns miss a reworded attack?"""
    return check_choice("Exercise 7 · injection", answer, "provenance", {
        "provenance": "text that never enters the index cannot instruct the model; screening and prompts "
                      "only lower the odds.",
        "screening": "patterns miss a reworded attack (and flag real text); a layer, not a guarantee.",
        "system prompt": "a model usually, not always, follows it: instructions in data can still win.",
    })
