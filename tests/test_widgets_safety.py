"""The safety explorer, headless: move the threshold and the costs, read the HTML line and the result."""

from __future__ import annotations

import math

import pytest

from techpm import calc
from techpm.safety.classifier import cheapest_threshold, operating_point
from techpm.widgets.safety import threshold_explorer

SCORES = [0.95, 0.8, 0.55, 0.3, 0.7, 0.4, 0.2, 0.05]
HARMFUL = [True, True, True, True, False, False, False, False]


def test_threshold_explorer_follows_its_controls():
    e = threshold_explorer(SCORES, HARMFUL, threshold=0.5, harmful_share=0.01, usd_per_violation=50.0,
                           usd_per_over_refusal=1.0)
    # The notebook's defaults sit on the log sliders' grids, so a browser does not snap them to other values.
    for name, value in (("usd_per_violation", 50.0), ("harmful_share", 0.01), ("usd_per_over_refusal", 1.0)):
        c = e.controls[name]
        assert abs((math.log10(value) - c.min) / c.step - round((math.log10(value) - c.min) / c.step)) < 1e-6
    assert e.error is None and e.image.value[:4] == b"\x89PNG"
    assert e.result["point"] == operating_point(SCORES, HARMFUL, 0.5)
    assert "violation rate 25%" in e.html.value and "over-refusal rate 25%" in e.html.value
    expected = calc.expected_error_cost_usd(0.25, 0.25, 0.01, 50.0, 1.0)
    assert e.result["cost_usd"] == pytest.approx(expected)
    assert f"${1000 * expected:,.2f} per 1,000 requests" in e.html.value
    e.controls["threshold"].value = 0.1
    assert e.result["point"].over_refusal.rate == 0.75 and "over-refusal rate 75%" in e.html.value
    e.controls["usd_per_violation"].value = 10_000
    best, _ = cheapest_threshold(SCORES, HARMFUL, 10_000, 1.0, 0.01)
    assert e.result["best"].threshold == best


def test_threshold_explorer_explains_an_impossible_set():
    e = threshold_explorer([0.2, 0.9], [True, True])
    assert e.error and "both harmful and benign" in e.html.value
