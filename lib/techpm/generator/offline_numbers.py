"""The numbers of an offline answer, each computed by the course's calculators and shown with its formula.

A ``Figure`` is one number in the deep dive: its value, how it reads in prose, the formula with the
scenario's numbers plugged in, the calculator that computed it, and the assumptions behind it. Each kind
of question gets the figures its trade-offs turn on: a RAG system's index size and cost per question, an
agent's tokens per task, an inference platform's GPUs and cost per million tokens, and so on.

Design constants below (chunk size, top-k, routing share, ...) are stated assumptions of the offline
answer, shown to the reader next to the figures they drive; prices and hardware come from the sourced
tables (``calc.get_api_price``, ``calc.get_gpu``, ``calc.get_gpu_prices``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from techpm import calc
from techpm.generator.offline_scenario import (
    DAYS_PER_MONTH,
    EMBEDDING_MODEL,
    LARGE_MODEL,
    OPEN_DRAFT_MODEL,
    SECONDS_PER_DAY,
    SMALL_MODEL,
    Scenario,
)

__all__ = ["Figure", "Figures", "compute_figures", "usd", "num", "size", "duration", "pct"]

# --- design assumptions of the offline answers (shown next to the figures they drive) ---------------
RAG_CHUNK_TOKENS = 500
RAG_TOP_K = 8
RAG_SYSTEM_TOKENS = 1_500
RAG_QUESTION_TOKENS = 100
EMBED_DIM = 1_024            # voyage-4's default output dimension
RAM_PER_NODE_BYTES = 64e9    # one memory-optimised search node
ROUTE_SMALL_SHARE = 0.8      # share of requests a router can send to the small model
AGENT_STEPS = 8
AGENT_OBSERVATION_TOKENS = 1_000
AGENT_STEP_FAILURE = 0.03    # chance one tool step fails and needs a retry
EVAL_MARGIN = 0.03
EVAL_BASE_RATE = 0.30        # e.g. share of conversations resolved without a human
EVAL_MDE = 0.02
JUDGE_INPUT_TOKENS = 2_500
JUDGE_OUTPUT_TOKENS = 300
FT_DEMONSTRATIONS_TOKENS = 1_000
FT_EPOCHS = 3
FT_COMPARISONS = 10_000
SPEC_ACCEPTANCE = 0.8
SPEC_DRAFT_TOKENS = 4
CLASSIFIER_OUTPUT_TOKENS = 10
FALSE_POSITIVE_RATE = 0.01
REDTEAM_ATTACKS = 500
REVIEWS_PER_HOUR = 60
IMAGE_TOKENS = 1_600         # Anthropic's vision guide: images above ~1,600 tokens are scaled down first
IMAGE_TOKENS_HALF = 400      # the same image at half the width and height: tokens ~ width x height / 750


def usd(x: float) -> str:
    """US dollars, rounded to what matters: $12,345 / $12.35 / $0.0123 / $0.000123."""
    if x >= 1_000:
        return f"${x:,.0f}"
    if x >= 1:
        return f"${x:,.2f}"
    if x >= 0.01:
        return f"${x:.3f}"
    return f"${x:.2g}" if x >= 1e-4 else f"${x:.1e}"


def num(x: float) -> str:
    """A count with thousands separators (one decimal below 100)."""
    if abs(x) >= 100 or float(x).is_integer():
        return f"{x:,.0f}"
    return f"{x:,.1f}"


def size(n_bytes: float) -> str:
    """Bytes as GB or TB (decimal, as GPU datasheets print them)."""
    if n_bytes >= 1e12:
        return f"{n_bytes / 1e12:,.2f} TB"
    if n_bytes >= 1e9:
        return f"{n_bytes / 1e9:,.1f} GB"
    return f"{n_bytes / 1e6:,.1f} MB"


def duration(seconds: float) -> str:
    """Seconds as ms, s, hours or days."""
    if seconds < 1:
        return f"{seconds * 1000:,.0f} ms"
    if seconds < 120:
        return f"{seconds:,.1f} s"
    if seconds < 2 * 3600:
        return f"{seconds / 60:,.0f} min"
    if seconds < 3 * SECONDS_PER_DAY:
        return f"{seconds / 3600:,.1f} h"
    return f"{seconds / SECONDS_PER_DAY:,.1f} days"


def _count(n: float, noun: str) -> str:
    return f"{num(n)} {noun}{'' if n == 1 else 's'}"


def pct(x: float) -> str:
    return f"{x:.0%}" if abs(x) >= 0.1 else f"{x:.1%}"


@dataclass(frozen=True)
class Figure:
    """One computed number of the deep dive (see the module docstring)."""

    key: str
    label: str
    value: float
    shown: str
    formula: str
    calculator: str
    assumptions: str = ""

    def markdown(self) -> str:
        text = f"- **{self.label}: {self.shown}.** `{self.formula}` ({self.calculator}"
        return text + (f"; {self.assumptions})" if self.assumptions else ")")


@dataclass
class Figures:
    """The figures of one answer, in the order they were computed, and named values the text reuses."""

    items: list[Figure] = field(default_factory=list)
    notes: dict[str, object] = field(default_factory=dict)

    def add(self, key: str, label: str, value: float, shown: str, formula: str, calculator: str,
            assumptions: str = "") -> Figure:
        figure = Figure(key, label, float(value), shown, formula, calculator, assumptions)
        self.items.append(figure)
        return figure

    def __getitem__(self, key: str) -> Figure:
        for figure in self.items:
            if figure.key == key:
                return figure
        raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        return any(f.key == key for f in self.items)

    def markdown(self) -> str:
        return "\n".join(f.markdown() for f in self.items)


# --- shared figures -----------------------------------------------------------------------------------

def _price(model: str) -> str:
    p = calc.get_api_price(model)
    return f"${p.input_usd_per_mtok:g} in / ${p.output_usd_per_mtok:g} out per MTok"


def _api_costs(f: Figures, s: Scenario, input_tokens: int, output_tokens: int, *, cached_prefix: int = 0,
               label: str = "") -> None:
    """Cost per request on the large and the small model, the month at the scenario's volume, caching
    the fixed prefix, routing most requests to the small model, and the check against a stated budget."""
    noun = s.request_noun.rstrip("s")
    n = max(1, s.requests_per_month)
    large = calc.api_cost_usd(LARGE_MODEL, input_tokens, output_tokens)
    small = calc.api_cost_usd(SMALL_MODEL, input_tokens, output_tokens)
    f.add("cost_per_request", f"Cost per {noun}{label}", large,
          f"{usd(large)} on {LARGE_MODEL}, {usd(small)} on {SMALL_MODEL}",
          f"{num(input_tokens)} in x input price + {num(output_tokens)} out x output price", "calc.api_cost_usd",
          f"list prices {_price(LARGE_MODEL)} and {_price(SMALL_MODEL)}")
    monthly = calc.api_cost_usd(LARGE_MODEL, input_tokens * n, output_tokens * n, requests=n)
    f.add("monthly_cost", "Model spend per month, all on the large model", monthly, usd(monthly),
          f"{num(n)} {s.request_noun} a month ({num(s.requests_per_day.value)} a day x {DAYS_PER_MONTH}) x "
          f"{usd(large)}", "calc.api_cost_usd",
          "no caching, no routing, no batch discount")
    if cached_prefix:
        cached = calc.api_cost_usd(LARGE_MODEL, (input_tokens - cached_prefix) * n, output_tokens * n,
                                   cache_read_tokens=cached_prefix * n, requests=n)
        f.add("monthly_cached", f"...with the {num(cached_prefix)}-token fixed prefix cached", cached,
              f"{usd(cached)} ({pct(1 - cached / monthly)} less)",
              f"{num(cached_prefix)} tokens per {noun} billed as cache reads", "calc.api_cost_usd",
              "every request hits a warm cache; cache writes (a few per 5 minutes) are negligible at this volume")
    small_monthly = calc.api_cost_usd(SMALL_MODEL, input_tokens * n, output_tokens * n, requests=n)
    routed = ROUTE_SMALL_SHARE * small_monthly + (1 - ROUTE_SMALL_SHARE) * monthly
    f.add("monthly_routed", f"...routing {pct(ROUTE_SMALL_SHARE)} of {s.request_noun} to {SMALL_MODEL}", routed,
          f"{usd(routed)} ({pct(1 - routed / monthly)} less)",
          f"{ROUTE_SMALL_SHARE:g} x {usd(small_monthly)} + {1 - ROUTE_SMALL_SHARE:.1f} x {usd(monthly)}",
          "calc.api_cost_usd", "a router (a classifier or the small model itself) sends only hard requests up")
    f.notes["monthly_usd"] = monthly
    f.notes["routed_usd"] = routed
    if s.monthly_budget_usd is not None:
        budget = s.monthly_budget_usd.value
        verdict = ("fits" if monthly <= budget else
                   ("fits only with routing" if routed <= budget else "does not fit even with routing"))
        f.add("budget", "Against the stated budget", monthly / budget,
              f"{verdict}: {usd(monthly)} is {pct(monthly / budget)} of {usd(budget)} a month",
              "monthly model spend / monthly budget", "calc.api_cost_usd",
              "model spend only: add retrieval, hosting and people")
        f.notes["budget_verdict"] = verdict


def _reference_latency(f: Figures, s: Scenario, prompt_tokens: int, output_tokens: int,
                       key: str = "latency", model: str | None = None) -> calc.ServingEstimate:
    """TTFT and time per output token of the reference open model on an idle replica (a best case)."""
    model = model or s.open_model_id
    n_gpus = calc.min_gpus(model, s.gpu_id, 1, prompt_tokens + output_tokens)
    if s.gpu_count and calc.memory_fit(model, s.gpu_id, s.gpu_count, 1, prompt_tokens + output_tokens).fits:
        n_gpus = s.gpu_count
    est = calc.serving_estimate(model, s.gpu_id, n_gpus=n_gpus, batch_size=1, prompt_tokens=prompt_tokens,
                                output_tokens=output_tokens)
    gpu = calc.get_gpu(s.gpu_id)
    f.add(key, f"Latency floor of a {model} replica ({n_gpus} x {gpu.name}), idle", est.request_latency_s,
          f"first token after {duration(est.ttft_s)}, then {duration(est.time_per_output_token_s)} per token: "
          f"{duration(est.request_latency_s)} for {num(output_tokens)} tokens",
          f"TTFT = prefill FLOPs / FLOP/s; per token = bytes read / {gpu.hbm_bytes_per_s / 1e12:g} TB/s per GPU",
          "calc.serving_estimate (roofline)", "peak datasheet rates: real kernels reach 50-80% of them; "
          "queueing and network on top")
    f.notes["latency"] = est
    return est


def _latency_check(f: Figures, s: Scenario, est: calc.ServingEstimate) -> None:
    """Compare the latency figures with each target the question states.

    A response-time target shorter than the decode time of the answer itself cannot be met by any
    serving stack; the answer says so and reads the target as a time-to-first-token budget, which is
    what such a number usually means for a streamed answer."""
    decode_s = est.time_per_output_token_s * max(1, est.output_tokens - 1)
    for target in s.latency_targets:
        what, measured = target.what, (est.ttft_s if target.what == "ttft" else est.request_latency_s)
        reading = ""
        if what == "response" and decode_s > target.seconds:
            fits = int(target.seconds / est.time_per_output_token_s)
            reading = (f"decoding {num(est.output_tokens)} tokens alone takes {duration(decode_s)}, so "
                       f"{duration(target.seconds)} can only be a time-to-first-token budget for a streamed "
                       f"answer (or an answer of at most {num(fits)} tokens); read that way, ")
            what, measured = "ttft", est.ttft_s
        ok = measured <= target.seconds
        f.add(f"target_{target.what}", f"Against the stated target ({target.describe()})", measured / target.seconds,
              f"{reading}{'it meets it' if ok else 'it misses it'}: {duration(measured)} is "
              f"{pct(measured / target.seconds)} of the budget",
              f"{'TTFT' if what == 'ttft' else 'response time'} / {duration(target.seconds)}",
              "calc.serving_estimate", "a best-case bound: leave headroom for queueing at peak")
        f.notes.setdefault("target_met", ok)


# --- per-kind figures ----------------------------------------------------------------------------------

def _rag(f: Figures, s: Scenario) -> None:
    assert s.documents is not None and s.tokens_per_document is not None
    docs, per_doc = int(s.documents.value), int(s.tokens_per_document.value)
    corpus = docs * per_doc
    chunks = math.ceil(corpus / RAG_CHUNK_TOKENS)
    f.add("chunks", "Corpus", chunks, f"{num(corpus)} tokens in {num(chunks)} chunks",
          f"{num(docs)} {s.document_noun} x {num(per_doc)} tokens / {RAG_CHUNK_TOKENS} tokens per chunk",
          "arithmetic", f"{num(per_doc)} tokens per {(s.document_noun or 'document').rstrip('s')} is an assumption")
    embed = calc.embedding_cost_usd(corpus, EMBEDDING_MODEL)
    embed_batch = calc.embedding_cost_usd(corpus, EMBEDDING_MODEL, batch=True)
    f.add("embed_cost", "Embedding the corpus once", embed,
          f"{usd(embed)} ({usd(embed_batch)} through the batch API)",
          f"{num(corpus)} tokens x ${calc.get_api_price(EMBEDDING_MODEL).input_usd_per_mtok:g}/MTok",
          "calc.embedding_cost_usd", f"{EMBEDDING_MODEL} list price; paid again on every embedding-model change")
    index32 = calc.hnsw_index_bytes(chunks, EMBED_DIM)
    index8 = calc.hnsw_index_bytes(chunks, EMBED_DIM, bytes_per_value=1)
    shards = calc.vector_shards_needed(index32, RAM_PER_NODE_BYTES)
    f.add("index_bytes", "Vector index in memory", index32,
          f"{size(index32)} as float32 ({_count(shards, 'node')} of {size(RAM_PER_NODE_BYTES)} RAM), {size(index8)} as int8",
          f"{num(chunks)} x ({EMBED_DIM:,} dims x 4 bytes + 2 x 16 links x 4 bytes)",
          "calc.hnsw_index_bytes, calc.vector_shards_needed", "HNSW with M = 16; nodes filled to 70%")
    input_tokens = RAG_SYSTEM_TOKENS + RAG_TOP_K * RAG_CHUNK_TOKENS + RAG_QUESTION_TOKENS
    fit = calc.chunks_that_fit(200_000, RAG_CHUNK_TOKENS, RAG_SYSTEM_TOKENS + RAG_QUESTION_TOKENS + 4_000)
    f.add("context", "Prompt per question", input_tokens,
          f"{num(input_tokens)} tokens (a 200k window could hold {num(fit)} chunks: retrieval is about "
          f"precision, not room)",
          f"{num(RAG_SYSTEM_TOKENS)} instructions + {RAG_TOP_K} chunks x {RAG_CHUNK_TOKENS} + "
          f"{RAG_QUESTION_TOKENS} question", "calc.chunks_that_fit", f"top-{RAG_TOP_K} after reranking")
    _api_costs(f, s, input_tokens, int(s.output_tokens.value), cached_prefix=RAG_SYSTEM_TOKENS)
    est = _reference_latency(f, s, input_tokens, int(s.output_tokens.value))
    _latency_check(f, s, est)


def _agent(f: Figures, s: Scenario) -> None:
    base, out = int(s.input_tokens.value), int(s.output_tokens.value)
    steps, obs = AGENT_STEPS, AGENT_OBSERVATION_TOKENS
    total_in = steps * base + (obs + out) * steps * (steps - 1) // 2
    new_tokens = base + (steps - 1) * (obs + out)
    f.add("task_tokens", "Input tokens per task", total_in,
          f"{num(total_in)} tokens over {steps} steps ({num(steps * out)} output)",
          f"{steps} x {num(base)} + ({num(obs)} + {out}) x {steps} x {steps - 1} / 2",
          "arithmetic", f"each step re-reads the conversation: {num(base)} tokens of instructions and tool "
          f"schemas, {num(obs)} per tool result, {out} per model turn")
    plain = calc.api_cost_usd(LARGE_MODEL, total_in, steps * out)
    cached = calc.api_cost_usd(LARGE_MODEL, 0, steps * out, cache_write_tokens=new_tokens,
                               cache_read_tokens=total_in - new_tokens)
    f.add("task_cost", "Cost per task", plain, f"{usd(plain)} uncached, {usd(cached)} with prompt caching "
          f"({pct(1 - cached / plain)} less)",
          f"{num(total_in)} in + {num(steps * out)} out; cached: {num(new_tokens)} written, "
          f"{num(total_in - new_tokens)} read", "calc.api_cost_usd", f"{LARGE_MODEL} list prices")
    n = max(1, s.requests_per_month)
    monthly = calc.api_cost_usd(LARGE_MODEL, 0, steps * out * n, cache_write_tokens=new_tokens * n,
                                cache_read_tokens=(total_in - new_tokens) * n, requests=n)
    f.add("monthly_cost", "Model spend per month (cached)", monthly, usd(monthly),
          f"{num(n)} tasks a month x {usd(cached)}", "calc.api_cost_usd", "one model; no routing")
    f.notes["monthly_usd"] = monthly
    if s.monthly_budget_usd is not None:
        budget = s.monthly_budget_usd.value
        f.add("budget", "Against the stated budget", monthly / budget,
              f"{'fits' if monthly <= budget else 'does not fit'}: {pct(monthly / budget)} of {usd(budget)}",
              "monthly spend / budget", "calc.api_cost_usd")
    no_retry = calc.retry_success_probability(AGENT_STEP_FAILURE, 0) ** steps
    one_retry = calc.retry_success_probability(AGENT_STEP_FAILURE, 1) ** steps
    f.add("task_success", "Tasks that finish", one_retry,
          f"{pct(no_retry)} with no retries, {pct(one_retry)} with one retry per step",
          f"(1 - {AGENT_STEP_FAILURE:g}^(retries + 1))^{steps}", "calc.retry_success_probability",
          f"independent step failures of {pct(AGENT_STEP_FAILURE)}: errors compound over steps")
    per_step = _reference_latency(f, s, base + (steps // 2) * (obs + out), out, key="step_latency")
    f.add("task_latency", "Wall-clock time per task", per_step.request_latency_s * steps,
          f"about {duration(per_step.request_latency_s * steps)} of model time over {steps} steps, before tools run",
          f"{steps} x {duration(per_step.request_latency_s)} (the middle step's latency)", "calc.serving_estimate",
          "tool calls (search, code execution) add their own seconds")
    _latency_check(f, s, per_step)


def _inference(f: Figures, s: Scenario) -> None:
    model, gpu = s.open_model_id, s.gpu_id
    prompt, out = int(s.input_tokens.value), int(s.output_tokens.value)
    context = prompt + out
    per_token = calc.kv_cache_bytes_per_token(model)
    f.add("kv_per_token", "KV cache per token", per_token,
          f"{per_token / 1024:,.0f} KiB per token, {size(per_token * context)} per {num(context)}-token request",
          "2 (K and V) x layers x KV heads x head_dim x 2 bytes", "calc.kv_cache_bytes_per_token",
          "bf16 cache; fp8 halves it")
    n_gpus = max(2, calc.min_gpus(model, gpu, 32, context))
    if s.gpu_count:
        if calc.memory_fit(model, gpu, s.gpu_count, 1, context).max_batch_size >= 1:
            n_gpus = s.gpu_count
        else:
            f.notes["gpu_count_too_small"] = s.gpu_count
    fit = calc.memory_fit(model, gpu, n_gpus, 1, context)
    f.add("memory_fit", "Weights and batch on one replica", fit.weights_bytes,
          f"{size(fit.weights_bytes)} of bf16 weights on {n_gpus} x {calc.get_gpu(gpu).name}: room for "
          f"{num(fit.max_batch_size)} concurrent {num(context)}-token sequences",
          "params x 2 bytes; (usable memory - weights) / KV per sequence", "calc.memory_fit",
          "90% of memory usable; activations aside")
    batch = max(1, min(64, fit.max_batch_size))
    one = calc.serving_estimate(model, gpu, n_gpus=n_gpus, batch_size=1, prompt_tokens=prompt, output_tokens=out)
    busy = calc.serving_estimate(model, gpu, n_gpus=n_gpus, batch_size=batch, prompt_tokens=prompt,
                                 output_tokens=out)
    f.add("batching", f"Batch 1 vs batch {batch}", busy.output_tokens_per_s / one.output_tokens_per_s,
          f"{num(one.tokens_per_s_per_user)} -> {num(busy.tokens_per_s_per_user)} tokens/s per user, "
          f"{num(one.output_tokens_per_s)} -> {num(busy.output_tokens_per_s)} tokens/s per replica; "
          f"{usd(one.usd_per_mtok)} -> {usd(busy.usd_per_mtok)} per million tokens",
          "decode step = max(FLOPs / FLOP/s, (weights + KV) / bandwidth); batch shares the weight read",
          "calc.serving_estimate", f"{num(prompt)} tokens in, {num(out)} out; cheapest tabled GPU price")
    plan = calc.capacity_plan(s.peak_rps.value, busy.request_latency_s, batch, n_gpus, 0.7)
    gpu_price = calc.get_gpu_prices(gpu)[0].usd_per_gpu_hour
    monthly = calc.gpu_monthly_usd(gpu_price, plan.gpus)
    f.add("fleet", "GPUs for the peak", plan.gpus,
          f"{_count(plan.gpus, 'GPU')} ({_count(plan.replicas, 'replica')}), {usd(monthly)} a month on demand",
          f"{num(s.peak_rps.value)} req/s x {duration(busy.request_latency_s)} = {num(plan.concurrency)} in flight; "
          f"/ ({batch} slots x 70%)", "calc.capacity_plan, calc.gpu_monthly_usd",
          f"${gpu_price:g} per GPU-hour ({calc.get_gpu_prices(gpu)[0].provider}); 70% target utilization")
    f.notes["monthly_usd"] = monthly
    f.notes["gpus"] = plan.gpus
    for precision in ("fp8", "int4-awq"):
        try:
            q = calc.serving_estimate(model, gpu, n_gpus=n_gpus, precision=precision, batch_size=batch,
                                      prompt_tokens=prompt, output_tokens=out)
        except ValueError:
            continue
        f.add(f"quant_{precision}", f"Quantized to {precision}", q.usd_per_mtok / busy.usd_per_mtok,
              f"{num(q.tokens_per_s_per_user)} tokens/s per user, {usd(q.usd_per_mtok)} per million tokens "
              f"({pct(1 - q.usd_per_mtok / busy.usd_per_mtok)} cheaper)",
              "fewer bytes per weight -> fewer bytes read per decode step", "calc.serving_estimate",
              f"{calc.get_quant_format(precision).name}; check quality on your own evals before shipping")
    draft_ratio = (calc.decode_time_per_token_s(OPEN_DRAFT_MODEL, gpu, n_gpus=n_gpus) /
                   calc.decode_time_per_token_s(model, gpu, n_gpus=n_gpus))
    speedup = calc.speculative_speedup(SPEC_ACCEPTANCE, SPEC_DRAFT_TOKENS, draft_ratio)
    f.add("speculative", "Speculative decoding", speedup,
          f"{speedup:.2f}x faster per user with a {OPEN_DRAFT_MODEL} draft",
          f"(1 - a^(g+1)) / (1 - a) / (g c + 1), a = {SPEC_ACCEPTANCE:g}, g = {SPEC_DRAFT_TOKENS}, "
          f"c = {draft_ratio:.2f}", "calc.speculative_speedup, calc.decode_time_per_token_s",
          "acceptance rate 0.8 is an assumption: measure it on your traffic; outputs are unchanged")
    api = calc.api_cost_usd(LARGE_MODEL, prompt, out)
    breakeven = calc.selfhost_breakeven(gpu_price, n_gpus, busy.requests_per_s, api)
    f.add("breakeven", f"Self-hosting vs {LARGE_MODEL}", breakeven.breakeven_requests_per_month,
          ("never cheaper at this price" if not breakeven.breaks_even else
           f"break-even at {num(breakeven.breakeven_requests_per_month)} requests a month per replica "
           f"(the scenario runs {num(s.requests_per_month)})"),
          f"replica cost {usd(breakeven.replica_monthly_usd)}/month / API {usd(api)} per request",
          "calc.selfhost_breakeven", "60% average utilization; engineering time not counted")
    _latency_check(f, s, busy)
    f.notes["latency"] = busy


def _evaluation(f: Figures, s: Scenario) -> None:
    n_items = calc.sample_size_for_margin(EVAL_MARGIN)
    f.add("eval_size", "Golden-set size", n_items,
          f"{num(n_items)} items for +/-{EVAL_MARGIN:.0%} at 95% confidence",
          "n = z^2 p (1 - p) / margin^2, p = 0.5, z = 1.96", "calc.sample_size_for_margin",
          "worst case p = 0.5; clustered items (several per document) need more")
    low, high = calc.wilson_interval(int(0.85 * n_items), n_items)
    f.add("error_bars", "Error bars on a score", high - low,
          f"85% measured on {num(n_items)} items means {low:.1%} to {high:.1%}", "Wilson score interval",
          "calc.wilson_interval", "two prompts' scores inside each other's interval are not different")
    per_arm = calc.ab_test_sample_size(EVAL_BASE_RATE, EVAL_MDE)
    days = 2 * per_arm / s.requests_per_day.value
    f.add("ab_test", "Online A/B test", per_arm,
          f"{num(per_arm)} {s.request_noun} per arm to see {EVAL_BASE_RATE:.0%} -> {EVAL_BASE_RATE + EVAL_MDE:.0%}: "
          f"{days:,.1f} days of traffic", "two-proportion z-test, alpha 0.05, power 0.8",
          "calc.ab_test_sample_size", f"{num(s.requests_per_day.value)} {s.request_noun} a day split 50/50")
    run_in, run_out = JUDGE_INPUT_TOKENS * n_items, JUDGE_OUTPUT_TOKENS * n_items
    judge = calc.api_cost_usd(LARGE_MODEL, run_in, run_out)
    judge_batch = calc.api_cost_usd(LARGE_MODEL, run_in, run_out, batch=True)
    f.add("judge_cost", "LLM-as-judge, one full run", judge,
          f"{usd(judge)} ({usd(judge_batch)} through batches); nightly for a month {usd(judge_batch * DAYS_PER_MONTH)}",
          f"{num(n_items)} items x ({num(JUDGE_INPUT_TOKENS)} in + {JUDGE_OUTPUT_TOKENS} out)",
          "calc.api_cost_usd", f"{LARGE_MODEL} as judge")
    human = calc.preference_labeling_cost_usd(n_items, labels_per_comparison=3)
    f.add("human_cost", "Human labels to calibrate the judge", human,
          f"{usd(human)} for {num(n_items)} items x 3 raters", "items x raters x $ per comparison",
          "calc.preference_labeling_cost_usd", "$0.67 per comparison (Lee et al. 2023, RLAIF, App. L)")
    _api_costs(f, s, int(s.input_tokens.value), int(s.output_tokens.value))


def _finetuning(f: Figures, s: Scenario) -> None:
    model = s.open_model_id if s.open_model and s.open_model.stated else OPEN_DRAFT_MODEL
    n_params = float(calc.param_count(model))
    demos = int(s.documents.value) if s.documents else 20_000
    tokens = demos * FT_DEMONSTRATIONS_TOKENS * FT_EPOCHS
    flops = calc.training_flops(n_params, tokens)
    gpu = calc.get_gpu(s.gpu_id)
    gpu_price = calc.get_gpu_prices(s.gpu_id)[0].usd_per_gpu_hour if calc.get_gpu_prices(s.gpu_id) else 4.0
    hours = calc.training_time_s(flops, gpu.matmul_flops_per_s, 8) / 3600
    f.add("sft_compute", "Supervised fine-tuning compute", flops,
          f"{flops:.2e} FLOPs: {duration(hours * 3600)} on 8 x {gpu.name}, about {usd(hours * 8 * gpu_price)}",
          f"6 x {n_params / 1e9:,.1f}B params x {num(demos)} x {num(FT_DEMONSTRATIONS_TOKENS)} tokens x {FT_EPOCHS} epochs",
          "calc.training_flops, calc.training_time_s", "40% MFU; on-demand price")
    full = calc.training_memory_bytes(n_params)
    frozen = calc.weights_bytes(n_params, 16)
    f.add("ft_memory", "Full fine-tuning vs LoRA memory", full,
          f"{size(full)} of weights, gradients and Adam states for full fine-tuning vs about {size(frozen)} "
          f"of frozen bf16 weights (+ small adapters) for LoRA",
          "full: 16 bytes/param (ZeRO); LoRA: 2 bytes/param frozen", "calc.training_memory_bytes, calc.weights_bytes",
          "activations extra in both")
    human = calc.preference_labeling_cost_usd(FT_COMPARISONS)
    p = calc.get_api_price(LARGE_MODEL)
    ai = calc.ai_labeling_cost_usd(FT_COMPARISONS, 830, 61, p.input_usd_per_mtok, p.output_usd_per_mtok or 0.0)
    f.add("labels", f"{num(FT_COMPARISONS)} preference labels", human,
          f"{usd(human)} from people vs {usd(ai)} from {LARGE_MODEL} (RLAIF)",
          "comparisons x $ per label; AI: 2 passes x (830 in + 61 out tokens)",
          "calc.preference_labeling_cost_usd, calc.ai_labeling_cost_usd", "Lee et al. 2023 (RLAIF), App. L")
    ppo = calc.rlhf_budget(n_params, FT_COMPARISONS, method="ppo", gpu=s.gpu_id)
    dpo = calc.rlhf_budget(n_params, FT_COMPARISONS, method="dpo", gpu=s.gpu_id)
    f.add("ppo_vs_dpo", "Preference tuning: PPO vs DPO", ppo.total_usd / dpo.total_usd,
          f"PPO {usd(ppo.total_usd)} ({size(ppo.memory_bytes)} of model states, "
          f"{duration(ppo.compute_days * SECONDS_PER_DAY)} of compute) vs DPO {usd(dpo.total_usd)} "
          f"({size(dpo.memory_bytes)}, {duration(dpo.compute_days * SECONDS_PER_DAY)})",
          "PPO: reward model + 256k episodes with 4 models in memory; DPO: policy + reference only",
          "calc.rlhf_budget", "human labels included; 8 GPUs; 40% MFU")
    f.notes["model"] = model
    _api_costs(f, s, int(s.input_tokens.value), int(s.output_tokens.value))


def _api_platform(f: Figures, s: Scenario) -> None:
    prompt, out = int(s.input_tokens.value), int(s.output_tokens.value)
    model, gpu = s.open_model_id, s.gpu_id
    n_gpus = s.gpu_count or calc.min_gpus(model, gpu, 32, prompt + out)
    est = calc.serving_estimate(model, gpu, n_gpus=n_gpus, batch_size=32, prompt_tokens=prompt, output_tokens=out)
    plan = calc.capacity_plan(s.peak_rps.value, est.request_latency_s, 32, n_gpus, 0.7)
    f.add("capacity", "Capacity for the peak", plan.gpus,
          f"{num(plan.concurrency)} requests in flight -> {_count(plan.replicas, 'replica')}, {_count(plan.gpus, 'GPU')}",
          f"L = {num(s.peak_rps.value)} req/s x {duration(est.request_latency_s)}; / (32 slots x 70%)",
          "calc.capacity_plan (Little's law), calc.serving_estimate", f"{model} as the served model")
    bucket = calc.simulate_token_bucket([0.0] * 30, rate_per_s=1.0, burst=20)
    f.add("rate_limit", "A burst against a 60-per-minute limit", bucket.throttled,
          f"{bucket.allowed} of 30 simultaneous requests pass with a burst of 20; {bucket.throttled} get 429 "
          f"with retry-after up to {max(bucket.retry_after_s):.0f} s", "token bucket: refill 1/s, capacity 20",
          "calc.simulate_token_bucket", "one developer's retry storm, absorbed without hurting others")
    retry_ok = calc.retry_success_probability(0.02, calc.SDK_DEFAULT_MAX_RETRIES)
    wait = calc.expected_total_backoff_s(calc.SDK_DEFAULT_MAX_RETRIES)
    f.add("retries", "Client retries", retry_ok,
          f"with 2% transient failures, {retry_ok:.4%} of calls succeed within {calc.SDK_DEFAULT_MAX_RETRIES} "
          f"retries, waiting {wait:.2f} s at most on average", "1 - p^(retries + 1); capped exponential backoff",
          "calc.retry_success_probability, calc.expected_total_backoff_s", "the anthropic SDK's defaults")
    cost_in = est.usd_per_mtok
    per_token = calc.PricingPlan("per token", "per_token", input_usd_per_mtok=1.0, output_usd_per_mtok=5.0)
    seat = calc.PricingPlan("seat", "seat", usd_per_seat=20.0)
    per_dev = s.requests_per_day.value / max(1.0, s.users.value) * DAYS_PER_MONTH
    light = calc.CustomerUsage(per_dev * 0.1, per_dev * 0.1 * prompt, per_dev * 0.1 * out)
    heavy = calc.CustomerUsage(per_dev * 10, per_dev * 10 * prompt, per_dev * 10 * out)
    econ_token = calc.plan_economics(per_token, [light, heavy], cost_in, cost_in)
    econ_seat = calc.plan_economics(seat, [light, heavy], cost_in, cost_in)
    f.add("pricing", "Per-token vs flat-seat pricing", econ_token.gross_margin,
          f"per token ($1 in / $5 out per MTok): {pct(econ_token.gross_margin)} gross margin; a $20 seat: "
          f"{pct(econ_seat.gross_margin)}, with {econ_seat.unprofitable_customers} of 2 customers served at a loss",
          "margin = (revenue - serving cost) / revenue", "calc.plan_economics",
          f"a light and a heavy developer (0.1x and 10x the mean of {num(per_dev)} requests a month); "
          f"serving at {usd(cost_in)}/MTok")
    _api_costs(f, s, prompt, out)
    _latency_check(f, s, est)
    f.notes["latency"] = est


def _safety(f: Figures, s: Scenario) -> None:
    prompt, out = int(s.input_tokens.value), int(s.output_tokens.value)
    n = max(1, s.requests_per_month)
    main = calc.api_cost_usd(LARGE_MODEL, prompt * n, out * n, requests=n)
    check = calc.api_cost_usd(SMALL_MODEL, (prompt + (prompt + out)) * n, 2 * CLASSIFIER_OUTPUT_TOKENS * n,
                              requests=n)
    f.add("classifier_cost", "Input and output classifiers", check / main,
          f"{usd(check)} a month on {SMALL_MODEL}, {pct(check / main)} on top of {usd(main)} for the main model",
          f"{num(n)} {s.request_noun} x (input check {num(prompt)} + output check {num(prompt + out)} tokens)",
          "calc.api_cost_usd", f"a {CLASSIFIER_OUTPUT_TOKENS}-token verdict per check")
    fps = FALSE_POSITIVE_RATE * s.requests_per_day.value
    reviewers = math.ceil(fps / (REVIEWS_PER_HOUR * 8))
    f.add("false_positives", "False positives", fps,
          f"{num(fps)} benign {s.request_noun} blocked a day at a {pct(FALSE_POSITIVE_RATE)} false-positive rate; "
          f"reviewing them takes {num(reviewers)} people", f"{pct(FALSE_POSITIVE_RATE)} x {num(s.requests_per_day.value)};"
          f" / ({REVIEWS_PER_HOUR} reviews an hour x 8 h)", "arithmetic",
          "every point of false-positive rate is users refused for nothing")
    low, high = calc.wilson_interval(0, REDTEAM_ATTACKS)
    f.add("redteam", "What a clean red-team run proves", high,
          f"0 successes in {REDTEAM_ATTACKS} attacks still allows a true rate up to {high:.2%} (95%)",
          "Wilson upper bound for 0 / n (about 3 / n, the rule of three)", "calc.wilson_interval",
          "attacks drawn independently; new attack styles are outside the sample")
    n_items = calc.sample_size_for_margin(0.01, p=0.05)
    f.add("safety_eval", "Safety eval size", n_items,
          f"{num(n_items)} prompts to measure a ~5% violation rate within +/-1 point",
          "n = z^2 p (1 - p) / margin^2", "calc.sample_size_for_margin", "p = 0.05, 95% confidence")
    est = _reference_latency(f, s, prompt + out, CLASSIFIER_OUTPUT_TOKENS, key="classifier_latency",
                             model=OPEN_DRAFT_MODEL)
    f.notes["latency"] = est


def _multimodal(f: Figures, s: Scenario) -> None:
    text_in, out = int(s.input_tokens.value), int(s.output_tokens.value)
    per_request_in = IMAGE_TOKENS + text_in
    f.add("image_tokens", "Tokens per image", IMAGE_TOKENS,
          f"about {num(IMAGE_TOKENS)} tokens at the recommended maximum size, about {num(IMAGE_TOKENS_HALF)} at "
          f"half the width and height", "tokens ~ width x height / 750 px", "Anthropic vision guide",
          "newer models accept larger images: count with the token-counting endpoint")
    _api_costs(f, s, per_request_in, out)
    n = max(1, s.requests_per_month)
    batch = calc.api_cost_usd(SMALL_MODEL, per_request_in * n, out * n, batch=True, requests=n)
    small_half = calc.api_cost_usd(SMALL_MODEL, (IMAGE_TOKENS_HALF + text_in) * n, out * n, requests=n)
    f.add("image_batch", "Offline images through batches, small model", batch,
          f"{usd(batch)} a month at half price; downscaled images on {SMALL_MODEL} interactively {usd(small_half)}",
          f"{num(n)} {s.request_noun} x ({num(per_request_in)} in + {out} out)", "calc.api_cost_usd",
          "results within 24 hours")
    embed = calc.embedding_storage_bytes(int(s.requests_per_day.value * 365), EMBED_DIM)
    f.add("image_index", "A year of image embeddings for search", embed, size(embed),
          f"{num(s.requests_per_day.value * 365)} images x {EMBED_DIM:,} dims x 4 bytes",
          "calc.embedding_storage_bytes", "one CLIP-style vector per image")
    est = _reference_latency(f, s, per_request_in, out)
    _latency_check(f, s, est)


def _general(f: Figures, s: Scenario) -> None:
    prompt, out = int(s.input_tokens.value), int(s.output_tokens.value)
    _api_costs(f, s, prompt, out, cached_prefix=prompt * 2 // 3)
    n = max(1, s.requests_per_month)
    batch = calc.api_cost_usd(LARGE_MODEL, prompt * n, out * n, batch=True, requests=n)
    f.add("batch", "Anything that can wait, through batches", batch, f"{usd(batch)} a month (half price)",
          "monthly tokens x list price x 0.5", "calc.api_cost_usd", "results within 24 hours")
    n_items = calc.sample_size_for_margin(0.05)
    f.add("eval_size", "A first eval set", n_items, f"{num(n_items)} graded examples for +/-5 points",
          "n = z^2 p (1 - p) / margin^2", "calc.sample_size_for_margin", "p = 0.5, 95% confidence")
    est = _reference_latency(f, s, prompt, out)
    _latency_check(f, s, est)


_BY_KIND = {"rag": _rag, "agent": _agent, "inference": _inference, "evaluation": _evaluation,
            "finetuning": _finetuning, "api_platform": _api_platform, "safety": _safety,
            "multimodal": _multimodal, "general": _general}


def compute_figures(s: Scenario) -> Figures:
    """The figures for scenario ``s`` (its kind picks which)."""
    f = Figures()
    _BY_KIND[s.kind](f, s)
    return f
