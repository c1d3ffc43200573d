"""Safety, moderation and red teaming: layered classifiers, false positives at scale, and what a clean
red-team run proves (an upper bound, not zero)."""

from __future__ import annotations

import math

from techpm import calc
from techpm.generator.facets._calc import SMALL_MODEL
from techpm.generator.facets.base import Ctx, Facet, Persona
from techpm.generator.figures import num, pct, usd

ATTACKS = 500
TARGET_RATE = 0.01
FALSE_POSITIVE_RATE = 0.01
REVIEWS_PER_HOUR = 60
LAYER_MISS = (0.10, 0.20)      # miss rates of an input classifier and an output classifier


def _figures(ctx: Ctx) -> None:
    attacks_q = ctx.take("attacks")
    n = int(max(1, min(attacks_q.value, 1e12))) if attacks_q else int(ctx.assume(
        "red-team attacks", ATTACKS, f"{ATTACKS} red-team attacks per release", "a week of a small red team"))
    bound = calc.zero_failure_upper_bound(n)
    need = calc.trials_to_bound_rate(TARGET_RATE)
    ctx.add("redteam_bound", f"What a clean red-team run of {ctx.values['product']} proves", bound,
            f"0 successes in {num(n)} attacks still allows a true attack success rate up to {bound:.2%} (95% "
            f"confidence); proving it is below {pct(TARGET_RATE)} takes {num(need)} clean attempts",
            f"1 - 0.05^(1/{n}) (about 3 / n, the rule of three)",
            "calc.zero_failure_upper_bound, calc.trials_to_bound_rate",
            "attacks drawn independently; new attack styles are outside the sample", uses=(attacks_q,))
    missed = calc.layered_miss_rate(LAYER_MISS)
    ctx.add("layers", f"Two independent layers in front of {ctx.values['product']}", missed,
            f"an input check missing {pct(LAYER_MISS[0])} and an output check missing {pct(LAYER_MISS[1])} let "
            f"{pct(missed)} through together, if their misses are independent (they rarely fully are)",
            " x ".join(f"{m:g}" for m in LAYER_MISS), "calc.layered_miss_rate",
            "measure the joint miss rate on the red-team set")
    s = ctx.scale
    fps = FALSE_POSITIVE_RATE * s.per_day
    reviewers = math.ceil(fps / (REVIEWS_PER_HOUR * 8)) if fps > 0 else 0
    ctx.add("false_positives", "False positives at this volume", fps,
            f"{num(fps)} harmless {ctx.values['items']} blocked a day at a {pct(FALSE_POSITIVE_RATE)} false-positive "
            f"rate; reviewing them takes {num(reviewers)} {'person' if reviewers == 1 else 'people'} on 8-hour shifts",
            f"{pct(FALSE_POSITIVE_RATE)} x {num(s.per_day)} a day / ({REVIEWS_PER_HOUR} reviews an hour x 8 h)",
            "arithmetic", "every point of false positives is users refused for nothing", uses=(s.per_day_from,))
    check = calc.api_cost_usd(SMALL_MODEL, 1_500 * s.per_month, 10 * s.per_month)
    ctx.add("classifier_cost", "Running a model-based check on everything", check,
            f"{usd(check)} a month on {SMALL_MODEL} for {num(s.per_month)} {ctx.values['items']}",
            f"{num(s.per_month)} x (1,500 tokens in + 10 out)", "calc.api_cost_usd",
            "a 10-token verdict; it runs beside generation, not in series")
    ctx.values["redteam_n"] = num(n)
    ctx.values["redteam_bound"] = f"{bound:.2%}"


