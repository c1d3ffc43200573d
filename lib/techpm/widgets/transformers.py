"""Explorers for the transformers lesson: a model's parameters and memory, and the scaling-law trade-off.

    from techpm.widgets.transformers import memory_explorer, scaling_explorer
    memory_explorer(model="llama-3.1-70b")          # parameters, weights and KV cache vs. GPU memory
    scaling_explorer(compute_flops=5.76e23)         # compute budget -> compute-optimal model and data

Each is an ``Explorer``: controls -> ``compute`` (calculators only) -> one HTML line + one figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from techpm import calc
from techpm.widgets import Explorer, dropdown, log10s, log_ticks, slider

__all__ = ["memory_explorer", "scaling_explorer", "fmt_count", "fmt_bytes", "PRECISIONS", "REFERENCE_GPUS",
           "draw_kv_cache_growth"]

# Bytes per stored number for the precisions a serving stack commonly uses.
PRECISIONS: dict[str, float] = {"bf16 / fp16 (2 bytes)": 2, "fp8 / int8 (1 byte)": 1, "int4 (0.5 byte)": 0.5}
REFERENCE_GPUS = ("h100-sxm", "h200")  # memory lines drawn on the memory explorer's figure
_SECONDS_PER_DAY = 86_400


def fmt_count(n: float) -> str:
    """12_879_925_248 -> '12.9B'; 1.4e12 -> '1.4T'."""
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(n) >= size:
            q = n / size
            return f"{q:,.0f}{suffix}" if abs(q) >= 100 else f"{q:.3g}{suffix}"
    return f"{n:.3g}"


def fmt_bytes(n: float) -> str:
    """Decimal units, as GPU memory is marketed: 141_107_412_992 -> '141.1 GB'."""
    for size, suffix in ((1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "kB")):
        if abs(n) >= size:
            return f"{n / size:,.1f} {suffix}"
    return f"{n:.0f} B"


# ---- parameters and memory ----------------------------------------------------------------------------

def _memory(model: str, context_tokens: float, batch_size: int, weight_bytes: float,
            kv_bytes: float) -> dict[str, Any]:
    cfg = calc.get_model(model)
    return {
        "cfg": cfg,
        "context_tokens": int(context_tokens),
        "batch_size": int(batch_size),
        "params": calc.param_count(cfg),
        "active": calc.active_param_count(cfg),
        "kv_per_token": calc.kv_cache_bytes_per_token(cfg, kv_bytes),
        "memory": calc.model_memory_bytes(cfg, int(context_tokens), int(batch_size), weight_bytes, kv_bytes),
        "gpus": [calc.get_gpu(g) for g in REFERENCE_GPUS],
    }


def _describe_memory(r: dict[str, Any]) -> str:
    cfg, mem = r["cfg"], r["memory"]
    active = f" ({fmt_count(r['active'])} active per token)" if r["active"] != r["params"] else ""
    warn = (f" <span style='color:#b00'>Beyond the {cfg.max_context_tokens:,}-token context this model was "
            "trained for.</span>") if r["context_tokens"] > cfg.max_context_tokens else ""
    return (f"<b>{cfg.name}</b>: {fmt_count(r['params'])} parameters{active}. "
            f"Weights {fmt_bytes(mem.weights)}; KV cache {fmt_bytes(mem.kv_cache)} "
            f"({r['kv_per_token'] / 1024:,.0f} KiB per token × {r['context_tokens']:,} tokens × "
            f"{r['batch_size']} sequences); <b>total {fmt_bytes(mem.total)}</b>.{warn}")


def _draw_memory(r: dict[str, Any], ax: Any) -> None:
    """A waterfall: each component one row, starting where the previous one ends; GPU memory as lines."""
    mem = r["memory"]
    parts = [("embeddings", mem.embedding, "#9ecae1"), ("attention", mem.attention, "#4292c6"),
             ("feed-forward", mem.ffn, "#08519c"), ("router, norms", mem.other, "#bdbdbd"),
             ("KV cache", mem.kv_cache, "#fd8d3c")]
    left, labels = 0.0, []
    for row, (label, size, color) in enumerate(parts):
        ax.barh([row], [size / 1e9], left=[left], color=color, height=0.6)
        left += size / 1e9
        labels.append(label)
    for gpu in r["gpus"]:
        ax.axvline(gpu.memory_bytes / 1e9, color="k", linestyle="--", linewidth=1)
        ax.text(gpu.memory_bytes / 1e9, 0.97, f" one {gpu.id}", fontsize=7, va="top",
                transform=ax.get_xaxis_transform())
    ax.set_yticks(range(len(parts)), labels=labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("GB of accelerator memory (cumulative)")
    ax.set_title(f"{r['cfg'].name}: total {fmt_bytes(mem.total)}", fontsize=10)


def memory_explorer(model: str = "llama-3.1-70b", context_tokens: int = 8192, batch_size: int = 1,
                    weight_precision: str = "bf16 / fp16 (2 bytes)",
                    kv_precision: str = "bf16 / fp16 (2 bytes)") -> Explorer:
    """Pick a tabled model, a context length, a batch and precisions: see parameters and memory."""
    controls = {
        "model": dropdown("model", calc.model_ids(), model),
        "context_tokens": slider("context tokens", context_tokens, 128, 1_048_576, 0.1, log=True, fmt=",.0f"),
        "batch_size": slider("concurrent sequences", batch_size, 1, 64, integer=True),
        "weight_bytes": dropdown("weights in", list(PRECISIONS.items()), PRECISIONS[weight_precision]),
        "kv_bytes": dropdown("KV cache in", list(PRECISIONS.items()), PRECISIONS[kv_precision]),
    }
    return Explorer(controls, _memory, _describe_memory, _draw_memory,
                    title="Parameters and memory", figsize=(6.4, 2.8))


# ---- scaling laws ------------------------------------------------------------------------------------

def _scaling(compute_flops: float, tokens_per_param: float, gpu: str, n_gpus: float,
             mfu: float) -> dict[str, Any]:
    n_params, n_tokens = calc.chinchilla_optimal(compute_flops, tokens_per_param)
    spec = calc.get_gpu(gpu)
    grid = [10 ** (8 + 0.25 * i) for i in range(21)]  # 1e8 .. 1e13 parameters
    return {
        "compute_flops": compute_flops, "tokens_per_param": tokens_per_param, "n_params": n_params,
        "n_tokens": n_tokens, "gpu": spec, "n_gpus": int(n_gpus), "mfu": mfu,
        "days": calc.training_time_s(compute_flops, spec.matmul_flops_per_s, int(n_gpus), mfu) / _SECONDS_PER_DAY,
        "train_memory": calc.training_memory_bytes(n_params),
        "iso_flop": [(n, calc.tokens_for_compute(compute_flops, n)) for n in grid],
        "runs": calc.PUBLISHED_TRAINING_RUNS,
    }


def _describe_scaling(r: dict[str, Any]) -> str:
    return (f"A budget of <b>{r['compute_flops']:.3g} FLOPs</b> at {r['tokens_per_param']:.0f} tokens per "
            f"parameter: <b>{fmt_count(r['n_params'])} parameters on {fmt_count(r['n_tokens'])} tokens</b> "
            f"(the orange dot). "
            f"On {r['n_gpus']:,} × {r['gpu'].name} at {r['mfu']:.0%} utilization: <b>{r['days']:,.1f} days</b>. "
            f"Training state (mixed-precision Adam, before activations): {fmt_bytes(r['train_memory'])}.")


def _draw_scaling(r: dict[str, Any], ax: Any) -> None:
    """Log-log plot drawn as log10 values on linear axes (same picture, much faster to redraw)."""
    n, d = zip(*r["iso_flop"], strict=True)
    ax.plot(log10s(n), log10s(d), color="#4292c6", label=f"all ways to spend {r['compute_flops']:.2g} FLOPs (C = 6ND)")
    ax.plot(log10s(n), log10s(r["tokens_per_param"] * x for x in n), color="#bdbdbd", linestyle="--",
            label=f"{r['tokens_per_param']:.0f} tokens per parameter")
    ax.plot(log10s([r["n_params"]]), log10s([r["n_tokens"]]), "o", color="#d94801", markersize=8)
    runs = r["runs"]
    ax.plot(log10s(run.n_params for run in runs), log10s(run.n_tokens for run in runs), "k.", markersize=6)
    for i, run in enumerate(runs):  # labels alternate above/below: GPT-3 and Gopher sit side by side
        ax.annotate(run.name, (*log10s([run.n_params]), *log10s([run.n_tokens])), fontsize=7,
                    xytext=(3, 3 if i % 2 == 0 else -9), textcoords="offset points")
    ax.set_xlim(8, 13)
    ax.set_ylim(9, 15)
    for axis, lo, hi in (("x", 8, 13), ("y", 9, 15)):
        decades = [10.0**k for k in range(lo, hi + 1)]
        log_ticks(ax, axis, decades, [fmt_count(v) for v in decades])
    ax.set_xlabel("parameters N (log scale)")
    ax.set_ylabel("training tokens D (log scale)")
    ax.legend(fontsize=7, loc="upper left", frameon=False)


def scaling_explorer(compute_flops: float = 5.76e23, tokens_per_param: float = 20, gpu: str = "h100-sxm",
                     n_gpus: int = 1024, mfu: float = 0.4) -> Explorer:
    """Compute budget -> the compute-optimal model size and data, and how long the run takes."""
    controls = {
        "compute_flops": slider("compute budget (FLOPs)", compute_flops, 1e19, 1e27, 0.1, log=True, fmt=".2g"),
        "tokens_per_param": slider("tokens per parameter", tokens_per_param, 1, 2000, 0.05, log=True, fmt=".0f"),
        "gpu": dropdown("GPU", calc.gpu_ids(), gpu),
        "n_gpus": slider("GPUs", n_gpus, 8, 65536, 0.1, log=True, fmt=",.0f"),
        "mfu": slider("utilization (MFU)", mfu, 0.1, 0.7, 0.05, fmt=".2f"),
    }
    return Explorer(controls, _scaling, _describe_scaling, _draw_scaling,
                    title="Scaling laws: spend a compute budget", figsize=(6.4, 3.6))


def draw_kv_cache_growth(ax: Any, model_ids: Sequence[str], max_context_tokens: int = 131_072,
                         bytes_per_value: float = 2) -> None:
    """One conversation's KV cache (``calc.kv_cache_bytes``) against its length, one line per model, log-log.

    Lines bend where sliding-window layers stop growing; the legend names each model's attention kind.
    """
    import numpy as np

    contexts = np.unique(np.geomspace(64, max_context_tokens, 40).astype(int))
    for model_id in model_ids:
        c = calc.get_model(model_id)
        ax.plot(contexts, [calc.kv_cache_bytes(c, int(n), 1, bytes_per_value) / 1e9 for n in contexts],
                label=f"{c.name} ({calc.attention_kind(c)})")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set(xlabel="tokens in the conversation", ylabel="KV cache (GB)")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
