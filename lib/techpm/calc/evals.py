"""Planning evals and experiments: how many items or users, what labelling costs, how many days.

Built on ``calc.stats`` (the statistics) with the business inputs a PM controls:

    eval set     n_items = sample_size_for_margin(margin, expected_accuracy, confidence)
                 labelling cost = n_items * labels_per_item * usd_per_label
                 labelling hours = n_items * labels_per_item * minutes_per_label / 60
    A/B test     n_per_arm = ab_test_sample_size(base_rate, minimum_detectable_effect, alpha, power)
                 days = ceil(arms * n_per_arm / eligible_users_per_day)

The price and time per label are yours to set: they vary tenfold between a crowd worker checking a
short answer and a domain expert grading a long design answer. Nothing here assumes a market price.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from techpm.calc._validate import non_negative, positive, positive_int, probability
from techpm.calc.stats import ab_test_sample_size, margin_of_error, sample_size_for_margin

__all__ = ["EvalPlan", "plan_eval", "ABTestPlan", "plan_ab_test", "labelling_cost_usd"]


def labelling_cost_usd(n_items: int, usd_per_label: float, labels_per_item: int = 1) -> float:
    """Dollars to label ``n_items`` items ``labels_per_item`` times each (two raters to measure agreement)."""
    positive_int("n_items", n_items)
    non_negative("usd_per_label", usd_per_label)
    positive_int("labels_per_item", labels_per_item)
    return n_items * labels_per_item * usd_per_label


@dataclass(frozen=True)
class EvalPlan:
    """How big an eval set must be for a given precision, and what labelling it costs."""

    margin: float
    confidence: float
    expected_accuracy: float
    n_items: int
    labels_per_item: int
    labelling_cost_usd: float
    labelling_hours: float

    @property
    def achieved_margin(self) -> float:
        """The +- half-width the rounded-up item count actually gives (<= the margin asked for)."""
        return margin_of_error(self.n_items, self.expected_accuracy, self.confidence)


def plan_eval(margin: float, confidence: float = 0.95, expected_accuracy: float = 0.5,
              usd_per_label: float = 1.0, labels_per_item: int = 1, minutes_per_label: float = 2.0) -> EvalPlan:
    """Items needed to measure an accuracy near ``expected_accuracy`` to +-``margin``, and their labelling.

    ``expected_accuracy = 0.5`` is the safe worst case; a model near 90% needs fewer items for the same
    margin. ``labels_per_item = 2`` buys inter-rater agreement (kappa) at twice the price.
    """
    probability("expected_accuracy", expected_accuracy)
    n = sample_size_for_margin(margin, expected_accuracy, confidence)
    positive("minutes_per_label", minutes_per_label)
    cost = labelling_cost_usd(n, usd_per_label, labels_per_item)
    hours = n * labels_per_item * minutes_per_label / 60
    return EvalPlan(margin, confidence, expected_accuracy, n, labels_per_item, cost, hours)


@dataclass(frozen=True)
class ABTestPlan:
    """Users per arm to detect an effect, and how long the traffic takes to supply them."""

    base_rate: float
    minimum_detectable_effect: float
    alpha: float
    power: float
    n_per_arm: int
    arms: int
    users_per_day: float
    days: int

    @property
    def total_users(self) -> int:
        return self.n_per_arm * self.arms

    @property
    def relative_effect(self) -> float:
        """The effect as a share of the base rate: +2 points on 10% is a 20% relative lift."""
        return self.minimum_detectable_effect / self.base_rate


def plan_ab_test(base_rate: float, minimum_detectable_effect: float, users_per_day: float,
                 alpha: float = 0.05, power: float = 0.8, arms: int = 2) -> ABTestPlan:
    """An A/B test's size and duration: ``users_per_day`` eligible users split evenly over ``arms``.

    With more than two arms each treatment is compared with the control at the same ``alpha`` (no
    correction for multiple comparisons is applied; divide alpha by the number of treatments if you
    want Bonferroni's).
    """
    n = ab_test_sample_size(base_rate, minimum_detectable_effect, alpha, power)
    positive("users_per_day", users_per_day)
    positive_int("arms", arms)
    days = math.ceil(arms * n / users_per_day - 1e-9)
    return ABTestPlan(base_rate, minimum_detectable_effect, alpha, power, n, arms, users_per_day, days)
