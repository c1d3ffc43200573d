"""Classification at volume: triage, routing, tagging and detection, with thresholds, precision and recall."""

from __future__ import annotations

from techpm import calc
from techpm.generator.facets._calc import SMALL_MODEL
from techpm.generator.facets.base import Ctx, Facet, Persona
from techpm.generator.figures import num, pct, usd

PRECISION, RECALL = 0.95, 0.90
PREVALENCE = 0.05


def _figures(ctx: Ctx) -> None:
    s = ctx.scale
    positives = PREVALENCE * s.per_day
    caught = RECALL * positives
    false_alarms = caught / PRECISION - caught
    ctx.add("confusion", "What a threshold means at this volume", false_alarms,
            f"of {num(s.per_day)} {ctx.values['items']} a day, {num(positives)} are positive at a "
            f"{pct(PREVALENCE)} rate: at {pct(PRECISION)} precision and {pct(RECALL)} recall the classifier catches "
            f"{num(caught)}, misses {num(positives - caught)} and raises {num(false_alarms)} false alarms",
            "caught = recall x positives; false alarms = caught / precision - caught", "arithmetic",
            "prevalence, precision and recall are assumptions to measure", uses=(s.per_day_from, s.users_from))
    cost = calc.api_cost_usd(SMALL_MODEL, 800 * s.per_month, 5 * s.per_month, batch=True)
    ctx.add("classify_cost", "Classifying everything with a small model", cost,
            f"{usd(cost)} a month through the batch API, {num(s.per_month)} {ctx.values['items']}",
            f"{num(s.per_month)} x (800 tokens in + 5 out), half price", "calc.api_cost_usd",
            "a fine-tuned small encoder would be cheaper still at this volume")
    ctx.values["false_alarms"] = num(false_alarms)


FACET = Facet(
    name="classification",
    title="Classification and triage",
    cues=((r"classif|categori[sz]|triage|\btag(?:s|ging)?\b|label(?:l)?ing", 3), (r"detect|flag", 2),
          (r"fraud|spam|anomal|phishing|scam", 3),
          (r"rout(?:e|ing) (?:tickets|requests|emails|calls)|intent|sentiment|priorit", 3)),
    threshold=3.0,
    concept_groups=(
        ("precision",),
        ("recall",),
        ("threshold",),
        ("label",),
    ),
    domain_terms=("precision and recall", "false alarms"),
    scoping=(
        "Which classes must <<product>> tell apart, how rare is each, and what does each kind of mistake cost "
        "(a miss vs a false alarm)?",
        "Is there labelled history of <<items>> to train and test on, and who labels the hard cases?",
    ),
    personas=(Persona("developer", "the operations lead who acts on the labels of <<product>>",
                      "sorts and routes <<items>> by hand or with brittle keyword rules",
                      "knows the categories of <<items>> intimately; not an ML specialist",
                      "misrouted <<items>>, and a queue of false alarms nobody trusts",
                      "a confidence with each label, and a threshold they can tune per class"),),
    stages=("<<items>> --> [classifier: class + confidence] --> high confidence: act ; low: [human queue] --> labels back to training",),
    components=(
        ("Classifier", "A small model prompted with the label definitions and examples, or a fine-tuned "
         "encoder once labels of <<items>> accumulate; each label <<product>> returns carries a calibrated confidence."),
        ("Thresholds per class", "Each class of <<product>> gets a threshold set from the cost of each mistake: "
         "strict where a false alarm is expensive, loose where a miss is."),
    ),
    figures=_figures,
    deep_dive=("Precision and recall at volume",
               "At scale even a good classifier produces a steady stream of mistakes: at the assumed rates, "
               "<<false_alarms>> false alarms a day. The threshold trades misses for false alarms, so it is a "
               "product decision per class, made with the people who handle both, and re-checked as the mix "
               "of <<items>> shifts."),
    risks=(("Drift", "new kinds of <<items>> appear and old labels stop fitting: monitor the confidence "
            "distribution and sample low-confidence items for labelling."),),
    api=("POST /v1/classifications   {text, taxonomy_id}  -> {label, confidence, needs_review}",),
    metrics=(("Precision and recall of <<product>> per class (labelled sample)", "targets set per class", "the cost of each mistake"),),
    tradeoffs=(
        ("Model", "a prompted small model",
         "a fine-tuned encoder once thousands of labelled <<items>> exist: cheaper and faster"),
        ("Threshold", "per class, from the cost of mistakes",
         "one threshold for all classes of <<product>> is simpler and wrong for the rare ones"),
    ),
    recommendation="Start <<product>> with a prompted small model and per-class thresholds, route low "
                   "confidence to people, and fine-tune once labels accumulate.",
)
