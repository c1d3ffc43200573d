"""Preference learning in three formulas: the Bradley-Terry preference model, the DPO loss and the
KL-penalised reward that PPO maximises. Plus two counts that size an RLHF data set and an optimisation.

    Bradley-Terry   P(a preferred to b) = sigma(r_a - r_b)
                    (Bradley & Terry 1952; the reward-model loss of Ouyang et al. 2022, "Training language
                    models to follow instructions with human feedback", eq. 1, https://arxiv.org/abs/2203.02155)
    DPO loss        -log sigma( beta * [ (log pi(y_w) - log pi_ref(y_w)) - (log pi(y_l) - log pi_ref(y_l)) ] )
                    (Rafailov et al. 2023, "Direct Preference Optimization", eq. 7,
                    https://arxiv.org/abs/2305.18290; beta = 0.1 unless noted, 0.5 for TL;DR summarisation)
    KL-penalised    R(x, y) = r(x, y) - beta * (log pi_RL(y|x) - log pi_SFT(y|x))
    reward          (Stiennon et al. 2020, "Learning to summarize from human feedback", the reward that PPO
                    maximises, https://arxiv.org/abs/2009.01325; Ouyang et al. 2022, eq. 2, beta = 0.02, App. C.4)
    rankings        ranking K responses yields K(K-1)/2 comparisons (Ouyang et al. 2022, section 3.5: K = 4..9)
    best-of-n KL    KL(best-of-n || base) = log n - (n - 1)/n  (Gao, Schulman & Hilton 2022, "Scaling Laws for
                    Reward Model Overoptimization", section 2, https://arxiv.org/abs/2210.10760; an upper bound
                    that is exact for a continuous reward)

    accuracy cap    a model predicting one labeller's choice is right at most (1 + sqrt(2a - 1)) / 2 of the
                    time when two labellers agree a of the time (derived here: see the function)

Log-probabilities are natural logs of whole-sequence probabilities (the sum of the token log-probs), so
they are <= 0. Rewards are in nats of preference log-odds: a gap of 1 means odds of e : 1.
"""

from __future__ import annotations

import math

from techpm.calc._validate import non_negative, positive, positive_int
from techpm.errors import TechpmError

__all__ = [
    "bradley_terry_prob",
    "dpo_loss",
    "dpo_implicit_reward",
    "kl_penalized_reward",
    "comparisons_per_ranking",
    "best_of_n_kl",
    "max_accuracy_from_agreement",
]


