"""Cost reduction to a stated target: the levers (routing, caching, batching, a smaller or quantized
model), each priced, stacked against the target, with the quality tolerance as the guard rail."""

from __future__ import annotations

from techpm import calc
from techpm.generator.facets._calc import LARGE_MODEL, SMALL_MODEL
from techpm.generator.facets.base import Ctx, Facet
from techpm.generator.figures import num, pct, usd
from techpm.generator.reading import usd_per_month

PROMPT, OUTPUT, PREFIX = 3_000, 400, 2_000
ROUTE_SHARE = 0.7
SMALL_OPEN = "llama-3.1-8b"
BATCH_SHARE = 0.3
DEFAULT_FACTOR = 3.0


def _self_hosted_ladder(ctx: Ctx, serving: dict, factor: float, factor_q) -> None:  # noqa: ANN001
    """The levers of a self-hosted fleet: FP8 and 4-bit weights, then routing to a small model."""
    model, gpu, n_gpus, batch, prompt = (serving[k] for k in ("model", "gpu", "n_gpus", "batch", "prompt"))
    base = serving["busy"].usd_per_mtok
    steps = []
    for precision in ("fp8", "int4-awq"):
        try:
            est = calc.serving_estimate(model, gpu, n_gpus=n_gpus, precision=precision, batch_size=batch,
                                        prompt_tokens=prompt, output_tokens=250)
            steps.append((f"{precision} weights", est.usd_per_mtok))
        except (ValueError, ArithmeticError):
            continue
    try:
        small = calc.serving_estimate(SMALL_OPEN, gpu, n_gpus=1, batch_size=batch, prompt_tokens=prompt,
                                      output_tokens=250)
        last = steps[-1][1] if steps else base
        steps.append((f"route {pct(ROUTE_SHARE)} to {SMALL_OPEN}", ROUTE_SHARE * small.usd_per_mtok
                      + (1 - ROUTE_SHARE) * last))
    except (ValueError, ArithmeticError):
        pass
    if not steps:
        return
    reached = base / steps[-1][1]
    ladder = "; ".join(f"{name}: {usd(v)} ({base / v:,.1f}x)" for name, v in steps)
    ctx.add("fleet_ladder", f"Self-hosted levers against the {factor_q.text if factor_q else f'{factor:g}x'} target",
            reached, f"from {usd(base)} per million tokens (input and output together) on {model}: {ladder}; together "
            f"{'this reaches' if reached >= factor else 'this falls short of'} {factor:g}x",
            "cost per million tokens = GPU $/s / tokens (in + out) per s, each lever on top of the last",
            "calc.serving_estimate", f"batch {batch} on {n_gpus} x {calc.get_gpu(gpu).name}; routing share and "
            "quality of the small model to be measured on the eval", uses=(factor_q,))


def _figures(ctx: Ctx) -> None:
    factor_q = ctx.take("improvement_factor")
    pct_q = None
    if factor_q is not None:
        factor = factor_q.value
    else:
        pct_q = next((q for q in ctx.brief.all("percent") if q.value < 100), None)
        if pct_q is not None:
            ctx.take("percent")
            factor = 1 / max(1e-6, 1 - pct_q.value / 100)
        else:
            factor = ctx.assume("cost target", DEFAULT_FACTOR, f"a {DEFAULT_FACTOR:g}x cost reduction",
                                "a typical first target")
    tolerance_q = ctx.take("points")
    serving = ctx.notes.get("serving")
    if serving is not None:
        _self_hosted_ladder(ctx, serving, factor, factor_q)
    if "fleet_monthly_usd" in ctx.notes:  # a stated self-hosted fleet: the API levers do not apply
        spend_q = ctx.take("budget_usd", "usd")
        if spend_q is None:
            fleet = float(ctx.notes["fleet_monthly_usd"])
            ctx.add("fleet_goal", "The fleet bill against the target", fleet / factor,
                    f"{usd(fleet)} a month today must fall to {usd(fleet / factor)} a month", f"{usd(fleet)} / {factor:g}",
                    "calc.gpu_monthly_usd", "on-demand prices; reserved capacity is a further lever", uses=(factor_q,))
        ctx.values["cost_target"] = factor_q.text if factor_q else f"{factor:g}x"
        ctx.values["tolerance"] = tolerance_q.text if tolerance_q else "a tolerance agreed before starting"
        return
    spend_q = ctx.take("budget_usd", "usd")
    if spend_q is not None:
        per_month = usd_per_month(spend_q)
        goal = per_month / factor if factor else per_month
        ctx.add("spend_goal", f"The stated spend, {spend_q.text}, against the target", goal,
                f"{usd(per_month)} a month today must fall to {usd(goal)} a month ({usd(per_month - goal)} saved "
                f"a month, {usd(12 * (per_month - goal))} a year)", f"{usd(per_month)} / {factor:,.2f}",
                "arithmetic", "model spend only", uses=(spend_q, factor_q, pct_q))
    base = calc.api_cost_usd(LARGE_MODEL, PROMPT, OUTPUT)
    cached = calc.api_cost_usd(LARGE_MODEL, PROMPT - PREFIX, OUTPUT, cache_read_tokens=PREFIX)
    small = calc.api_cost_usd(SMALL_MODEL, PROMPT - PREFIX, OUTPUT, cache_read_tokens=PREFIX)
    routed = ROUTE_SHARE * small + (1 - ROUTE_SHARE) * cached
    batch_factor = 1 - BATCH_SHARE * calc.get_api_price(LARGE_MODEL).batch_discount
    stacked = routed * batch_factor
    reached = base / stacked if stacked else float("inf")
    target_text = factor_q.text if factor_q else (pct_q.text if pct_q else f"{factor:g}x")
    steps = [("cache the fixed prefix", cached), (f"route {pct(ROUTE_SHARE)} to {SMALL_MODEL}", routed),
             (f"batch the {pct(BATCH_SHARE)} that can wait", stacked)]
    ladder = "; ".join(f"{name}: {usd(v)} ({base / v:,.1f}x)" for name, v in steps)
    verdict = "reaches" if reached >= factor else "falls short of"
    ctx.add("cost_ladder", f"Levers stacked against the {target_text} target", reached,
            f"from {usd(base)} per request of {ctx.values['product']}: {ladder}; together this {verdict} {factor:g}x",
            f"{num(PROMPT)} in ({num(PREFIX)} a fixed prefix) + {OUTPUT} out; each lever on top of the last",
            "calc.api_cost_usd", "shares routed and batched are assumptions to measure on real traffic",
            uses=(factor_q, pct_q))
    if reached < factor:
        gap = factor / reached
        ctx.add("cost_gap", "What the rest must come from", gap,
                f"another {gap:,.1f}x: shorter prompts, fewer output tokens, a distilled or self-hosted model, "
                "or a product change (fewer calls per user)", f"{factor:g} / {reached:,.1f}", "arithmetic",
                uses=(factor_q,))
    tol = f"{tolerance_q.text}" if tolerance_q else "a tolerance agreed before starting"
    if tolerance_q is not None:
        n = calc.sample_size_for_margin(max(1e-4, tolerance_q.value / 100 / 2))
        ctx.add("tolerance_eval", f"An eval that can see {tolerance_q.text}", n,
                f"{num(n)} graded items per variant to measure accuracy within half of {tolerance_q.text} (95%)",
                f"n = 1.96^2 x 0.25 / ({tolerance_q.value:g} / 2 / 100)^2", "calc.sample_size_for_margin",
                "paired comparisons on the same items need fewer", uses=(tolerance_q,))
    ctx.values["cost_target"] = target_text
    ctx.values["tolerance"] = tol


