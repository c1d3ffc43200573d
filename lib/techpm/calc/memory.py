"""Does the model fit? Weights + KV cache against GPU memory, how many GPUs, and how many sequences at once.

    weights  = param_count * bytes_per_param          (every expert of a mixture-of-experts model too)
    kv cache = kv_cache_bytes(cfg, context_tokens, batch_size)   (sliding-window layers hold at most their window)
    fits     <=> weights + kv cache <= n_gpus * gpu_memory * memory_utilization

``memory_utilization`` defaults to 0.9, vLLM's default ``--gpu-memory-utilization`` (the share of each
GPU's memory vLLM takes for weights and KV cache, https://docs.vllm.ai/en/latest/configuration/engine_args/):
the rest holds the CUDA context, activations and fragmentation. With tensor parallelism the weights and
the KV cache are split over the ``n_gpus`` GPUs of one replica, so their memory adds up.

The KV cache decides how many sequences a replica can decode at once, which decides throughput. How it
is allocated matters as much as its size: a server that reserves every sequence's maximum length up
front wastes what the sequence never uses. vLLM's PagedAttention allocates it in blocks of 16 tokens,
so at most one partly filled block per sequence is wasted (Kwon et al. 2023, "Efficient Memory
Management for Large Language Model Serving with PagedAttention", https://arxiv.org/abs/2309.06180:
existing systems used "only 20.4% - 38.2%" of their KV cache memory for actual token states; vLLM
reaches "near-zero waste" and 2-4x the throughput of FasterTransformer and Orca at the same latency).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from techpm.calc._validate import model_config, non_negative_int, positive, positive_int, probability
from techpm.calc.transformer import kv_cache_bytes, param_count
from techpm.errors import TechpmError, unknown_name
from techpm.tables import GPUSpec, ModelConfig, get_gpu

__all__ = [
    "GPU_MEMORY_UTILIZATION",
    "KV_BYTES_PER_VALUE",
    "PAGED_BLOCK_TOKENS",
    "kv_precision_bytes",
    "MemoryFit",
    "memory_fit",
    "min_gpus",
    "max_batch_size",
    "kv_utilization_reserved",
    "kv_utilization_paged",
]

GPU_MEMORY_UTILIZATION = 0.9
"""vLLM's default ``gpu_memory_utilization``: the share of GPU memory for weights + KV cache."""

KV_BYTES_PER_VALUE = {"bf16": 2, "fp16": 2, "fp8": 1, "int8": 1, "int4": 0.5}
"""Bytes per cached key/value number by cache precision (vLLM ``--kv-cache-dtype fp8`` halves the cache)."""

PAGED_BLOCK_TOKENS = 16
"""vLLM's default KV block size in tokens (engine argument ``--block-size``)."""

GB = 1e9


def _gpu(gpu: GPUSpec | str) -> GPUSpec:
    if isinstance(gpu, GPUSpec):
        return gpu
    if isinstance(gpu, str):
        return get_gpu(gpu)
    raise TechpmError(f"gpu must be a GPUSpec (calc.get_gpu('h100-sxm')) or a GPU id, got {type(gpu).__name__}.")


def kv_precision_bytes(precision: str | float) -> float:
    """Bytes per cached value for a cache precision name ('bf16', 'fp8', ...) or a number of bytes.

    Source: the storage widths of the formats (bf16/fp16: 2 bytes, fp8: 1); a definition.
    Used in: 03 §5.
    """
    if isinstance(precision, (int, float)) and not isinstance(precision, bool):
        return positive("precision", precision)
    if isinstance(precision, str) and precision.strip().lower() in KV_BYTES_PER_VALUE:
        return KV_BYTES_PER_VALUE[precision.strip().lower()]
    raise unknown_name("KV-cache precision", str(precision), KV_BYTES_PER_VALUE)


