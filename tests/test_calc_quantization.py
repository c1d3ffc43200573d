"""Quantized weight sizes against the formats' published block layouts, and invariants."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from techpm import calc
from techpm.calc import quantization
from techpm.errors import TechpmError


def test_doctests():
    assert doctest.testmod(quantization).failed == 0


def test_llama_2_70b_in_fp16_is_138_gb():
    # 68,976,648,192 parameters (HF safetensors total) x 2 bytes.
    assert calc.weights_bytes(calc.param_count("llama-2-70b"), 16) == 137_953_296_384
    assert round(calc.weights_bytes(calc.param_count("llama-2-70b"), 16) / 1e9) == 138


@pytest.mark.parametrize("bits, group, zero_bits, block_bytes", [
    (4, 32, 0, 18),    # llama.cpp block_q4_0: fp16 d + 16 bytes of nibbles
    (8, 32, 0, 34),    # block_q8_0: fp16 d + 32 int8
    (4, 32, 16, 20),   # block_q4_1: fp16 d and m + 16 bytes
])
def test_llama_cpp_block_sizes(bits, group, zero_bits, block_bytes):
    assert calc.weights_bytes(32, bits, group, zero_bits=zero_bits) == block_bytes
    assert calc.weights_bytes(32 * 1000, bits, group, zero_bits=zero_bits) == block_bytes * 1000


def test_gptq_layout_with_group_128():
    # AutoGPTQ QuantLinear for one 4096 x 4096 matrix, 4 bits, group 128: qweight int32 (4096/32*4 x 4096),
    # qzeros int32 (32 x 4096/32*4), scales fp16 (32 x 4096). g_idx (4096 int32) is ignored here.
    qweight = (4096 // 32 * 4) * 4096 * 4
    qzeros = (4096 // 128) * (4096 // 32 * 4) * 4
    scales = (4096 // 128) * 4096 * 2
    assert calc.weights_bytes(4096 * 4096, 4, 128, zero_bits=4) == qweight + qzeros + scales
    fmt = calc.get_quant_format("int4-gptq")
    assert fmt.weights_bytes(4096 * 4096) == qweight + qzeros + scales
    assert fmt.effective_bits_per_param == pytest.approx(4.15625)


def test_formats_say_how_they_compute():
    assert calc.get_quant_format("int4-awq").compute_precision == "bf16"      # W4A16: unpacked to 16-bit
    assert calc.get_quant_format("fp8").compute_precision == "fp8"            # W8A8 on fp8 tensor cores
    assert calc.get_quant_format("bf16").bytes_per_param == 2
    for fmt in quantization.QUANT_FORMATS.values():
        assert fmt.source_url.startswith("https://") and fmt.quality


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 10**12), st.sampled_from([2, 3, 4, 8, 16]), st.sampled_from([None, 32, 64, 128]))
def test_size_is_at_least_the_bits_and_grows_with_them(n, bits, group):
    size = calc.weights_bytes(n, bits, group)
    assert size >= n * bits / 8
    assert calc.weights_bytes(n, bits * 2, group) >= size
    if group is not None:  # the scales are what a smaller group pays for
        assert calc.weights_bytes(n, bits, group // 2) >= size


@pytest.mark.parametrize("call, message", [
    (lambda: calc.weights_bytes(0, 4), "n_params"),
    (lambda: calc.weights_bytes(1e9, -4), "bits_per_param"),
    (lambda: calc.weights_bytes(1e9, 4, 0), "group_size"),
    (lambda: calc.weights_bytes(1e9, 4, 12.5), "group_size"),
    (lambda: calc.weights_bytes(1e9, 4, 128, scale_bits=-1), "scale_bits"),
    (lambda: calc.get_quant_format("int4-awk"), "Did you mean 'int4-awq'"),
    (lambda: calc.get_quant_format(4), "name must be a string"),
])
def test_bad_input(call, message):
    with pytest.raises(TechpmError, match=message):
        call()
