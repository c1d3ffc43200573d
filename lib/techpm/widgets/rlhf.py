"""Explorers for the RLHF lesson: what beta does, and what preference tuning costs.

    from techpm.widgets.rlhf import beta_explorer, budget_explorer
    beta_explorer(beta=0.1)                   # KL leash vs. learned and users' reward (over-optimisation)
    budget_explorer(params_b=70)              # model size, comparisons, label price, GPU -> dollars and days

Each is an ``Explorer``: controls -> ``compute`` (the lab and the calculators) -> one HTML line + one figure.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from techpm import calc
from techpm.widgets import Explorer, dropdown, slider

__all__ = ["beta_explorer", "budget_explorer", "OPTIMISED_REWARDS", "BETA_GRID"]

OPTIMISED_REWARDS = {"the learned reward model (proxy)": "proxy", "the users' own reward (gold)": "gold"}
BETA_GRID = (float("inf"), *(10 ** (1 - 3 * i / 40) for i in range(41)))  # the reference, then 10 to 0.01


@cache
def _curve(optimise: str) -> Any:
    import numpy as np

    from techpm.rlhf import goodhart, preferences, reward_model

    proxy = reward_model.course_reward_model().weights
    weights = proxy if optimise == "proxy" else np.array(preferences.weights_vector(preferences.USER_WEIGHTS))
    return goodhart.kl_regularised_curve(goodhart.answer_pool("test"), weights, preferences.USER_WEIGHTS,
                                         np.array(BETA_GRID)), weights


def _beta(beta: float, optimise: str) -> dict[str, Any]:
    from techpm.rlhf import goodhart, preferences

    curve, weights = _curve(optimise)
    point = goodhart.kl_regularised_curve(goodhart.answer_pool("test"), weights, preferences.USER_WEIGHTS, [beta])
    return {"beta": beta, "optimise": optimise, "curve": curve, "kl": float(point.kl[0]),
            "proxy": float(point.proxy[0]), "gold": float(point.gold[0])}


def _describe_beta(r: dict[str, Any]) -> str:
    c = r["curve"]
    target = "the learned reward model" if r["optimise"] == "proxy" else "the users' own reward"
    return (f"Optimising {target} with <b>β = {r['beta']:.3g}</b>: the policy moves <b>{r['kl']:.2f} nats</b> "
            f"from the reference; learned reward {r['proxy']:.2f}, <b>users' reward {r['gold']:.2f}</b> "
            f"(best over the β grid: {c.gold[c.peak]:.2f} at β = {c.knob[c.peak]:.2g}, KL {c.kl[c.peak]:.2f}; "
            f"at the reference: {c.gold[0]:.2f}).<br><small>Figure: dashed, the learned reward; solid, the "
            f"users' reward; dot, the users' best; black square, this β.</small>")


def _draw_beta(r: dict[str, Any], ax: Any) -> None:
    from techpm.rlhf import goodhart

    goodhart.plot_overoptimisation(ax, r["curve"], marker=(r["kl"], r["gold"]), legend=False)


def beta_explorer(beta: float = 0.1, optimise: str = "proxy") -> Explorer:
    """Slide beta, the KL coefficient: the KL-regularised optimum over the held-out questions' answers."""
    controls = {
        "beta": slider("β (KL coefficient)", beta, 0.01, 10, 0.05, log=True, fmt=".3g"),
        "optimise": dropdown("optimise", list(OPTIMISED_REWARDS.items()), optimise),
    }
    return Explorer(controls, _beta, _describe_beta, _draw_beta, title="The β / KL trade-off",
                    figsize=(6.4, 3.4))


# ---- the RLHF budget ----------------------------------------------------------------------------------

def priced_gpus() -> list[str]:
    """GPUs with a tabled rental price (the budget needs one)."""
    return [g for g in calc.gpu_ids() if calc.get_gpu_prices(g)]


def _budget(params_b: float, comparisons: float, usd_per_label: float, gpu: str, n_gpus: float,
            labels_per_day: float) -> dict[str, Any]:
    kwargs = {"n_params": params_b * 1e9, "n_comparisons": int(comparisons), "usd_per_label": usd_per_label,
              "gpu": gpu, "n_gpus": int(n_gpus), "labels_per_day": labels_per_day}
    return {"ppo": calc.rlhf_budget(method="ppo", **kwargs), "dpo": calc.rlhf_budget(method="dpo", **kwargs),
            "params_b": params_b, "comparisons": int(comparisons), "gpu": calc.get_gpu(gpu)}


def _line(b: Any, name: str) -> str:
    return (f"<b>{name}: ${b.total_usd:,.0f}</b> (labels ${b.label_usd:,.0f} + compute ${b.compute_usd:,.0f} "
            f"for {b.gpu_hours:,.0f} GPU-hours); model states {b.memory_bytes / 1e9:,.0f} GB need ≥ {b.min_gpus} GPUs; "
            f"<b>{b.days:,.1f} days</b> ({b.label_days:,.1f} labelling + {b.compute_days:,.2f} training on "
            f"{b.n_gpus} GPUs)")


def _describe_budget(r: dict[str, Any]) -> str:
    return (f"{r['params_b']:,.0f}B policy, {r['comparisons']:,} comparisons, {r['gpu'].name}:<br>"
            f"{_line(r['ppo'], 'reward model + PPO')}<br>{_line(r['dpo'], 'DPO')}")


def _draw_budget(r: dict[str, Any], ax: Any) -> None:
    names = ["PPO", "DPO"]  # PPO includes training its reward model
    budgets = [r["ppo"], r["dpo"]]
    labels = [b.label_usd / 1e3 for b in budgets]
    compute = [b.compute_usd / 1e3 for b in budgets]
    ax.barh(names, labels, color="#fd8d3c", label="labels")
    ax.barh(names, compute, left=labels, color="#4292c6", label="GPU compute")
    ax.invert_yaxis()
    ax.set_xlabel("thousand US dollars")
    ax.legend(fontsize=8, ncol=2, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)


def budget_explorer(params_b: float = 70, comparisons: int = 100_000, usd_per_label: float = 0.67,
                    gpu: str = "h100-sxm", n_gpus: int = 64, labels_per_day: float = 5_000) -> Explorer:
    """Model size, comparisons, price per label, GPU -> dollars and days for reward model + PPO vs. DPO.

    ``usd_per_label`` defaults to the RLAIF paper's human estimate ($0.67); ``labels_per_day`` (your
    vendor's throughput) is an assumption to set, not a sourced figure."""
    controls = {
        "params_b": slider("policy parameters (billions)", params_b, 1, 500, 0.05, log=True, fmt=",.0f"),
        "comparisons": slider("preference comparisons", comparisons, 1_000, 2_000_000, 0.05, log=True, fmt=",.0f"),
        "usd_per_label": slider("US$ per comparison", usd_per_label, 0.01, 10, 0.05, log=True, fmt=".2f"),
        "gpu": dropdown("GPU", priced_gpus(), gpu),
        "n_gpus": slider("GPUs", n_gpus, 8, 4096, 0.05, log=True, fmt=",.0f"),
        "labels_per_day": slider("comparisons labelled per day", labels_per_day, 100, 200_000, 0.05, log=True,
                                 fmt=",.0f"),
    }
    return Explorer(controls, _budget, _describe_budget, _draw_budget, title="RLHF budget: dollars and days",
                    figsize=(6.4, 2.8))
