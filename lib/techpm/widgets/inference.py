"""Explorers for the inference lesson: a serving calculator and an API cost calculator.

    from techpm.widgets.inference import serving_explorer, api_cost_explorer
    serving_explorer(model="llama-3.1-70b", gpu="h100-sxm", n_gpus=4)   # memory, TTFT, tokens/s, $/MTok
    api_cost_explorer(model="claude-haiku-5-5")                           # a month of API calls, caching, batch

Each is an ``Explorer``: controls -> ``compute`` (calculators only) -> one HTML line + one figure.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from techpm import calc
from techpm.widgets import Explorer, dropdown, log10s, log_ticks, slider

__all__ = ["serving_explorer", "api_cost_explorer", "draw_roofline", "draw_breakeven", "DAYS_PER_MONTH",
           "GPU_COUNTS"]

GPU_COUNTS = (1, 2, 4, 8)          # tensor-parallel degrees within one server
DAYS_PER_MONTH = calc.HOURS_PER_MONTH / 24   # the 730-hour month of the self-hosting calculator
_GB = 1e9


# ---- serving calculator -------------------------------------------------------------------------------

@functools.lru_cache(maxsize=32)
def _sweep(model: str, gpu: str, **shape: Any) -> tuple[Any, ...]:
    """The batch sweep for one replica shape: it does not depend on the batch slider, so moving the
    slider reuses it instead of recomputing every batch size."""
    return tuple(calc.serving_sweep(model, gpu, **shape))


def _serving(model: str, gpu: str, n_gpus: int, precision: str, kv_precision: str, batch_size: float,
             prompt_tokens: float, output_tokens: float) -> dict[str, Any]:
    shape = {"n_gpus": int(n_gpus), "precision": precision, "kv_precision": kv_precision,
             "prompt_tokens": round(prompt_tokens), "output_tokens": round(output_tokens)}
    estimate = calc.serving_estimate(model, gpu, batch_size=round(batch_size), **shape)
    return {"estimate": estimate, "sweep": _sweep(model, gpu, **shape),
            "cfg": calc.get_model(model), "gpu": calc.get_gpu(gpu)}


def _describe_serving(r: dict[str, Any]) -> str:
    e, mem = r["estimate"], r["estimate"].memory
    return (f"<b>{r['cfg'].name}</b> on {e.n_gpus} × {r['gpu'].name}, {e.precision} weights, "
            f"{e.kv_precision} KV cache. <b>Memory</b>: {mem.weights_bytes / _GB:,.1f} GB weights + "
            f"{mem.kv_cache_bytes / _GB:,.1f} GB KV cache of {mem.usable_bytes / _GB:,.0f} GB usable "
            f"(room for {mem.max_batch_size:,} such requests). "
            f"<b>TTFT</b> {e.ttft_s * 1e3:,.0f} ms; <b>{e.tokens_per_s_per_user:,.0f} tokens/s per user</b>, "
            f"<b>{e.output_tokens_per_s:,.0f} output tokens/s in total</b> at batch {e.batch_size} "
            f"(decode {e.decode_bound}-bound); a request takes {e.request_latency_s:,.1f} s. "
            f"<b>Cost</b> at ${e.usd_per_gpu_hour:.2f}/GPU-hour: ${e.usd_per_mtok_output:,.2f} per million "
            f"output tokens (${e.usd_per_request * 1e3:,.2f} per 1,000 requests) with the replica always busy. "
            f"Realistic estimate: {e.memory_efficiency:.0%} of the memory bandwidth, {e.compute_efficiency:.0%} of the "
            f"FLOP/s, tensor-parallel all-reduces included (the roofline bound is faster). The figure: latency against "
            f"throughput as the batch grows (1, 2, 4, ...); the orange dot is your batch.")


def _draw_serving(r: dict[str, Any], ax: Any) -> None:
    """Per-user speed against total throughput, one dot per batch size (1, 2, 4, ... up to the memory limit).

    x is drawn as log10 on a linear axis, and there is no legend: both keep the redraw fast.
    """
    import math

    sweep, e = r["sweep"], r["estimate"]
    xs = log10s(s.output_tokens_per_s for s in sweep)
    ax.plot(xs, [s.tokens_per_s_per_user for s in sweep], "o-", color="#4292c6", markersize=4)
    ax.annotate(f"batch {sweep[-1].batch_size}: memory full", (xs[-1], sweep[-1].tokens_per_s_per_user),
                fontsize=7, xytext=(-4, -12), textcoords="offset points", ha="right")
    ax.plot(log10s([e.output_tokens_per_s]), [e.tokens_per_s_per_user], "o", color="#d94801", markersize=9)
    lo, hi = math.floor(min(xs)), math.ceil(max(xs))
    ax.set_xlim(lo, hi)
    log_ticks(ax, "x", [10**k for k in range(lo, hi + 1)], [f"{10**k:,}" for k in range(lo, hi + 1)])
    ax.set_xlabel("throughput: output tokens/s of the replica (log scale)")
    ax.set_ylabel("tokens/s each user sees")
    ax.set_ylim(0, sweep[0].tokens_per_s_per_user * 1.15)


def serving_explorer(model: str = "llama-3.1-70b", gpu: str = "h100-sxm", n_gpus: int = 4,
                     precision: str = "bf16", kv_precision: str = "bf16", batch_size: int = 32,
                     prompt_tokens: int = 2000, output_tokens: int = 300) -> Explorer:
    """Model, GPU, GPUs per replica, precision, batch and request shape -> memory fit, TTFT, tokens/s, $/MTok."""
    controls = {
        "model": dropdown("model", calc.model_ids(), model),
        "gpu": dropdown("GPU", [g for g in calc.gpu_ids() if calc.get_gpu_prices(g)], gpu),
        "n_gpus": dropdown("GPUs per replica", list(GPU_COUNTS), n_gpus),
        "precision": dropdown("weights", calc.quant_format_ids(), precision),
        "kv_precision": dropdown("KV cache", ["bf16", "fp8"], kv_precision),
        "batch_size": slider("concurrent requests (batch)", batch_size, 1, 1024, 0.05, log=True, fmt=",.0f"),
        "prompt_tokens": slider("prompt tokens", prompt_tokens, 16, 131_072, 0.05, log=True, fmt=",.0f"),
        "output_tokens": slider("output tokens", output_tokens, 1, 16_384, 0.05, log=True, fmt=",.0f"),
    }
    return Explorer(controls, _serving, _describe_serving, _draw_serving,
                    title="Serving calculator (one replica): latency vs. throughput as the batch grows",
                    figsize=(6.4, 3.0))


# ---- API cost calculator ------------------------------------------------------------------------------

def _api(model: str, requests_per_day: float, prompt_tokens: float, output_tokens: float,
         cached_prefix_tokens: float, cache_hit_rate: float, batch: bool) -> dict[str, Any]:
    requests = max(1, round(requests_per_day * DAYS_PER_MONTH))
    shape = {"requests": requests, "prompt_tokens": round(prompt_tokens), "output_tokens": round(output_tokens)}
    bill = calc.api_workload_cost(model, **shape, cached_prefix_tokens=int(cached_prefix_tokens),
                                  cache_hit_rate=cache_hit_rate, batch=batch)
    baseline = calc.api_workload_cost(model, **shape)
    return {
        "model": model, "requests": requests, "cache_hit_rate": cache_hit_rate, "batch": batch,
        "cached_prefix_tokens": int(cached_prefix_tokens), **shape,
        "bill": bill, "baseline": baseline, "saving": 1 - bill.total_usd / baseline.total_usd,
        "price": calc.get_api_price(model),
    }


def _describe_api(r: dict[str, Any]) -> str:
    bill, base, price = r["bill"], r["baseline"], r["price"]
    tier = (" <span style='color:#b00'>Prompts above "
            f"{price.long_context_threshold_tokens:,.0f} tokens pay the long-context rates.</span>"
            if bill.long_context else "")
    return (f"<b>{r['model']}</b>, {r['requests']:,} requests a month: <b>${bill.total_usd:,.2f} a month</b> "
            f"(${bill.total_usd / r['requests'] * 1e3:,.3f} per 1,000 requests), against "
            f"${base.total_usd:,.2f} with no caching and no batch discount "
            f"({abs(r['saving']):.0%} {'less' if r['saving'] >= 0 else 'more'}). Prices as of {price.as_of}.{tier}")


def _draw_api(r: dict[str, Any], ax: Any) -> None:
    parts = [("input", "input_usd", "#9ecae1"), ("cache writes", "cache_write_usd", "#fdae6b"),
             ("cache reads", "cache_read_usd", "#a1d99b"), ("output", "output_usd", "#08519c")]
    rows = [("no caching, no batch", r["baseline"]), ("your settings", r["bill"])]
    for row, (_, bill) in enumerate(rows):
        left = 0.0
        for label, field, color in parts:
            value = getattr(bill, field)
            ax.barh([row], [value], left=[left], color=color, height=0.55, label=label if row == 0 else None)
            left += value
    ax.set_yticks(range(len(rows)), labels=[name for name, _ in rows], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("US dollars per month")
    ax.legend(fontsize=7, frameon=False, ncol=4, loc="lower center", bbox_to_anchor=(0.5, 1.0))


def api_cost_explorer(model: str = "claude-haiku-5-5", requests_per_day: int = 10_000, prompt_tokens: int = 3000,
                      output_tokens: int = 400, cached_prefix_tokens: int = 2000, cache_hit_rate: float = 0.9,
                      batch: bool = False) -> Explorer:
    """A month of API calls: volume, request shape, a cached prompt prefix and the batch discount -> US$."""
    import ipywidgets as w

    controls = {
        "model": dropdown("model", calc.api_model_ids("chat"), model),
        "requests_per_day": slider("requests per day", requests_per_day, 10, 10_000_000, 0.05, log=True,
                                   fmt=",.0f"),
        "prompt_tokens": slider("prompt tokens", prompt_tokens, 10, 500_000, 0.05, log=True, fmt=",.0f"),
        "output_tokens": slider("output tokens", output_tokens, 1, 32_000, 0.05, log=True, fmt=",.0f"),
        "cached_prefix_tokens": slider("of which a shared, cached prefix", cached_prefix_tokens, 0, 200_000,
                                       100, integer=True),
        "cache_hit_rate": slider("cache hit rate", cache_hit_rate, 0.0, 1.0, 0.01, fmt=".2f"),
        "batch": w.Checkbox(value=batch, description="Batch API (results within 24 h)",
                            style={"description_width": "initial"}),
    }
    return Explorer(controls, _api, _describe_api, _draw_api, title="API cost calculator", figsize=(6.4, 2.2))


# ---- static figures for the lesson --------------------------------------------------------------------

def draw_roofline(ax: Any, points: Mapping[str, calc.RooflineStep]) -> None:
    """The roofline of one replica, with each labelled step (``calc.prefill_step`` / ``calc.decode_step``) on it.

    x: arithmetic intensity (FLOPs per byte moved); y: FLOP/s the step can reach,
    ``min(peak FLOP/s, intensity x bytes/s)``. Left of the ridge: memory-bound; right: compute-bound.
    """
    first = next(iter(points.values()))
    peak, bandwidth = first.flops_per_s, first.bytes_per_s
    ridge = peak / bandwidth
    xs = [10 ** (k / 10) for k in range(-10, 51)]                     # 0.1 .. 100,000 FLOPs per byte
    ax.plot(xs, [min(peak, x * bandwidth) / 1e12 for x in xs], color="k", linewidth=1.5)
    ax.axvline(ridge, color="#969696", linestyle=":", linewidth=1)
    ax.annotate(f"ridge: {ridge:,.0f} FLOPs/byte", (ridge, peak / 1e12 / 30), fontsize=7, xytext=(4, 0),
                textcoords="offset points")
    colors = ["#d94801", "#2171b5", "#6baed6", "#9ecae1", "#238b45"]
    for (label, step), color in zip(points.items(), colors * (1 + len(points) // len(colors)), strict=False):
        reached = step.flops / step.time_s / 1e12
        ax.plot([step.arithmetic_intensity], [reached], "o", color=color, markersize=7,
                label=f"{label}: {step.bound}-bound")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylim(peak / 1e12 / 3000, peak / 1e12 * 3)
    ax.set_xlabel("arithmetic intensity (FLOPs per byte moved, log scale)")
    ax.set_ylabel("TFLOP/s reached (log scale)")
    ax.legend(fontsize=7, frameon=False, loc="lower right")


def draw_breakeven(ax: Any, breakeven: calc.BreakEven, api_label: str, replicas: int = 3) -> None:
    """Monthly cost against volume: the API's straight line, self-hosting's staircase of replicas."""
    capacity = breakeven.replica_capacity_requests_per_month
    volumes = [capacity * replicas * k / 300 for k in range(1, 301)]
    costs = [breakeven.monthly_costs_usd(v) for v in volumes]
    millions = [v / 1e6 for v in volumes]
    ax.plot(millions, [api / 1e3 for _, api in costs], color="#2171b5", label=f"API ({api_label})")
    ax.plot(millions, [own / 1e3 for own, _ in costs], color="#d94801", drawstyle="steps-post",
            label="self-hosted (replicas rented by the month)")
    if breakeven.breaks_even:
        ax.axvline(breakeven.breakeven_requests_per_month / 1e6, color="#969696", linestyle=":", linewidth=1)
        ax.annotate("break-even", (breakeven.breakeven_requests_per_month / 1e6, 0), fontsize=7,
                    xytext=(4, 4), textcoords="offset points")
    ax.set_xlabel("requests per month (millions)")
    ax.set_ylabel("US$ per month (thousands)")
    ax.set_xlim(0, millions[-1])
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=7, frameon=False, loc="upper left")
