"""Checks for ``solutions/09_safety`` / ``exercises/09_safety``.

Every expected value comes from ``techpm.calc`` or ``techpm.safety``; every hint names the mistake that
produces its answer. The exercises' scenarios live here, so the solution notebook and the checks read the
same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from techpm import calc
from techpm.checks import CheckResult, check_choice, check_number, check_predicate

# Exercise 1: how many clean attacks support "attack success below 0.1%" at 95% confidence?
CLAIM_RATE, CLAIM_CONFIDENCE = 0.001, 0.95
# Exercise 2: the course classifier on the test split; 1% of traffic is harmful; what each error costs.
HARMFUL_SHARE, USD_PER_VIOLATION, USD_PER_OVER_REFUSAL = 0.01, 50.0, 1.0
# Exercises 3-4: three layers in front of a harmful answer, each missing a share of attacks.
LAYER_MISS_RATES = {"input classifier": 0.20, "model refusal training": 0.10, "output classifier": 0.30}
# Exercise 5: leadership wants attack success below 1% in every family of the taxonomy, at 95%.
RELEASE_MAX_RATE, RELEASE_CONFIDENCE = 0.01, 0.95
# Exercise 6: a red-team campaign's results, {family: (successful attacks, attempts)}.
CAMPAIGN = {"jailbreak": (0, 320), "prompt injection": (1, 500), "data exfiltration": (0, 300),
            "harmful capabilities": (0, 150)}
# Exercise 7: capability evals before a launch, {eval: (tasks passed, tasks tried)}, and the product sets.
CAPABILITY_RESULTS = {"bio-uplift tasks": (6, 50), "cyber-range challenges": (9, 40),
                      "autonomous ML-research tasks": (1, 60)}
VIOLATIONS, OVER_REFUSALS = (2, 800), (31, 800)
# Exercise 8: measure an over-refusal rate near 5% to +-2 points at 95%.
OVER_REFUSAL_EXPECTED, OVER_REFUSAL_MARGIN = 0.05, 0.02


def clean_attacks_needed(answer: object) -> CheckResult:
    """Exercise 1: clean attacks to claim a success rate below 0.1% at 95% confidence."""
    expected = calc.trials_to_bound_rate(CLAIM_RATE, CLAIM_CONFIDENCE)

    def test(value: object) -> str | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"expected a whole number of attacks, got {value!r}."
        if value == expected:
            return None
        if math.isclose(value, 3 / CLAIM_RATE):
            return (f"{value:,.0f} is the rule of three (3 / rate), a shortcut for the exact "
                    "ln(1 - confidence) / ln(1 - rate); use calc.trials_to_bound_rate for the exact count.")
        if math.isclose(value, 1 / CLAIM_RATE):
            return ("1 / rate is how many attempts it takes to *expect* one success; seeing none in that many "
                    "proves little (zero_failure_upper_bound(1000) is about 0.3%).")
        if value == calc.trials_to_bound_rate(CLAIM_RATE, 0.99):
            return "that is the count at 99% confidence; the claim is at 95%."
        if math.isclose(value, calc.sample_size_for_margin(CLAIM_RATE, CLAIM_RATE, CLAIM_CONFIDENCE), rel_tol=0.01):
            return ("that sizes a ±0.1-point margin around a 0.1% rate; the claim is one-sided with no failures "
                    "seen: solve (1 - p)^n = 1 - confidence for n.")
        return f"{value!r} is not right: find the smallest n with (1 - {CLAIM_RATE})^n <= {1 - CLAIM_CONFIDENCE:.2f}."

    return check_predicate("Exercise 1 · clean attacks for a claim", answer, test,
                           f"correct: {expected:,} clean attacks (the rule of three says {3 / CLAIM_RATE:,.0f}).")


def _test_scores() -> tuple[list[float], list[bool]]:
    from techpm.safety import classifier, prompts

    test = prompts.split("test")
    return classifier.course_classifier().score([p.text for p in test]), [p.harmful for p in test]


def cheapest_threshold(answer: object) -> CheckResult:
    """Exercise 2: the threshold (on the 0.00, 0.02, ... 1.00 grid) with the lowest expected error cost."""
    from techpm.safety.classifier import cheapest_threshold as cheapest

    scores, harmful = _test_scores()
    expected, cost = cheapest(scores, harmful, USD_PER_VIOLATION, USD_PER_OVER_REFUSAL, HARMFUL_SHARE)
    wrong = {
        cheapest(scores, harmful, USD_PER_VIOLATION, USD_PER_OVER_REFUSAL, 0.5)[0]:
            "that treats harmful and benign requests as equally common; weigh each rate by its share of "
            "traffic (harmful_share).",
        cheapest(scores, harmful, 1, 1, 0.5)[0]:
            "that minimises the number of mistakes on the test set, as if both errors cost the same and both "
            "kinds of prompt were equally common.",
        cheapest(scores, harmful, 1, 1, HARMFUL_SHARE)[0]:
            "that weighs the traffic mix but not the costs: a violation costs more than an over-refusal.",
    }

    def test(value: object) -> str | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"expected a threshold between 0 and 1, got {value!r}."
        if math.isclose(value, expected, abs_tol=1e-9):
            return None
        for t, why in wrong.items():
            if math.isclose(value, t, abs_tol=1e-9) and not math.isclose(t, expected, abs_tol=1e-9):
                return why
        return f"{value!r} does not give the lowest expected cost; try classifier.cheapest_threshold."

    return check_predicate("Exercise 2 · a threshold for stated costs", answer, test,
                           f"correct: threshold {expected:.2f}, ${1000 * cost:,.2f} of expected error cost per "
                           "1,000 requests.")


def layered_miss(answer: object) -> CheckResult:
    """Exercise 3: the chance an attack passes all three layers, if they miss independently."""
    rates = list(LAYER_MISS_RATES.values())
    expected = calc.layered_miss_rate(rates)
    hints = {
        sum(rates) / expected: "you added the miss rates; an attack must pass every layer, so multiply them.",
        (1 - math.prod(1 - m for m in rates)) / expected:
            "that is the chance at least one layer misses; the attack needs all three to miss.",
        min(rates) / expected: "that is the best single layer: with independent layers the others help too.",
    }
    return check_number("Exercise 3 · layered miss rate", answer, expected, rel_tol=0.005, hints=hints)


def correlated_miss_ceiling(answer: object) -> CheckResult:
    """Exercise 4: the most the joint miss rate can be if the layers miss the same attacks."""
    rates = list(LAYER_MISS_RATES.values())
    low, high = calc.layered_miss_rate_range(rates)
    hints = {
        calc.layered_miss_rate(rates) / high: "that is the independent product; correlated layers can do worse.",
        max(rates) / high: "the worst layer bounds nothing: an attack must also pass the best one.",
    }
    return check_number("Exercise 4 · when layers are not independent", answer, high, rel_tol=0.005, hints=hints)


def release_criteria(answer: object) -> CheckResult:
    """Exercise 5: a dict of release criteria that supports the leadership's claim."""
    from techpm.safety.redteam import TAXONOMY

    needed = calc.trials_to_bound_rate(RELEASE_MAX_RATE, RELEASE_CONFIDENCE)

    def test(value: object) -> str | None:
        if not isinstance(value, Mapping):
            return "expected a dict with keys 'categories', 'max_rate', 'confidence', 'attempts_per_category'."
        missing = {"categories", "max_rate", "confidence", "attempts_per_category"} - set(value)
        if missing:
            return f"the criteria lack {sorted(missing)}."
        absent = set(TAXONOMY) - set(value["categories"])
        if absent:
            return f"every family must be tested on its own; missing: {sorted(absent)}."
        if value["max_rate"] > RELEASE_MAX_RATE:
            return f"the bar is {RELEASE_MAX_RATE:.0%} attack success; {value['max_rate']!r} is looser."
        if value["confidence"] < RELEASE_CONFIDENCE:
            return f"leadership asked for {RELEASE_CONFIDENCE:.0%} confidence."
        if value["attempts_per_category"] < calc.trials_to_bound_rate(value["max_rate"], value["confidence"]):
            return (f"{value['attempts_per_category']!r} clean attempts cannot show a rate below "
                    f"{value['max_rate']!r}: calc.trials_to_bound_rate says how many can.")
        return None

    return check_predicate("Exercise 5 · release criteria", answer, test,
                           f"correct: at least {needed:,} clean attempts in each of the {len(TAXONOMY)} families.")


