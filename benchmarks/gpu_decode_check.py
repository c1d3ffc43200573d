"""Compare ``calc.decode_time_per_token_s`` with a measured decode-like step on a real GPU.

A decode step at small batch reads every weight once and does ~2 FLOPs per weight per sequence, so the
roofline predicts ``time = weight bytes / HBM bandwidth``. This script builds the weight matrices of a
tabled model's shape (random bf16 values: the time does not depend on them), runs the matrix-vector
stream one decode step performs (per layer: Q, K, V, O projections, gate, up and down of the SwiGLU
FFN; then the unembedding), times it with CUDA events and prints, for each batch size, the measured
time, ``calc.decode_time_per_token_s`` for the same shape, their ratio and the bandwidth reached.
Attention over a KV cache is left out (context 0), as is everything but the matrix products.

    python benchmarks/gpu_decode_check.py                         # Llama 3.1 8B shapes, GPU auto-detected
    python benchmarks/gpu_decode_check.py --model llama-2-7b --gpu h100-sxm --batches 1,16,64,256
    python benchmarks/gpu_decode_check.py --layers 4              # fewer layers (less memory, same ratio)
    python benchmarks/gpu_decode_check.py --device cpu --layers 1 --model llama-3.1-8b   # dry run, no GPU

Without PyTorch or without a CUDA GPU it says so and exits with status 0. A ratio measured / predicted
above 1 is the gap between the datasheet and real kernels (1 / ratio is the ``efficiency`` to pass the
calculators); the time should stay nearly flat as the batch grows, until the critical batch size
(``calc.critical_batch_size``).
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))

from techpm import calc  # noqa: E402

# Substrings of torch.cuda.get_device_name() -> tabled GPU id (first match wins; order matters).
GPU_NAMES = (("H200", "h200"), ("H100 PCIe", "h100-pcie"), ("H100", "h100-sxm"), ("B200", "b200"),
             ("A100-SXM4-40GB", "a100-40gb"), ("A100-PCIE-40GB", "a100-40gb"), ("A100", "a100-80gb"),
             ("L4", "l4"), ("T4", "t4"), ("MI300X", "mi300x"))


def detect_gpu(device_name: str) -> str | None:
    """The tabled GPU id whose name appears in ``device_name`` (``None`` if none does)."""
    for needle, gpu_id in GPU_NAMES:
        if needle.lower() in device_name.lower():
            return gpu_id
    return None


def matrix_shapes(cfg: calc.ModelConfig, n_layers: int) -> list[tuple[int, int]]:
    """(in, out) of every matrix one decode step multiplies by, for ``n_layers`` layers + the unembedding."""
    q, kv = cfg.n_heads * cfg.head_dim, cfg.n_kv_heads * cfg.head_dim
    layer = [(cfg.d_model, q), (cfg.d_model, kv), (cfg.d_model, kv), (q, cfg.d_model),
             (cfg.d_model, cfg.d_ff), (cfg.d_model, cfg.d_ff), (cfg.d_ff, cfg.d_model)]
    return layer * n_layers + [(cfg.d_model, cfg.vocab_size)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="llama-3.1-8b", help="a dense model id from calc.model_ids()")
    parser.add_argument("--gpu", default=None, help="tabled GPU id for the prediction (default: detected)")
    parser.add_argument("--layers", type=int, default=None, help="layers to build (default: all that fit)")
    parser.add_argument("--batches", default="1,4,16,64,256", help="comma-separated batch sizes")
    parser.add_argument("--repeats", type=int, default=20, help="timed decode steps per batch size")
    parser.add_argument("--device", default="cuda", choices=["cuda", "cpu"], help="cpu: a dry run of the code")
    args = parser.parse_args()

    try:
        import torch
    except ImportError:
        print("PyTorch is not installed: nothing to measure (pip install torch on a machine with a GPU).")
        return 0
    if args.device == "cuda" and not torch.cuda.is_available():
        print("No CUDA GPU available: nothing to measure (use --device cpu for a dry run of the code).")
        return 0

    cfg = calc.get_model(args.model)
    if cfg.n_experts != 1:
        print(f"{args.model} is a mixture of experts; this check builds dense models only.")
        return 1
    device = torch.device(args.device)
    if args.device == "cuda":
        name = torch.cuda.get_device_name(device)
        free_bytes, _ = torch.cuda.mem_get_info(device)
    else:
        name, free_bytes = "CPU (dry run)", 2e9
    gpu_id = args.gpu or detect_gpu(name)
    if gpu_id is None:
        print(f"Cannot match {name!r} to a tabled GPU; pass --gpu (one of {', '.join(calc.gpu_ids())}).")
        return 1
    gpu = calc.get_gpu(gpu_id)

    per_layer = sum(i * o for i, o in matrix_shapes(cfg, 1)) - cfg.d_model * cfg.vocab_size
    budget = 0.8 * free_bytes - 2 * cfg.d_model * cfg.vocab_size        # leave room for activations
    fit_layers = max(1, int(budget // (2 * per_layer)))
    n_layers = min(args.layers or cfg.n_layers, cfg.n_layers, fit_layers)
    sub = dataclasses.replace(cfg, n_layers=n_layers, id=f"{cfg.id}-{n_layers}-layers")
    batches = [int(b) for b in args.batches.split(",")]

    torch.manual_seed(0)
    dtype = torch.bfloat16
    weights = [torch.randn(i, o, device=device, dtype=dtype) / i**0.5 for i, o in matrix_shapes(cfg, n_layers)]
    built_bytes = sum(w.numel() * w.element_size() for w in weights)
    predicted_bytes = calc.decode_weight_bytes(sub, 2, 1)
    print(f"{name} -> predicting with {gpu.name} ({gpu.hbm_bytes_per_s / 1e12:.2f} TB/s, "
          f"{gpu.matmul_flops_per_s / 1e12:.0f} TFLOP/s bf16; {gpu.source_url})")
    print(f"{cfg.name} shapes, {n_layers} of {cfg.n_layers} layers: {built_bytes / 1e9:.2f} GB of bf16 matrices "
          f"built; calc.decode_weight_bytes says {predicted_bytes / 1e9:.2f} GB (it adds the norm gains)")

    def step(x: torch.Tensor) -> torch.Tensor:
        for layer in range(n_layers):
            wq, wk, wv, wo, wg, wu, wd = weights[7 * layer: 7 * layer + 7]
            q = x @ wq
            _k, _v = x @ wk, x @ wv                      # the new token's K and V (would go to the cache)
            x = x + q @ wo                               # attention over context 0: the output is V-like
            x = x + (torch.nn.functional.silu(x @ wg) * (x @ wu)) @ wd
            x = x * torch.rsqrt(x.float().pow(2).mean(-1, keepdim=True) + 1e-6).to(dtype)
        return x @ weights[-1]

    def timed(run: Callable[[], object]) -> float:
        """Median seconds of ``run`` after three warm-up calls (CUDA events on a GPU)."""
        times = []
        for i in range(args.repeats + 3):
            if args.device == "cuda":
                start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
                start.record()
                run()
                end.record()
                torch.cuda.synchronize()
                elapsed = start.elapsed_time(end) / 1e3
            else:
                t0 = time.perf_counter()
                run()
                elapsed = time.perf_counter() - t0
            if i >= 3:
                times.append(elapsed)
        return statistics.median(times)

    def graphed(x: torch.Tensor) -> Callable[[], object]:
        """The step captured as a CUDA graph: one launch instead of ~12 per layer (what serving engines do)."""
        side = torch.cuda.Stream()
        side.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(side):
            for _ in range(3):
                step(x)
        torch.cuda.current_stream().wait_stream(side)
        graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(graph):
            step(x)
        return graph.replay

    print(f"{'batch':>6}{'eager':>12}{'CUDA graph':>12}{'predicted':>12}{'ratio':>7}{'bandwidth':>13}{'bound':>9}")
    for batch in batches:
        x = torch.randn(batch, cfg.d_model, device=device, dtype=dtype)
        with torch.no_grad():
            eager = timed(lambda x=x: step(x))
            graph = timed(graphed(x)) if args.device == "cuda" else float("nan")
        measured = min(eager, graph) if graph == graph else eager
        roofline = calc.decode_step(sub, gpu, batch, 0, check_memory=False)
        print(f"{batch:>6}{eager * 1e3:>9.3f} ms{graph * 1e3:>9.3f} ms{roofline.time_s * 1e3:>9.3f} ms"
              f"{measured / roofline.time_s:>7.2f}{built_bytes / measured / 1e12:>9.2f} TB/s{roofline.bound:>9}")
    print(f"ratio = the faster measurement / predicted (calc.decode_step, context 0, efficiency 1.0); "
          f"bandwidth = bytes built / time; critical batch size for "
          f"{gpu.id}: {calc.critical_batch_size(gpu):.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
