"""The inference explorers, headless: set a control, read the HTML line and the result."""

from __future__ import annotations

import pytest

from techpm import calc
from techpm.widgets.inference import DAYS_PER_MONTH, api_cost_explorer, serving_explorer


@pytest.fixture(scope="module")
def serving():
    return serving_explorer(model="llama-3.1-70b", gpu="h100-sxm", n_gpus=4, batch_size=32,
                            prompt_tokens=2000, output_tokens=300)


def test_serving_explorer_shows_the_calculators_numbers(serving):
    serving.controls["batch_size"].value = 8
    est = serving.result["estimate"]
    expected = calc.serving_estimate("llama-3.1-70b", "h100-sxm", n_gpus=4, batch_size=8, prompt_tokens=2000,
                                     output_tokens=300)
    assert est == expected
    html = serving.html.value
    assert f"{expected.tokens_per_s_per_user:,.0f} tokens/s per user" in html
    assert f"{expected.output_tokens_per_s:,.0f} output tokens/s in total" in html
    assert f"${expected.usd_per_mtok_output:,.2f} per million" in html
    assert f"TTFT</b> {expected.ttft_s * 1e3:,.0f} ms" in html
    assert serving.image.value[:4] == b"\x89PNG"


def test_serving_explorer_sweep_runs_to_the_memory_limit(serving):
    sweep = serving.result["sweep"]
    assert sweep[0].batch_size == 1
    assert sweep[-1].batch_size == calc.max_batch_size("llama-3.1-70b", "h100-sxm", 4, 2300)


def test_serving_explorer_precision_and_gpus(serving):
    serving.controls["batch_size"].value = 8
    serving.controls["precision"].value = "int4-awq"
    awq = serving.result["estimate"]
    assert awq.memory.weights_bytes == calc.get_quant_format("int4-awq").weights_bytes(calc.param_count("llama-3.1-70b"))
    serving.controls["n_gpus"].value = 1
    assert serving.error is None and serving.result["estimate"].n_gpus == 1
    serving.controls["precision"].value = "bf16"     # 141 GB of weights on one 80 GB GPU
    assert serving.result is None
    needed = calc.memory_fit("llama-3.1-70b", "h100-sxm", 1, 8, 2300)
    assert serving.error == f"Does not fit in memory: {needed.explain()}"
    assert "weights alone do not fit" in serving.error
    assert "⚠" in serving.html.value
    serving.controls["n_gpus"].value = 4
    assert serving.error is None


def test_api_cost_explorer():
    explorer = api_cost_explorer(model="claude-sonnet-5-5", requests_per_day=1000, prompt_tokens=5000,
                                 output_tokens=300, cached_prefix_tokens=4000, cache_hit_rate=0.9)
    requests = round(1000 * DAYS_PER_MONTH)
    expected = calc.api_workload_cost("claude-sonnet-5-5", requests, 5000, 300, 4000, 0.9)
    assert explorer.result["bill"] == expected
    assert f"${expected.total_usd:,.2f} a month" in explorer.html.value
    explorer.controls["batch"].value = True
    assert explorer.result["bill"].total_usd == pytest.approx(expected.total_usd * 0.5)
    explorer.controls["cached_prefix_tokens"].value = 0
    assert explorer.result["bill"].total_usd == pytest.approx(explorer.result["baseline"].total_usd * 0.5)
    explorer.controls["cached_prefix_tokens"].value = 9000      # more than the prompt
    assert "cannot exceed prompt_tokens" in explorer.error


def test_api_cost_explorer_flags_the_long_context_tier():
    explorer = api_cost_explorer(model="claude-haiku-5-5", prompt_tokens=150_000, cached_prefix_tokens=0)
    assert explorer.result["bill"].long_context
    assert "long-context rates" in explorer.html.value


def test_static_figures_draw_what_the_calculators_say():
    from matplotlib.figure import Figure

    from techpm.widgets.inference import draw_breakeven, draw_roofline

    steps = {"prefill": calc.prefill_step("llama-3.1-8b", "h100-sxm", 2000),
             "decode": calc.decode_step("llama-3.1-8b", "h100-sxm")}
    ax = Figure().add_subplot()
    draw_roofline(ax, steps)
    dots = [line for line in ax.get_lines() if line.get_marker() == "o"]
    assert [d.get_xdata()[0] for d in dots] == [s.arithmetic_intensity for s in steps.values()]
    assert [d.get_label().split(":")[1].strip() for d in dots] == ["compute-bound", "memory-bound"]

    b = calc.selfhost_breakeven(4.0, 4, 7.0, 0.007, 0.6)
    ax = Figure().add_subplot()
    draw_breakeven(ax, b, "api")
    api_line, own_line = ax.get_lines()[:2]
    v = own_line.get_xdata()[-1] * 1e6
    assert own_line.get_ydata()[-1] * 1e3 == pytest.approx(b.monthly_costs_usd(v)[0])
    assert api_line.get_ydata()[-1] * 1e3 == pytest.approx(b.monthly_costs_usd(v)[1])


def test_the_batch_slider_reuses_the_sweep(monkeypatch):
    from techpm.widgets import inference as module

    calls = []
    real = calc.serving_sweep
    monkeypatch.setattr(calc, "serving_sweep", lambda *a, **k: calls.append(a) or real(*a, **k))
    module._sweep.cache_clear()
    e = serving_explorer(model="llama-3.1-8b", gpu="h100-sxm", n_gpus=1, batch_size=4)
    for batch in (8, 16, 64):
        e.controls["batch_size"].value = batch
    assert len(calls) == 1 and e.result["estimate"].batch_size == 64
    assert list(e.result["sweep"]) == calc.serving_sweep("llama-3.1-8b", "h100-sxm", n_gpus=1, precision="bf16",
                                                         kv_precision="bf16", prompt_tokens=2000,
                                                         output_tokens=300)
    e.controls["prompt_tokens"].value = 1000      # a control the sweep depends on: computed again
    assert e.error is None and len(calls) == 3    # (the second call was the assertion's own)
