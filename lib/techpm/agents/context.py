"""Context windows, measured: attention cost vs. length, stuffing vs. retrieving, lost in the middle,
and the fine-tune / in-context / retrieve decision with the numbers that drive it.

Everything is computed with the course's calculators (01's FLOP and KV-cache counts, 03's roofline
prefill, the price table) or measured on the 05 corpus; nothing here is a typed-in number.

Lost in the middle (Liu et al. 2023, "Lost in the Middle: How Language Models Use Long Contexts",
https://arxiv.org/abs/2307.03172): models answer best when the relevant passage sits at the start or
the end of a long context and worst in the middle. ``lost_in_middle`` measures the same experiment on
the 05 corpus: one relevant chunk placed at each position among the hardest distractors BM25 finds,
and a reader that must pick the answering sentence. Offline the reader is 05's extractive reader
(position enters only through its tie-break); with an API key the same harness can time a model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from techpm import calc
from techpm.calc._validate import positive_int
from techpm.errors import TechpmError

# --- attention cost vs. context length ------------------------------------------------------------

@dataclass(frozen=True)
class AttentionRow:
    context_tokens: int
    attention_share: float      # of one new token's forward FLOPs, at this context
    prefill_flops: float        # the whole prompt, once
    prefill_s: float            # roofline bound on one replica
    kv_cache_gb: float          # one sequence


def attention_cost(cfg: str, gpu: str, lengths: Sequence[int], n_gpus: int = 1) -> list[AttentionRow]:
    """How a longer context costs: attention's share of FLOPs, prefill FLOPs and time, KV cache per sequence.

    Prefill FLOPs grow with the square of the length (each token attends to all earlier ones:
    ``calc.prefill_step``); the KV cache grows linearly (``calc.kv_cache_bytes``). Memory is not
    checked: the point is the trend, not whether one replica holds a million tokens.
    """
    rows = []
    for n in lengths:
        positive_int("lengths", n)
        step = calc.prefill_step(cfg, gpu, n, n_gpus=n_gpus, check_memory=False)
        rows.append(AttentionRow(n, calc.attention_flops_per_token(cfg, n) / calc.forward_flops_per_token(cfg, n),
                                 step.flops, step.time_s, calc.kv_cache_bytes(cfg, n) / 1e9))
    return rows


# --- stuffing vs. retrieving ----------------------------------------------------------------------

@dataclass(frozen=True)
class ContextPlan:
    name: str
    prompt_tokens: float
    usd_per_question: float
    prefill_s: float            # a self-hosted model's roofline prefill for the uncached part


def stuff_vs_retrieve(model: str, corpus_tokens: int, chunk_tokens: int, top_k: int, question_tokens: int = 100,
                      output_tokens: int = 300, *, cfg: str = "llama-3.1-70b", gpu: str = "h100-sxm",
                      n_gpus: int = 4) -> list[ContextPlan]:
    """Per question: send the whole corpus (uncached, or read from the prompt cache) vs. the top-k chunks.

    Each prompt is priced as one request (``calc.api_cost_breakdown``), so a long-context price tier
    applies where the table has one. Prefill time is 03's roofline bound for ``cfg`` on ``n_gpus`` x
    ``gpu`` over the tokens that are not cached (a cached prefix is not recomputed).
    """
    for name, value in (("corpus_tokens", corpus_tokens), ("chunk_tokens", chunk_tokens), ("top_k", top_k)):
        positive_int(name, value)
    stuffed = corpus_tokens + question_tokens
    retrieved = top_k * chunk_tokens + question_tokens

    def prefill(tokens: int) -> float:
        return calc.prefill_step(cfg, gpu, tokens, n_gpus=n_gpus, check_memory=False).time_s

    def price(uncached: float, cached: float) -> float:
        return calc.api_cost_breakdown(model, uncached, output_tokens, cache_read_tokens=cached, requests=1).total_usd

    return [
        ContextPlan("stuff the corpus", stuffed, price(stuffed, 0), prefill(stuffed)),
        ContextPlan("stuff, corpus cached", stuffed, price(question_tokens, corpus_tokens), prefill(question_tokens)),
        ContextPlan(f"retrieve top {top_k}", retrieved, price(retrieved, 0), prefill(retrieved)),
    ]


# --- lost in the middle ---------------------------------------------------------------------------

Reader = Callable[[str, list], str]  # (question, ordered chunks) -> id of the chunk the answer cites


def extractive_reader(question: str, chunks: list) -> str:
    """05's extractive reader: the chunk of the best-matching sentence ('' if none)."""
    from techpm.rag.generate import extractive_answer

    claims = extractive_answer(question, chunks, max_sentences=1).claims
    return claims[0].chunk_id if claims else ""


