"""What a quantized model weighs: bits per weight, plus the scales (and zero points) stored per group.

Quantization stores each weight in fewer bits (16 -> 8 -> 4) and keeps, for every *group* of
``group_size`` consecutive weights, the numbers needed to map the integers back to real values: a scale
(usually fp16) and, for asymmetric schemes, a zero point. So the real size is a little above
``bits / 8`` bytes per weight::

    bits_total   = n_params * bits_per_param + ceil(n_params / group_size) * (scale_bits + zero_bits)
    weights_bytes = ceil(bits_total / 8)

Worked numbers this module is tested against:

- llama.cpp ``Q4_0``: blocks of 32 weights, one fp16 scale -> 18 bytes per 32 weights = 4.5 bits per
  weight; ``Q8_0``: 34 bytes per 32 = 8.5 bits; ``Q4_1`` adds an fp16 minimum -> 20 bytes = 5.0 bits
  (``block_q4_0`` / ``block_q8_0`` / ``block_q4_1`` in ggml-common.h,
  https://github.com/ggml-org/llama.cpp/blob/master/ggml/src/ggml-common.h).
- GPTQ / AWQ checkpoints (AutoGPTQ ``QuantLinear``: ``scales`` fp16 and ``qzeros`` packed at ``bits``
  bits, one of each per ``group_size`` inputs per output,
  https://github.com/AutoGPTQ/AutoGPTQ/blob/main/auto_gptq/nn_modules/qlinear/qlinear_cuda.py):
  4-bit with group size 128 -> 4 + (16 + 4) / 128 = 4.156 bits per weight.
- Llama 2 70B in fp16: 68,976,648,192 parameters x 2 bytes = 138 GB.

The formats a serving stack chooses from are in ``QUANT_FORMATS`` (``get_quant_format('int4-awq')``),
each with what it quantizes, which tensor-core precision does the arithmetic, and what its paper reports
about quality.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from techpm.calc._validate import non_negative, positive, positive_int
from techpm.errors import TechpmError, unknown_name

__all__ = [
    "weights_bytes",
    "effective_bits_per_param",
    "QuantFormat",
    "QUANT_FORMATS",
    "quant_format_ids",
    "get_quant_format",
]


def effective_bits_per_param(bits_per_param: float, group_size: int | None = None, *, scale_bits: float = 16,
                             zero_bits: float = 0) -> float:
    """Bits each weight really costs: ``bits + (scale_bits + zero_bits) / group_size``.

    >>> effective_bits_per_param(4, 32)          # llama.cpp Q4_0
    4.5
    >>> effective_bits_per_param(4, 128, zero_bits=4)   # GPTQ/AWQ, 4-bit, group 128
    4.15625

    Source: llama.cpp ``ggml-common.h`` block layouts,
        https://github.com/ggml-org/llama.cpp/blob/master/ggml/src/ggml-common.h; AutoGPTQ ``QuantLinear``,
        https://github.com/AutoGPTQ/AutoGPTQ/blob/main/auto_gptq/nn_modules/qlinear/qlinear_cuda.py.
    Used in: no lesson directly; inside ``weights_bytes``.
    """
    positive("bits_per_param", bits_per_param)
    non_negative("scale_bits", scale_bits)
    non_negative("zero_bits", zero_bits)
    if group_size is None:
        return float(bits_per_param)
    positive_int("group_size", group_size)
    return bits_per_param + (scale_bits + zero_bits) / group_size


def weights_bytes(n_params: float, bits_per_param: float, group_size: int | None = None, *,
                  scale_bits: float = 16, zero_bits: float = 0) -> int:
    """Bytes to store ``n_params`` weights at ``bits_per_param``, with one scale (+ zero) per group.

    ``group_size=None`` means no per-group overhead (a 16-bit model, or a per-tensor scale whose few
    bytes do not matter). ``scale_bits`` is 16 for an fp16 scale; ``zero_bits`` is 0 for symmetric
    schemes (llama.cpp Q4_0, Q8_0), ``bits_per_param`` for GPTQ/AWQ's packed zero points, 16 for an
    fp16 minimum (Q4_1). Formula and sources in the module docstring.

    >>> weights_bytes(32, 4, 32)        # one llama.cpp Q4_0 block
    18
    >>> round(weights_bytes(68_976_648_192, 16) / 1e9)   # Llama 2 70B in fp16, GB
    138

    Source: llama.cpp ``ggml-common.h`` block layouts,
        https://github.com/ggml-org/llama.cpp/blob/master/ggml/src/ggml-common.h; AutoGPTQ ``QuantLinear``,
        https://github.com/AutoGPTQ/AutoGPTQ/blob/main/auto_gptq/nn_modules/qlinear/qlinear_cuda.py.
    Used in: 03 exercises.
    """
    positive("n_params", n_params)
    bits = effective_bits_per_param(bits_per_param, group_size, scale_bits=scale_bits, zero_bits=zero_bits)
    if group_size is None:
        total_bits = n_params * bits
    else:
        total_bits = n_params * bits_per_param + math.ceil(n_params / group_size) * (scale_bits + zero_bits)
    return math.ceil(round(total_bits / 8, 6))


@dataclass(frozen=True)
class QuantFormat:
    """One way to store and run a model's weights.

    ``compute_precision`` is the tensor-core mode the matrix products run in: weight-only formats
    (GPTQ, AWQ) unpack 4-bit weights to 16-bit inside the kernel, so they save memory and bandwidth but
    not FLOPs; W8A8 formats (FP8, SmoothQuant INT8) also quantize activations and use 8-bit tensor cores.
    """

    id: str
    name: str
    bits_per_param: float
    group_size: int | None
    scale_bits: float
    zero_bits: float
    compute_precision: str          # "bf16", "fp8" or "int8": which tensor-core rate applies
    weights_only: bool              # True: activations stay 16-bit (W4A16, W8A16)
    needs_calibration: str          # what producing the checkpoint takes
    quality: str                    # what the source reports about accuracy (the risk to check)
    source_url: str

    @property
    def effective_bits_per_param(self) -> float:
        """Bits per weight including the per-group scales and zero points."""
        return effective_bits_per_param(self.bits_per_param, self.group_size, scale_bits=self.scale_bits,
                                        zero_bits=self.zero_bits)

    @property
    def bytes_per_param(self) -> float:
        """Bytes per weight including overhead: what the roofline reads per parameter."""
        return self.effective_bits_per_param / 8

    def weights_bytes(self, n_params: float) -> int:
        """Bytes for ``n_params`` weights in this format."""
        return weights_bytes(n_params, self.bits_per_param, self.group_size, scale_bits=self.scale_bits,
                             zero_bits=self.zero_bits)


QUANT_FORMATS: dict[str, QuantFormat] = {f.id: f for f in (
    QuantFormat(
        "bf16", "BF16 (no quantization)", 16, None, 0, 0, "bf16", False,
        "none: the released checkpoint",
        "the reference every other format is measured against",
        "https://arxiv.org/abs/1905.12322",
    ),
    QuantFormat(
        "fp8", "FP8 W8A8 (E4M3, per-tensor/channel scales)", 8, None, 0, 0, "fp8", False,
        "none for dynamic scaling; a few hundred samples for static activation scales",
        "vLLM docs: 'a 2x reduction in model memory requirements and up to a 1.6x improvement in "
        "throughput with minimal impact on accuracy'. Needs FP8 tensor cores (Hopper, Ada, Blackwell).",
        "https://docs.vllm.ai/en/stable/features/quantization/fp8/",
    ),
    QuantFormat(
        "int8", "INT8 W8A8 (SmoothQuant / LLM.int8())", 8, None, 0, 0, "int8", False,
        "a small calibration set to migrate activation outliers into the weights (SmoothQuant)",
        "SmoothQuant: 'up to 1.56x speedup and 2x memory reduction for LLMs with negligible loss in "
        "accuracy'; LLM.int8(): 175B-parameter inference 'without any performance degradation' "
        "(https://arxiv.org/abs/2208.07339). Activation outliers are the risk.",
        "https://arxiv.org/abs/2211.10438",
    ),
    QuantFormat(
        "int4-gptq", "INT4 GPTQ W4A16 (group 128)", 4, 128, 16, 4, "bf16", True,
        "a second-order (Hessian-based) pass over calibration data: 'approximately four GPU hours' for 175B",
        "GPTQ: 3-4 bits per weight 'with negligible accuracy degradation relative to the uncompressed "
        "baseline'; 3.25x end-to-end speedup on A100. Check your own evals: 4-bit can hurt reasoning, "
        "code and long-context tasks more than perplexity shows.",
        "https://arxiv.org/abs/2210.17323",
    ),
    QuantFormat(
        "int4-awq", "INT4 AWQ W4A16 (group 128)", 4, 128, 16, 4, "bf16", True,
        "activation statistics from a small calibration set; no backpropagation or reconstruction",
        "AWQ: protecting about 1% of salient weights (found from activation magnitudes) greatly reduces "
        "quantization error; generalizes to instruction-tuned and multi-modal models (MLSys 2024 best "
        "paper). Same eval caveat as GPTQ.",
        "https://arxiv.org/abs/2306.00978",
    ),
)}


def quant_format_ids() -> list[str]:
    """Ids of the formats in ``QUANT_FORMATS``, widest first.

    Source: ``QUANT_FORMATS``: each format row names its paper.
    Used in: 03 §6.
    """
    return list(QUANT_FORMATS)


def get_quant_format(name: str | QuantFormat) -> QuantFormat:
    """The format called ``name`` ('bf16', 'fp8', 'int8', 'int4-gptq', 'int4-awq'), or ``name`` itself.

    Source: ``QUANT_FORMATS``: each format row names its paper.
    Used in: 03 §6.
    """
    if isinstance(name, QuantFormat):
        return name
    if not isinstance(name, str):
        raise TechpmError(f"precision must be a format id such as 'int4-awq', got {type(name).__name__}.")
    key = name.strip().lower()
    if key not in QUANT_FORMATS:
        raise unknown_name("quantization format", name, QUANT_FORMATS)
    return QUANT_FORMATS[key]
