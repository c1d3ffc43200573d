"""Checks for ``solutions/04_evals`` / ``exercises/04_evals``.

Every expected value comes from ``techpm.calc``; every hint names the mistake that produces its ratio.
The exercises' data live here, so the solution notebook and the checks read the same numbers.
"""

from __future__ import annotations

import math

from techpm import calc
from techpm.checks import CheckResult, check_choice, check_number, check_predicate

# Exercise 1: a golden set for a model expected to score about 80%.
EVAL_MARGIN, EVAL_ACCURACY, EVAL_CONFIDENCE = 0.02, 0.8, 0.95
# Exercise 2: the new model's score on a 50-item golden set.
GOLDEN_CORRECT, GOLDEN_ITEMS = 47, 50
# Exercises 3-4: the same 60 questions, answered by the current model (A) and a candidate (B); 1 = correct.
# B fixes 6 of A's mistakes and breaks 3 of A's correct answers.
#            both right   both wrong  only B right  only A right
MODEL_A = [1] * 39 + [0] * 12 + [0] * 6 + [1] * 3
MODEL_B = [1] * 39 + [0] * 12 + [1] * 6 + [0] * 3
# Exercise 5: a judge's pass/fail verdicts and a human's on the same 20 answers.
HUMAN_VERDICTS = list("PPPPPPPPPPPPFFFFFFFF")
JUDGE_VERDICTS = list("PPPPPPPPPPPFPPPFFFFF")
# Exercises 6-7: an A/B test on the thumbs-up rate of a chat assistant.
AB_BASE_RATE, AB_EFFECT, AB_USERS_PER_DAY = 0.60, 0.03, 2_500


def eval_items(answer: object) -> CheckResult:
    """Exercise 1: items to measure an accuracy near 80% to +-2 points at 95% confidence."""
    expected = calc.sample_size_for_margin(EVAL_MARGIN, EVAL_ACCURACY, EVAL_CONFIDENCE)
    hints = {
        calc.sample_size_for_margin(EVAL_MARGIN, 0.5, EVAL_CONFIDENCE) / expected:
            "that is the worst case p = 0.5; at an expected 80% the variance p(1-p) is 0.16, not 0.25.",
        calc.sample_size_for_margin(2 * EVAL_MARGIN, EVAL_ACCURACY, EVAL_CONFIDENCE) / expected:
            "±2 points is the half-width: a 4-point-wide interval. You used 4 points as the margin.",
        calc.sample_size_for_margin(EVAL_MARGIN, EVAL_ACCURACY, 0.9) / expected:
            "that is 90% confidence (z = 1.645); 95% uses z = 1.96.",
    }
    return check_number("Exercise 1 · eval-set size", answer, expected, rel_tol=0.005, hints=hints, unit="items")


def wilson_lower_bound(answer: object) -> CheckResult:
    """Exercise 2: the lower end of the 95% Wilson interval for 47 of 50."""
    low, _ = calc.wilson_interval(GOLDEN_CORRECT, GOLDEN_ITEMS)
    wald_low, _ = calc.wald_interval(GOLDEN_CORRECT, GOLDEN_ITEMS)

    def test(value: object) -> str | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"expected a number between 0 and 1, got {value!r}."
        if math.isclose(value, low, abs_tol=5e-4):
            return None
        if math.isclose(value, 100 * low, rel_tol=0.01):
            return "give the rate as a fraction (0.84), not a percentage."
        if math.isclose(value, wald_low, abs_tol=5e-4):
            return (f"{value:.4f} is the Wald interval's lower end, p - z·sqrt(p(1-p)/n); near 100% it is too "
                    "narrow and too optimistic. Use calc.wilson_interval.")
        if math.isclose(value, GOLDEN_CORRECT / GOLDEN_ITEMS):
            return "that is the observed rate itself; the question asks for the lower end of its interval."
        return f"{value!r} is not the lower end of the 95% Wilson interval for {GOLDEN_CORRECT} of {GOLDEN_ITEMS}."

    return check_predicate("Exercise 2 · Wilson lower bound", answer, test, f"correct: {low:.4f}.")


