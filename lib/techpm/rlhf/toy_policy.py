"""A toy policy: a softmax over a handful of answers to one question, small enough to optimise exactly.

With ``pi = softmax(theta)`` and a frozen reference ``pi_ref``, the RLHF objective is

    J(pi) = E_pi[r] - beta * KL(pi || pi_ref) = E_pi[ r - beta * (log pi - log pi_ref) ]      (the KL-penalised reward)

and its maximiser is ``pi*(y) = pi_ref(y) exp(r(y) / beta) / Z`` (Rafailov et al. 2023, eq. 4). Two ways
reach it here, as on a real model:

- PPO (Schulman et al. 2017, https://arxiv.org/abs/1707.06347): repeat { freeze pi_old; take a few
  gradient steps on the clipped surrogate E_{pi_old}[min(rho A, clip(rho, 1 - eps, 1 + eps) A)] },
  rho = pi / pi_old, A = KL-penalised reward minus its mean. On a toy the expectation is exact; on a
  model it is an average over sampled rollouts.
- DPO: gradient descent on the DPO loss over preference pairs. With soft labels
  P(i > j) = sigmoid(r_i - r_j) for every pair, its minimiser is the same pi* (Rafailov et al. 2023, section 4).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from techpm import calc
from techpm.errors import TechpmError
from techpm.rlhf import preferences as prefs


def log_softmax(theta: np.ndarray) -> np.ndarray:
    theta = np.asarray(theta, dtype=float)
    return theta - np.logaddexp.reduce(theta)


def softmax(theta: np.ndarray) -> np.ndarray:
    return np.exp(log_softmax(theta))


def _check_probs(name: str, probs: np.ndarray) -> np.ndarray:
    p = np.asarray(probs, dtype=float)
    if p.ndim != 1 or len(p) < 2 or np.any(p <= 0) or not np.isclose(p.sum(), 1.0):
        raise TechpmError(f"{name} must be a 1-D array of at least two positive probabilities that sum to 1.")
    return p


def kl_divergence(p: np.ndarray, q: np.ndarray) -> float:
    """KL(p || q) in nats for two distributions over the same answers."""
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    mask = p > 0
    return float(np.sum(p[mask] * (np.log(p[mask]) - np.log(q[mask]))))


def optimal_policy(ref_probs: np.ndarray, rewards: np.ndarray, beta: float) -> np.ndarray:
    """The maximiser of E[r] - beta KL(pi || pi_ref): ``pi_ref * exp(r / beta)``, normalised."""
    ref = _check_probs("ref_probs", ref_probs)
    if isinstance(beta, bool) or not isinstance(beta, (int, float)) or not beta > 0:
        raise TechpmError(f"beta must be a positive number, got {beta!r}.")
    return softmax(np.log(ref) + np.asarray(rewards, dtype=float) / beta)


def rlhf_objective(probs: np.ndarray, ref_probs: np.ndarray, rewards: np.ndarray, beta: float) -> float:
    """``E_pi[kl_penalized_reward]`` = E[r] - beta KL(pi || pi_ref), summed with ``calc.kl_penalized_reward``."""
    p, ref = np.asarray(probs, dtype=float), np.asarray(ref_probs, dtype=float)
    return float(sum(pi * calc.kl_penalized_reward(float(r), float(np.log(pi)), float(np.log(q)), beta)
                     for pi, q, r in zip(p, ref, rewards, strict=True) if pi > 0))


def ppo_surrogate(theta: np.ndarray, theta_old: np.ndarray, ref_probs: np.ndarray, rewards: np.ndarray,
                  beta: float, clip: float = 0.2) -> tuple[float, np.ndarray]:
    """PPO's clipped surrogate and its gradient in ``theta`` (exact expectation over ``pi_old``).

    A(y) = R(y) - E_old[R], R(y) = r(y) - beta (log pi_old(y) - log pi_ref(y)). Where the ratio has left
    [1 - clip, 1 + clip] in the direction the advantage favours, the term is flat: no more push.
    """
    logp, logp_old = log_softmax(theta), log_softmax(theta_old)
    p, p_old = np.exp(logp), np.exp(logp_old)
    log_ref = np.log(_check_probs("ref_probs", ref_probs))
    r = np.asarray(rewards, dtype=float)
    big_r = r - beta * (logp_old - log_ref)
    adv = big_r - p_old @ big_r
    ratio = np.exp(logp - logp_old)
    clipped = np.clip(ratio, 1 - clip, 1 + clip)
    value = float(p_old @ np.minimum(ratio * adv, clipped * adv))
    active = ~(((adv > 0) & (ratio > 1 + clip)) | ((adv < 0) & (ratio < 1 - clip)))
    weight = p_old * adv * ratio * active  # d(ratio_y)/d(theta) = ratio_y (e_y - p)
    grad = weight - p * weight.sum()
    return value, grad


def ppo_optimize(ref_probs: np.ndarray, rewards: np.ndarray, beta: float, iterations: int = 200,
                 inner_steps: int = 4, lr: float = 1.0, clip: float = 0.2) -> list[np.ndarray]:
    """Run PPO from ``pi_ref``; returns the policy after each outer iteration (the first is pi_ref)."""
    theta = np.log(_check_probs("ref_probs", ref_probs))
    history = [softmax(theta)]
    for _ in range(iterations):
        theta_old = theta.copy()
        for _ in range(inner_steps):
            _, grad = ppo_surrogate(theta, theta_old, ref_probs, rewards, beta, clip)
            theta = theta + lr * grad
        history.append(softmax(theta))
    return history


def dpo_gradient(theta: np.ndarray, ref_probs: np.ndarray, chosen: int, rejected: int, beta: float) -> np.ndarray:
    """Gradient of the DPO loss of one pair in ``theta``: ``-beta sigmoid(-h) (e_chosen - e_rejected)``
    with h the implicit-reward margin (Rafailov et al. 2023, section 4, "What does the DPO update do?")."""
    logp, log_ref = log_softmax(theta), np.log(ref_probs)
    h = beta * ((logp[chosen] - log_ref[chosen]) - (logp[rejected] - log_ref[rejected]))
    grad = np.zeros_like(logp)
    weight = -beta * (1 - calc.bradley_terry_prob(h, 0.0))
    grad[chosen] += weight
    grad[rejected] -= weight
    return grad


def dpo_step(theta: np.ndarray, ref_probs: np.ndarray, chosen: int, rejected: int, beta: float,
             lr: float) -> tuple[np.ndarray, float, float]:
    """One gradient step on one pair: ``(new_theta, loss_before, loss_after)`` with ``calc.dpo_loss``."""
    ref = _check_probs("ref_probs", ref_probs)

    def loss(t: np.ndarray) -> float:
        lp, lr_ = log_softmax(t), np.log(ref)
        return calc.dpo_loss(float(lp[chosen]), float(lp[rejected]), float(lr_[chosen]), float(lr_[rejected]), beta)

    new = np.asarray(theta, dtype=float) - lr * dpo_gradient(theta, ref, chosen, rejected, beta)
    return new, loss(theta), loss(new)


def dpo_fit(ref_probs: np.ndarray, pref_probs: np.ndarray, beta: float, steps: int = 2000,
            lr: float = 0.5) -> np.ndarray:
    """Minimise the expected DPO loss over every pair i < j, with soft labels ``pref_probs[i, j]`` =
    P(i preferred to j); returns the policy. The step is scaled by 1/beta^2 (the loss is a function of
    beta * theta), so one ``lr`` suits every beta."""
    ref = _check_probs("ref_probs", ref_probs)
    pref = np.asarray(pref_probs, dtype=float)
    n = len(ref)
    if pref.shape != (n, n):
        raise TechpmError(f"pref_probs must be a {n} x {n} matrix, got shape {pref.shape}.")
    pref = pref.copy()
    np.fill_diagonal(pref, 0.5)
    log_ref, theta = np.log(ref), np.log(ref)
    n_pairs = n * (n - 1) / 2
    for _ in range(steps):
        z = beta * (log_softmax(theta) - log_ref)  # implicit rewards
        # d/dh of the soft-label loss is sigmoid(h) - p; h_ij = z_i - z_j moves theta_i up, theta_j down
        g = 1 / (1 + np.exp(-(z[:, None] - z[None, :]))) - pref
        theta -= lr / beta**2 * beta * g.sum(axis=1) / n_pairs
    return softmax(theta)


@dataclass(frozen=True)
class ToyProblem:
    """Five answers to one question: their text, the reference policy, the learned and the users' rewards."""

    question: str
    labels: tuple[str, ...]
    texts: tuple[str, ...]
    ref_probs: np.ndarray
    rewards: np.ndarray  # the fitted reward model's scores (the proxy)
    user_rewards: np.ndarray  # USER_WEIGHTS . features (the gold)


