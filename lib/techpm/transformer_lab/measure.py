"""Measure this machine: how fast it multiplies matrices, how fast it reads memory, and what that predicts.

The roofline model (Williams, Waterman & Patterson 2009, https://doi.org/10.1145/1498765.1498785) says
a piece of work takes at least ``max(FLOPs / FLOP_per_s, bytes / bytes_per_s)``: it is limited either
by arithmetic or by memory traffic. To predict how fast the NumPy mini-GPT decodes on *this* computer,
we measure the two rates here, the same way a GPU datasheet states them for a GPU:

* ``matmul_flops_per_s``: a square float32 matrix product ``A @ B`` (``2 n^3`` FLOPs), best of a few runs;
* ``memory_bytes_per_s``: a vector-matrix product ``x @ W`` over a matrix bigger than the CPU caches,
  which reads every byte of ``W`` once and does almost no arithmetic per byte: exactly what decoding
  one token does with every weight matrix.

Both run NumPy's BLAS on one thread by default (``threads=1``), and so does the timed mini-GPT: one
core's numbers, like for like, and steady when other programs share the CPU (a multi-threaded BLAS
slows down badly when one of its cores is busy). The limit uses ``threadpoolctl`` where it is installed
(it comes with scikit-learn, and Colab has it); without it BLAS keeps its default threads. Each
measurement takes well under 0.1 s; numbers vary by a few percent from run to run.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from techpm.calc import decode_time_per_token_s, prefill_time_s
from techpm.calc._validate import non_negative_int, positive, positive_int
from techpm.tables import GPUSpec, ModelConfig

__all__ = ["blas_threads", "MachineSpec", "matmul_flops_per_s", "memory_bytes_per_s", "measure_machine",
           "predict_token_time_s", "DecodeTiming", "decode_comparison"]


@contextlib.contextmanager
def blas_threads(threads: int | None = 1) -> Iterator[None]:
    """Limit NumPy's BLAS to ``threads`` threads inside the ``with`` block (``None``: leave it alone)."""
    if threads is None:
        yield
        return
    positive_int("threads", threads)
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # optional: without it, BLAS keeps its default threads
        yield
        return
    with threadpool_limits(limits=threads, user_api="blas"):
        yield


def _best_of(fn: Callable[[], object], repeats: int) -> float:
    fn()  # warm up (first-touch page faults, BLAS thread start)
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def matmul_flops_per_s(n: int = 512, repeats: int = 5) -> float:
    """FLOP/s of an ``n x n`` float32 matrix product: ``2 n^3`` FLOPs over the best wall time."""
    import numpy as np

    positive_int("n", n)
    positive_int("repeats", repeats)
    a = np.full((n, n), 0.5, dtype=np.float32)
    b = np.full((n, n), 0.5, dtype=np.float32)
    return 2.0 * n**3 / _best_of(lambda: a @ b, repeats)


def memory_bytes_per_s(n_bytes: int = 64_000_000, repeats: int = 5) -> float:
    """Bytes/s that a float32 vector-matrix product reads from a ``n_bytes`` matrix (default 64 MB).

    Keep ``n_bytes`` above the CPU's last-level cache (32 MB or less on most laptops), or this measures
    the cache instead of main memory.
    """
    import numpy as np

    positive_int("n_bytes", n_bytes)
    positive_int("repeats", repeats)
    side = int((n_bytes / 4) ** 0.5)
    w = np.full((side, side), 0.5, dtype=np.float32)
    x = np.full(side, 0.5, dtype=np.float32)
    return w.nbytes / _best_of(lambda: x @ w, repeats)


