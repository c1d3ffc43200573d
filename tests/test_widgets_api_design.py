"""The API design explorers, headless: set a control, read the HTML line and the result."""

from __future__ import annotations

import pytest

from techpm import calc
from techpm.api_lab import load
from techpm.api_lab.customers import simulate_customers
from techpm.widgets.api_design import pricing_explorer, rate_limit_explorer


def test_rate_limit_explorer_follows_its_controls():
    e = rate_limit_explorer()
    assert e.error is None and e.image.value[:4] == b"\x89PNG"
    stats = {s.name: s for s in e.result["run"].stats}
    assert f"p99 {stats['chat app'].p99_latency_s:.1f} s" in e.html.value
    assert "one bucket for the organization" in e.html.value
    shared_chat = stats["chat app"].throttled_first_try_share
    e.controls["limiter"].value = "per_tenant"
    assert "one bucket per tenant" in e.html.value
    assert {s.name: s for s in e.result["run"].stats}["chat app"].throttled_first_try_share < shared_chat
    e.controls["batch_burst"].value = 0  # no batch job bursts: nobody is throttled at 4 requests/s
    e.controls["limiter"].value = "shared"
    batch = {s.name: s for s in e.result["run"].stats}["batch job"]
    assert batch.requests == 0
    e.controls["burst"].value = 200
    e.controls["batch_burst"].value = 100
    assert all(s.failed_share == 0 for s in e.result["run"].stats)


def test_rate_limit_explorer_matches_the_simulator():
    e = rate_limit_explorer(rate_per_s=6, burst=30, batch_burst=150, max_retries=4)
    tenants = (load.Tenant("chat app", rate_per_s=2.0),
               load.Tenant("batch job", burst_size=150, burst_every_s=60.0, burst_spread_s=2.0))
    direct = load.simulate_rate_limited_load(tenants, rate_per_s=6, burst=30, max_retries=4, duration_s=180.0)
    assert e.result["run"].stats == direct.stats


def test_pricing_explorer_follows_its_controls():
    e = pricing_explorer(kind="per_token", usd_per_mtok_in=3, usd_per_mtok_out=15, cost_usd_per_mtok=1.0)
    customers = simulate_customers()
    econ = calc.plan_economics(calc.PricingPlan("per token", "per_token", 3, 15), customers, 1.0, 1.0)
    assert e.result["econ"].revenue_usd == pytest.approx(econ.revenue_usd)
    assert f"${econ.revenue_usd:,.0f}" in e.html.value and f"{econ.gross_margin:.0%}" in e.html.value
    e.controls["kind"].value = "seat"
    seat = e.result["econ"]
    assert seat.revenue_usd == pytest.approx(30 * sum(c.seats for c in customers))
    assert seat.unprofitable_customers > 0 and f"<b>{seat.unprofitable_customers}</b>" in e.html.value
    e.controls["cost_usd_per_mtok"].value = 0.05  # cheap serving: fewer customers under water
    assert e.result["econ"].unprofitable_customers < seat.unprofitable_customers
    e.controls["kind"].value = "tiered"
    assert e.result["econ"].plan.tiers == calc.volume_discount_tiers(3.0)
