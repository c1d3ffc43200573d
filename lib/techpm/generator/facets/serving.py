"""Serving a model: memory, batching, latency and the GPUs for the peak, sized from sustained throughput."""

from __future__ import annotations

import math

from techpm import calc
from techpm.generator.facets._calc import GPU, LARGE_MODEL, OPEN_MODEL, self_hosted_replicas
from techpm.generator.facets.base import Ctx, Facet, Persona
from techpm.generator.figures import count, duration, num, pct, size, usd
from techpm.generator.reading import say

PROMPT_TOKENS = 1_000
OUTPUT_TOKENS = 250
TABLED = ("llama-3.1-8b", "llama-2-13b", "llama-3.1-70b", "llama-3.1-405b")
_GPU_IDS = {"h100": "h100-sxm", "h200": "h200", "a100": "a100-80gb", "b200": "b200", "l4": "l4", "t4": "t4",
            "mi300x": "mi300x"}


def reference_model(params: float | None) -> str:
    """The tabled open model closest in size to ``params`` (on a log scale); the 70B one when unknown."""
    if params is None or not params > 0 or not math.isfinite(params):
        return OPEN_MODEL
    return min(TABLED, key=lambda m: abs(math.log(calc.param_count(m) / params)))


def _figures(ctx: Ctx) -> None:
    params_q = ctx.take("model_params")
    gpus_q = ctx.take("gpus")
    context_q = ctx.take("context_tokens")
    gpu = _GPU_IDS.get(gpus_q.unit, GPU) if gpus_q else GPU
    g = calc.get_gpu(gpu)
    model = reference_model(params_q.value if params_q else None)
    if params_q is not None and not params_q.value > 0:
        ctx.add("model_size", "The stated model size", 0.0,
                f"\"{params_q.text}\" has no weights to serve, so every figure below uses {model} as the reference",
                "parameters = 0", "reading of the question", uses=(params_q,))
    elif params_q is not None:
        n = params_q.value
        weights = calc.weights_bytes(n, 16)
        weights4 = calc.weights_bytes(n, 4, group_size=128)
        per_gpu = g.memory_bytes * 0.9
        ctx.add("weights", f"Weights of the {say(params_q)}-parameter model", weights,
                f"{size(weights)} in bf16 ({count(math.ceil(weights / per_gpu), 'GPU')} of {g.name} just to hold them), "
                f"{size(weights4)} at 4 bits", "parameters x 2 bytes; x 0.5 bytes + group scales",
                "calc.weights_bytes", f"90% of each GPU's memory usable; {model} is the tabled model used for "
                "speed below", uses=(params_q,))
    prompt = int(ctx.notes.get("rag_prompt_tokens", PROMPT_TOKENS))
    context = int(context_q.value) if context_q else prompt + OUTPUT_TOKENS
    if context_q is not None:
        kv = calc.kv_cache_bytes(model, max(1, context))
        fits = kv + calc.weights_bytes(calc.param_count(model), 16) <= g.memory_bytes * 0.9 * 8
        ctx.add("kv_context", f"KV cache for one {say(context_q)}-token context", kv,
                f"{size(kv)} for a single sequence on {model}"
                + ("" if fits else f": more than a whole 8-GPU {g.name} server holds, so this context needs "
                   "sharding across servers, a sparse or linear-attention model, or retrieval instead"),
                "2 x layers x KV heads x head_dim x 2 bytes x context", "calc.kv_cache_bytes",
                "bf16 cache, no compression", uses=(context_q,))
        prompt = min(context, 32_000) if not fits else max(1, min(context - OUTPUT_TOKENS, 200_000))
    s = ctx.scale
    try:
        n_gpus = calc.min_gpus(model, gpu, 1, prompt + OUTPUT_TOKENS)
        if gpus_q is not None and 1 <= gpus_q.value < n_gpus:
            ctx.add("too_few_gpus", f"The stated {gpus_q.text}", gpus_q.value,
                    f"cannot hold {model} in bf16: a replica needs {n_gpus}, so the figures size it to fit",
                    "weights + KV cache > memory", "calc.min_gpus", uses=(gpus_q,))
        fit = calc.memory_fit(model, gpu, n_gpus, 1, prompt + OUTPUT_TOKENS)
        batch = max(1, min(64, fit.max_batch_size))
        one = calc.serving_estimate(model, gpu, n_gpus=n_gpus, batch_size=1, prompt_tokens=prompt,
                                    output_tokens=OUTPUT_TOKENS)
        busy = calc.serving_estimate(model, gpu, n_gpus=n_gpus, batch_size=batch, prompt_tokens=prompt,
                                     output_tokens=OUTPUT_TOKENS)
    except (ValueError, ArithmeticError):
        ctx.add("no_fit", "Does it fit?", 0.0, f"no tabled replica of {model} on {g.name} holds a "
                f"{num(prompt + OUTPUT_TOKENS)}-token sequence", "weights + KV cache > memory", "calc.memory_fit")
        return
    ctx.add("batching", f"One replica ({n_gpus} x {g.name}): batch 1 vs batch {batch}",
            busy.output_tokens_per_s / one.output_tokens_per_s,
            f"first token after {duration(one.ttft_s)} idle; {num(one.tokens_per_s_per_user)} -> "
            f"{num(busy.tokens_per_s_per_user)} tokens/s per user and {usd(one.usd_per_mtok)} -> "
            f"{usd(busy.usd_per_mtok)} per million tokens (input and output together) as the batch fills",
            "decode step = max(FLOPs / FLOP/s, (weights + KV) / bandwidth); the batch shares each weight read",
            "calc.serving_estimate", f"{model}; {num(prompt)} tokens in, {OUTPUT_TOKENS} out"
            + (f"; {say(gpus_q)} {gpus_q.unit.upper()}s as stated" if gpus_q else ""), uses=(gpus_q,))
    ctx.values["ttft"] = duration(one.ttft_s)
    ctx.notes["serving"] = {"model": model, "gpu": gpu, "n_gpus": n_gpus, "batch": batch, "prompt": prompt,
                            "busy": busy}
    prices = calc.get_gpu_prices(gpu)
    if gpus_q is not None and gpus_q.value >= n_gpus and prices:
        replicas = int(gpus_q.value // n_gpus)
        sustained = replicas * busy.requests_per_s
        monthly = calc.gpu_monthly_usd(prices[0].usd_per_gpu_hour, int(gpus_q.value))
        ctx.add("stated_fleet", f"The stated fleet, {gpus_q.text}", monthly,
                f"{count(replicas, 'replica')} of {n_gpus} GPUs sustaining {num(sustained)} requests a second in "
                f"all, for {usd(monthly)} a month at on-demand prices ({usd(busy.usd_per_mtok)} per million "
                "tokens, input and output together, when busy)", f"floor({num(gpus_q.value)} / {n_gpus}) replicas x "
                f"{busy.requests_per_s:,.2f} requests/s; {num(gpus_q.value)} GPUs x ${prices[0].usd_per_gpu_hour:g}/h x 730 h",
                "calc.serving_estimate, calc.gpu_monthly_usd", f"{model} at batch {batch}", uses=(gpus_q,))
        ctx.notes["fleet_monthly_usd"] = monthly
    ctx.values["serve_model"] = model
    ctx.values["gpu_name"] = g.name
    peak_q = s.peak_from
    plan = self_hosted_replicas(ctx, "fleet", model, prompt, OUTPUT_TOKENS, s.peak_rps, gpu=gpu, batch=batch,
                                uses=(peak_q, s.per_day_from))
    if plan is not None:
        ctx.values["fleet_gpus"] = num(plan[2])
    for target in ctx.brief.all("latency_ms", "ttft_ms"):
        if "voice_budget" in ctx.values:
            break
        ctx.take(target.role)
        seconds = target.value / 1000
        measured = busy.ttft_s if target.role == "ttft_ms" or seconds < busy.request_latency_s else busy.request_latency_s
        what = "time to first token" if measured == busy.ttft_s else "whole response"
        ok = measured <= seconds
        ctx.add("target", f"Against the stated {say(target)}", measured / seconds,
                f"read as a {what} target: {duration(measured)} on a loaded replica is {pct(measured / seconds)} "
                f"of it ({'meets it' if ok else 'misses it'}); a streamed answer of {OUTPUT_TOKENS} tokens takes "
                f"{duration(busy.request_latency_s)} end to end",
                f"{duration(measured)} / {say(target)}", "calc.serving_estimate",
                "queueing at the peak comes on top: keep headroom", uses=(target,))
        break
    try:
        q4 = calc.serving_estimate(model, gpu, n_gpus=n_gpus, precision="fp8", batch_size=batch,
                                   prompt_tokens=prompt, output_tokens=OUTPUT_TOKENS)
        ctx.add("fp8", "Quantized to FP8", q4.usd_per_mtok / busy.usd_per_mtok,
                f"{usd(q4.usd_per_mtok)} per million tokens, input and output together "
                f"({pct(1 - q4.usd_per_mtok / busy.usd_per_mtok)} "
                f"cheaper), {num(q4.tokens_per_s_per_user)} tokens/s per user",
                "one byte per weight instead of two: fewer bytes read per decode step", "calc.serving_estimate",
                "ship only if the eval suite shows no regression")
    except (ValueError, ArithmeticError):
        pass
    api = calc.api_cost_usd(LARGE_MODEL, prompt, OUTPUT_TOKENS)
    prices = calc.get_gpu_prices(gpu)
    if prices:
        be = calc.selfhost_breakeven(prices[0].usd_per_gpu_hour, n_gpus, busy.requests_per_s, api)
        ctx.add("breakeven", f"Self-hosting vs the {LARGE_MODEL} API", be.breakeven_requests_per_month,
                ("never cheaper at these prices" if not be.breaks_even else
                 f"a replica pays for itself above {num(be.breakeven_requests_per_month)} requests a month; this "
                 f"product runs {num(s.per_month)}"),
                f"replica {usd(be.replica_monthly_usd)}/month / API {usd(api)} per request", "calc.selfhost_breakeven",
                "60% average utilization; engineering time not counted")


FACET = Facet(
    name="serving",
    title="Serving the model",
    cues=((r"\bserv(?:e|es|ing)\b", 3), (r"inference", 2), (r"throughput", 2), (r"\bgpus?\b|h100|h200|a100|b200", 3),
          (r"self[- ]host|on[- ]prem|open[- ]weights?", 2), (r"quantiz|\bint[48]\b|\bfp8\b", 2),
          (r"speculative decoding|batching|kv[- ]cache|vllm", 3), (r"tokens per second|tokens/s|\bttft\b|first token|prefill|\bdecode\b", 3),
          (r"\bqps\b|\brps\b|requests per second", 2), (r"\d\s*[bt]\b[\s-]*(?:param|model)?|parameters", 2)),
    boost=lambda b: (2.0 if b.deployment == "self-hosted" else 0.0) + (1.0 if b.first("model_params", "gpus") else 0.0)
    + (1.0 if b.first("requests_per_s") else 0.0),
    concept_groups=(
        ("batch", "batching"),
        ("kv cache", "kv-cache"),
        ("time to first token", "ttft", "first token"),
        ("gpu",),
        ("quantiz", "fp8", "int4"),
        ("throughput", "tokens/s"),
    ),
    domain_terms=("continuous batching", "tensor parallel", "paged kv cache"),
    scoping=(
        "Which model serves <<product>> (size, dense or mixture of experts, context length), and may we quantize or distil it?",
        "What traffic reaches <<product>> at the peak and on average, how long are prompts and outputs, and is it interactive or batch?",
        "What latency do <<users>> need from <<product>>: time to first token and tokens per second, at which percentile?",
    ),
    personas=(Persona("developer", "the ML platform engineer who runs the GPUs behind <<product>>",
                      "tunes serving engines, batch sizes and GPU allocations for <<product>>; is paged at night",
                      "deep systems expertise; measures every stage of <<product>>",
                      "out-of-memory errors at the peak of <<product>>, noisy neighbours, cost reports a month late",
                      "metrics per <<item>> (queue, prefill, decode) and autoscaling on the right signal"),),
    stages=("clients --> [gateway: auth, rate limits, routing by model] --> [scheduler: queues per tier]",
            "  --> replicas of <<serve_model>> on <<gpu_name>>: continuous batching, paged KV cache, prefix cache --> streamed tokens"),
    components=(
        ("Engine", "Continuous batching lets each new request to <<product>> join the running batch at every "
         "step [[orca]]; a paged KV cache removes fragmentation so larger batches fit [[vllm]]; FlashAttention "
         "kernels cut memory traffic [[flash_attention]]."),
        ("Replica shape", "Tensor parallelism inside a server holds the weights of <<serve_model>> and the KV "
         "cache; replicas behind a scheduler give throughput. Prefill is compute-bound and decode memory-bound "
         "[[scaling_book]], so long-prompt and chat traffic of <<product>> may deserve separate pools."),
        ("Faster and cheaper variants", "A draft model for speculative decoding [[speculative]], FP8 or 4-bit "
         "weights behind flags [[gptq]] [[awq]], and a distilled model for the easy, high-volume <<items>> of "
         "<<product>> [[distillation]]."),
    ),
    figures=_figures,
    deep_dive=("Where the milliseconds and the dollars go",
               "Prefill reads the whole prompt of a <<item>> at once and is limited by compute: it sets the first "
               "token (<<ttft>> idle on <<serve_model>>). Decode makes one token per step and must read every weight "
               "of <<serve_model>> and the KV cache each step, so it is limited by memory bandwidth. Batching "
               "shares each weight read among the many requests to <<product>>: throughput and cost per token improve with the "
               "batch until compute or memory runs out, while each of the <<users>> sees a little less speed. Capacity for <<product>> is therefore sized "
               "from a loaded replica's sustained throughput, never from the idle latency."),
    risks=(("Tail latency", "the p99 of <<product>> comes from queueing at the peak and long prompts, not the "
            "average: measure queue time apart and cap prompt length per tier."),
           ("Quality under optimisation", "quantization and distillation can regress reasoning more than "
            "perplexity shows: gate every change on the eval suite of <<product>>.")),
    api=("POST /v1/messages   {model, messages, max_tokens, stream: true}  -> streamed tokens + usage",
         "POST /v1/batches    {requests: [...]}  -> results within 24 h at a discount"),
    api_notes="Output tokens of <<product>> are priced above input tokens because decode is the memory-bound phase [[pricing]].",
    metrics=(("Time to first token of <<product>>, p95", "within the stated budget, measured at peak", "what <<users>> feel first"),
             ("Sustained <<items>> per second per replica", "tracked against the estimate", "capacity planning for <<product>>"),
             ("Error rate of <<items>> (5xx + timeouts)", "< 0.1%", "reliability of <<product>> at the peak")),
    tradeoffs=(
        ("Where it runs", "self-hosted replicas of <<serve_model>>",
         "a hosted API wins below the break-even volume, or while the team of <<product>> is small"),
        ("Precision", "bf16, FP8 once the eval holds",
         "4-bit weights when memory, not quality, limits <<product>>"),
        ("Batch size", "as large as the latency target allows",
         "small batches when each of the <<users>> of <<product>> must see maximum tokens per second"),
    ),
    recommendation="Serve <<product>> with continuous batching and a paged KV cache, size replicas from "
                   "sustained throughput at the peak, and quantize only behind an eval gate.",
)
