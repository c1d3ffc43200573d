"""Explorers for the evals lesson: how big an eval set must be, and how long an A/B test must run.

    from techpm.widgets.evals import eval_size_planner, ab_test_planner
    eval_size_planner(margin=0.03)                 # margin and confidence -> items and labelling cost
    ab_test_planner(base_rate=0.10, minimum_detectable_effect=0.02, users_per_day=5_000)

Each is an ``Explorer``: controls -> ``compute`` (calculators only) -> one HTML line + one figure.
"""

from __future__ import annotations

import functools
from typing import Any

from techpm import calc
from techpm.widgets import Explorer, dropdown, log10s, log_ticks, slider

__all__ = ["eval_size_planner", "ab_test_planner", "CONFIDENCES"]

CONFIDENCES: dict[str, float] = {"80%": 0.8, "90%": 0.9, "95%": 0.95, "99%": 0.99}
_DECADES, _DECADE_LABELS = (1, 10, 100, 1e3, 1e4, 1e5), ("1", "10", "100", "1k", "10k", "100k")
_MARGINS = [10 ** (-2.5 + 0.05 * i) for i in range(37)]  # 0.3% .. 20%


# ---- eval-set size ---------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=64)
def _eval_curve(expected_accuracy: float, confidence: float) -> tuple[tuple[float, int], ...]:
    """Items needed at each margin: the margin and cost sliders do not change it, so it is kept."""
    return tuple((m, calc.sample_size_for_margin(m, expected_accuracy, confidence)) for m in _MARGINS)


def _eval_size(margin: float, confidence: float, expected_accuracy: float, usd_per_label: float,
               labels_per_item: int, minutes_per_label: float) -> dict[str, Any]:
    plan = calc.plan_eval(margin, confidence, expected_accuracy, usd_per_label, int(labels_per_item),
                          minutes_per_label)
    curve = _eval_curve(expected_accuracy, confidence)
    half = calc.sample_size_for_margin(margin / 2, expected_accuracy, confidence)
    return {"plan": plan, "curve": curve, "half_margin_items": half}


def _describe_eval(r: dict[str, Any]) -> str:
    p = r["plan"]
    return (f"To measure an accuracy near {p.expected_accuracy:.0%} to <b>±{p.margin * 100:.1f} points</b> at "
            f"{p.confidence:.0%} confidence: <b>{p.n_items:,} items</b>. Labelled {p.labels_per_item}× each: "
            f"<b>${p.labelling_cost_usd:,.0f}</b> and {p.labelling_hours:,.0f} labeller-hours. "
            f"Half that margin would take {r['half_margin_items']:,} items: precision costs quadratically.")


def _draw_eval(r: dict[str, Any], ax: Any) -> None:
    """Log-log, drawn as log10 values on linear axes (the same picture, much faster to redraw)."""
    margins, items = zip(*r["curve"], strict=True)
    ax.plot(log10s(100 * m for m in margins), log10s(items), color="#4292c6")
    p = r["plan"]
    ax.plot(log10s([100 * p.margin]), log10s([p.n_items]), "o", color="#d94801", markersize=8)
    ticks = [0.5, 1, 2, 5, 10, 20]
    log_ticks(ax, "x", ticks, [f"±{t:g}" for t in ticks])
    log_ticks(ax, "y", _DECADES, _DECADE_LABELS)
    ax.set_ylim(0, 5.5)
    ax.set_xlabel("margin of error (accuracy points)")
    ax.set_ylabel("eval items (log scale)")
    ax.set_title(f"items needed at {p.confidence:.0%} confidence, accuracy near {p.expected_accuracy:.0%}",
                 fontsize=10)


def eval_size_planner(margin: float = 0.03, confidence: float = 0.95, expected_accuracy: float = 0.5,
                      usd_per_label: float = 2.0, labels_per_item: int = 1,
                      minutes_per_label: float = 3.0) -> Explorer:
    """Margin and confidence -> the number of eval items, and what labelling them costs.

    ``usd_per_label`` and ``minutes_per_label`` are your labelling vendor's or team's numbers; the
    defaults are placeholders to change, not market prices.
    """
    label = {v: k for k, v in CONFIDENCES.items()}
    controls = {
        "margin": slider("margin (±, as a rate)", margin, 0.003, 0.2, 0.02, log=True, fmt=".3f"),
        "confidence": dropdown("confidence", list(CONFIDENCES.items()), CONFIDENCES[label[confidence]]),
        "expected_accuracy": slider("expected accuracy", expected_accuracy, 0.5, 0.99, 0.01, fmt=".2f"),
        "usd_per_label": slider("$ per label", usd_per_label, 0.05, 100, 0.05, log=True, fmt=".2f"),
        "labels_per_item": slider("labels per item (raters)", labels_per_item, 1, 5, integer=True),
        "minutes_per_label": slider("minutes per label", minutes_per_label, 0.1, 60, 0.05, log=True, fmt=".1f"),
    }
    return Explorer(controls, _eval_size, _describe_eval, _draw_eval, title="Eval-set size planner",
                    figsize=(6.4, 3.0))


