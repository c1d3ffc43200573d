"""The transformers explorers, headless: set a control, read the HTML line and the result."""

from __future__ import annotations

import pytest

from techpm import calc
from techpm.widgets.transformers import fmt_bytes, fmt_count, memory_explorer, scaling_explorer


def test_memory_explorer_follows_its_controls():
    e = memory_explorer(model="llama-3.1-70b", context_tokens=8192)
    cfg = calc.get_model("llama-3.1-70b")
    assert e.error is None and e.image.value[:4] == b"\x89PNG"
    assert e.result["memory"] == calc.model_memory_bytes(cfg, 8192, 1)
    assert "70.6B parameters" in e.html.value and "320 KiB per token" in e.html.value
    e.controls["batch_size"].value = 8
    assert e.result["memory"].kv_cache == calc.kv_cache_bytes(cfg, 8192, 8)
    e.controls["kv_bytes"].value = 1
    assert e.result["memory"].kv_cache == calc.kv_cache_bytes(cfg, 8192, 8, bytes_per_value=1)
    assert "160 KiB per token" in e.html.value


def test_memory_explorer_moe_and_context_warning():
    e = memory_explorer(model="mixtral-8x7b")
    assert "12.9B active per token" in e.html.value
    assert "Beyond" not in e.html.value
    e.controls["context_tokens"].value = 65536
    assert "Beyond the 32,768-token context" in e.html.value
    e.controls["weight_bytes"].value = 0.5
    assert e.result["memory"].weights == pytest.approx(calc.param_count("mixtral-8x7b") / 2, abs=4)


def test_scaling_explorer_follows_its_controls():
    e = scaling_explorer(compute_flops=5.76e23)
    n, d = calc.chinchilla_optimal(5.76e23)
    assert e.result["n_params"] == n and e.result["n_tokens"] == d
    assert f"{fmt_count(n)} parameters on {fmt_count(d)} tokens" in e.html.value
    e.controls["compute_flops"].value = 1e25
    assert e.result["n_params"] == pytest.approx(calc.chinchilla_optimal(1e25)[0], rel=1e-3)
    e.controls["tokens_per_param"].value = 200      # over-train: a smaller model for the same budget
    assert e.result["n_params"] < calc.chinchilla_optimal(1e25)[0] / 3
    days = e.result["days"]
    e.controls["n_gpus"].value = 2 * e.result["n_gpus"]
    assert e.result["days"] == pytest.approx(days / 2, rel=0.01)
    e.controls["gpu"].value = "t4"                    # slower chip, same budget: longer run
    assert e.result["days"] > days


def test_formatters():
    assert fmt_count(12_879_925_248) == "12.9B" and fmt_count(1.4e12) == "1.4T" and fmt_count(1e15) == "1,000T"
    assert fmt_bytes(141_107_412_992) == "141.1 GB" and fmt_bytes(512) == "512 B"
