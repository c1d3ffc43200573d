"""A Bradley-Terry reward model fitted to preference pairs: logistic regression on feature differences.

A linear reward ``r(y) = w . phi(y)`` and the Bradley-Terry model ``P(a > b) = sigmoid(r(a) - r(b))``
make the likelihood of the labels that of a logistic regression without intercept on
``x = phi(a) - phi(b)`` with target "a preferred" (InstructGPT's reward-model loss, Ouyang et al. 2022,
eq. 1, with a linear model in place of a 6B transformer). The fit minimises

    L(w) = sum_i log(1 + exp(-s_i * w . x_i)) + (l2 / 2) |w|^2,     s_i = +1 if a was preferred, else -1

by Newton's method: w <- w - H^-1 g with g = -X^T (s * sigmoid(-s * Xw)) + l2 w and
H = X^T diag(p (1 - p)) X + l2 I. It converges in a handful of steps; tests compare it with
scikit-learn's ``LogisticRegression(fit_intercept=False, C=1/l2)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from techpm.errors import TechpmError
from techpm.rlhf import preferences


@dataclass(frozen=True)
class PreferenceData:
    """Preference pairs as arrays: row i compares answer a with answer b."""

    features_a: np.ndarray  # (n, k)
    features_b: np.ndarray  # (n, k)
    a_preferred: np.ndarray  # (n,) bool: the first labeller's choice
    second_a_preferred: np.ndarray  # (n,) bool: a second labeller's choice of the same pair
    prompt: np.ndarray  # (n,) str
    is_test: np.ndarray  # (n,) bool: the pair's question is held out
    feature_names: tuple[str, ...]
    texts_a: tuple[str, ...]
    texts_b: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.a_preferred)

    def subset(self, mask: np.ndarray) -> PreferenceData:
        idx = np.flatnonzero(mask)
        return PreferenceData(self.features_a[idx], self.features_b[idx], self.a_preferred[idx],
                              self.second_a_preferred[idx], self.prompt[idx], self.is_test[idx],
                              self.feature_names, tuple(self.texts_a[i] for i in idx),
                              tuple(self.texts_b[i] for i in idx))

    def train(self) -> PreferenceData:
        return self.subset(~self.is_test)

    def test(self) -> PreferenceData:
        return self.subset(self.is_test)


def load_preferences() -> PreferenceData:
    """The course's shipped preference data set (``techpm/data/preferences.json``) as arrays."""
    raw = preferences.load_raw()
    split = {p["id"]: p["split"] for p in raw["prompts"]}
    pairs = raw["pairs"]
    return PreferenceData(
        features_a=np.array([p["features_a"] for p in pairs], dtype=float),
        features_b=np.array([p["features_b"] for p in pairs], dtype=float),
        a_preferred=np.array([p["preferred"] == "a" for p in pairs]),
        second_a_preferred=np.array([p["second_opinion"] == "a" for p in pairs]),
        prompt=np.array([p["prompt"] for p in pairs]),
        is_test=np.array([split[p["prompt"]] == "test" for p in pairs]),
        feature_names=tuple(raw["features"]),
        texts_a=tuple(p["a"] for p in pairs),
        texts_b=tuple(p["b"] for p in pairs),
    )


@dataclass(frozen=True)
class BradleyTerryModel:
    """A fitted linear reward model: ``reward(phi) = weights . phi``."""

    weights: np.ndarray
    feature_names: tuple[str, ...]
    l2: float
    iterations: int

    def reward(self, features: np.ndarray) -> np.ndarray:
        """Reward of each row of ``features`` (one row per answer)."""
        return np.asarray(features, dtype=float) @ self.weights

    def prob_a_preferred(self, features_a: np.ndarray, features_b: np.ndarray) -> np.ndarray:
        """P(a preferred to b) for each pair: ``sigmoid(r(a) - r(b))``."""
        return _sigmoid(self.reward(features_a) - self.reward(features_b))

    def weights_by_name(self) -> dict[str, float]:
        return {name: float(w) for name, w in zip(self.feature_names, self.weights, strict=True)}


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -z))


def fit_bradley_terry(features_a: np.ndarray, features_b: np.ndarray, a_preferred: np.ndarray,
                      l2: float = 0.1, feature_names: tuple[str, ...] | None = None,
                      max_iter: int = 50, tol: float = 1e-10) -> BradleyTerryModel:
    """Fit ``w`` by Newton's method on the L2-penalised Bradley-Terry log-likelihood (module docstring).

    ``l2`` is the penalty (a Gaussian prior on the weights); ``l2 = 0`` gives the maximum-likelihood fit,
    which exists only if the data are not separable.
    """
    fa, fb = np.asarray(features_a, dtype=float), np.asarray(features_b, dtype=float)
    y = np.asarray(a_preferred, dtype=bool)
    if fa.ndim != 2 or fa.shape != fb.shape:
        raise TechpmError(f"features_a and features_b must be 2-D arrays of the same shape, got {fa.shape} "
                          f"and {fb.shape}.")
    if y.shape != (fa.shape[0],):
        raise TechpmError(f"a_preferred must hold one label per pair ({fa.shape[0]}), got shape {y.shape}.")
    if len(y) == 0:
        raise TechpmError("Need at least one preference pair to fit a reward model.")
    if not (isinstance(l2, (int, float)) and l2 >= 0 and np.isfinite(l2)):
        raise TechpmError(f"l2 must be zero or a positive number, got {l2!r}.")
    x, s = fa - fb, np.where(y, 1.0, -1.0)
    k = x.shape[1]
    w = np.zeros(k)
    iterations = 0
    while iterations < max_iter:
        iterations += 1
        margin = s * (x @ w)
        grad = -x.T @ (s * _sigmoid(-margin)) + l2 * w
        p = _sigmoid(x @ w)
        hess = (x * (p * (1 - p))[:, None]).T @ x + l2 * np.eye(k)
        step = np.linalg.solve(hess, grad)
        w = w - step
        if np.max(np.abs(step)) < tol:
            break
    names = tuple(feature_names) if feature_names else tuple(f"x{i}" for i in range(k))
    return BradleyTerryModel(w, names, float(l2), iterations)


def pairwise_accuracy(model: BradleyTerryModel, features_a: np.ndarray, features_b: np.ndarray,
                      a_preferred: np.ndarray) -> float:
    """Share of pairs where the model ranks the labeller's choice higher (a tie counts one half)."""
    gap = model.reward(features_a) - model.reward(features_b)
    y = np.asarray(a_preferred, dtype=bool)
    right = np.where(y, gap > 0, gap < 0) + 0.5 * (gap == 0)
    return float(np.mean(right))


def heuristic_accuracy(score_a: np.ndarray, score_b: np.ndarray, a_preferred: np.ndarray) -> float:
    """Accuracy of a one-number rule, e.g. "the longer answer wins" (a tie counts one half)."""
    gap = np.asarray(score_a, dtype=float) - np.asarray(score_b, dtype=float)
    y = np.asarray(a_preferred, dtype=bool)
    return float(np.mean(np.where(y, gap > 0, gap < 0) + 0.5 * (gap == 0)))


def labeller_agreement(data: PreferenceData) -> float:
    """Share of pairs where the two simulated labellers chose the same answer."""
    return float(np.mean(data.a_preferred == data.second_a_preferred))


@cache
def course_reward_model() -> BradleyTerryModel:
    """The reward model the lesson uses: fitted (default ``l2``) to the training split of the shipped data."""
    data = load_preferences()
    train = data.train()
    return fit_bradley_terry(train.features_a, train.features_b, train.a_preferred, feature_names=data.feature_names)