TOY_ANSWERS = (
    ("correct + cited", prefs.Answer("correct", cite=True)),
    ("correct + padded", prefs.Answer("correct", opener="empathy", fillers=(0, 1, 2, 3), closing=0)),
    ("vague + flattery", prefs.Answer("vague", opener="flattery", fillers=(1, 2))),
    ("vague + hedge", prefs.Answer("vague", hedge=0)),
    ("wrong", prefs.Answer("wrong")),
)


def answer_ref_prob(answer: prefs.Answer) -> float:
    """Probability that ``REFERENCE_POLICY`` writes an answer of this kind: this core, citation, kind of
    opener, number of filler sentences, hedge or not, closing or not (whichever phrases it picks)."""
    p = prefs.REFERENCE_POLICY
    prob = p["core"][answer.core] * (p["cite"] if answer.cite else 1 - p["cite"])
    prob *= p["opener"][answer.opener] * p["fillers"][len(answer.fillers)]
    prob *= p["hedge"] if answer.hedge is not None else 1 - p["hedge"]
    prob *= p["closing"] if answer.closing is not None else 1 - p["closing"]
    return prob


def toy_problem(reward_weights: np.ndarray, prompt_index: int = 3) -> ToyProblem:
    """The five ``TOY_ANSWERS`` to one question, scored by a reward model with ``reward_weights``.

    The reference probabilities are the reference policy's, renormalised over these five answers."""
    texts = tuple(prefs.compose(prompt_index, a) for _, a in TOY_ANSWERS)
    feats = np.array([prefs.featurize(t, prompt_index) for t in texts])
    ref = np.array([answer_ref_prob(a) for _, a in TOY_ANSWERS])
    user = np.array([prefs.USER_WEIGHTS[f] for f in prefs.FEATURES])
    return ToyProblem(prefs.PROMPTS[prompt_index][1], tuple(label for label, _ in TOY_ANSWERS), texts,
                      ref / ref.sum(), feats @ np.asarray(reward_weights, dtype=float), feats @ user)


def beta_table(problem: ToyProblem, betas: tuple[float, ...]) -> list[dict[str, float]]:
    """For each beta: the optimal policy's KL from the reference, its expected learned and users' reward,
    and the probability of each answer."""
    rows = []
    for beta in betas:
        pi = optimal_policy(problem.ref_probs, problem.rewards, beta)
        rows.append({"beta": beta, "kl": kl_divergence(pi, problem.ref_probs),
                     "reward": float(pi @ problem.rewards), "user_reward": float(pi @ problem.user_rewards),
                     **{label: float(p) for label, p in zip(problem.labels, pi, strict=True)}})
    return rows
