"""The evals explorers, headless: set a control, read the HTML line and the result."""

from __future__ import annotations

from techpm import calc
from techpm.widgets.evals import ab_test_planner, eval_size_planner


def test_eval_size_planner_follows_its_controls():
    e = eval_size_planner(margin=0.03, usd_per_label=2.0, labels_per_item=1, minutes_per_label=3.0)
    assert e.error is None and e.image.value[:4] == b"\x89PNG"
    assert e.result["plan"] == calc.plan_eval(0.03, 0.95, 0.5, 2.0, 1, 3.0)
    assert "1,068 items" in e.html.value and "$2,136" in e.html.value
    assert f"{calc.sample_size_for_margin(0.015):,} items" in e.html.value
    e.controls["labels_per_item"].value = 2
    assert e.result["plan"].labelling_cost_usd == 2 * 1068 * 2.0 and "$4,272" in e.html.value
    e.controls["confidence"].value = 0.99
    assert e.result["plan"].n_items == calc.sample_size_for_margin(0.03, 0.5, 0.99)
    e.controls["expected_accuracy"].value = 0.9
    assert e.result["plan"].n_items == calc.sample_size_for_margin(0.03, 0.9, 0.99)
    assert "near 90%" in e.html.value


def test_ab_test_planner_follows_its_controls():
    e = ab_test_planner(base_rate=0.10, minimum_detectable_effect=0.02, users_per_day=5_000)
    assert e.error is None and e.image.value[:4] == b"\x89PNG"
    assert e.result["plan"].n_per_arm == calc.ab_test_sample_size(0.10, 0.02) == 3841
    # 7,682 users at 5,000 a day take 2 days; the planner runs a test for whole weeks
    assert "3,841 users per arm" in e.html.value and "<b>7 days</b>" in e.html.value and "3,600" in e.html.value
    e.controls["minimum_detectable_effect"].value = 0.01
    assert e.result["plan"].n_per_arm == calc.ab_test_sample_size(0.10, 0.01)
    e.controls["power"].value = 0.9
    assert e.result["plan"].n_per_arm == calc.ab_test_sample_size(0.10, 0.01, power=0.9)
    assert "rule of thumb" not in e.html.value  # the 16 sigma^2 / delta^2 rule is for power 0.8 only
    e.controls["users_per_day"].value = 100
    assert e.result["plan"].days == calc.plan_ab_test(0.10, 0.01, 100, power=0.9).days


def test_ab_test_planner_explains_an_impossible_setting():
    e = ab_test_planner(base_rate=0.9, minimum_detectable_effect=0.02)
    e.controls["minimum_detectable_effect"].value = 0.15
    assert e.error and "strictly between 0 and 1" in e.html.value
