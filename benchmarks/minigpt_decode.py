"""The NumPy mini-GPT's measured decode time next to the roofline prediction for this machine.

Measures this machine's matmul FLOP/s and memory bandwidth (``techpm.transformer_lab.measure``), predicts the time per
generated token with and without the KV cache from the calculators, times the real thing, and prints
the ratio measured / predicted (1.0 = the roofline explains all of it; above 1 = overheads such as
Python, small kernels and thread start-up).

    python benchmarks/minigpt_decode.py
"""

from __future__ import annotations

from techpm.transformer_lab import measure
from techpm.transformer_lab.minigpt import MiniGPT


def main() -> None:
    machine = measure.measure_machine()
    gpt = MiniGPT()
    print(f"machine (1 BLAS thread): {machine.matmul_flops_per_s / 1e9:,.0f} GFLOP/s (float32 matmul), "
          f"{machine.memory_bytes_per_s / 1e9:,.1f} GB/s (vector-matrix read), {machine.cpu_count} CPUs")
    print(f"model: {gpt.n_params:,} parameters, {gpt.weight_bytes / 1e6:,.1f} MB of float32 weights")
    print(f"{'KV cache':>8} {'context':>8} {'measured ms':>12} {'predicted ms':>13} {'ratio':>6}")
    for row in measure.decode_comparison(gpt, machine, contexts=(32, 128, 256), n_new=8, repeats=3):
        print(f"{'yes' if row.use_cache else 'no':>8} {row.context_tokens:>8} {row.measured_s * 1e3:>12.2f} "
              f"{row.predicted_s * 1e3:>13.2f} {row.ratio:>6.2f}")


if __name__ == "__main__":
    main()
