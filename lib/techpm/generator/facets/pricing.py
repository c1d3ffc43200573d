"""Pricing and packaging an AI product: unit economics from serving cost, per-token vs seat plans, margins."""

from __future__ import annotations

from techpm import calc
from techpm.generator.facets._calc import LARGE_MODEL
from techpm.generator.facets.base import Ctx, Facet
from techpm.generator.figures import num, pct, usd

MARKUP_IN, MARKUP_OUT = 1.0, 5.0     # a per-token plan in $ per million tokens (in / out)
SEAT_USD = 20.0
LIGHT, HEAVY = 0.1, 10.0             # light and heavy customers, as multiples of the mean


def _figures(ctx: Ctx) -> None:
    s = ctx.scale
    noun, tokens_in, tokens_out, per_month = ctx.notes.get("workload", ("request", 1_500.0, 400.0, s.per_month))
    price_q = ctx.take("price_usd")
    cost_in = calc.get_api_price(LARGE_MODEL).input_usd_per_mtok
    cost_out = calc.get_api_price(LARGE_MODEL).output_usd_per_mtok or cost_in
    per_customer = max(1.0, per_month / max(1.0, s.users or 1.0))
    light = calc.CustomerUsage(per_customer * LIGHT, per_customer * LIGHT * tokens_in, per_customer * LIGHT * tokens_out)
    heavy = calc.CustomerUsage(per_customer * HEAVY, per_customer * HEAVY * tokens_in, per_customer * HEAVY * tokens_out)
    seat_price = price_q.value if price_q and price_q.unit in ("USD/seat", "USD/user", "USD/month per user") else SEAT_USD
    token_plan = calc.PricingPlan("per token", "per_token", input_usd_per_mtok=cost_in * 2, output_usd_per_mtok=cost_out * 2)
    seat_plan = calc.PricingPlan("seat", "seat", usd_per_seat=seat_price)
    econ_token = calc.plan_economics(token_plan, [light, heavy], cost_in, cost_out)
    econ_seat = calc.plan_economics(seat_plan, [light, heavy], cost_in, cost_out)
    ctx.add("plans", "Per-token vs per-seat plans", econ_token.gross_margin,
            f"per token at twice the model's list price (${cost_in * 2:g} in / ${cost_out * 2:g} out per million "
            f"tokens): {pct(econ_token.gross_margin)} gross margin on both customers; a {usd(seat_price)} seat: "
            f"{pct(econ_seat.gross_margin)}, with {econ_seat.unprofitable_customers} of 2 customers served at a loss",
            "margin = (revenue - model cost) / revenue", "calc.plan_economics",
            f"a light and a heavy customer, {LIGHT:g}x and {HEAVY:g}x the mean of {num(per_customer)} {noun}s a month; "
            f"model cost at {LARGE_MODEL} list prices", uses=(price_q,))
    if price_q is not None and price_q.unit not in ("USD/seat", "USD/user"):
        unit_cost = float(ctx.notes.get("cost_per_item", calc.api_cost_usd(LARGE_MODEL, tokens_in, tokens_out)))
        margin = calc.gross_margin_fraction(price_q.value, unit_cost) if price_q.value > 0 else 0.0
        ctx.add("price_check", f"The stated price, {price_q.text}", margin,
                f"{pct(margin)} gross margin over a model cost of {usd(unit_cost)} per {noun}",
                f"({usd(price_q.value)} - {usd(unit_cost)}) / {usd(price_q.value)}", "calc.gross_margin_fraction",
                "model cost only", uses=(price_q,))
    ctx.values["seat_price"] = usd(seat_price)


FACET = Facet(
    name="pricing",
    title="Pricing and packaging",
    cues=((r"pric(?:e|ing)", 3), (r"monetiz|packag|billing|\btiers?\b", 2), (r"per[- ]seat|usage[- ]based|per[- ]token", 3),
          (r"margin|unit economics|willingness to pay|free tier", 2),
          (r"\bapis?\b|\bmodels?\b|tokens?|\bai\b|\bllm|inference|embedding|developer", 1)),
    boost=lambda b: 1.0 if b.first("price_usd") else 0.0,
    threshold=4.0,
    concept_groups=(
        ("pricing", "price"),
        ("margin", "unit economics"),
        ("tier", "plan"),
        ("per token", "per seat", "usage-based", "per million"),
    ),
    domain_terms=("gross margin", "per seat", "free tier"),
    scoping=(
        "Who pays for <<product>> and how do they budget: per developer seat, per unit of usage, or a committed "
        "annual contract?",
        "What does serving one <<item>> cost us, and how spread out is usage between light and heavy customers?",
    ),
    stages=("usage events --> [metering: tokens, <<items>>, seats] --> [rating by plan] --> invoices + spend alerts",),
    components=(
        ("Metering", "Every <<item>> of <<product>> emits a usage event (tokens in and out, model, customer), "
         "the same record that drives invoices, spend alerts and the unit-cost dashboard."),
        ("Plans", "A free tier sized for a first prototype, pay-as-you-go per unit, and committed-use discounts; "
         "seats only where usage is even across customers."),
        ("Spend controls", "Budgets, alerts and hard caps per key let buyers of <<product>> experiment without "
         "fear of a surprise bill, which is what turns a trial into a contract."),
    ),
    figures=_figures,
    deep_dive=("Price on the unit that carries the cost",
               "A flat seat price is easy to buy but hides a long tail: heavy customers cost many times the "
               "light ones, so a seat plan loses money on exactly the customers who love <<product>> most. "
               "Pricing on the unit that carries the cost keeps every customer profitable; a seat of "
               "<<seat_price>> can still sit on top, with a fair-use cap, for buyers who need a fixed number."),
    risks=(("Unpredictable bills", "usage pricing makes the spend of <<product>> hard to forecast for buyers: "
            "offer commitments and caps, and show the projected month in the console."),
           ("Margin erosion", "model prices fall and competitors follow: re-check unit costs at every model "
            "change, and pass part of the saving on deliberately."),),
    api=("GET  /v1/usage?group_by=model,day   (what each customer of <<product>> used and owes)",),
    api_notes="Prices for <<product>> are per unit of usage, with list prices published and per-customer "
              "spend caps.",
    metrics=(("Gross margin per customer", "> 50% for 90% of customers", "no customer served at a loss"),
             ("Free-to-paid conversion", "tracked monthly", "whether the free tier sells <<product>>")),
    tradeoffs=(
        ("Free tier", "a small monthly credit", "a time-limited trial when abuse of the free tier of <<product>> costs more than it converts"),
        ("Unit", "usage-based",
         "seats when buyers of <<product>> need a fixed budget and usage is even"),
    ),
    recommendation="Charge per unit of usage with tiers and commitments, keep seats for buyers who need them, "
                   "and watch margin per customer, not the average.",
)
