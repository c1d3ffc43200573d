"""The transformers exercise checks: right answers pass, the usual mistakes get their specific hint."""

from __future__ import annotations

import pytest

from techpm import calc
from techpm.checks import CORRECT, INCORRECT, NOT_DONE
from techpm.checks import transformers as check


@pytest.mark.parametrize("fn, right, wrong, hint", [
    (check.kv_cache_per_token, 2 * 32 * 8 * 128 * 2, 2 * 32 * 32 * 128 * 2, "grouped-query attention"),
    (check.kv_cache_per_token, 2 * 32 * 8 * 128 * 2, 32 * 8 * 128 * 2, "both K and V"),
    (check.conversations_that_fit, 14, 18, "subtract them"),
    (check.conversations_that_fit, 14, 15, "round down"),
    (check.training_days, 8.4e22 / (1024 * 989e12 * 0.4) / 86400, 8.4e22 / (1024 * 989e12) / 86400, "utilization"),
    (check.chinchilla_params, (1e24 / 120) ** 0.5, (1e24 / 6) ** 0.5, "D ≈ 20 N"),
    (check.moe_memory_gb, 93.4, 25.76, "active parameters"),
    (check.serving_flops_ratio, 70 / 8, 8 / 70, "A over B"),
    (check.lifetime_compute_ratio, 2 * 70e9 * 24e12 / (6 * 70e9 * 1.4e12), 6 * 70e9 * 24e12 / (6 * 70e9 * 1.4e12),
     "forward pass only"),
])
def test_right_passes_and_the_usual_mistake_is_named(fn, right, wrong, hint):
    assert fn(right).status == CORRECT
    result = fn(wrong)
    assert result.status == INCORRECT and hint in result.message
    assert fn(...).status == NOT_DONE


def test_exercise_2_answer_comes_from_the_calculators():
    cfg, gpu = calc.get_model("llama-3.1-8b"), calc.get_gpu("h100-sxm")
    free = gpu.memory_bytes - 2 * calc.param_count(cfg)
    assert free // calc.kv_cache_bytes(cfg, 32_768) == 14


def test_choice_check():
    assert check.over_training_choice("b").status == CORRECT
    assert "serving A costs" in check.over_training_choice("A").message
    assert check.over_training_choice("C").status == INCORRECT
