"""The RLHF explorers, headless: set a control, read the HTML line and the result."""

from __future__ import annotations

import numpy as np
import pytest

from techpm import calc
from techpm.rlhf import goodhart, preferences, reward_model
from techpm.widgets.rlhf import BETA_GRID, beta_explorer, budget_explorer, priced_gpus


def test_beta_explorer_follows_beta():
    e = beta_explorer(beta=0.1)
    assert e.error is None and e.image.value[:4] == b"\x89PNG"
    pool = goodhart.answer_pool("test")
    expected = goodhart.kl_regularised_curve(pool, reward_model.course_reward_model().weights,
                                             preferences.USER_WEIGHTS, [0.1])
    assert e.result["kl"] == pytest.approx(expected.kl[0]) and e.result["gold"] == pytest.approx(expected.gold[0])
    assert f"{expected.kl[0]:.2f} nats" in e.html.value and "β = 0.1" in e.html.value
    kl_small_beta = e.result["kl"]
    e.controls["beta"].value = 2.0  # a tighter leash: closer to the reference
    assert e.result["kl"] < kl_small_beta and "β = 2" in e.html.value
    curve = e.result["curve"]
    assert len(curve.kl) == len(BETA_GRID) and f"{curve.gold[curve.peak]:.2f}" in e.html.value


def test_optimising_the_users_reward_itself_does_not_turn_down():
    e = beta_explorer(beta=0.01, optimise="gold")
    gold = e.result["curve"].gold
    assert np.all(np.diff(gold) > -1e-9)  # no Goodhart when the target is the thing you care about
    assert "the users' own reward" in e.html.value
    e.controls["optimise"].value = "proxy"
    assert e.result["gold"] < e.result["curve"].gold.max() - 0.5


def test_budget_explorer_follows_its_controls():
    e = budget_explorer(params_b=70, comparisons=100_000, usd_per_label=0.67, gpu="h100-sxm", n_gpus=64,
                        labels_per_day=5_000)
    assert e.error is None and e.image.value[:4] == b"\x89PNG"
    ppo = calc.rlhf_budget(70e9, 100_000, 0.67, "h100-sxm", "ppo", n_gpus=64, labels_per_day=5_000)
    assert e.result["ppo"] == ppo
    assert f"${ppo.total_usd:,.0f}" in e.html.value and "20.0 labelling" in e.html.value
    e.controls["usd_per_label"].value = 0.06  # RLAIF's AI-label price: labels become ~11x cheaper
    assert e.result["ppo"].label_usd == pytest.approx(6_000)
    e.controls["comparisons"].value = 1_000_000
    assert e.result["dpo"].flops == pytest.approx(calc.rlhf_stage_flops("dpo", 70e9, 1_000_000 * 2 * 1000))
    gpu_hours = e.result["ppo"].gpu_hours
    e.controls["gpu"].value = "a100-80gb"  # slower chip, same work: more GPU-hours
    assert e.result["ppo"].gpu_hours > gpu_hours


def test_budget_explorer_offers_only_priced_gpus():
    assert "mi300x" not in priced_gpus() and "h100-sxm" in priced_gpus()
