"""Explorers for the API design lesson: a token-bucket limiter under bursty load, and pricing vs. margin.

    from techpm.widgets.api_design import rate_limit_explorer, pricing_explorer
    rate_limit_explorer()      # rate, burst, the batch job's burst, shared or per-tenant limits, retries
    pricing_explorer()         # a plan and its price vs. serving cost: revenue, margin, who loses money

Each is an ``Explorer``: controls -> ``compute`` (the simulators and calculators only) -> one HTML line +
one figure.
"""

from __future__ import annotations

from typing import Any

from techpm import calc
from techpm.api_lab import customers as customers_mod
from techpm.api_lab import load
from techpm.widgets import Explorer, dropdown, log10s, log_ticks, slider

__all__ = ["rate_limit_explorer", "pricing_explorer", "PLAN_LABELS"]

_OUTCOME_COLORS = {"first try": "#2ca02c", "after retries": "#ff7f0e", "failed (429)": "#d62728"}


# ---- rate limits ---------------------------------------------------------------------------------

def _rate_limit(rate_per_s: float, burst: float, batch_burst: int, limiter: str, max_retries: int) -> dict[str, Any]:
    tenants = (load.Tenant("chat app", rate_per_s=2.0),
               load.Tenant("batch job", burst_size=int(batch_burst), burst_every_s=60.0, burst_spread_s=2.0))
    run = load.simulate_rate_limited_load(tenants, rate_per_s=rate_per_s, burst=burst, limiter=limiter,
                                          max_retries=int(max_retries), duration_s=180.0)
    return {"run": run, "rate_per_s": rate_per_s, "burst": burst, "limiter": limiter}


def _describe_rate_limit(r: dict[str, Any]) -> str:
    parts = [f"<b>{s.name}</b>: {s.throttled_first_try_share:.0%} of requests get a 429 on the first try, "
             f"{s.failed_share:.0%} fail after the SDK's retries; latency p50 {s.p50_latency_s:.1f} s, "
             f"<b>p99 {s.p99_latency_s:.1f} s</b>" for s in r["run"].stats]
    scope = "one bucket for the organization" if r["limiter"] == "shared" else "one bucket per tenant"
    return f"{r['rate_per_s']:g} requests/s, burst {r['burst']:g}, {scope}.<br>" + "<br>".join(parts)


def _draw_rate_limit(r: dict[str, Any], ax: Any) -> None:
    """Every request as a dot: when it arrived (x), whose it was (row), how it fared (colour)."""
    run = r["run"]
    outcomes = {"first try": ~run.first_try_throttled,
                "after retries": run.first_try_throttled & (run.attempts > 1) & (run.latency_s == run.latency_s),
                "failed (429)": run.latency_s != run.latency_s}  # nan != nan marks the failed ones
    rows = run.tenant + (run.arrivals_s * 7.31 % 1.0) * 0.6 - 0.3  # spread each row, deterministically
    for name, mask in outcomes.items():
        ax.plot(run.arrivals_s[mask], rows[mask], ".", markersize=3, color=_OUTCOME_COLORS[name], label=name)
    ax.set_yticks(range(len(run.tenant_names)), labels=list(run.tenant_names))
    ax.set_xlabel("arrival time (s)")
    ax.set_ylim(-0.6, len(run.tenant_names) - 0.4)
    ax.legend(fontsize=7, loc="upper right", ncol=3, markerscale=2, frameon=False)


def rate_limit_explorer(rate_per_s: float = 4.0, burst: float = 40.0, batch_burst: int = 120,
                        limiter: str = "shared", max_retries: int = calc.SDK_DEFAULT_MAX_RETRIES) -> Explorer:
    """A steady chat app (2 requests/s) and a batch job that fires ``batch_burst`` requests every minute,
    behind one token-bucket limit: who gets throttled, and what latency looks like."""
    controls = {
        "rate_per_s": slider("limit (requests/s)", rate_per_s, 1, 20, 0.5, fmt=".1f"),
        "burst": slider("burst (bucket size)", burst, 1, 200, integer=True),
        "batch_burst": slider("batch job burst (requests/min)", batch_burst, 0, 300, 10, integer=True),
        "limiter": dropdown("limit applies", [("per organization (shared)", "shared"),
                                               ("per tenant (split)", "per_tenant")], limiter),
        "max_retries": slider("client max_retries", max_retries, 0, 8, integer=True),
    }
    return Explorer(controls, _rate_limit, _describe_rate_limit, _draw_rate_limit,
                    title="Token-bucket rate limit under bursty load", figsize=(6.4, 2.6))