# ---- A/B test --------------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=64)
def _ab_curve(base_rate: float, users_per_day: float, alpha: float, power: float) -> tuple[tuple[float, int], ...]:
    """Days needed for each detectable change: the effect slider does not change it, so it is kept."""
    effects = [10 ** (-3 + 0.05 * i) for i in range(47)]  # 0.1 .. 22 points
    return tuple((e, calc.plan_ab_test(base_rate, e, users_per_day, alpha, power).days)
                 for e in effects if base_rate + e < 1)


def _ab(base_rate: float, minimum_detectable_effect: float, users_per_day: float, alpha: float,
        power: float) -> dict[str, Any]:
    plan = calc.plan_ab_test(base_rate, minimum_detectable_effect, users_per_day, alpha, power)
    curve = _ab_curve(base_rate, users_per_day, alpha, power)
    thumb = calc.rule_of_thumb_sample_size(base_rate * (1 - base_rate), minimum_detectable_effect)
    return {"plan": plan, "curve": curve, "rule_of_thumb": thumb}


def _describe_ab(r: dict[str, Any]) -> str:
    p = r["plan"]
    days = "1 day" if p.days == 1 else f"{p.days:,} days"
    thumb = (f" Kohavi's rule of thumb 16σ²/δ² gives {r['rule_of_thumb']:,} per arm."
             if (p.alpha, p.power) == (0.05, 0.8) else "")
    return (f"From {p.base_rate:.1%} to {p.base_rate + p.minimum_detectable_effect:.1%} "
            f"({p.relative_effect:+.0%} relative), two-sided α = {p.alpha:g}, power {p.power:.0%}: "
            f"<b>{p.n_per_arm:,} users per arm</b> ({p.total_users:,} in all), "
            f"<b>{days}</b> at {p.users_per_day:,.0f} eligible users a day.{thumb}")


def _draw_ab(r: dict[str, Any], ax: Any) -> None:
    """Log-log, drawn as log10 values on linear axes (the same picture, much faster to redraw)."""
    effects, days = zip(*r["curve"], strict=True)
    ax.plot(log10s(100 * e for e in effects), log10s(days), color="#4292c6")
    p = r["plan"]
    ax.plot(log10s([100 * p.minimum_detectable_effect]), log10s([p.days]), "o", color="#d94801", markersize=8)
    ticks = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20]
    log_ticks(ax, "x", ticks, [f"{t:g}" for t in ticks])
    log_ticks(ax, "y", _DECADES, _DECADE_LABELS)
    for days, text in ((7, "a week"), (91, "a quarter")):
        ax.axhline(log10s([days])[0], color="k", linestyle=":", linewidth=1)
        ax.text(-1, log10s([days])[0], f" {text}", fontsize=7, va="bottom")
    ax.set_xlabel("smallest change to detect (percentage points, log scale)")
    ax.set_ylabel("days (log scale)")
    ax.set_title(f"test duration from a {p.base_rate:.1%} base rate", fontsize=10)


def ab_test_planner(base_rate: float = 0.10, minimum_detectable_effect: float = 0.02,
                    users_per_day: float = 5_000, alpha: float = 0.05, power: float = 0.8) -> Explorer:
    """Base rate, the smallest change worth detecting and traffic -> users per arm and days to run."""
    controls = {
        "base_rate": slider("base rate (e.g. thumbs-up rate)", base_rate, 0.01, 0.95, 0.01, fmt=".2f"),
        "minimum_detectable_effect": slider("smallest change to detect", minimum_detectable_effect, 0.001, 0.2,
                                            0.02, log=True, fmt=".3f"),
        "users_per_day": slider("eligible users per day", users_per_day, 100, 10_000_000, 0.05, log=True,
                                fmt=",.0f"),
        "alpha": dropdown("significance level α", [0.01, 0.05, 0.1], alpha),
        "power": dropdown("power", [0.8, 0.9, 0.95], power),
    }
    return Explorer(controls, _ab, _describe_ab, _draw_ab, title="A/B test planner", figsize=(6.4, 3.0))
