"""Long context vs retrieval: price both, per question, for a stated corpus size."""

from __future__ import annotations

from techpm import calc
from techpm.generator.facets._calc import LARGE_MODEL, SMALL_MODEL
from techpm.generator.facets.base import Ctx, Facet
from techpm.generator.figures import num, pct, usd

RETRIEVED_TOKENS = 8 * 500 + 1_600    # 8 chunks of 500 tokens + instructions and question
ANSWER_TOKENS = 500
WINDOW_TOKENS = 1_000_000             # the largest tabled context window
DEFAULT_CONTEXT = 500_000


def _figures(ctx: Ctx) -> None:
    ctx_q = ctx.take("context_tokens", "tokens")
    tokens = ctx_q.value if ctx_q else ctx.assume("corpus tokens", DEFAULT_CONTEXT, f"{num(DEFAULT_CONTEXT)} tokens",
                                                  "a large codebase or a shelf of documents")
    stated = ctx_q.text if ctx_q else f"{num(tokens)} tokens"
    full = calc.api_cost_usd(LARGE_MODEL, tokens, ANSWER_TOKENS)
    cached = calc.api_cost_usd(LARGE_MODEL, 0, ANSWER_TOKENS, cache_read_tokens=tokens)
    rag = calc.api_cost_usd(LARGE_MODEL, RETRIEVED_TOKENS, ANSWER_TOKENS)
    rag_small = calc.api_cost_usd(SMALL_MODEL, RETRIEVED_TOKENS, ANSWER_TOKENS)
    windows = tokens / WINDOW_TOKENS
    ctx.add("context_vs_rag", f"Per question: the whole {stated} in context vs retrieval", full / rag,
            f"{usd(full)} with everything in the prompt ({usd(cached)} when it is a warm cached prefix) vs "
            f"{usd(rag)} with {num(RETRIEVED_TOKENS)} retrieved tokens ({usd(rag_small)} on {SMALL_MODEL}): "
            f"{full / rag:,.0f}x; the corpus fills {windows:,.2f} of a {num(WINDOW_TOKENS)}-token window",
            f"{num(tokens)} in + {ANSWER_TOKENS} out vs {num(RETRIEVED_TOKENS)} in + {ANSWER_TOKENS} out",
            "calc.api_cost_usd", f"{LARGE_MODEL} list prices; cache reads at the tabled cache price", uses=(ctx_q,))
    s = ctx.scale
    month_full = full * s.per_month
    month_rag = rag * s.per_month
    ctx.add("context_month", "The same at the product's volume", month_full,
            f"{usd(month_full)} a month in context vs {usd(month_rag)} retrieved, for {num(s.per_month)} questions",
            f"{num(s.per_month)} x each price", "calc.api_cost_usd", "before caching", uses=(s.per_day_from,))
    try:
        ttft = calc.ttft_s("llama-3.1-70b", "h100-sxm", int(min(tokens, 128_000)), n_gpus=8)
        ctx.add("context_latency", f"Prefill time of a long prompt to {ctx.values['product']}", ttft,
                f"{ttft:,.1f} s to read {num(min(tokens, 128_000))} tokens before the first word on 8 H100s "
                f"({pct(min(1.0, 128_000 / tokens))} of the corpus), against well under a second for the retrieved prompt",
                "prefill FLOPs / FLOP/s", "calc.ttft_s", "llama-3.1-70b as the reference; attention cost grows "
                "with the square of the length")
    except (ValueError, ArithmeticError):
        pass
    ctx.values["context_stated"] = stated
    ctx.values["context_ratio"] = f"{full / rag:,.0f}x"


FACET = Facet(
    name="long_context",
    title="Long context or retrieval",
    cues=((r"long[- ]context|context window|whole (?:codebase|repo|book|corpus)", 4),
          (r"\d[\d.,]*\s*[mk]?[\s-]*tokens?\b", 2), (r"million[- ]token|\d\s?m[\s-]token", 3),
          (r"\bor (?:rag|retrieval)\b|vs\.? (?:rag|retrieval)|instead of (?:rag|retrieval)", 3)),
    boost=lambda b: 2.0 if b.first("context_tokens") else 0.0,
    concept_groups=(
        ("context window", "long context", "in context"),
        ("retriev",),
        ("cach",),
        ("lost in the middle", "middle of", "attention"),
    ),
    domain_terms=("full context", "in context vs"),
    scoping=(
        "How much of <<context_stated>> does a typical question actually need, and how often does the material change?",
        "Will the same material be asked about many times in a row (a cacheable prefix) or once per session?",
    ),
    stages=("material --> either [whole text as a cached prefix --> model] or [index --> retrieve top passages --> model]",),
    components=(
        ("Two designs, priced", "Putting all of <<context_stated>> in the prompt is simplest and catches "
         "connections retrieval misses; retrieval sends a few thousand tokens and is <<context_ratio>> cheaper "
         "per question at list price before caching."),
        ("Hybrid", "Retrieve first and widen to the full material only for questions that span it, with the "
         "stable material as a cached prefix [[prompt_caching]]."),
    ),
    figures=_figures,
    deep_dive=("Long context is a price and a latency, not only a capability",
               "A longer prompt costs input tokens on every question and prefill time before the first word, "
               "and models use the middle of a long context less reliably than its ends [[lost_middle]]. "
               "Caching changes the price, not the latency of the first read. The honest comparison prices "
               "both designs on the questions <<users>> really ask, and measures answer quality of each on a "
               "labelled set."),
    risks=(("Silent misses", "both designs miss things: long context in the middle, retrieval when the passage "
            "is not found; evaluate questions that need several distant passages."),),
    api=("POST /v1/answers   {question, corpus_id, mode: \"retrieve\" | \"full_context\" | \"auto\"}",),
    metrics=(("Answer accuracy, full context vs retrieval (same labelled set)", "within noise, or pick the winner", "the decision itself"),
             ("Input tokens per question", "tracked weekly", "the cost driver")),
    tradeoffs=(
        ("Design", "retrieval with a cached prefix",
         "the whole of <<context_stated>> in context when questions span it and volume is low"),
    ),
    recommendation="Price both designs on real questions, default to retrieval with a cached prefix, and widen "
                   "to full context only where the eval shows it answers better.",
)
