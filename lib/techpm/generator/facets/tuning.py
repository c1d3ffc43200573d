"""Training and tuning with a stated team and deadline: SFT, preference tuning (RLHF, DPO), LoRA, and the
compute, labels and weeks the plan needs."""

from __future__ import annotations

import math

from techpm import calc
from techpm.generator.facets._calc import GPU, LARGE_MODEL
from techpm.generator.facets.base import Ctx, Facet, Persona
from techpm.generator.figures import duration, num, sci, size, usd

DEFAULT_PAIRS = 10_000
DEFAULT_PARAMS = 8e9
SFT_EXAMPLES = 20_000
SFT_TOKENS = 1_000
EPOCHS = 3
WEEKS_PER_PHASE = {"data and evals": 0.35, "training runs": 0.4, "evaluation and launch": 0.25}


def _figures(ctx: Ctx) -> None:
    params_q = ctx.take("model_params")
    params = params_q.value if params_q and params_q.value > 0 else ctx.assume(
        "model size", DEFAULT_PARAMS, f"an {num(DEFAULT_PARAMS / 1e9)}B-parameter open model", "small enough to tune fast")
    pairs_q = ctx.take("preference_pairs")
    pairs = pairs_q.value if pairs_q else ctx.assume("preference pairs", DEFAULT_PAIRS,
                                                     f"{num(DEFAULT_PAIRS)} preference pairs", "a first labelling round")
    examples_q = ctx.take("training_examples")
    examples = examples_q.value if examples_q else SFT_EXAMPLES
    tokens = examples * SFT_TOKENS * EPOCHS
    flops = calc.training_flops(params, tokens)
    gpu = calc.get_gpu(GPU)
    hours = calc.training_time_s(flops, gpu.bf16_flops_per_s, 8) / 3600
    price = calc.get_gpu_prices(GPU)[0].usd_per_gpu_hour
    ctx.add("sft", "Supervised fine-tuning run", flops,
            f"{sci(flops)} FLOPs: {duration(hours * 3600)} on 8 x {gpu.name}, about {usd(hours * 8 * price)}",
            f"6 x {num(params / 1e9)}B params x {num(examples)} examples x {num(SFT_TOKENS)} tokens x {EPOCHS} epochs",
            "calc.training_flops, calc.training_time_s", "40% MFU; on-demand price", uses=(params_q, examples_q))
    n_pairs = int(max(1, min(pairs, 1e9)))
    ppo = calc.rlhf_budget(params, n_pairs, method="ppo", gpu=GPU)
    dpo = calc.rlhf_budget(params, n_pairs, method="dpo", gpu=GPU)
    ctx.add("ppo_vs_dpo", f"Preference tuning on {num(n_pairs)} pairs: PPO vs DPO", dpo.total_usd,
            f"PPO {usd(ppo.total_usd)} with {size(ppo.memory_bytes)} of model states and "
            f"{duration(ppo.compute_days * 86400)} of compute; DPO {usd(dpo.total_usd)} with "
            f"{size(dpo.memory_bytes)} and {duration(dpo.compute_days * 86400)} (PPO costs "
            f"{ppo.total_usd / dpo.total_usd:,.2f} times as much)",
            "PPO: reward model + policy + reference + value model in memory; DPO: policy + reference only",
            "calc.rlhf_budget", "human labels included at $0.67 a comparison; 8 GPUs; 40% MFU",
            uses=(params_q, pairs_q))
    p = calc.get_api_price(LARGE_MODEL)
    ai = calc.ai_labeling_cost_usd(n_pairs, 830, 61, p.input_usd_per_mtok, p.output_usd_per_mtok or 0.0)
    human = calc.preference_labeling_cost_usd(n_pairs)
    ctx.add("labels", "More preference labels: people vs a model", human,
            f"{usd(human)} for another {num(n_pairs)} human comparisons vs {usd(ai)} from {LARGE_MODEL} (RLAIF)",
            "comparisons x $ per label; AI: 2 passes x (830 in + 61 out tokens)",
            "calc.preference_labeling_cost_usd, calc.ai_labeling_cost_usd", "Lee et al. 2023 (RLAIF), appendix",
            uses=(pairs_q,))
    weeks_q = ctx.take("weeks", "months")
    team_q = ctx.take("team_size")
    weeks = (weeks_q.value * (4.3 if weeks_q.role == "months" else 1)) if weeks_q else None
    if weeks is not None or team_q is not None:
        w = weeks if weeks is not None else 12.0
        team = team_q.value if team_q else 4.0
        plan = ", ".join(f"{name} {w * share:,.1f} weeks" for name, share in WEEKS_PER_PHASE.items())
        runs = max(1, math.floor(w * WEEKS_PER_PHASE["training runs"] * 7 * 24 / max(hours, 1.0)))
        ctx.add("tuning_plan", "The plan in the time and team stated", w * team,
                f"{plan}: {num(w * team)} person-weeks"
                + (f" for {say_team(team_q)}" if team_q else "") + f"; room for about {num(min(runs, 1000))} full "
                "fine-tuning runs in the training window, so sweeps stay small and LoRA keeps each run cheap",
                f"{num(w)} weeks x {num(team)} people; runs = training weeks x 168 h / {duration(hours * 3600)} per run",
                "arithmetic on calc.training_time_s", "phases are a typical split; evals are built first",
                uses=(weeks_q, team_q))
    full = calc.training_memory_bytes(params)
    ctx.values["ft_memory"] = size(full)
    ctx.values["tune_params"] = f"{num(params / 1e9)}B"


