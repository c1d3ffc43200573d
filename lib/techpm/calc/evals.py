"""Planning evals and experiments: how many items or users, what labelling costs, how many days.

Built on ``calc.stats`` (the statistics) with the business inputs a PM controls:

    eval set     n_items = sample_size_for_margin(margin, expected_accuracy, confidence)
                 labelling cost = n_items * labels_per_item * usd_per_label
                 labelling hours = n_items * labels_per_item * minutes_per_label / 60
    A/B test     n_per_arm = ab_test_sample_size(base_rate, minimum_detectable_effect, alpha, power) * design_effect
                 traffic_days = ceil(arms * n_per_arm / eligible_units_per_day)
                 days = 7 * ceil(traffic_days / 7)     # whole weeks, at least one

A/B tests run whole weeks: behaviour differs by weekday, so a test that stops mid-week over-weights
some days (Kohavi, Tang & Xu 2020, *Trustworthy Online Controlled Experiments*, ch. 1 and 3: run
experiments for at least a week, in whole weeks, for day-of-week effects). Randomise by **user**, not by
conversation or request: one user's conversations are correlated, and seeing both arms contaminates the
comparison. When the metric is per conversation but the unit of randomisation is the user, the variance
grows by the **design effect** ``1 + (m - 1) * icc`` (m conversations per user, ``icc`` the intra-user
correlation of the metric; Kish 1965, *Survey Sampling*; Donner & Klar 2000, *Design and Analysis of
Cluster Randomization Trials in Health Research*, ch. 2), so the conversations needed grow by as much.

The price and time per label are yours to set: they vary tenfold between a crowd worker checking a
short answer and a domain expert grading a long design answer. Nothing here assumes a market price.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from techpm.calc._validate import non_negative, positive, positive_int, probability
from techpm.calc.stats import ab_test_sample_size, margin_of_error, sample_size_for_margin
from techpm.errors import TechpmError

__all__ = ["EvalPlan", "plan_eval", "ABTestPlan", "plan_ab_test", "labelling_cost_usd", "design_effect",
           "DAYS_PER_WEEK"]

DAYS_PER_WEEK = 7


def design_effect(units_per_cluster: float, icc: float) -> float:
    """Variance inflation when units (conversations) come in clusters (users): ``1 + (m - 1) * icc``.

    Kish 1965, *Survey Sampling*; Donner & Klar 2000, ch. 2. ``icc`` is the intra-cluster correlation of
    the metric (0: a user's conversations are independent; 1: they always agree). Multiply an
    independent-sample size by it.

    >>> design_effect(5, 0.1)
    1.4

    Source: Kish 1965, *Survey Sampling*; Donner & Klar 2000, *Design and Analysis of Cluster Randomization
        Trials in Health Research*, ch. 2.
    Used in: no lesson directly; inside ``plan_ab_test``.
    """
    positive("units_per_cluster", units_per_cluster)
    if units_per_cluster < 1:
        raise TechpmError(f"units_per_cluster must be at least 1, got {units_per_cluster}.")
    probability("icc", icc)
    return 1 + (units_per_cluster - 1) * icc


def labelling_cost_usd(n_items: int, usd_per_label: float, labels_per_item: int = 1) -> float:
    """Dollars to label ``n_items`` items ``labels_per_item`` times each (two raters to measure agreement).

    Source: a definition, stated in the formula above (no external figure).
    Used in: 04 §2.
    """
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

    Source: the normal-approximation sample size of ``calc.stats.sample_size_for_margin``; labelling cost is a
        definition.
    Used in: 04 (via widgets.evals).
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
    days: int                       # the test's length: whole weeks when planned with whole_weeks=True
    traffic_days: int = 0           # days of traffic the sample alone would need
    design_effect: float = 1.0      # variance inflation from clustered units (1 = independent)

    @property
    def weeks(self) -> float:
        return self.days / DAYS_PER_WEEK

    @property
    def total_users(self) -> int:
        return self.n_per_arm * self.arms

    @property
    def relative_effect(self) -> float:
        """The effect as a share of the base rate: +2 points on 10% is a 20% relative lift."""
        return self.minimum_detectable_effect / self.base_rate


def plan_ab_test(base_rate: float, minimum_detectable_effect: float, users_per_day: float,
                 alpha: float = 0.05, power: float = 0.8, arms: int = 2, *, whole_weeks: bool = True,
                 units_per_user: float = 1.0, icc: float = 0.0) -> ABTestPlan:
    """An A/B test's size and duration: ``users_per_day`` eligible units split evenly over ``arms``.

    ``days`` is whole weeks (at least one) covering the ``traffic_days`` the sample needs;
    ``whole_weeks=False`` gives the bare traffic days. If the metric's unit (a conversation) is not the
    unit of randomisation (a user with ``units_per_user`` conversations, intra-user correlation ``icc``),
    ``n_per_arm`` (in units) is multiplied by ``design_effect(units_per_user, icc)``; ``users_per_day`` then
    counts the units (conversations) a day. With more than two
    arms each treatment is compared with the control at the same ``alpha`` (no correction for multiple
    comparisons is applied; divide alpha by the number of treatments if you want Bonferroni's).

    Source: Fleiss, Levin & Paik, "Statistical Methods for Rates and Proportions", 3rd ed. 2003, ch. 4
        (checked against statsmodels); Cohen 1988, ch. 6 for ``method="arcsine"``. Whole weeks: Kohavi, Tang &
        Xu 2020, *Trustworthy Online Controlled Experiments*, ch. 1 and 3.
    Used in: 04 §3, exercises.
    """
    positive("units_per_user", units_per_user)
    probability("icc", icc)
    deff = design_effect(units_per_user, icc)
    n = math.ceil(ab_test_sample_size(base_rate, minimum_detectable_effect, alpha, power) * deff - 1e-9)
    positive("users_per_day", users_per_day)
    positive_int("arms", arms)
    traffic_days = math.ceil(arms * n / users_per_day - 1e-9)
    days = DAYS_PER_WEEK * max(1, math.ceil(traffic_days / DAYS_PER_WEEK)) if whole_weeks else traffic_days
    return ABTestPlan(base_rate, minimum_detectable_effect, alpha, power, n, arms, users_per_day, days,
                      traffic_days, deff)