def claude_reader(model: str | None = None) -> Reader:
    """A reader that asks Claude (05's ``claude_answer``: chunks as citable documents) and returns the
    chunk its first citation points to. One API call per question and position: mind the cost."""
    from techpm.rag.generate import claude_answer

    def read(question: str, chunks: list) -> str:
        claims = claude_answer(question, chunks, model).claims
        return claims[0].chunk_id if claims else ""

    return read


def lost_in_middle(n_chunks: int = 20, positions: Sequence[int] | None = None, reader: Reader = extractive_reader,
                   questions: Sequence | None = None) -> list[tuple[int, float]]:
    """Accuracy of ``reader`` by the position of the one relevant chunk among ``n_chunks - 1`` distractors.

    For each labelled question of 05: the relevant chunk is BM25's best chunk from a relevant section;
    the distractors are BM25's best chunks from other sections (hard negatives). Correct = the reader
    cites the relevant chunk.
    """
    from techpm.rag.eval import load_questions
    from techpm.rag.pipeline import lexical_index

    positive_int("n_chunks", n_chunks)
    if n_chunks < 2:
        raise TechpmError("n_chunks must be at least 2 (one relevant chunk and a distractor).")
    positions = list(positions if positions is not None else range(n_chunks))
    if any(not 0 <= p < n_chunks for p in positions):
        raise TechpmError(f"positions must lie between 0 and {n_chunks - 1}.")
    chunks, index = lexical_index("heading", 800)
    cases = []
    for q in (load_questions() if questions is None else questions):
        ranked = [chunks[i] for i, _ in index.search(q.question, 80)]
        gold = next((c for c in ranked if c.section_id in q.relevant), None)
        distractors = [c for c in ranked if c.section_id not in q.relevant][: n_chunks - 1]
        if gold is not None and len(distractors) == n_chunks - 1:
            cases.append((q.question, gold, distractors))
    return [(p, sum(reader(question, [*d[:p], gold, *d[p:]]) == gold.id for question, gold, d in cases) / len(cases))
            for p in positions]


# --- fine-tune vs. in-context vs. retrieve --------------------------------------------------------

@dataclass(frozen=True)
class KnowledgeOption:
    approach: str
    prompt_tokens: float
    usd_per_month: float
    setup_usd_per_update: float
    freshness: str


def knowledge_options(model: str, knowledge_tokens: int, queries_per_month: int, updates_per_month: int, *,
                      chunk_tokens: int = 200, top_k: int = 5, question_tokens: int = 100, output_tokens: int = 300,
                      embed_model: str = "voyage-4", finetune_cfg: str = "llama-3.1-8b", epochs: int = 3,
                      gpu: str = "h100-sxm") -> list[KnowledgeOption]:
    """Monthly cost of giving a model some knowledge three ways, with the numbers that decide between them.

    - in context: the knowledge rides in every prompt, read from the prompt cache after one write per
      update (cache lifetime not modelled);
    - retrieve: each prompt carries ``top_k`` chunks; each update re-embeds the knowledge;
    - fine-tune: prompts carry only the question; each update re-trains ``finetune_cfg`` for ``epochs``
      on the knowledge (``calc.training_flops`` at 40% MFU on ``gpu`` at its cheapest tabled price).
      Serving the fine-tuned model is priced like ``model`` here, which flatters fine-tuning.
    """
    for name, value in (("knowledge_tokens", knowledge_tokens), ("queries_per_month", queries_per_month),
                        ("updates_per_month", updates_per_month)):
        positive_int(name, value)
    q = queries_per_month
    in_ctx = knowledge_tokens + question_tokens
    in_ctx_usd = (calc.api_cost_usd(model, question_tokens * q, output_tokens * q, 0, knowledge_tokens * q)
                  + updates_per_month * calc.api_cost_usd(model, 0, 0, knowledge_tokens))
    retrieved = top_k * chunk_tokens + question_tokens
    embed_usd = calc.embedding_cost_usd(knowledge_tokens, embed_model)
    retrieve_usd = calc.api_cost_usd(model, retrieved * q, output_tokens * q) + updates_per_month * embed_usd
    flops = calc.training_flops(calc.param_count(finetune_cfg), knowledge_tokens * epochs)
    gpu_hours = calc.training_time_s(flops, calc.compute_flops_per_s(gpu)) / 3600
    train_usd = gpu_hours * calc.get_gpu_prices(gpu)[0].usd_per_gpu_hour
    tune_usd = calc.api_cost_usd(model, question_tokens * q, output_tokens * q) + updates_per_month * train_usd
    return [
        KnowledgeOption("in context", in_ctx, in_ctx_usd, calc.api_cost_usd(model, 0, 0, knowledge_tokens),
                        "immediate: edit the prompt"),
        KnowledgeOption("retrieve", retrieved, retrieve_usd, embed_usd, "minutes: re-embed what changed"),
        KnowledgeOption("fine-tune", question_tokens, tune_usd, train_usd, "a training run per update"),
    ]