def say_team(q) -> str:  # noqa: ANN001
    return q.text


FACET = Facet(
    name="tuning",
    title="Training and tuning the model",
    cues=((r"fine[- ]?tun", 4), (r"\brlhf\b|\bdpo\b|\bppo\b|reward model|\brlaif\b", 4),
          (r"preference (?:pairs|data|labels|tuning|optimi[sz]ation)|comparisons", 3), (r"\bsft\b|supervised fine|\blora\b|adapters?", 3),
          (r"post[- ]train|instruction[- ]tun|distill|train (?:our|a|an|its|their) own|pre-?train", 3),
          (r"\btrain(?:ing)?\b", 1), (r"sycophan|too (?:verbose|agreeable|rude)|over-?refus|personality", 2),
          (r"(?:data and|the) training (?:changes|data)|training (?:changes|data|run)", 2)),
    boost=lambda b: 2.0 if b.first("preference_pairs", "training_examples") else 0.0,
    concept_groups=(
        ("sft", "supervised fine-tuning"),
        ("dpo", "direct preference"),
        ("reward model", "ppo", "rlhf"),
        ("lora", "adapter"),
        ("preference", "comparison"),
    ),
    domain_terms=("reward model", "dpo", "preference pairs", "kl penalty"),
    scoping=(
        "What behaviour must change in <<product>> that prompting and retrieval cannot reach, and how will we "
        "know it changed?",
        "What data exists (demonstrations, preference pairs, logs we may use), and who labels more?",
        "Which base model (<<tune_params>> parameters here), and do we own the weights or tune through a provider?",
    ),
    personas=(Persona("developer", "The research engineer who runs the training",
                      "adapts recipes from papers to in-house data and clusters",
                      "deep ML expertise; limited time for product evaluation",
                      "noisy preference data, runs that cannot be compared, and evals that lag training",
                      "versioned data, an eval suite that runs on every checkpoint, and reserved GPUs"),),
    stages=("data: demonstrations + preference pairs (people or AI feedback) --> [SFT] --> [DPO, or reward model + PPO]",
            "  --> checkpoints --> [eval suite + red team] --> ship as a LoRA adapter or merged weights"),
    components=(
        ("Supervised fine-tuning", "Demonstrations teach format and tone first; LoRA adapters train a small "
         "fraction of the weights, so a run fits on fewer GPUs than the <<ft_memory>> a full fine-tune "
         "needs and adapters swap per use case [[lora]]."),
        ("Preference tuning", "DPO optimises directly on preference pairs with the policy and a reference "
         "model only [[dpo]]; the classic route trains a reward model and runs PPO with a KL penalty "
         "[[instructgpt]] [[ppo]]. AI feedback can replace most new human labels [[rlaif]] [[cai]]."),
        ("Evaluation gate", "Every checkpoint runs the eval suite and a safety set before it can ship."),
    ),
    figures=_figures,
    deep_dive=("RLHF end to end, and when DPO is enough",
               "The classic pipeline is supervised fine-tuning on demonstrations, a reward model trained on "
               "human preference comparisons, then PPO against that reward with a KL penalty keeping the policy "
               "near the reference [[instructgpt]]. DPO reaches a similar objective without the reward model or "
               "the RL loop [[dpo]], which is why it is cheaper in memory and compute above; PPO earns its cost "
               "when the reward model is reused for many rounds or for best-of-n sampling. Either way, the "
               "preference data decides the result: its agreement between labellers caps what any method learns."),
    risks=(("Reward hacking", "the policy learns what the reward model likes, not what users want: watch "
            "length and style drift, and keep the KL penalty."),
           ("Regressions elsewhere", "tuning for one behaviour can break others: the eval suite covers the "
            "capabilities <<product>> must keep.")),
    api=("POST /v1/fine_tuning/jobs   {base_model, training_file, method: \"sft\" | \"dpo\", hyperparameters}",
         "GET  /v1/fine_tuning/jobs/{id}/checkpoints   (metrics per checkpoint)"),
    metrics=(("Win rate vs the base model (blind pairwise)", "> 60% on the target behaviour", "the change the tuning bought"),
             ("Regression on the general eval suite", "none beyond noise", "nothing else broke")),
    item_noun="requests",
    tradeoffs=(
        ("Method", "SFT then DPO on LoRA adapters",
         "PPO with a reward model when the reward model of <<product>> will be reused for many rounds"),
        ("Labels", "people for the first round, AI feedback after",
         "people throughout when the judgement needs experts"),
    ),
    recommendation="Start with SFT and DPO on LoRA adapters within the stated time and team, build the eval "
                   "suite before the first run, and keep PPO for when a reusable reward model pays for itself.",
)
