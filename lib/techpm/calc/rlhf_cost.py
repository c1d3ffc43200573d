"""What each post-training stage costs: model copies in memory, FLOPs, GPU-hours, and labels.

Model copies (Ouyang et al. 2022, "Training language models to follow instructions with human feedback",
section 3.5 and App. C.4, https://arxiv.org/abs/2203.02155; Rafailov et al. 2023, "Direct Preference
Optimization", https://arxiv.org/abs/2305.18290):

    stage          trainable copies              frozen copies
    SFT            policy                        -
    reward model   reward model                  -
    PPO            policy, value model           reference (SFT) policy, reward model
    DPO            policy                        reference policy (its log-probs can be computed once, ahead)

InstructGPT trained a 175B policy against a 6B reward model, with the value model initialised from the
reward model (so it has the reward model's size). A trainable copy costs 16 bytes per parameter under
mixed-precision Adam (``calc.training_memory_bytes``, ZeRO section 3.1); a frozen copy only needs its
weights, 2 bytes per parameter in bf16. Activations, KV caches for the rollouts and buffers are extra.

FLOPs per token (2N forward, 6N forward + backward: Kaplan et al. 2020, as in ``calc.training_flops``),
for a policy of N parameters and reward/value models of N_r:

    SFT            6 N                                   per demonstration token, per epoch
    reward model   6 N_r                                 per token of every compared sequence, per epoch
    PPO            2N (rollout) + 2N (reference) + 2N_r (reward) + 2N_r (value)      scoring each episode
                   + epochs * (6N + 6N_r)                updating the policy and the value model
                   + 6N per pretraining-mix token (InstructGPT's PPO-ptx: 8x more pretraining examples
                   than RL episodes, App. C.4)
    DPO            epochs * 6N + 2N                      per token of chosen + rejected (reference once)

Rollouts are generation, which runs at a lower utilisation than training, so the GPU-hours for PPO are a
lower bound. Labelling: a human comparison of two summaries cost about $0.67 and an AI (GPT-4) label
about $0.06 in Lee et al. 2023, "RLAIF vs. RLHF", App. L (https://arxiv.org/abs/2309.00267).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from techpm.calc._validate import non_negative, positive, positive_int, probability
from techpm.calc.training import training_memory_bytes
from techpm.errors import TechpmError, unknown_name
from techpm.tables import get_gpu, get_gpu_prices

__all__ = [
    "RLHF_STAGES",
    "HUMAN_USD_PER_COMPARISON",
    "ModelCopy",
    "RLHFMemory",
    "RLHFBudget",
    "rlhf_model_copies",
    "rlhf_memory_bytes",
    "rlhf_stage_flops",
    "preference_labeling_cost_usd",
    "ai_labeling_cost_usd",
    "rlhf_budget",
]

RLHF_STAGES = ("sft", "reward_model", "ppo", "dpo")

HUMAN_USD_PER_COMPARISON = 0.67
"""Lee et al. 2023 (RLAIF), App. L: 304 words to read at Google Cloud's ~$0.11 per 50 words of
classification labelling. It excludes training labellers and multiple labels per item, so treat it as a floor."""

FROZEN_BYTES_PER_PARAM = 2
"""bf16 weights of a model that is only run forward (reference, reward model)."""


@dataclass(frozen=True)
class ModelCopy:
    """One model held in memory during a stage: its role, whether it trains, and whose size it has."""

    role: str
    trainable: bool
    size_of: str  # "policy" or "reward": which parameter count it has


_COPIES = {
    "sft": (ModelCopy("policy", True, "policy"),),
    "reward_model": (ModelCopy("reward model", True, "reward"),),
    "ppo": (ModelCopy("policy", True, "policy"), ModelCopy("reference policy", False, "policy"),
            ModelCopy("reward model", False, "reward"), ModelCopy("value model", True, "reward")),
    "dpo": (ModelCopy("policy", True, "policy"), ModelCopy("reference policy", False, "policy")),
}


def _stage(stage: str) -> str:
    key = str(stage).strip().lower().replace(" ", "_").replace("-", "_")
    if key not in _COPIES:
        raise unknown_name("RLHF stage", str(stage), RLHF_STAGES)
    return key


def rlhf_model_copies(stage: str) -> tuple[ModelCopy, ...]:
    """The models a stage holds: PPO holds four (policy, reference, reward, value), DPO two.

    Source: Ouyang et al. 2022, "Training language models to follow instructions with human feedback", section
        3.5 and App. C.4, https://arxiv.org/abs/2203.02155; Rafailov et al. 2023, "Direct Preference
        Optimization", https://arxiv.org/abs/2305.18290.
    Used in: no lesson directly; inside ``rlhf_memory_bytes``.
    """
    return _COPIES[_stage(stage)]


@dataclass(frozen=True)
class RLHFMemory:
    """Bytes of model state per copy for one stage (activations excluded)."""

    stage: str
    by_role: dict[str, int]

    @property
    def total_bytes(self) -> int:
        return sum(self.by_role.values())


def rlhf_memory_bytes(n_params: float, stage: str = "ppo", reward_params: float | None = None,
                      frozen_bytes_per_param: float = FROZEN_BYTES_PER_PARAM) -> RLHFMemory:
    """Model-state memory of a stage: 16 bytes per trainable parameter, 2 per frozen one.

    ``reward_params`` is the size of the reward and value models (default: the policy's size). For a 7B
    policy with a 7B reward model, PPO holds 7e9 * (16 + 2 + 2 + 16) = 252 GB, DPO 7e9 * (16 + 2) = 126 GB.

    Source: Ouyang et al. 2022, "Training language models to follow instructions with human feedback", section
        3.5 and App. C.4, https://arxiv.org/abs/2203.02155; Rafailov et al. 2023, "Direct Preference
        Optimization", https://arxiv.org/abs/2305.18290. 16 bytes per trainable parameter: Rajbhandari et al.
        2019, "ZeRO", section 3.1, https://arxiv.org/abs/1910.02054.
    Used in: 02 §7, §9, exercises.
    """
    positive("n_params", n_params)
    if reward_params is not None:
        positive("reward_params", reward_params)
    positive("frozen_bytes_per_param", frozen_bytes_per_param)
    sizes = {"policy": n_params, "reward": n_params if reward_params is None else reward_params}
    by_role = {}
    for copy in rlhf_model_copies(stage):
        n = sizes[copy.size_of]
        by_role[copy.role] = training_memory_bytes(n) if copy.trainable else math.ceil(n * frozen_bytes_per_param)
    return RLHFMemory(_stage(stage), by_role)


def rlhf_stage_flops(stage: str, n_params: float, n_tokens: float, reward_params: float | None = None,
                     epochs: int = 1, pretrain_mix_tokens: float = 0) -> float:
    """Compute in FLOPs of one post-training stage (formulas in the module docstring).

    ``n_tokens`` counts: demonstration tokens (SFT); tokens of every answer the loss reads (reward model,
    DPO): both answers of each pair, or each ranked answer once when all of a prompt's comparisons share
    one batch element, as InstructGPT does (section 3.5); tokens of every episode, prompt plus response (PPO).
    ``pretrain_mix_tokens`` (PPO only) adds InstructGPT's pretraining-gradient mix at 6N per token.
    For a mixture-of-experts model pass the *active* parameter count: compute follows active
    parameters, memory (``rlhf_memory_bytes``) follows the total.

    Source: Ouyang et al. 2022, "Training language models to follow instructions with human feedback", section
        3.5 and App. C.4, https://arxiv.org/abs/2203.02155; Rafailov et al. 2023, "Direct Preference
        Optimization", https://arxiv.org/abs/2305.18290. 6N per token: Kaplan et al. 2020, "Scaling Laws for
        Neural Language Models", section 2.1, https://arxiv.org/abs/2001.08361.
    Used in: 02 §1, §9.
    """
    key = _stage(stage)
    positive("n_params", n_params)
    positive("n_tokens", n_tokens)
    positive_int("epochs", epochs)
    non_negative("pretrain_mix_tokens", pretrain_mix_tokens)
    if reward_params is not None:
        positive("reward_params", reward_params)
    if pretrain_mix_tokens and key != "ppo":
        raise TechpmError("pretrain_mix_tokens applies to the 'ppo' stage only (InstructGPT's PPO-ptx).")
    n, n_r = n_params, (n_params if reward_params is None else reward_params)
    if key == "sft":
        return 6 * n * n_tokens * epochs
    if key == "reward_model":
        return 6 * n_r * n_tokens * epochs
    if key == "dpo":
        return (epochs * 6 * n + 2 * n) * n_tokens
    scoring = 2 * n + 2 * n + 2 * n_r + 2 * n_r
    return (scoring + epochs * (6 * n + 6 * n_r)) * n_tokens + 6 * n * pretrain_mix_tokens


def preference_labeling_cost_usd(n_comparisons: float, usd_per_comparison: float = HUMAN_USD_PER_COMPARISON,
                                 labels_per_comparison: int = 1) -> float:
    """Dollars to label ``n_comparisons`` pairs, each by ``labels_per_comparison`` people.

    Source: Lee et al. 2023, "RLAIF vs. RLHF", App. L, https://arxiv.org/abs/2309.00267.
    Used in: 02 §7.
    """
    non_negative("n_comparisons", n_comparisons)
    non_negative("usd_per_comparison", usd_per_comparison)
    positive_int("labels_per_comparison", labels_per_comparison)
    return n_comparisons * usd_per_comparison * labels_per_comparison


def ai_labeling_cost_usd(n_comparisons: float, input_tokens: float, output_tokens: float,
                         input_usd_per_mtok: float, output_usd_per_mtok: float, passes: int = 2) -> float:
    """Dollars for an LLM to label ``n_comparisons`` pairs (RLAIF).

    Each label reads ``input_tokens`` (instructions + prompt + both responses) and writes ``output_tokens``
    (a rationale and a verdict); ``passes = 2`` asks twice with the responses swapped, to cancel position
    bias, as Lee et al. 2023 do. Their worked example (App. L, GPT-4 at $30 / $60 per million tokens,
    830 tokens in, 61 out): 2 * (830 * 30 + 61 * 60) / 1e6 = $0.057 per comparison.

    Source: Lee et al. 2023, "RLAIF vs. RLHF", App. L, https://arxiv.org/abs/2309.00267.
    Used in: 02 §7.
    """
    for name, value in (("n_comparisons", n_comparisons), ("input_tokens", input_tokens),
                        ("output_tokens", output_tokens), ("input_usd_per_mtok", input_usd_per_mtok),
                        ("output_usd_per_mtok", output_usd_per_mtok)):
        non_negative(name, value)
    positive_int("passes", passes)
    per_pass = (input_tokens * input_usd_per_mtok + output_tokens * output_usd_per_mtok) / 1e6
    return n_comparisons * passes * per_pass


@dataclass(frozen=True)
class RLHFBudget:
    """Dollars and days of preference tuning with one method (reward model + PPO, or DPO)."""

    method: str
    gpu: str
    label_usd: float
    flops: float
    gpu_hours: float
    usd_per_gpu_hour: float
    memory_bytes: int
    min_gpus: int
    n_gpus: int
    label_days: float | None

    @property
    def compute_usd(self) -> float:
        return self.gpu_hours * self.usd_per_gpu_hour

    @property
    def total_usd(self) -> float:
        return self.label_usd + self.compute_usd

    @property
    def compute_days(self) -> float:
        return self.gpu_hours / self.n_gpus / 24

    @property
    def days(self) -> float:
        """Calendar days if labelling comes first and training after (labelling days unknown: compute only)."""
        return self.compute_days + (self.label_days or 0.0)


def rlhf_budget(n_params: float, n_comparisons: int, usd_per_label: float = HUMAN_USD_PER_COMPARISON,
                gpu: str = "h100-sxm", method: str = "ppo", *, reward_params: float | None = None,
                tokens_per_prompt: int = 500, tokens_per_response: int = 500, ppo_episodes: int = 256_000,
                epochs: int = 1, n_gpus: int = 8, mfu: float = 0.4, usd_per_gpu_hour: float | None = None,
                labels_per_day: float | None = None) -> RLHFBudget:
    """Budget of preference tuning a policy of ``n_params`` on ``n_comparisons`` labelled pairs.

    ``method="ppo"``: train a reward model on the comparisons, then PPO for ``ppo_episodes`` episodes
    (256k in InstructGPT, App. C.4). ``method="dpo"``: DPO on the same comparisons, no reward model.
    SFT comes before both and is left out. Tokens: the prompt and response lengths are assumptions
    (InstructGPT capped each at 1k tokens). GPU-hours = FLOPs / (peak 16-bit FLOP/s * ``mfu``); the price is
    the cheapest tabled on-demand price for ``gpu`` unless ``usd_per_gpu_hour`` is given. ``min_gpus`` is
    the number of GPUs whose memory holds the model states; training uses ``max(n_gpus, min_gpus)``.

    Source: Ouyang et al. 2022, "Training language models to follow instructions with human feedback", section
        3.5 and App. C.4, https://arxiv.org/abs/2203.02155; Rafailov et al. 2023, "Direct Preference
        Optimization", https://arxiv.org/abs/2305.18290. Labels: Lee et al. 2023, "RLAIF vs. RLHF", App. L,
        https://arxiv.org/abs/2309.00267.
    Used in: 02 exercises.
    """
    key = _stage(method)
    if key not in ("ppo", "dpo"):
        raise TechpmError(f"method must be 'ppo' or 'dpo', got {method!r}.")
    positive("n_params", n_params)
    positive_int("n_comparisons", n_comparisons)
    non_negative("usd_per_label", usd_per_label)
    positive_int("tokens_per_prompt", tokens_per_prompt)
    positive_int("tokens_per_response", tokens_per_response)
    positive_int("ppo_episodes", ppo_episodes)
    positive_int("n_gpus", n_gpus)
    positive("mfu", mfu)
    probability("mfu", mfu)
    if labels_per_day is not None:
        positive("labels_per_day", labels_per_day)
    spec = get_gpu(gpu)
    if usd_per_gpu_hour is None:
        prices = get_gpu_prices(gpu)
        if not prices:
            raise TechpmError(f"No rental price is tabled for {gpu!r}: pass usd_per_gpu_hour.")
        usd_per_gpu_hour = prices[0].usd_per_gpu_hour
    positive("usd_per_gpu_hour", usd_per_gpu_hour)
    pair_tokens = n_comparisons * 2 * (tokens_per_prompt + tokens_per_response)
    if key == "ppo":
        flops = (rlhf_stage_flops("reward_model", n_params, pair_tokens, reward_params)
                 + rlhf_stage_flops("ppo", n_params, ppo_episodes * (tokens_per_prompt + tokens_per_response),
                                    reward_params, epochs))
    else:
        flops = rlhf_stage_flops("dpo", n_params, pair_tokens, epochs=epochs)
    memory = rlhf_memory_bytes(n_params, key, reward_params).total_bytes
    min_gpus = math.ceil(memory / spec.memory_bytes)
    return RLHFBudget(
        method=key, gpu=spec.id, label_usd=preference_labeling_cost_usd(n_comparisons, usd_per_label),
        flops=flops, gpu_hours=flops / (spec.matmul_flops_per_s * mfu) / 3600,
        usd_per_gpu_hour=usd_per_gpu_hour, memory_bytes=memory, min_gpus=min_gpus,
        n_gpus=max(n_gpus, min_gpus), label_days=None if labels_per_day is None else n_comparisons / labels_per_day,
    )