def _finite(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise TechpmError(f"{name} must be a finite number, got {value!r}.")
    return value


def _log_prob(name: str, value: float) -> float:
    _finite(name, value)
    if value > 0:
        raise TechpmError(f"{name} is a log-probability, so it must be <= 0 (probability <= 1), got {value!r}.")
    return value


def _log_sigmoid(x: float) -> float:
    """log(1 / (1 + e^-x)), stable for large |x|."""
    return -math.log1p(math.exp(-x)) if x >= 0 else x - math.log1p(math.exp(x))


def bradley_terry_prob(reward_a: float, reward_b: float) -> float:
    """Probability that response a is preferred to response b: ``sigmoid(reward_a - reward_b)``.

    Only the difference matters: adding the same constant to both rewards changes nothing, which is why
    InstructGPT shifts its reward model so that demonstrations score 0 on average (section 3.5).
    A reward gap of 1 gives 0.731; a gap of 0 gives 0.5.

    Source: Bradley & Terry 1952; Ouyang et al. 2022, eq. 1, https://arxiv.org/abs/2203.02155.
    Used in: 02 §3, §5, exercises.
    """
    _finite("reward_a", reward_a)
    _finite("reward_b", reward_b)
    return math.exp(_log_sigmoid(reward_a - reward_b))


def dpo_implicit_reward(policy_logp: float, ref_logp: float, beta: float = 0.1) -> float:
    """DPO's implicit reward of one response: ``beta * (policy_logp - ref_logp)`` (Rafailov et al. 2023, eq. 5,
    without the prompt-only term that cancels in every comparison). TRL logs it as ``rewards/chosen``.

    Source: Rafailov et al. 2023, eq. 5, https://arxiv.org/abs/2305.18290.
    Used in: no lesson yet (library use only).
    """
    _log_prob("policy_logp", policy_logp)
    _log_prob("ref_logp", ref_logp)
    positive("beta", beta)
    return beta * (policy_logp - ref_logp)


def dpo_loss(policy_chosen_logp: float, policy_rejected_logp: float, ref_chosen_logp: float,
             ref_rejected_logp: float, beta: float = 0.1) -> float:
    """The DPO loss of one preference pair (Rafailov et al. 2023, eq. 7), in nats.

    ``-log sigmoid(beta * ((policy_chosen_logp - ref_chosen_logp) - (policy_rejected_logp - ref_rejected_logp)))``

    It is the Bradley-Terry loss with the implicit rewards ``beta * log(pi / pi_ref)`` in place of a reward
    model. At the start of training the policy equals the reference, every margin is 0 and the loss is
    ``log 2 = 0.693``. ``beta`` sets how far the policy may move from the reference: the paper uses 0.1
    (0.5 for summarisation), Llama 3 uses 0.1 (Dubey et al. 2024, section 4.1.4).

    Source: Rafailov et al. 2023, "Direct Preference Optimization", eq. 7, https://arxiv.org/abs/2305.18290.
    Used in: 02 exercises.
    """
    for name, value in (("policy_chosen_logp", policy_chosen_logp), ("policy_rejected_logp", policy_rejected_logp),
                        ("ref_chosen_logp", ref_chosen_logp), ("ref_rejected_logp", ref_rejected_logp)):
        _log_prob(name, value)
    positive("beta", beta)
    margin = (policy_chosen_logp - ref_chosen_logp) - (policy_rejected_logp - ref_rejected_logp)
    return -_log_sigmoid(beta * margin)


def kl_penalized_reward(reward: float, policy_logp: float, ref_logp: float, beta: float) -> float:
    """The reward PPO maximises in RLHF: ``reward - beta * (policy_logp - ref_logp)``.

    The second term is a one-sample estimate of the KL divergence from the reference (SFT) policy; its
    average over the policy's own samples is ``KL(pi || pi_ref)``, so the expected value of this reward is
    ``E[r] - beta * KL``. Stiennon et al. 2020; Ouyang et al. 2022, eq. 2 (beta = 0.02, App. C.4).
    ``beta = 0`` removes the leash; a large beta keeps the policy at the reference.

    Source: Stiennon et al. 2020, https://arxiv.org/abs/2009.01325; Ouyang et al. 2022, eq. 2,
        https://arxiv.org/abs/2203.02155.
    Used in: 02 §4.
    """
    _finite("reward", reward)
    _log_prob("policy_logp", policy_logp)
    _log_prob("ref_logp", ref_logp)
    non_negative("beta", beta)
    return reward - beta * (policy_logp - ref_logp)


def comparisons_per_ranking(k: int) -> int:
    """Pairwise comparisons from one labeller ranking ``k`` responses: ``k * (k - 1) / 2``.

    InstructGPT showed labellers K = 4 to 9 responses per prompt (section 3.5): a ranking of 9 gives 36
    comparisons, which is why its reward model saw far more comparisons than its ~33k prompts.

    Source: Ouyang et al. 2022, section 3.5, https://arxiv.org/abs/2203.02155.
    Used in: 02 §7, exercises.
    """
    positive_int("k", k)
    if k < 2:
        raise TechpmError(f"k must be at least 2 (a ranking needs two responses), got {k!r}.")
    return k * (k - 1) // 2


def best_of_n_kl(n: int) -> float:
    """KL divergence in nats of best-of-n sampling from the base policy: ``log n - (n - 1)/n``.

    Gao et al. 2022 (section 2) use it as the x-axis of their over-optimisation curves. It is exact when
    no two samples tie; with ties (a finite set of responses) the true KL is smaller. n = 1 gives 0;
    n = 16 gives 1.83 nats; it grows like log n.

    Source: Gao, Schulman & Hilton 2022, "Scaling Laws for Reward Model Overoptimization", section 2,
        https://arxiv.org/abs/2210.10760.
    Used in: no lesson yet (library use only).
    """
    positive_int("n", n)
    return math.log(n) - (n - 1) / n


def max_accuracy_from_agreement(agreement: float) -> float:
    """The highest accuracy any model can reach predicting one labeller, given the agreement rate ``a``
    between two labellers who label the same pairs independently: ``(1 + sqrt(2a - 1)) / 2``.

    Derivation (this course's, not a paper's): if a labeller picks the first answer of pair i with
    probability p_i, two labellers agree with probability p_i^2 + (1 - p_i)^2 = (1 + d_i^2) / 2 with
    d_i = |2 p_i - 1|, so 2a - 1 = E[d^2]. The best possible prediction is right max(p_i, 1 - p_i) =
    (1 + d_i) / 2 of the time, and E[d] <= sqrt(E[d^2]) (Jensen), with equality when every pair is equally
    clear. InstructGPT's labellers agreed 72.6% of the time (Ouyang et al. 2022, section 3.4): no reward
    model could beat 83.6% on such labels. Agreement itself is *not* the cap: a model that knows p_i
    beats a second labeller.

    Source: derived in this function's docstring (two labellers agreeing a of the time).
    Used in: 02 §3.
    """
    _finite("agreement", agreement)
    if not 0.5 <= agreement <= 1:
        raise TechpmError(f"agreement must be between 0.5 and 1 (two independent labellers agree at least half "
                          f"the time), got {agreement!r}.")
    return (1 + math.sqrt(2 * agreement - 1)) / 2
