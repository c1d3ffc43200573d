"""Evaluation plans: golden sets sized for the error bar needed, LLM judges calibrated on people, A/B tests
sized from traffic."""

from __future__ import annotations

from techpm import calc
from techpm.generator.facets._calc import LARGE_MODEL
from techpm.generator.facets.base import Ctx, Facet, Persona
from techpm.generator.figures import duration, num, usd

MARGIN = 0.03
BASE_RATE = 0.30
MDE = 0.02
JUDGE_IN, JUDGE_OUT = 2_500, 300


def _figures(ctx: Ctx) -> None:
    items_q = ctx.take("eval_items")
    if items_q is None:
        doc = ctx.brief.first("documents")
        if doc is not None and doc.unit in ("prompts", "questions", "items", "cases", "conversations", "answers",
                                            "responses", "outputs", "queries"):
            items_q = ctx.take("documents")
    points_q = ctx.take("points")
    target = points_q.value / 100 if points_q and points_q.value > 0 else MARGIN
    n = int(items_q.value) if items_q and items_q.value >= 1 else calc.sample_size_for_margin(min(0.5, target))
    margin = calc.margin_of_error(max(1, n))
    if points_q is not None:
        need = calc.sample_size_for_margin(min(0.5, target))
        ctx.add("eval_points", f"Items needed for the stated {points_q.text}", need,
                f"{num(need)} items per run measure a rate within +/-{target:.1%} (95%); "
                + (f"{items_q.text} give +/-{margin:.1%}" if items_q else "the set below is sized to it"),
                f"n = 1.96^2 x 0.25 / {target:g}^2", "calc.sample_size_for_margin",
                "paired comparisons of two versions on the same items need fewer", uses=(points_q, items_q))
    ctx.add("eval_size", f"Golden set for {ctx.values['product']} and its error bar", n,
            f"{num(n)} labelled items measure a rate within +/-{margin:.1%} at 95% confidence"
            + ("" if items_q else f" (sized for +/-{MARGIN:.0%})"),
            "margin = 1.96 sqrt(p (1 - p) / n), p = 0.5", "calc.sample_size_for_margin, calc.margin_of_error",
            "worst case p = 0.5; several items per source need more", uses=(items_q,))
    s = ctx.scale
    per_arm = calc.ab_test_sample_size(BASE_RATE, MDE)
    days = 2 * per_arm / max(1.0, s.per_day)
    ctx.add("ab_test", f"Online A/B test of {ctx.values['product']}", per_arm,
            f"{num(per_arm)} {ctx.values['items']} per arm to see {BASE_RATE:.0%} -> {BASE_RATE + MDE:.0%}: "
            f"{duration(days * 86_400)} of traffic at {num(s.per_day)} a day", "two-proportion z-test, alpha 0.05, power 0.8",
            "calc.ab_test_sample_size", "a 50/50 split", uses=(s.per_day_from, s.users_from))
    judge = calc.api_cost_usd(LARGE_MODEL, JUDGE_IN * n, JUDGE_OUT * n, batch=True)
    human = calc.preference_labeling_cost_usd(min(n, 2_000), labels_per_comparison=3)
    ctx.add("judge", f"An LLM judge for {ctx.values['product']}, and the people who calibrate it", judge,
            f"{usd(judge)} per full run through batches; {usd(human)} for 3 human labels on "
            f"{num(min(n, 2_000))} items to measure the judge's agreement first",
            f"{num(n)} x ({num(JUDGE_IN)} in + {JUDGE_OUT} out), half price; items x 3 x $0.67",
            "calc.api_cost_usd, calc.preference_labeling_cost_usd", f"{LARGE_MODEL} as judge")
    ctx.values["eval_n"] = num(n)
    ctx.values["eval_margin"] = f"{margin:.1%}"


