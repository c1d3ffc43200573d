"""Explorer for the safety lesson: move a content classifier's threshold and watch both failure rates.

    from techpm.widgets.safety import threshold_explorer
    threshold_explorer(scores, harmful, threshold=0.5)     # scores: P(harmful) on a labelled test set

An ``Explorer``: controls -> ``compute`` (the classifier's operating curve and ``calc`` only) -> one HTML
line + one figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from techpm import calc
from techpm.widgets import Explorer, slider

__all__ = ["threshold_explorer"]


def _compute(scores: Sequence[float], harmful: Sequence[bool], confidence: float):
    from techpm.safety.classifier import operating_curve, operating_point

    cached: list[Any] = []  # the curve does not depend on the controls: computed once, on first use

    def compute(threshold: float, harmful_share: float, usd_per_violation: float,
                usd_per_over_refusal: float) -> dict[str, Any]:
        point = operating_point(scores, harmful, threshold, confidence)
        if not cached:
            cached.append(operating_curve(scores, harmful, confidence=confidence))
        curve = cached[0]
        cost = calc.expected_error_cost_usd(point.violation.rate, point.over_refusal.rate, harmful_share,
                                            usd_per_violation, usd_per_over_refusal)
        costs = [calc.expected_error_cost_usd(p.violation.rate, p.over_refusal.rate, harmful_share,
                                              usd_per_violation, usd_per_over_refusal) for p in curve]
        best = min(range(len(curve)), key=lambda i: (costs[i], curve[i].threshold))
        return {"point": point, "curve": curve, "cost_usd": cost, "best": curve[best], "best_cost_usd": costs[best],
                "harmful_share": harmful_share}

    return compute


def _describe(r: dict[str, Any]) -> str:
    p, best = r["point"], r["best"]
    v, o = p.violation, p.over_refusal
    return (f"Threshold {p.threshold:.2f}: <b>violation rate {v.rate:.0%}</b> ({v.low:.0%}–{v.high:.0%}) of "
            f"harmful prompts get through; <b>over-refusal rate {o.rate:.0%}</b> ({o.low:.0%}–{o.high:.0%}) of "
            f"benign ones are refused. With {r['harmful_share']:.1%} of traffic harmful, errors cost "
            f"<b>${1000 * r['cost_usd']:,.2f} per 1,000 requests</b>; the cheapest threshold on this set is "
            f"{best.threshold:.2f} (${1000 * r['best_cost_usd']:,.2f}).")


def _draw(r: dict[str, Any], ax: Any) -> None:
    curve = r["curve"]
    t = [p.threshold for p in curve]
    for attr, color, label in (("violation", "#d94801", "violation rate (harmful allowed)"),
                               ("over_refusal", "#4292c6", "over-refusal rate (benign blocked)")):
        rates = [getattr(p, attr) for p in curve]
        ax.plot(t, [x.rate for x in rates], color=color, label=label)
        ax.fill_between(t, [x.low for x in rates], [x.high for x in rates], color=color, alpha=0.15, linewidth=0)
    ax.axvline(r["point"].threshold, color="k", linestyle=":", linewidth=1)
    ax.axvline(r["best"].threshold, color="#238b45", linestyle="--", linewidth=1, label="cheapest threshold")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("threshold (block when P(harmful) ≥ threshold)")
    ax.set_ylabel("rate on the test set")
    ax.legend(fontsize=7, loc="center right")
    ax.set_title("operating curve with 95% Wilson bands", fontsize=10)


def threshold_explorer(scores: Sequence[float], harmful: Sequence[bool], threshold: float = 0.5,
                       harmful_share: float = 0.01, usd_per_violation: float = 50.0,
                       usd_per_over_refusal: float = 1.0, confidence: float = 0.95) -> Explorer:
    """Threshold, traffic mix and the cost of each error -> both rates with intervals and the cost per request.

    ``scores`` and ``harmful`` are a labelled test set's classifier scores and labels. The dollar values
    are placeholders to replace with your own (the cost of an incident, of a user lost to a refusal).
    """
    scores, harmful = list(scores), list(harmful)
    controls = {
        "threshold": slider("threshold", threshold, 0.0, 1.0, 0.02, fmt=".2f"),
        "harmful_share": slider("harmful share of traffic", harmful_share, 0.0001, 0.5, 0.05, log=True, fmt=".4f"),
        "usd_per_violation": slider("$ per violation", usd_per_violation, 0.5, 50_000, 0.05, log=True, fmt=",.1f"),
        "usd_per_over_refusal": slider("$ per over-refusal", usd_per_over_refusal, 0.01, 1_000, 0.05, log=True,
                                       fmt=",.2f"),
    }
    return Explorer(controls, _compute(scores, harmful, confidence), _describe, _draw,
                    title="Content-classifier threshold", figsize=(6.4, 3.2))
