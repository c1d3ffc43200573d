"""Explorer for the RAG lesson: chunk size and top-k against recall, prompt tokens and cost."""

from __future__ import annotations

from typing import Any

from techpm import calc
from techpm.widgets import Explorer, dropdown, slider

SIZES = [200, 400, 800, 1600, 3200]
QUERIES_PER_DAY = 10_000
OVERHEAD_TOKENS = 300  # instructions + question
OUTPUT_TOKENS = 300


def _compute(strategy: str, size_chars: int, top_k: int, model: str) -> dict[str, Any]:
    from techpm.rag.eval import topk_curve

    curve = topk_curve(strategy, size_chars)
    tokens = curve.context_tokens[top_k - 1] + OVERHEAD_TOKENS
    per_query = calc.api_cost_usd(model, tokens, OUTPUT_TOKENS)
    return {"curve": curve, "k": top_k, "recall": curve.recall[top_k - 1], "prompt_tokens": tokens,
            "usd_per_query": per_query, "usd_per_month": calc.api_cost_usd(
                model, tokens * QUERIES_PER_DAY * 30, OUTPUT_TOKENS * QUERIES_PER_DAY * 30), "model": model}


def _describe(r: dict[str, Any]) -> str:
    c = r["curve"]
    return (f"<b>{c.n_chunks:,}</b> chunks · top {r['k']}: recall <b>{r['recall']:.0%}</b> of relevant sections · "
            f"prompt ≈ <b>{r['prompt_tokens']:,.0f}</b> tokens · {r['model']}: "
            f"${r['usd_per_query']:.5f} a query, <b>${r['usd_per_month']:,.0f}</b> a month at "
            f"{QUERIES_PER_DAY:,} queries a day")


def _draw(r: dict[str, Any], ax: Any) -> None:
    c = r["curve"]
    ax.plot(c.context_tokens, c.recall, marker=".", color="tab:blue")
    ax.plot([c.context_tokens[r["k"] - 1]], [r["recall"]], "o", color="tab:red", markersize=9)
    ax.set_xlabel("retrieved tokens in the prompt (top 1 … 20 chunks)")
    ax.set_ylabel("recall of relevant sections")
    ax.set_ylim(0, 1)
    ax.set_title(f"BM25, {c.strategy} chunks of ≤ {c.size_chars} characters")


def rag_explorer(strategy: str = "fixed", size_chars: int = 800, top_k: int = 5,
                 model: str = "claude-haiku-5-5") -> Explorer:
    """Chunking strategy, chunk size and top-k -> recall, prompt tokens, and what it costs a month."""
    controls = {
        "strategy": dropdown("chunking", ["fixed", "heading"], strategy),
        "size_chars": dropdown("chunk size (characters)", SIZES, size_chars),
        "top_k": slider("chunks sent (top k)", top_k, 1, 20, integer=True),
        "model": dropdown("model", calc.api_model_ids("chat"), model),
    }
    return Explorer(controls, _compute, _describe, _draw, title="Chunk size × top-k: recall against cost")