# ---- pricing -------------------------------------------------------------------------------------

PLAN_LABELS = {"per_token": "per token", "per_request": "per request", "tiered": "volume tiers",
               "seat": "per seat"}


def _pricing(kind: str, usd_per_mtok_in: float, usd_per_mtok_out: float, usd_per_request: float,
             usd_per_seat: float, cost_usd_per_mtok: float) -> dict[str, Any]:
    plan = calc.PricingPlan(PLAN_LABELS[kind], kind, input_usd_per_mtok=usd_per_mtok_in,
                            output_usd_per_mtok=usd_per_mtok_out, usd_per_request=usd_per_request,
                            tiers=calc.volume_discount_tiers(usd_per_mtok_in) if kind == "tiered" else (),
                            usd_per_seat=usd_per_seat)
    econ = calc.plan_economics(plan, customers_mod.simulate_customers(), cost_usd_per_mtok, cost_usd_per_mtok)
    return {"econ": econ, "cost_usd_per_mtok": cost_usd_per_mtok}


def _describe_pricing(r: dict[str, Any]) -> str:
    e = r["econ"]
    margin = "n/a" if e.revenue_usd <= 0 else f"{e.gross_margin:.0%}"
    return (f"<b>{e.plan.name}</b> over {len(e.customer_revenue_usd)} customers: revenue "
            f"<b>${e.revenue_usd:,.0f}</b>/month, serving cost ${e.cost_usd:,.0f} "
            f"(at ${r['cost_usd_per_mtok']:.2f} per million tokens); gross margin <b>{margin}</b>; "
            f"<b>{e.unprofitable_customers}</b> customers cost more than they pay.")


def _draw_pricing(r: dict[str, Any], ax: Any) -> None:
    """Each customer: serving cost (x) against revenue (y), log-log; below the diagonal loses money."""
    e = r["econ"]
    x = log10s(e.customer_cost_usd, floor=1e-2)
    y = log10s(e.customer_revenue_usd, floor=1e-2)
    losing = [c > v for v, c in zip(e.customer_revenue_usd, e.customer_cost_usd, strict=True)]
    ax.plot([a for a, bad in zip(x, losing, strict=True) if not bad],
            [b for b, bad in zip(y, losing, strict=True) if not bad], ".", markersize=3, color="#4c72b0",
            label="profitable")
    ax.plot([a for a, bad in zip(x, losing, strict=True) if bad],
            [b for b, bad in zip(y, losing, strict=True) if bad], ".", markersize=4, color="#d62728",
            label="served at a loss")
    ax.plot([-2, 5], [-2, 5], color="#999", lw=1, linestyle="--", label="break-even")
    ticks, labels = (0.01, 1, 100, 10_000), ("$0.01", "$1", "$100", "$10k")
    log_ticks(ax, "x", ticks, labels)
    log_ticks(ax, "y", ticks, labels)
    ax.set(xlim=(-2, 5), ylim=(-2, 5), xlabel="serving cost per customer per month",
           ylabel="revenue per customer")
    ax.legend(fontsize=7, loc="upper left", frameon=False)


def pricing_explorer(kind: str = "per_token", usd_per_mtok_in: float = 3.0, usd_per_mtok_out: float = 15.0,
                     usd_per_request: float = 0.01, usd_per_seat: float = 30.0,
                     cost_usd_per_mtok: float = 1.0) -> Explorer:
    """Pick a pricing model and its price, and the cost of serving a million tokens: revenue, margin, and
    which of a simulated, heavy-tailed customer base is served at a loss."""
    controls = {
        "kind": dropdown("plan", [(label, k) for k, label in PLAN_LABELS.items()], kind),
        "usd_per_mtok_in": slider("$ per M input tokens", usd_per_mtok_in, 0.1, 20, 0.1, fmt=".1f"),
        "usd_per_mtok_out": slider("$ per M output tokens", usd_per_mtok_out, 0.5, 100, 0.5, fmt=".1f"),
        "usd_per_request": slider("$ per request", usd_per_request, 0.001, 0.1, 0.001, fmt=".3f"),
        "usd_per_seat": slider("$ per seat per month", usd_per_seat, 5, 200, 5, fmt=".0f"),
        "cost_usd_per_mtok": slider("serving cost ($ per M tokens)", cost_usd_per_mtok, 0.05, 10, 0.05, fmt=".2f"),
    }
    return Explorer(controls, _pricing, _describe_pricing, _draw_pricing,
                    title="Pricing model vs. margin", figsize=(6.4, 3.4))