@dataclass(frozen=True)
class MachineSpec:
    """This computer's measured rates: the CPU's own 'datasheet'."""

    matmul_flops_per_s: float
    memory_bytes_per_s: float
    cpu_count: int = 1

    @property
    def ridge_flops_per_byte(self) -> float:
        """Arithmetic intensity where compute and memory take equally long (the roofline's ridge)."""
        return self.matmul_flops_per_s / self.memory_bytes_per_s

    def as_gpu_spec(self) -> GPUSpec:
        """The measurements as a ``GPUSpec``, so the serving calculators can be pointed at this CPU."""
        try:
            memory = float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
        except (ValueError, OSError, AttributeError):  # not on every platform
            memory = 0.0
        return GPUSpec(id="this-machine", name="this machine's CPU (measured, float32)", memory_bytes=memory,
                       hbm_bytes_per_s=self.memory_bytes_per_s, bf16_flops_per_s=None,
                       fp16_flops_per_s=self.matmul_flops_per_s, fp8_flops_per_s=None, int8_ops_per_s=None,
                       source_url="https://github.com/techpm-course/techpm (techpm.transformer_lab.measure)", as_of="")


def measure_machine(matmul_n: int = 512, memory_bytes: int = 64_000_000, repeats: int = 5,
                    threads: int | None = 1) -> MachineSpec:
    """Measure matmul FLOP/s and memory bandwidth on ``threads`` BLAS threads (about 0.1 s in all)."""
    with blas_threads(threads):
        return MachineSpec(matmul_flops_per_s(matmul_n, repeats), memory_bytes_per_s(memory_bytes, repeats),
                           os.cpu_count() or 1)


def predict_token_time_s(cfg: ModelConfig, machine: MachineSpec, context_tokens: int, use_cache: bool = True,
                         bytes_per_value: float = 4) -> float:
    """Roofline prediction of the seconds to generate one token after ``context_tokens`` tokens.

    This machine's measured rates go into the serving calculators as if it were a GPU
    (``machine.as_gpu_spec()``). With a KV cache, one token runs through the model
    (``calc.decode_time_per_token_s``): ``max(FLOPs / FLOP_per_s, (weight + KV-cache bytes) / bytes_per_s)``;
    at batch 1 the memory side wins. Without a cache, the whole sequence of ``context_tokens + 1`` tokens runs again: that is a
    prefill, ``calc.prefill_time_s``, many FLOPs per weight read, so the compute side wins.
    ``bytes_per_value``: 4 for float32 weights and cache (the mini-GPT).
    """
    non_negative_int("context_tokens", context_tokens)
    positive("bytes_per_value", bytes_per_value)
    spec = machine.as_gpu_spec()  # the measured float32 rate sits in the spec's 16-bit slot
    sizes = {"bytes_per_param": bytes_per_value, "kv_bytes_per_value": bytes_per_value,
             "compute_precision": "fp16"}
    if use_cache:
        return decode_time_per_token_s(cfg, spec, context_tokens=context_tokens, **sizes)
    return prefill_time_s(cfg, spec, context_tokens + 1, **sizes)


@dataclass(frozen=True)
class DecodeTiming:
    """One measured decode speed next to the roofline's prediction for this machine."""

    context_tokens: int
    use_cache: bool
    measured_s: float
    predicted_s: float

    @property
    def ratio(self) -> float:
        """measured / predicted: 1 means the roofline explains all the time; above 1, overheads."""
        return self.measured_s / self.predicted_s


def decode_comparison(gpt: object, machine: MachineSpec, contexts: tuple[int, ...] = (32, 128),
                      n_new: int = 4, repeats: int = 2, threads: int | None = 1) -> list[DecodeTiming]:
    """Time the mini-GPT's decoding with and without its KV cache at each context length, and predict it.

    ``gpt`` is a ``techpm.transformer_lab.minigpt.MiniGPT``; ``threads`` should match the ``measure_machine`` call.
    Takes about ``repeats * n_new`` tokens per setting; without the cache each token re-runs the whole
    context, so keep contexts and ``n_new`` small.
    """
    from techpm.transformer_lab.minigpt import BYTES_PER_VALUE, time_generate

    cfg = gpt.config.model_config()  # type: ignore[attr-defined]
    rows = []
    for use_cache in (True, False):
        for context in contexts:
            with blas_threads(threads):  # as many threads as measure_machine used
                measured = time_generate(gpt, context, n_new, use_cache, repeats)  # type: ignore[arg-type]
            predicted = predict_token_time_s(cfg, machine, context + n_new // 2, use_cache, BYTES_PER_VALUE)
            rows.append(DecodeTiming(context, use_cache, measured, predicted))
    return rows
