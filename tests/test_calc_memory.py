"""Memory fit: weights + KV cache against GPU memory, GPU counts, and KV allocation (paged vs. reserved)."""

from __future__ import annotations

import doctest
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from techpm import calc
from techpm.calc import memory
from techpm.errors import TechpmError


def test_doctests():
    assert doctest.testmod(memory).failed == 0


def test_memory_fit_adds_weights_and_kv_cache():
    fit = calc.memory_fit("llama-3.1-70b", "h100-sxm", n_gpus=4, batch_size=32, context_tokens=8192)
    assert fit.weights_bytes == calc.param_count("llama-3.1-70b") * 2
    assert fit.kv_cache_bytes == calc.kv_cache_bytes("llama-3.1-70b", 8192, 32)   # 320 KiB/token x 8K x 32
    assert fit.kv_cache_bytes == 327_680 * 8192 * 32
    assert fit.usable_bytes == pytest.approx(4 * 80e9 * 0.9)
    assert fit.fits
    room = (fit.usable_bytes - fit.weights_bytes) // (327_680 * 8192)
    assert fit.max_batch_size == room


def test_the_classic_examples():
    # A 70B model in bf16 (141 GB) needs two 80 GB GPUs just for the weights; int4 fits one.
    assert calc.min_gpus("llama-3.1-70b", "h100-sxm", context_tokens=0) == 2
    awq = calc.get_quant_format("int4-awq").bytes_per_param
    assert calc.min_gpus("llama-3.1-70b", "h100-sxm", context_tokens=4096, bytes_per_param=awq) == 1
    # Llama 3.1 405B in bf16: 812 GB of weights, more than one 8 x H100 server (576 GB usable).
    assert calc.min_gpus("llama-3.1-405b", "h100-sxm", context_tokens=0) == 16
    assert calc.min_gpus("llama-3.1-405b", "h100-sxm", context_tokens=0, powers_of_two=False) == 12


def test_grouped_query_attention_shrinks_the_cache_8x():
    # Llama 2 70B keeps 8 KV heads for 64 query heads; the same model with full multi-head attention keeps 64.
    import dataclasses

    gqa = calc.get_model("llama-2-70b")
    mha = dataclasses.replace(gqa, n_kv_heads=64, id="llama-2-70b-mha")
    assert calc.max_batch_size(gqa, "h100-sxm", 4, 4096) > 7 * calc.max_batch_size(mha, "h100-sxm", 4, 4096)


def test_fp8_cache_doubles_the_batch():
    bf16 = calc.max_batch_size("llama-3.1-8b", "h100-sxm", 1, 8192, kv_bytes_per_value=2)
    fp8 = calc.max_batch_size("llama-3.1-8b", "h100-sxm", 1, 8192, kv_bytes_per_value=calc.kv_precision_bytes("fp8"))
    assert fp8 in (2 * bf16, 2 * bf16 + 1)


def test_explanations():
    assert "it fits" in calc.memory_fit("llama-3.1-8b", "h100-sxm").explain()
    with pytest.raises(TechpmError, match=r"weights alone do not fit.*at least 2 x"):
        calc.memory_fit("llama-3.1-70b", "h100-sxm").require()
    with pytest.raises(TechpmError, match=r"at most \d+ sequences of 131,072 tokens"):
        calc.memory_fit("llama-3.1-70b", "h100-sxm", 8, 32, 131_072).require()


def test_paged_allocation_wastes_less_than_a_block_per_sequence():
    lengths = [17, 300, 1000, 5, 64]
    paged = calc.kv_utilization_paged(lengths, 16)
    assert paged == pytest.approx(sum(lengths) / sum(math.ceil(n / 16) * 16 for n in lengths))
    assert calc.kv_utilization_reserved(lengths, 2048) == pytest.approx(sum(lengths) / (5 * 2048))
    assert calc.kv_utilization_reserved(lengths, 2048) < 0.4 < paged


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(1, 4096), min_size=1, max_size=50), st.sampled_from([1, 8, 16, 32]))
def test_paged_never_worse_than_reserving_the_maximum(lengths, block):
    paged = calc.kv_utilization_paged(lengths, block)
    assert calc.kv_utilization_reserved(lengths, max(lengths)) <= 1.0
    wasted = sum(math.ceil(n / block) * block for n in lengths) - sum(lengths)
    assert wasted <= len(lengths) * (block - 1)
    assert calc.kv_utilization_reserved(lengths, 4096) <= paged or block > min(lengths)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["llama-3.1-8b", "llama-3.1-70b", "mixtral-8x7b", "llama-3.1-405b"]),
       st.sampled_from(["h100-sxm", "a100-40gb", "l4", "b200"]), st.integers(1, 256), st.integers(0, 32_768))
def test_min_gpus_is_minimal_and_fits(model, gpu, batch, context):
    n = calc.min_gpus(model, gpu, batch, context, powers_of_two=False)
    assert calc.memory_fit(model, gpu, n, batch, context).fits
    if n > 1:
        assert not calc.memory_fit(model, gpu, n - 1, batch, context).fits
    assert calc.memory_fit(model, gpu, n + 3, batch, context).fits   # more GPUs never un-fit


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 131_072), st.integers(1, 131_072))
def test_more_context_never_more_sequences(c1, c2):
    assert (calc.max_batch_size("llama-3.1-70b", "h100-sxm", 8, max(c1, c2))
            <= calc.max_batch_size("llama-3.1-70b", "h100-sxm", 8, min(c1, c2)))


@pytest.mark.parametrize("call, message", [
    (lambda: calc.memory_fit("llama-3.1-8b", "h100-sxm", n_gpus=0), "n_gpus"),
    (lambda: calc.memory_fit("llama-3.1-8b", "h100-sxm", memory_utilization=1.5), "memory_utilization"),
    (lambda: calc.memory_fit("llama-3.1-8b", "h200x"), "Did you mean 'h200'"),
    (lambda: calc.max_batch_size("llama-3.1-8b", "h100-sxm", context_tokens=0), "context_tokens"),
    (lambda: calc.kv_precision_bytes("fp6"), "Unknown KV-cache precision"),
    (lambda: calc.kv_utilization_paged([]), "at least one"),
    (lambda: calc.kv_utilization_paged([3, 1.5]), "whole number"),
    (lambda: calc.kv_utilization_reserved([3000], 2048), "exceeds reserved_tokens"),
    (lambda: calc.min_gpus("llama-3.1-405b", "t4", max_gpus=8), "more than max_gpus"),
])
def test_bad_input(call, message):
    with pytest.raises(TechpmError, match=message):
        call()