def blocking_category(answer: object) -> CheckResult:
    """Exercise 6: which family keeps this campaign from meeting the release criteria?"""
    from techpm.safety.redteam import release_check

    result = release_check(CAMPAIGN, RELEASE_MAX_RATE, RELEASE_CONFIDENCE)
    expected = ", ".join(result.failing) if result.failing else "none"
    explanations = {}
    for row, upper in zip(result.rows, result.upper_bounds, strict=True):
        explanations[row.label] = (f"{row.events} of {row.trials}: upper bound {upper:.2%} vs. "
                                   f"{RELEASE_MAX_RATE:.0%}" + (" (fails)." if upper > RELEASE_MAX_RATE else
                                                                " (passes)."))
    explanations["none"] = "a pooled rate hides a category; check each family's own upper bound."
    for name in result.failing:
        if CAMPAIGN[name][0] == 0:
            explanations[name] += " No attack succeeded: it fails because its evidence is thin."
    return check_choice("Exercise 6 · what blocks the release?", answer, expected, explanations)


def required_safeguard_level(answer: object) -> CheckResult:
    """Exercise 7: the level of safeguards the illustrative policy requires for this launch."""
    from techpm.safety.policy import launch_decision

    decision = launch_decision(CAPABILITY_RESULTS, VIOLATIONS, OVER_REFUSALS)
    hints = {}
    point_level = max([2, *(v.threshold.level for v in decision.verdicts
                            if v.result.rate >= v.threshold.threshold_rate)])
    if point_level != decision.required_level:
        hints[point_level / decision.required_level] = (
            "that reads only the point estimates; a threshold whose upper bound reaches it cannot be ruled "
            "out, and the policy applies its safeguards.")
    return check_number("Exercise 7 · a launch under a scaling policy", answer, decision.required_level,
                        rel_tol=1e-9, hints=hints, unit="(level)")


def over_refusal_set_size(answer: object) -> CheckResult:
    """Exercise 8: benign prompts to measure an over-refusal rate near 5% to +-2 points."""
    expected = calc.sample_size_for_margin(OVER_REFUSAL_MARGIN, OVER_REFUSAL_EXPECTED, 0.95)
    hints = {
        calc.sample_size_for_margin(OVER_REFUSAL_MARGIN, 0.5, 0.95) / expected:
            "that is the worst case p = 0.5; at an expected 5% the variance p(1-p) is much smaller.",
        calc.trials_to_bound_rate(OVER_REFUSAL_MARGIN) / expected:
            "that bounds a rate with zero events; here you expect about 5% and want ±2 points around it.",
    }
    return check_number("Exercise 8 · sizing an over-refusal set", answer, expected, rel_tol=0.005, hints=hints,
                        unit="prompts")
