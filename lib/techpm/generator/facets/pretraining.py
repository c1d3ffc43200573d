"""Pre-training to a compute budget: compute-optimal model size and data (Chinchilla), training time and
cost on a GPU cluster, and when to over-train a smaller model for cheaper inference."""

from __future__ import annotations

from techpm import calc
from techpm.generator.facets._calc import GPU
from techpm.generator.facets.base import Ctx, Facet, Persona
from techpm.generator.figures import duration, num, sci, usd

DEFAULT_FLOPS = 1e23
CLUSTER_GPUS = 4_096
MFU = 0.4
OVERTRAIN_TOKENS_PER_PARAM = 100   # a smaller model trained longer: cheaper to serve, same budget


def _figures(ctx: Ctx) -> None:
    flops_q = ctx.take("compute_flops")
    flops = flops_q.value if flops_q and flops_q.value > 0 else ctx.assume(
        "compute budget", DEFAULT_FLOPS, f"{sci(DEFAULT_FLOPS)} FLOPs of training compute", "a mid-sized frontier run")
    params, tokens = calc.chinchilla_optimal(flops)
    stated = flops_q.text if flops_q else f"{sci(flops)} FLOPs"
    ctx.add("chinchilla", f"Compute-optimal split of {stated}", params,
            f"about {num(params / 1e9)}B parameters trained on {num(tokens / 1e12)} trillion tokens "
            f"(20 tokens per parameter)", "C = 6 N D with D = 20 N, so N = sqrt(C / 120)",
            "calc.chinchilla_optimal", "Hoffmann et al. 2022; data quality and repetition shift it",
            uses=(flops_q,))
    gpu = calc.get_gpu(GPU)
    seconds = calc.training_time_s(flops, gpu.bf16_flops_per_s, CLUSTER_GPUS, MFU)
    price = calc.get_gpu_prices(GPU)[0].usd_per_gpu_hour
    cost = seconds / 3600 * CLUSTER_GPUS * price
    ctx.add("train_time", f"Training {stated} on {num(CLUSTER_GPUS)} GPUs", seconds,
            f"{duration(seconds)} on {num(CLUSTER_GPUS)} x {gpu.name} at {MFU:.0%} utilisation, about {usd(cost)} "
            "at on-demand prices", f"{sci(flops)} / ({num(CLUSTER_GPUS)} x {sci(gpu.bf16_flops_per_s)} FLOP/s x {MFU:g})",
            "calc.training_time_s", "failures, restarts and evaluation runs add 10-30% in practice", uses=(flops_q,))
    small = (flops / (6 * OVERTRAIN_TOKENS_PER_PARAM)) ** 0.5
    ctx.add("overtrain", "Over-training a smaller model instead", small,
            f"the same {stated} trains a {num(small / 1e9)}B model on {OVERTRAIN_TOKENS_PER_PARAM} tokens per "
            f"parameter: a worse model per FLOP of training, {params / small:,.1f}x cheaper per token to serve",
            f"N = sqrt(C / (6 x {OVERTRAIN_TOKENS_PER_PARAM}))", "calc.training_flops (C = 6 N D)",
            "worth it when the model will serve many more tokens than it trained on", uses=(flops_q,))
    ctx.values["compute"] = stated
    ctx.values["opt_params"] = f"{num(params / 1e9)}B"
    ctx.values["train_time"] = duration(seconds)


FACET = Facet(
    name="pretraining",
    title="Pre-training to a compute budget",
    cues=((r"\bflops?\b|compute budget|compute[- ]optimal", 4), (r"scaling laws?|chinchilla", 4),
          (r"pre-?train|train(?:ing)? (?:a|our|the) (?:next |new |own )?(?:foundation |base )?model from scratch", 4),
          (r"how (?:big|large) should (?:it|the model)|how much data", 3), (r"next model|training run|gpu cluster", 1)),
    boost=lambda b: 3.0 if b.first("compute_flops") else 0.0,
    concept_groups=(
        ("chinchilla", "compute-optimal", "20 tokens per parameter"),
        ("tokens", "data"),
        ("gpu", "cluster"),
        ("inference cost", "over-train", "serve"),
    ),
    domain_terms=("chinchilla", "compute-optimal", "over-train"),
    scoping=(
        "Is <<compute>> the whole budget, or only the final run, with ablations, evaluations and restarts on top?",
        "How many tokens of usable data exist for <<product>>, and how much may be repeated or synthetic?",
        "How will the model be served: many tokens a day favour a smaller, longer-trained model over the "
        "compute-optimal one?",
    ),
    personas=(Persona("developer", "the pre-training lead who plans the run of <<product>>",
                      "sizes runs from scaling-law fits on small models",
                      "deep research expertise; plans in FLOPs and tokens",
                      "runs that diverge late, data that runs out, and a cluster shared with everyone",
                      "a fixed budget, a data plan, checkpoints and evals on a schedule the product team can read"),),
    stages=("data: crawl + licensed + code --> [filter, dedupe, mix] --> tokens",
            "  --> [pre-training run on the cluster, checkpoints] --> [evals on a schedule] --> base model --> post-training"),
    components=(
        ("Sizing", "Scaling laws fitted on small runs predict the loss of the full one; the compute-optimal "
         "point of <<compute>> is about <<opt_params>> parameters [[chinchilla]]."),
        ("Data", "The data plan decides the result as much as size: filtering, deduplication and the mixture of "
         "web, code and licensed text, with held-out sets that never enter training."),
        ("The run", "Checkpoints, loss spikes caught early, and evaluations on a schedule, so the product team "
         "sees progress in capabilities, not only in loss, over the <<train_time>>."),
    ),
    figures=_figures,
    deep_dive=("Compute-optimal is not product-optimal",
               "Chinchilla's rule of about 20 tokens per parameter minimises loss for a fixed training budget "
               "[[chinchilla]], but a model is trained once and served for its whole life: when <<product>> "
               "will serve many tokens, a smaller model trained on more data costs more to train per point of "
               "loss and less to serve. What to tell the product team: a date driven by the <<train_time>> of "
               "compute plus post-training and evaluation, and capability checkpoints along the way."),
    risks=(("Running out of data", "high-quality tokens are finite: repeated epochs and synthetic data help "
            "up to a point, then hurt; plan the data for <<compute>> before the cluster."),),
    api=("(no external API: checkpoints and eval results published to an internal dashboard for <<product>>)",),
    metrics=(("Loss vs the scaling-law prediction at each checkpoint", "within the fitted band", "the run of <<product>> is on track"),
             ("Capability evals at each checkpoint", "rising on schedule", "what the product team can plan on")),
    tradeoffs=(("Model size", "compute-optimal", "smaller and over-trained when serving volume of <<product>> dominates its lifetime cost"),),
    item_noun="training runs",
    users_noun="product teams",
    recommendation="Size <<product>> from scaling laws at <<compute>>, decide the over-training trade from "
                   "the expected serving volume, and give the product team capability checkpoints, not just a date.",
)
