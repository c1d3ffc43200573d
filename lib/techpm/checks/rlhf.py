"""Checks for ``solutions/02_rlhf`` / ``exercises/02_rlhf``.

Every expected value comes from ``techpm.calc`` or the RLHF lab; every hint names the mistake that
produces its ratio.
"""

from __future__ import annotations

from techpm import calc
from techpm.checks import CheckResult, check_choice, check_number

# The exercises' scenarios, in one place so the solution notebook and the checks agree.
REWARD_A, REWARD_B = 1.3, -0.4                       # Exercise 1
DPO_PAIR = {"policy_chosen_logp": -45.2, "policy_rejected_logp": -51.0,  # Exercise 3
            "ref_chosen_logp": -47.0, "ref_rejected_logp": -49.5, "beta": 0.1}
PPO_POLICY_PARAMS = 8e9                              # Exercise 4: 8B policy, 8B reward and value models
RANKED_PROMPTS, RANKED_K = 40_000, 6                 # Exercise 5
AI_LABELS, AI_INPUT_TOKENS, AI_OUTPUT_TOKENS, AI_PASSES = 200_000, 900, 80, 2   # Exercise 6
BETA_CHOICES = (0.02, 0.1, 0.5, 2.0)                 # Exercise 7
BUDGET = {"n_params": 70e9, "n_comparisons": 100_000, "usd_per_label": calc.HUMAN_USD_PER_COMPARISON,
          "gpu": "h100-sxm", "n_gpus": 64}            # Exercise 8


def preference_probability(answer: object) -> CheckResult:
    """Exercise 1: P(A preferred) for reward-model scores 1.3 and -0.4."""
    expected = calc.bradley_terry_prob(REWARD_A, REWARD_B)
    return check_number("Exercise 1 · preference probability", answer, expected, rel_tol=0.005, hints={
        (REWARD_A - REWARD_B) / expected: "that is the reward gap (the log-odds); pass it through the sigmoid.",
        (1 - expected) / expected: "that is the probability of B: Bradley-Terry uses r_A - r_B for A.",
        calc.bradley_terry_prob(REWARD_A, 0) / expected: "subtract B's reward: only the gap between the two matters.",
    })


def held_out_accuracy(answer: object) -> CheckResult:
    """Exercise 2: the course reward model's accuracy on the held-out questions' pairs."""
    from techpm.rlhf import reward_model as rm

    data = rm.load_preferences()
    model = rm.course_reward_model()
    test, train = data.test(), data.train()
    expected = rm.pairwise_accuracy(model, test.features_a, test.features_b, test.a_preferred)
    on_train = rm.pairwise_accuracy(model, train.features_a, train.features_b, train.a_preferred)
    longer = rm.heuristic_accuracy(test.features_a[:, -1], test.features_b[:, -1], test.a_preferred)
    hints = {on_train / expected: "that is the accuracy on the training pairs; score the held-out (test) pairs.",
             longer / expected: "that is the 'longer answer wins' rule; score the fitted reward model.",
             100.0: "give a fraction between 0 and 1, not a percentage."}
    if abs(on_train - expected) < 0.01:
        del hints[on_train / expected]
    return check_number("Exercise 2 · held-out accuracy", answer, expected, rel_tol=0.001, hints=hints)


def dpo_loss_value(answer: object) -> CheckResult:
    """Exercise 3: the DPO loss of one pair."""
    p = DPO_PAIR
    expected = calc.dpo_loss(**p)
    no_beta = calc.dpo_loss(**{**p, "beta": 1.0})
    no_ref = calc.dpo_loss(p["policy_chosen_logp"], p["policy_rejected_logp"], 0.0, 0.0, p["beta"])
    swapped = calc.dpo_loss(p["policy_rejected_logp"], p["policy_chosen_logp"], p["ref_rejected_logp"],
                            p["ref_chosen_logp"], p["beta"])
    return check_number("Exercise 3 · DPO loss", answer, expected, rel_tol=0.005, hints={
        no_beta / expected: "multiply the log-ratio margin by beta (0.1) before the sigmoid.",
        no_ref / expected: "subtract the reference's log-probabilities: DPO scores log(pi / pi_ref), not log pi.",
        swapped / expected: "chosen and rejected are swapped: the chosen answer's log-ratio comes first.",
    }, unit="nats")


def ppo_memory_gb(answer: object) -> CheckResult:
    """Exercise 4: GB of model state for PPO with an 8B policy and 8B reward and value models."""
    n = PPO_POLICY_PARAMS
    expected = calc.rlhf_memory_bytes(n, "ppo").total_bytes / 1e9
    return check_number("Exercise 4 · PPO memory", answer, expected, rel_tol=0.01, hints={
        calc.rlhf_memory_bytes(n, "dpo").total_bytes / 1e9 / expected:
            "that is DPO (policy + reference); PPO also holds the reward model and the value model.",
        4 * calc.training_memory_bytes(n) / 1e9 / expected:
            "only the policy and the value model train; the reference and reward model are frozen (2 bytes/param).",
        calc.training_memory_bytes(n) / 1e9 / expected: "that is the policy alone; PPO holds four models.",
        4 * 2 * n / 1e9 / expected: "trainable copies need 16 bytes per parameter (weights, gradients, Adam).",
    }, unit="GB")


