"""Figures several facets share: the scale of the product (users, items a day, the peak), the model
spend of a workload, and the capacity of a self-hosted replica sized from its sustained throughput.

Design constants here are stated assumptions of the offline answers; each figure names them next to
the number it drives, and section 1 lists every assumption that replaced a number the question left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from techpm import calc
from techpm.generator.facets.base import Ctx
from techpm.generator.figures import count, duration, num, pct, usd
from techpm.generator.reading import Quantity, rate_per_s, say

SMALL_MODEL = "claude-haiku-5-5"     # the tabled models the cost figures price (techpm/data/api_prices.json)
LARGE_MODEL = "claude-sonnet-5-5"
EMBEDDING_MODEL = "voyage-4"
OPEN_MODEL = "llama-3.1-70b"         # the reference open-weights model for self-hosting figures
OPEN_SMALL_MODEL = "llama-3.1-8b"
GPU = "h100-sxm"
PEAK_TO_MEAN = 3.0                   # the busiest second carries 3x the day's mean rate
SECONDS_PER_DAY = 86_400
DAYS_PER_MONTH = 30
ROUTE_SMALL_SHARE = 0.8              # share of requests a router can send to the small model
TARGET_UTILIZATION = 0.7             # replicas run at 70% of their sustained throughput at peak
DEFAULT_USERS = 10_000
ITEMS_PER_USER_DAY = 5.0
ITEMS_PER_DEVICE_DAY = 20.0
USERS_PER_ORG = 500
SESSION_MINUTES = 4.0             # average session (a call, a chat) when the question states none


@dataclass
class Scale:
    """How big the product is: users, items (requests, calls, questions) a day, the peak, in flight."""

    users: float
    user_noun: str
    users_from: Quantity | None
    per_day: float
    per_day_from: Quantity | None
    peak_rps: float
    peak_from: Quantity | None
    concurrency: float | None
    concurrency_from: Quantity | None

    @property
    def per_month(self) -> int:
        return max(1, int(round(self.per_day * DAYS_PER_MONTH)))


def build_scale(ctx: Ctx, items: str) -> Scale:
    """The scale from the question's quantities, with a stated assumption for each missing part: stated
    rates first, then sessions in progress (Little's law over the session length), then users x a
    per-user rate. Quantities are marked used only by the figures that show them."""
    b = ctx.brief
    users_q = b.first("users", "devices")
    orgs_q = b.first("organizations")
    rate_q = next((q for q in b.quantities if q.role.startswith("requests_per_")), None)
    conc_q = b.first("concurrent_sessions")
    noun = users_q.unit if users_q is not None else ctx.values.get("users", "users")
    users = users_q.value if users_q is not None else 0.0
    peak_q = None
    if rate_q is not None:
        per_s = rate_per_s(rate_q) or 0.0
        if rate_q.role in ("requests_per_s", "requests_per_min"):
            peak_q, peak = rate_q, per_s
            per_day = peak / PEAK_TO_MEAN * SECONDS_PER_DAY
        else:
            per_day = per_s * SECONDS_PER_DAY
            peak = per_day / SECONDS_PER_DAY * PEAK_TO_MEAN
    elif conc_q is not None:
        minutes_q = b.first("media_minutes")
        minutes = minutes_q.value if minutes_q else SESSION_MINUTES
        if minutes_q is None:
            ctx.assume("session length", minutes, f"{minutes:g} minutes per session", "a typical service session")
        peak = conc_q.value / (minutes * 60)
        per_day = peak / PEAK_TO_MEAN * SECONDS_PER_DAY
        ctx.assume(f"{items} a day", per_day, f"{num(per_day)} {items} a day",
                   f"{say(conc_q)} in progress at the peak, {minutes:g}-minute sessions, peak {PEAK_TO_MEAN:g}x the mean")
    else:
        if users_q is None and orgs_q is not None:
            users = orgs_q.value * USERS_PER_ORG
            ctx.assume("users", users, f"{num(users)} {noun}",
                       f"{num(USERS_PER_ORG)} per {orgs_q.unit.rstrip('s')} x {say(orgs_q)} {orgs_q.unit}")
        elif users_q is None:
            users = DEFAULT_USERS
            ctx.assume("users", users, f"{num(users)} {noun}",
                       f"a first-year target for {ctx.values.get('product', 'the product')}; scale the figures with yours")
        per_user = ITEMS_PER_DEVICE_DAY if users_q is not None and users_q.role == "devices" else ITEMS_PER_USER_DAY
        per_day = users * per_user
        ctx.assume(f"{items} a day", per_day, f"{num(per_day)} {items} a day",
                   f"{per_user:g} per {noun.rstrip('s') if noun else 'user'} a day of "
                   f"{ctx.values.get('product', 'the product')}")
        peak = per_day / SECONDS_PER_DAY * PEAK_TO_MEAN
    if peak_q is None:
        ctx.assume("peak", peak, f"{num(peak)} {items} a second at peak",
                   f"the busiest second of {ctx.values.get('product', 'the product')} carries {PEAK_TO_MEAN:g}x the "
                   "day's mean")
    if users_q is None and orgs_q is not None and rate_q is None and conc_q is None:
        users_q = orgs_q  # the users were derived from the organizations: figures that use them use it
    return Scale(users, noun, users_q, per_day, rate_q, peak, peak_q,
                 conc_q.value if conc_q is not None else None, conc_q)


def price(model: str) -> str:
    p = calc.get_api_price(model)
    if p.output_usd_per_mtok is None:
        return f"${p.input_usd_per_mtok:g} per million input tokens"
    return f"${p.input_usd_per_mtok:g} in / ${p.output_usd_per_mtok:g} out per million tokens"


def workload_cost(ctx: Ctx, key: str, noun: str, input_tokens: float, output_tokens: float, per_month: float,
                  *, cached_prefix: float = 0, uses: tuple[Quantity | None, ...] = (),
                  basis: str = "") -> tuple[float, float, float]:
    """Cost per item on the large and small model, the month on the large one, and the month routed.
    Returns (per item on the large model, month on the large model, month routed)."""
    n = max(1, int(round(per_month)))
    large = calc.api_cost_usd(LARGE_MODEL, input_tokens, output_tokens)
    small = calc.api_cost_usd(SMALL_MODEL, input_tokens, output_tokens)
    monthly = calc.api_cost_usd(LARGE_MODEL, input_tokens * n, output_tokens * n, requests=n)
    small_monthly = calc.api_cost_usd(SMALL_MODEL, input_tokens * n, output_tokens * n, requests=n)
    routed = ROUTE_SMALL_SHARE * small_monthly + (1 - ROUTE_SMALL_SHARE) * monthly
    cached_note = ""
    if cached_prefix:
        cached = calc.api_cost_usd(LARGE_MODEL, (input_tokens - cached_prefix) * n, output_tokens * n,
                                   cache_read_tokens=cached_prefix * n, requests=n)
        cached_note = f"; caching the {num(cached_prefix)}-token fixed prefix: {usd(cached)}"
        ctx.notes[f"{key}_cached_usd"] = cached
    ctx.add(key, f"Model spend per {noun}, and per month", monthly,
            f"{usd(large)} per {noun} on {LARGE_MODEL} ({usd(small)} on {SMALL_MODEL}); {usd(monthly)} a month "
            f"for {num(n)} {noun}s, {usd(routed)} with {pct(ROUTE_SMALL_SHARE)} routed to the small model{cached_note}",
            f"{num(input_tokens)} in x input price + {num(output_tokens)} out x output price; x {num(n)} a month",
            "calc.api_cost_usd", f"list prices {price(LARGE_MODEL)} and {price(SMALL_MODEL)}"
            + (f"; {basis}" if basis else ""), uses=uses)
    ctx.notes.setdefault("workload", (noun, input_tokens, output_tokens, n))
    ctx.notes.setdefault("monthly_usd", monthly)
    ctx.notes.setdefault("routed_usd", routed)
    ctx.notes.setdefault("cost_per_item", large)
    ctx.values.setdefault("cost_per_item", usd(large))
    return large, monthly, routed


def self_hosted_replicas(ctx: Ctx, key: str, model: str, prompt_tokens: int, output_tokens: int, peak_per_s: float,
                         *, gpu: str = GPU, batch: int = 32, noun: str = "request",
                         uses: tuple[Quantity | None, ...] = ()) -> tuple[calc.ServingEstimate, int, int] | None:
    """Replicas for a peak, sized from a replica's sustained throughput at ``batch`` (never from the idle
    latency): replicas = ceil(peak / (sustained requests/s x target utilization)). None if it cannot fit."""
    context = prompt_tokens + output_tokens
    try:
        n_gpus = calc.min_gpus(model, gpu, batch, context)
        est = calc.serving_estimate(model, gpu, n_gpus=n_gpus, batch_size=batch, prompt_tokens=prompt_tokens,
                                    output_tokens=output_tokens)
    except (ValueError, ArithmeticError):
        return None
    sustained = est.requests_per_s
    plan = calc.capacity_plan_for(peak_per_s, est, TARGET_UTILIZATION)  # loaded latency, sustained throughput
    replicas, gpus = plan.replicas, plan.gpus
    prices = calc.get_gpu_prices(gpu)
    monthly = calc.gpu_monthly_usd(prices[0].usd_per_gpu_hour, gpus) if prices else 0.0
    ctx.add(key, f"Self-hosted replicas for the peak ({model})", gpus,
            f"{count(replicas, 'replica')} of {n_gpus} x {calc.get_gpu(gpu).name} ({count(gpus, 'GPU')}), "
            f"each sustaining {sustained:,.1f} {noun}s a second at batch {batch}; {usd(monthly)} a month on demand",
            f"replicas = ceil({num(peak_per_s)} {noun}s/s / ({sustained:,.2f}/s sustained x {TARGET_UTILIZATION:g})); "
            f"replicas x sustained throughput >= peak",
            "calc.serving_estimate, calc.capacity_plan_for, calc.min_gpus, calc.gpu_monthly_usd",
            f"{num(prompt_tokens)} tokens in, {num(output_tokens)} out; a loaded replica, not an idle one; "
            f"first token after {duration(est.ttft_s)} idle", uses=uses)
    ctx.notes.setdefault("replica_checks", []).append((replicas, sustained, peak_per_s))
    return est, replicas, gpus