FACET = Facet(
    name="safety",
    title="Safety, moderation and red teaming",
    cues=((r"safety|\bsafe\b|harm", 3), (r"moderat", 4), (r"jailbreak|prompt injection|red[- ]team", 4),
          (r"abuse|misuse|toxic|hate|harass|self[- ]harm|\bcsam\b|extremis", 3),
          (r"guardrails?|safeguards?|content (?:filter|polic)|trust (?:and|&) safety", 3),
          (r"children|kids|minors|teen", 1)),
    boost=lambda b: (1.0 if b.first("attacks") else 0.0) + (3.0 if "COPPA" in b.regulated else 0.0),
    concept_groups=(
        ("red team", "red-team", "adversarial"),
        ("classifier", "moderation", "filter"),
        ("false positive", "over-refusal", "over-blocking"),
        ("upper bound", "confidence", "rule of three"),
        ("policy", "taxonomy"),
    ),
    domain_terms=("jailbreak", "moderation", "rule of three", "over-refusal"),
    scoping=(
        "Which harms matter most for <<product>> (self-harm, abuse, fraud, dangerous advice), and what is the "
        "written policy for each: block, warn, or escalate?",
        "What false-positive rate can <<users>> tolerate, and who reviews appeals?",
        "Who attacks <<product>> and how (jailbreaks, prompt injection, coordinated abuse), and how often will "
        "it be red-teamed?",
    ),
    personas=(Persona("developer", "the trust-and-safety lead who owns the policy of <<product>>",
                      "writes policy, labels edge cases among <<items>>, and runs review queues",
                      "expert in harms and policy; not necessarily in how <<product>> is trained",
                      "classifiers that drift, appeals from <<users>> that pile up, and attacks that change weekly",
                      "per-category dashboards, fast classifier updates and a review queue that learns"),),
    stages=("input --> [input classifier: policy categories] --> model --> [output classifier] --> [action: allow / warn / block / escalate]",
            "  flagged + sampled --> [review queue] --> labels --> classifier updates ; red team --> new attacks --> eval set"),
    components=(
        ("Layered checks", "Safety training in the model, then input and output classifiers per policy "
         "category of <<product>> [[llama_guard]], run in parallel with generation so they add little latency; "
         "classifiers trained from a written constitution can be updated as policy changes "
         "[[constitutional_classifiers]]."),
        ("Red teaming", "A standing red team plus automated attack generation before each release of "
         "<<product>>, with the successful attacks added to the eval set [[red_teaming]]."),
        ("Review and appeals", "Flagged and sampled traffic of <<product>> goes to trained reviewers; their "
         "labels retrain the classifiers and calibrate thresholds."),
    ),
    figures=_figures,
    deep_dive=("Measuring a rare failure",
               "Harms are rare in traffic, so a clean result proves less than it seems: <<redteam_n>> attacks "
               "with no success still allow a true rate up to <<redteam_bound>> [[rule_of_three]]. Report attack "
               "success rates with their upper bounds [[error_bars]], size red-team runs from the rate you must rule out, "
               "and measure over-refusal on a benign set as carefully as harm on the harmful one, because "
               "<<users>> refused for nothing leave."),
    risks=(("Adaptive attackers", "attacks on <<product>> change after each fix: continuous red teaming and "
            "fast classifier updates [[red_teaming]]."),
           ("Over-refusal", "a strict threshold blocks ordinary <<items>>: track the false-positive rate per "
            "category next to the miss rate.")),
    api=("POST /v1/moderations   {input, policy_version}  -> {category: score, action}",
         "POST /v1/reports       {message_id, reason}  (into the review queue)"),
    api_notes="Standard checks are part of the price of <<product>>; custom policies are an add-on.",
    metrics=(("Attack success rate on the red-team set (upper 95% bound)", "< 1% per category", "the harm bound of <<product>>"),
             ("False-positive rate on benign <<items>>", "< 1%", "<<users>> not refused for nothing"),
             ("Time to mitigate a new attack on <<product>>", "< 48 hours", "attackers adapt")),
    tradeoffs=(
        ("Where checks run", "in parallel with generation",
         "in series before generation when a single harmful output of <<product>> is unacceptable"),
        ("Threshold", "tuned per category on labelled data",
         "one strict global threshold is simpler and over-blocks the ordinary <<items>>"),
    ),
    recommendation="Layer model-level safety with per-category classifiers, red-team every release of "
                   "<<product>>, and report every rate with its upper bound.",
)