FACET = Facet(
    name="evaluation",
    title="Evaluation plan",
    cues=((r"\bevals?\b", 4), (r"evaluat", 3), (r"benchmark", 2), (r"llm[- ]as[- ](?:a[- ])?judge|golden (?:set|dataset)", 4),
          (r"a/b test|regression test|win rate", 3), (r"how (?:do|would|will) (?:you|we) (?:know|measure)|measure (?:the )?quality", 3),
          (r"accuracy|hallucination rate|quality bar", 1),
          (r"^(?:how (?:would|do|should|can|will) (?:you|we|i) )?(?:evaluate|measure|benchmark|test)\b", 4),
          (r"scores? .{0,30}(?:higher|lower|better|worse)|complain|regress|tell two .{0,20}apart", 2)),
    boost=lambda b: 2.0 if b.first("eval_items") else 0.0,
    concept_groups=(
        ("golden set", "labelled set", "labeled set", "eval set"),
        ("llm judge", "llm-as-judge", "judge"),
        ("confidence interval", "error bar", "+/-"),
        ("a/b test", "online test"),
        ("regression",),
    ),
    domain_terms=("golden set", "judge agreement", "goodhart"),
    scoping=(
        "Which decision will the evals of <<product>> drive (ship or not, which model, which prompt), each "
        "with its own set and error bar?",
        "What does a good output of <<product>> look like for <<users>>, who can label it, and how often do two labellers agree?",
        "Which failures of <<product>> are unacceptable at any rate, and get their own test set?",
    ),
    personas=(Persona("developer", "the ML engineer who changes the prompts and models of <<product>>",
                      "eyeballs a handful of outputs of <<product>> before shipping",
                      "comfortable with code and statistics; short of labelled examples for <<product>>",
                      "regressions of <<product>> found by <<users>>, and scores that move with noise",
                      "an eval in CI on every change to <<product>>, with error bars and a diff of what got worse"),),
    stages=("sources: sampled production + expert cases + adversarial cases --> (golden set, versioned, held out)",
            "candidate --> [runner via batch API] --> [checks + LLM judge + human sample] --> score with interval --> CI gate"),
    components=(
        ("Golden set", "<<eval_n>> labelled items from real use of <<product>>, experts and past failures, "
         "kept out of every prompt, refreshed as usage shifts."),
        ("Graders", "Programmatic checks of what <<product>> returns where possible, an LLM judge with a written rubric where "
         "not, its agreement with people measured before it is trusted [[llm_judge]]."),
        ("Statistics", "Every score of <<product>> with a confidence interval, versions compared on the same "
         "items, and online A/B tests for the changes that pass offline [[error_bars]]."),
        ("Slices", "Scores of <<product>> are reported per slice (topic, language, length, user segment), "
         "because an average that holds can hide a slice that collapsed; each slice gets enough items for "
         "its own error bar."),
        ("Production loop", "Sampled live traffic of <<product>> is graded daily by the judge, disagreements "
         "and user complaints go to human review, and every confirmed failure joins the regression set."),
    ),
    figures=_figures,
    deep_dive=("Evals that can tell two versions apart",
               "A score without an error bar cannot justify a decision: with <<eval_n>> items, a rate is known "
               "to about +/-<<eval_margin>>, so two versions of <<product>> closer than that are a tie. Paired "
               "comparisons on the same items see smaller differences [[error_bars]]; an LLM judge scales grading "
               "of <<product>> once its agreement with people is measured and its position and length biases are "
               "controlled [[llm_judge]]. Beware Goodhart's law: once a score of <<product>> becomes the target, "
               "check it still tracks what <<users>> value."),
    risks=(("Judge drift", "an LLM judge of <<product>> changes when its own model is updated: pin the judge "
            "version, and re-measure its agreement with people before trusting a new one."),
           ("Benchmark versus product", "a public benchmark can rise while <<users>> complain: it measures "
            "what its authors cared about, so <<product>> is judged on its own tasks first [[helm]]."),
           ("Contamination and drift", "eval items leak into prompts or training, and real <<items>> drift "
            "away from the set: hold items out, and refresh from production samples of <<product>>."),),
    api=("POST /v1/evals/runs   {suite_id, candidate: {model, prompt_version}}  -> scores with intervals, diffs",),
    metrics=(("Judge agreement with human labels on <<product>>", ">= the agreement between two people", "trust in automated grading"),
             ("Eval runs per change to <<product>>", "every change, in CI", "no unmeasured releases")),
    tradeoffs=(
        ("Grader", "an LLM judge calibrated on people",
         "people only, while the rubric of <<product>> is still changing"),
        ("Comparison", "paired, on the same items",
         "fresh samples per version, when the traffic of <<product>> drifts faster than the set can follow"),
        ("Set size", "sized for the error bar the decision needs", "a small, hand-checked set while the rubric of <<product>> is still moving"),
        ("Online or offline", "offline first, then an A/B test", "straight to online when <<product>> has heavy traffic and cheap rollback"),
    ),
    recommendation="Build the golden set of <<product>> and its error bars before optimising anything, "
                   "calibrate the judge on people, and confirm offline wins online.",
)