@dataclass(frozen=True)
class MemoryFit:
    """Memory one replica needs against what its GPUs offer."""

    model: str
    model_name: str
    gpu: str
    gpu_name: str
    n_gpus: int
    batch_size: int
    context_tokens: int
    bytes_per_param: float
    weights_bytes: int
    kv_cache_bytes: int
    kv_bytes_per_sequence: int
    gpu_memory_bytes: float          # one GPU's memory
    memory_utilization: float

    @property
    def needed_bytes(self) -> int:
        return self.weights_bytes + self.kv_cache_bytes

    @property
    def usable_bytes(self) -> float:
        """What the replica's GPUs offer for weights + KV cache."""
        return self.n_gpus * self.gpu_memory_bytes * self.memory_utilization

    @property
    def fits(self) -> bool:
        return self.needed_bytes <= self.usable_bytes

    @property
    def weights_fit(self) -> bool:
        return self.weights_bytes <= self.usable_bytes

    @property
    def max_batch_size(self) -> int:
        """Sequences of ``context_tokens`` that fit beside the weights (0 if the weights alone do not)."""
        if not self.weights_fit:
            return 0
        if self.kv_bytes_per_sequence == 0:
            raise TechpmError("context_tokens is 0: with no KV cache, memory does not bound the batch.")
        return int((self.usable_bytes - self.weights_bytes) // self.kv_bytes_per_sequence)

    def explain(self) -> str:
        """One or two sentences: what needs how much memory, against what is there."""
        usable = (f"the replica ({self.n_gpus} x {self.gpu_name}) has {self.usable_bytes / GB:,.1f} GB usable "
                  f"({self.memory_utilization:.0%} of {self.n_gpus * self.gpu_memory_bytes / GB:,.0f} GB)")
        need = (f"{self.model_name} needs {self.weights_bytes / GB:,.1f} GB of weights "
                f"({self.bytes_per_param:g} bytes/param) + {self.kv_cache_bytes / GB:,.1f} GB of KV cache "
                f"({self.batch_size} x {self.context_tokens:,} tokens) = {self.needed_bytes / GB:,.1f} GB")
        if self.fits:
            return f"{need}; {usable}: it fits, with room for {self.max_batch_size} such sequences."
        per_gpu = self.gpu_memory_bytes * self.memory_utilization
        at_least = f"at least {math.ceil(self.needed_bytes / per_gpu)} x {self.gpu_name} at this precision"
        if not self.weights_fit:
            return (f"{need}, but {usable}: the weights alone do not fit. Use more GPUs per replica "
                    f"({at_least}) or a smaller precision (int8 halves the weights, int4 quarters them).")
        most = self.max_batch_size
        return (f"{need}, but {usable}: the weights fit, but at most {most} sequence{'s' * (most != 1)} of "
                f"{self.context_tokens:,} tokens fit beside them. Lower the batch or the context, "
                f"quantize the KV cache (fp8 halves it), or add GPUs ({at_least}).")

    def require(self) -> MemoryFit:
        """``self`` if it fits, else a ``TechpmError`` that says why and what to change."""
        if not self.fits:
            raise TechpmError(f"Does not fit in memory: {self.explain()}")
        return self


def memory_fit(cfg: ModelConfig | str, gpu: GPUSpec | str, n_gpus: int = 1, batch_size: int = 1,
               context_tokens: int = 4096, bytes_per_param: float = 2, kv_bytes_per_value: float = 2,
               memory_utilization: float = GPU_MEMORY_UTILIZATION) -> MemoryFit:
    """Weights + KV cache of ``batch_size`` sequences of ``context_tokens`` against ``n_gpus`` GPUs.

    ``bytes_per_param`` includes any quantization overhead (``calc.get_quant_format(...).bytes_per_param``);
    ``kv_bytes_per_value`` is 2 for a bf16 cache, 1 for fp8. Returns a ``MemoryFit``; call ``.require()``
    to turn "does not fit" into an error that explains itself.

    >>> fit = memory_fit("llama-3.1-70b", "h100-sxm", n_gpus=1, batch_size=1, context_tokens=4096)
    >>> fit.fits, round(fit.weights_bytes / 1e9, 1)
    (False, 141.1)

    Source: vLLM engine arguments (``--gpu-memory-utilization`` 0.9),
        https://docs.vllm.ai/en/latest/configuration/engine_args/.
    Used in: 03 §3, exercises; 07 (via agents.tasks).
    """
    c, g = model_config(cfg), _gpu(gpu)
    positive_int("n_gpus", n_gpus)
    positive_int("batch_size", batch_size)
    non_negative_int("context_tokens", context_tokens)
    positive("bytes_per_param", bytes_per_param)
    positive("kv_bytes_per_value", kv_bytes_per_value)
    probability("memory_utilization", memory_utilization, above_zero=True)
    return MemoryFit(
        model=c.id, model_name=c.name, gpu=g.id, gpu_name=g.name, n_gpus=n_gpus, batch_size=batch_size,
        context_tokens=context_tokens, bytes_per_param=float(bytes_per_param),
        weights_bytes=math.ceil(param_count(c) * bytes_per_param),
        kv_cache_bytes=kv_cache_bytes(c, context_tokens, batch_size, kv_bytes_per_value),
        kv_bytes_per_sequence=kv_cache_bytes(c, context_tokens, 1, kv_bytes_per_value),
        gpu_memory_bytes=g.memory_bytes, memory_utilization=float(memory_utilization),
    )


def min_gpus(cfg: ModelConfig | str, gpu: GPUSpec | str, batch_size: int = 1, context_tokens: int = 4096,
             bytes_per_param: float = 2, kv_bytes_per_value: float = 2,
             memory_utilization: float = GPU_MEMORY_UTILIZATION, powers_of_two: bool = True,
             max_gpus: int = 1024) -> int:
    """Fewest GPUs per replica that hold the weights and ``batch_size`` sequences of ``context_tokens``.

    ``powers_of_two``: tensor-parallel degrees are 1, 2, 4, 8 in practice (they must divide the number
    of attention heads); set False for the plain ceiling. Beyond one 8-GPU server a replica needs
    pipeline parallelism across servers, which this calculator does not model.

    >>> min_gpus("llama-3.1-70b", "h100-sxm", batch_size=32, context_tokens=8192)
    4

    Source: vLLM engine arguments (``--gpu-memory-utilization`` 0.9),
        https://docs.vllm.ai/en/latest/configuration/engine_args/.
    Used in: 01 §7; 03 §3, §6, exercises; 07 (via agents.tasks).
    """
    positive_int("max_gpus", max_gpus)
    one = memory_fit(cfg, gpu, 1, batch_size, context_tokens, bytes_per_param, kv_bytes_per_value,
                     memory_utilization)
    if one.usable_bytes <= 0:
        raise TechpmError(f"{one.gpu_name} has no memory in its spec; cannot size a replica on it.")
    n = max(1, math.ceil(round(one.needed_bytes / one.usable_bytes, 9)))
    if powers_of_two:
        n = 1 << (n - 1).bit_length()
    if n > max_gpus:
        raise TechpmError(f"{one.model_name} at this batch and context needs {n} x {one.gpu_name}, more than "
                          f"max_gpus={max_gpus}.")
    return n


def max_batch_size(cfg: ModelConfig | str, gpu: GPUSpec | str, n_gpus: int = 1, context_tokens: int = 4096,
                   bytes_per_param: float = 2, kv_bytes_per_value: float = 2,
                   memory_utilization: float = GPU_MEMORY_UTILIZATION) -> int:
    """Most sequences of ``context_tokens`` one replica can hold at once (0 if the weights do not fit).

    Source: vLLM engine arguments (``--gpu-memory-utilization`` 0.9),
        https://docs.vllm.ai/en/latest/configuration/engine_args/. Kwon et al. 2023, "Efficient Memory
        Management for Large Language Model Serving with PagedAttention", https://arxiv.org/abs/2309.06180.
    Used in: 03 §5.
    """
    positive_int("context_tokens", context_tokens)
    return memory_fit(cfg, gpu, n_gpus, 1, context_tokens, bytes_per_param, kv_bytes_per_value,
                      memory_utilization).max_batch_size


def _lengths(sequence_tokens: Sequence[int]) -> list[int]:
    if isinstance(sequence_tokens, (str, bytes)) or not hasattr(sequence_tokens, "__iter__"):
        raise TechpmError("sequence_tokens must be a list of token counts, one per sequence.")
    lengths = [int(x) for x in sequence_tokens]
    if not lengths:
        raise TechpmError("sequence_tokens must list at least one sequence.")
    for x, raw in zip(lengths, sequence_tokens, strict=True):
        if x != raw or x < 1:
            raise TechpmError(f"every sequence length must be a whole number of at least 1, got {raw!r}.")
    return lengths


def kv_utilization_reserved(sequence_tokens: Sequence[int], reserved_tokens: int) -> float:
    """Share of KV memory holding real tokens when each sequence reserves ``reserved_tokens`` up front.

    ``sum(lengths) / (n_sequences * reserved_tokens)``: a server that must reserve the maximum output
    length for every request uses only what the requests actually produce.

    Source: Kwon et al. 2023, "Efficient Memory Management for Large Language Model Serving with
        PagedAttention", https://arxiv.org/abs/2309.06180.
    Used in: 03 §5.
    """
    lengths = _lengths(sequence_tokens)
    positive_int("reserved_tokens", reserved_tokens)
    if max(lengths) > reserved_tokens:
        raise TechpmError(f"a sequence of {max(lengths)} tokens exceeds reserved_tokens={reserved_tokens}.")
    return sum(lengths) / (len(lengths) * reserved_tokens)


def kv_utilization_paged(sequence_tokens: Sequence[int], block_tokens: int = PAGED_BLOCK_TOKENS) -> float:
    """Share of KV memory holding real tokens with paged allocation in blocks of ``block_tokens``.

    ``sum(lengths) / sum(ceil(length / block) * block)``: only each sequence's last block is partly empty.

    >>> kv_utilization_paged([100, 17])   # 117 tokens in 7 + 2 blocks of 16
    0.8125

    Source: Kwon et al. 2023, "Efficient Memory Management for Large Language Model Serving with
        PagedAttention", https://arxiv.org/abs/2309.06180. (blocks of 16 tokens)
    Used in: 03 §5.
    """
    lengths = _lengths(sequence_tokens)
    positive_int("block_tokens", block_tokens)
    return sum(lengths) / sum(math.ceil(n / block_tokens) * block_tokens for n in lengths)