FACET = Facet(
    name="cost_target",
    title="Cutting cost to a target",
    cues=((r"(?:cut|reduce|lower|halve|slash|shrink|decrease)\b.{0,40}\b(?:cost|bill|spend|price)", 4),
          (r"\d+(?:\.\d+)?\s?x\b.{0,30}(?:cheaper|less|lower|cost|reduction)|cheaper", 3),
          (r"(?:cost|bill|spend) (?:by|down)", 2), (r"without (?:losing|hurting|degrading)|within \d+ points?", 2),
          (r"(?:spend|cost|bill)\b.{0,60}\b(?:down|cut|reduc|lower|sav)|bring (?:it|them|costs?|spend) down", 4)),
    boost=lambda b: 2.0 if b.first("improvement_factor") and "cost" in b.workloads else 0.0,
    threshold=4.0,
    concept_groups=(
        ("rout",),
        ("cach",),
        ("batch",),
        ("smaller model", "distil", "quantiz"),
        ("quality", "regression", "eval"),
    ),
    domain_terms=("cost ladder",),
    scoping=(
        "Which cost is the target measured on (per request, per user, the monthly bill), and from which baseline?",
        "What quality loss is acceptable (<<tolerance>>), measured on which eval, and who signs off?",
    ),
    stages=("requests --> [router: easy -> small model, hard -> large model] --> [prompt cache] ; deferrable work --> [batch queue]",),
    components=(
        ("Levers in order of effort", "Prompt caching and trimming first (no quality risk), then routing easy "
         "requests to a smaller model, batching deferrable work at half price [[batches]], and only then "
         "distillation or a self-hosted model [[distillation]]."),
        ("The quality guard rail", "Every lever ships behind a flag and an eval gate: the change stays only if "
         "quality holds within <<tolerance>>, measured on the same items as the baseline."),
    ),
    figures=_figures,
    deep_dive=("Reaching <<cost_target>> without losing quality",
               "Cost levers stack multiplicatively, so the plan is a ladder: each step priced, each step gated "
               "on the eval. Routing saves the most and risks the most, because a router that sends a hard "
               "request to the small model trades cost for a wrong answer; its accuracy is measured like any "
               "other model's, and cascades that escalate on low confidence recover much of the loss [[frugalgpt]]."),
    risks=(("Hidden quality loss", "averages hide regressions on rare, valuable requests: slice the eval by "
            "request type before accepting a lever."),),
    api=("GET  /v1/usage/costs?group_by=route,model   (cost per request by lever, daily)",),
    metrics=(("Cost per request vs the baseline", "<= baseline / target", "the goal itself"),
             ("Eval score vs the baseline (paired)", "within <<tolerance>>", "the guard rail")),
    tradeoffs=(
        ("First lever", "caching and prompt trimming",
         "routing first when most <<items>> are easy and the router is accurate"),
    ),
    recommendation="Climb the cost ladder one gated step at a time, cheapest risk first, until the target is "
                   "met or the eval says stop.",
)