def comparisons_from_rankings(answer: object) -> CheckResult:
    """Exercise 5: comparisons from 40,000 prompts with 6 ranked answers each."""
    expected = RANKED_PROMPTS * calc.comparisons_per_ranking(RANKED_K)
    return check_number("Exercise 5 · comparisons from rankings", answer, expected, rel_tol=1e-6, hints={
        RANKED_K**2 / calc.comparisons_per_ranking(RANKED_K): "pairs are unordered and no answer is compared with "
                                                              "itself: K(K-1)/2, not K².",
        2.0: "each pair counts once: (a, b) and (b, a) are the same comparison.",
        (RANKED_K - 1) / calc.comparisons_per_ranking(RANKED_K): "a ranking of K answers gives every pair, not "
                                                                 "just neighbours: K(K-1)/2.",
    }, unit="comparisons")


def ai_labeling_cost(answer: object, claude_model: str) -> CheckResult:
    """Exercise 6: dollars for ``claude_model`` to label 200,000 pairs, asked twice (positions swapped)."""
    n = AI_LABELS * AI_PASSES
    expected = calc.api_cost_usd(claude_model, n * AI_INPUT_TOKENS, n * AI_OUTPUT_TOKENS)
    one_pass = calc.api_cost_usd(claude_model, AI_LABELS * AI_INPUT_TOKENS, AI_LABELS * AI_OUTPUT_TOKENS)
    input_only = calc.api_cost_usd(claude_model, n * AI_INPUT_TOKENS, 0)
    return check_number("Exercise 6 · AI labelling cost", answer, expected, rel_tol=0.01, hints={
        one_pass / expected: "ask twice, with the two answers swapped, to cancel position bias (2 passes); "
                             "or, if you did, you used the batch price: these calls are interactive.",
        input_only / expected: "add the output tokens (the rationale and verdict): they cost more per token.",
    }, unit="USD")


def best_beta(answer: object) -> CheckResult:
    """Exercise 7: which beta gives the users the most, when optimising the learned reward model?"""
    from techpm.checks import is_unfilled
    from techpm.rlhf import goodhart, preferences, reward_model

    curve = goodhart.kl_regularised_curve(goodhart.answer_pool("test"), reward_model.course_reward_model().weights,
                                          preferences.USER_WEIGHTS, list(BETA_CHOICES))
    best = BETA_CHOICES[curve.peak]
    explain = {}
    for beta, kl, gold in zip(BETA_CHOICES, curve.kl, curve.gold, strict=True):
        numbers = f"KL {kl:.2f} nats, users' reward {gold:.2f}"
        if beta == best:
            explain[f"{beta:g}"] = f"the highest users' reward of the four ({numbers})."
        elif beta < best:
            explain[f"{beta:g}"] = f"too loose: the policy chases the reward model's length bias ({numbers})."
        else:
            explain[f"{beta:g}"] = f"too tight: the policy stays near the reference and its weak answers ({numbers})."
    if not is_unfilled(answer) and isinstance(answer, (int, float)) and not isinstance(answer, bool):
        answer = f"{answer:g}"
    return check_choice("Exercise 7 · the best β", answer, f"{best:g}", explain)


def ppo_to_dpo_compute(answer: object) -> CheckResult:
    """Exercise 8a: how many times more GPU compute (dollars) reward model + PPO costs than DPO."""
    ppo = calc.rlhf_budget(method="ppo", **BUDGET)
    dpo = calc.rlhf_budget(method="dpo", **BUDGET)
    expected = ppo.compute_usd / dpo.compute_usd
    return check_number("Exercise 8a · PPO vs. DPO compute", answer, expected, rel_tol=0.02, hints={
        1 / expected**2: "that is DPO over PPO; the question asks PPO over DPO.",
        ppo.total_usd / dpo.total_usd / expected: "compare the compute dollars only, not the totals with labels.",
    }, unit="x")


def dominant_cost(answer: object) -> CheckResult:
    """Exercise 8b: for DPO in this scenario, which costs more: "labels" or "compute"?"""
    dpo = calc.rlhf_budget(method="dpo", **BUDGET)
    expected = "labels" if dpo.label_usd > dpo.compute_usd else "compute"
    other = "compute" if expected == "labels" else "labels"
    return check_choice("Exercise 8b · what dominates", answer, expected, {
        expected: f"labels ${dpo.label_usd:,.0f} vs. GPU compute ${dpo.compute_usd:,.0f}.",
        other: f"look again: labels ${dpo.label_usd:,.0f}, GPU compute ${dpo.compute_usd:,.0f}.",
    })