def paired_interval(answer: object) -> CheckResult:
    """Exercise 3: (mean, low, high) of B - A on the same 60 questions, 95% t interval."""
    expected = calc.paired_difference(MODEL_B, MODEL_A)
    unpaired_half = calc.normal_quantile(0.975) * math.sqrt(
        sum(MODEL_A) / 60 * (1 - sum(MODEL_A) / 60) / 60 + sum(MODEL_B) / 60 * (1 - sum(MODEL_B) / 60) / 60)

    def test(value: object) -> str | None:
        try:
            mean, low, high = (float(v) for v in value)  # type: ignore[union-attr]
        except (TypeError, ValueError):
            return f"expected three numbers (mean, low, high), got {value!r}."
        if math.isclose(mean, -expected[0], abs_tol=1e-6):
            return "the sign is flipped: compute B - A (candidate minus current), as calc.paired_difference(B, A)."
        if not math.isclose(mean, expected[0], abs_tol=1e-6):
            return f"the mean difference should be {expected[0]:.3f} (9 questions change; count them)."
        if math.isclose(high - mean, unpaired_half, rel_tol=0.02):
            return ("that interval treats the two models as independent samples; the questions are the same, "
                    "so pair them: calc.paired_difference.")
        if not (math.isclose(low, expected[1], abs_tol=1e-4) and math.isclose(high, expected[2], abs_tol=1e-4)):
            return f"the mean is right; the interval is not ({low:.4f}, {high:.4f}). Use the t quantile with n-1 df."
        return None

    return check_predicate("Exercise 3 · paired difference", answer, test,
                           f"correct: B - A = {expected[0]:+.3f}, 95% CI ({expected[1]:+.3f}, {expected[2]:+.3f}).")


def ship_decision(answer: object) -> CheckResult:
    """Exercise 4: is the candidate's +5 points on 60 questions a real improvement yet?"""
    _, low, _ = calc.paired_difference(MODEL_B, MODEL_A)
    expected = "yes" if low > 0 else "not yet"
    return check_choice("Exercise 4 · is it real?", answer, expected, {
        "not yet": "the 95% interval includes 0: +5 points on 60 questions is within noise. Add questions "
                   "(or look at the 9 that changed) before claiming a win.",
        "yes": "the interval of the difference includes 0, so the data cannot rule out no change at all.",
    })


def judge_kappa(answer: object) -> CheckResult:
    """Exercise 5: Cohen's kappa between the judge's and the human's pass/fail verdicts."""
    expected = calc.cohens_kappa(HUMAN_VERDICTS, JUDGE_VERDICTS)
    agreement = calc.percent_agreement(HUMAN_VERDICTS, JUDGE_VERDICTS)
    return check_number("Exercise 5 · judge-human kappa", answer, expected, rel_tol=0.01, hints={
        agreement / expected: "that is raw agreement (p_o); kappa subtracts the agreement chance alone gives: "
                              "(p_o - p_e) / (1 - p_e).",
        100.0: "kappa is a number between -1 and 1, not a percentage.",
    })


def ab_users_per_arm(answer: object) -> CheckResult:
    """Exercise 6: users per arm to detect 60% -> 63% thumbs-up, two-sided alpha 0.05, power 0.8."""
    expected = calc.ab_test_sample_size(AB_BASE_RATE, AB_EFFECT)
    return check_number("Exercise 6 · A/B users per arm", answer, expected, rel_tol=0.02, hints={
        2.0: "that is both arms together; the question asks per arm.",
        calc.ab_test_sample_size(AB_BASE_RATE, AB_EFFECT, alpha=0.1) / expected:
            "that is a one-sided test at 5% (z = 1.645); the test is two-sided (z = 1.96).",
        calc.ab_test_sample_size(AB_BASE_RATE, AB_EFFECT, power=0.5) / expected:
            "that ignores power (z_power = 0): the test would miss a real 3-point change half the time.",
        calc.ab_test_sample_size(AB_BASE_RATE, 2 * AB_EFFECT) / expected:
            "the effect is 3 points (0.03), not 6.",
    }, unit="users")


def ab_days(answer: object) -> CheckResult:
    """Exercise 7: days of traffic the test needs at 2,500 eligible users a day, split over two arms."""
    plan = calc.plan_ab_test(AB_BASE_RATE, AB_EFFECT, AB_USERS_PER_DAY)
    one_arm = math.ceil(plan.n_per_arm / AB_USERS_PER_DAY)
    return check_number("Exercise 7 · A/B duration", answer, plan.days, rel_tol=0.001, hints={
        one_arm / plan.days: "both arms draw on the same daily traffic: each day's users are split between them.",
        plan.traffic_days / plan.days: "that is the traffic the sample needs; run whole weeks (at least one), "
                                       "so that every weekday counts equally.",
    }, unit="days")


def contamination_reading(answer: object) -> CheckResult:
    """Exercise 8: what a clean 13-gram check proves."""
    return check_choice("Exercise 8 · reading a contamination check", answer, "b", {
        "a": "no: paraphrases, translations and light edits share no 13-gram with the source (the lesson's "
             "edited lambda item) yet carry the same answer.",
        "b": "it rules out long verbatim copies and nothing more; a model may still have seen the item in "
             "other words.",
        "c": "no check on the corpus can prove what the model memorised; it can only bound verbatim overlap.",
    })
