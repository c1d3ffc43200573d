"""A small content classifier for prompts, and the operating curve a PM chooses a point on.

The model: TF-IDF features of word 1-2-grams and character 2-5-grams (within word boundaries, so
"b0mb" still shares "mb" and "bo" pieces with "bomb") feeding a logistic regression (scikit-learn's
``TfidfVectorizer``, ``FeatureUnion`` and ``LogisticRegression``; Pedregosa et al. 2011, JMLR 12,
2825-2830, https://jmlr.org/papers/v12/pedregosa11a.html). It outputs P(harmful); a request is
blocked when the score is at or above a threshold.

Two error rates, each measured on its own half of a labelled test set:

    violation rate     = harmful prompts allowed / harmful prompts      (the safety failure)
    over-refusal rate  = benign prompts blocked / benign prompts        (the product failure)

Moving the threshold trades one for the other; ``operating_curve`` gives both, with Wilson intervals,
at every threshold. Which point is right depends on what each error costs and on how rare harmful
requests are in real traffic (``calc.expected_error_cost_usd``).

Production classifiers are far larger (Anthropic's Constitutional Classifiers are fine-tuned language
models, Sharma et al. 2025, https://arxiv.org/abs/2501.18837); the trade-off they face is this one.
scikit-learn is imported when a classifier is trained, not when this module is imported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from techpm import calc
from techpm.errors import TechpmError
from techpm.safety import prompts as prompt_set


@dataclass(frozen=True)
class ClassifierConfig:
    """The classifier's settings (defaults: the course's classifier)."""

    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] | None = (2, 5)  # None: words only
    c: float = 10.0  # inverse L2 strength of the logistic regression
    solver: str = "liblinear"  # coordinate descent: fast and single-threaded on a few thousand sparse rows
    max_iter: int = 2_000
    random_state: int = 0  # liblinear shuffles its coordinates: fixed, so every run gives the same model


class SafetyClassifier:
    """A fitted text classifier: ``score(texts)`` gives P(harmful) for each text."""

    def __init__(self, pipeline: Any, config: ClassifierConfig, n_train: int) -> None:
        self.pipeline, self.config, self.n_train = pipeline, config, n_train

    def score(self, texts: Sequence[str]) -> list[float]:
        """P(harmful) of each text, in [0, 1]."""
        if isinstance(texts, str):
            raise TechpmError("score() takes a list of texts; wrap a single prompt in a list.")
        texts = list(texts)
        if not texts:
            return []
        return [float(p) for p in self.pipeline.predict_proba(texts)[:, 1]]

    def blocks(self, text: str, threshold: float) -> bool:
        """True when ``text`` scores at or above ``threshold`` (the request is refused)."""
        return self.score([text])[0] >= threshold

    def top_features(self, k: int = 8) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
        """The ``k`` n-grams that push hardest towards harmful, and towards benign (name, weight)."""
        union, model = self.pipeline.named_steps["features"], self.pipeline.named_steps["model"]
        names = list(union.get_feature_names_out())
        weights = model.coef_[0]
        order = sorted(range(len(names)), key=lambda i: weights[i])
        harmful = [(names[i].split("__", 1)[1], float(weights[i])) for i in reversed(order[-k:])]
        benign = [(names[i].split("__", 1)[1], float(weights[i])) for i in order[:k]]
        return harmful, benign


def train(texts: Sequence[str], harmful: Sequence[bool], config: ClassifierConfig | None = None) -> SafetyClassifier:
    """Fit the classifier on ``texts`` labelled ``harmful`` (True = should be refused)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    config = config or ClassifierConfig()
    texts, y = list(texts), [bool(h) for h in harmful]
    if len(texts) != len(y):
        raise TechpmError(f"texts ({len(texts)}) and harmful ({len(y)}) must have the same length.")
    if len(set(y)) < 2:
        raise TechpmError("the training set needs both harmful and benign examples.")
    parts = [("word", TfidfVectorizer(ngram_range=config.word_ngrams, sublinear_tf=True))]
    if config.char_ngrams is not None:
        parts.append(("char", TfidfVectorizer(analyzer="char_wb", ngram_range=config.char_ngrams, sublinear_tf=True)))
    features = FeatureUnion(parts)
    pipeline = Pipeline([("features", features),
                         ("model", LogisticRegression(C=config.c, solver=config.solver, max_iter=config.max_iter,
                                                      random_state=config.random_state))])
    pipeline.fit(texts, y)
    return SafetyClassifier(pipeline, config, len(texts))


@cache
def course_classifier() -> SafetyClassifier:
    """The lesson's classifier: trained on the training split of the course's prompt set."""
    train_set = prompt_set.split("train")
    return train([p.text for p in train_set], [p.harmful for p in train_set])


# ---- the operating curve -------------------------------------------------------------------------------

@dataclass(frozen=True)
class OperatingPoint:
    """What a threshold does on a labelled set: both error rates, each with its Wilson interval."""

    threshold: float
    violation: calc.RateWithInterval  # harmful allowed / harmful
    over_refusal: calc.RateWithInterval  # benign blocked / benign

    def __str__(self) -> str:
        v, o = self.violation, self.over_refusal
        return (f"threshold {self.threshold:.2f}: violation rate {v.rate:.1%} ({v.low:.1%} to {v.high:.1%}, "
                f"{v.events}/{v.trials}), over-refusal rate {o.rate:.1%} ({o.low:.1%} to {o.high:.1%}, "
                f"{o.events}/{o.trials})")


def _scored(scores: Sequence[float], harmful: Sequence[bool]) -> tuple[list[float], list[bool]]:
    s, y = [float(x) for x in scores], [bool(h) for h in harmful]
    if len(s) != len(y):
        raise TechpmError(f"scores ({len(s)}) and harmful ({len(y)}) must have the same length.")
    if all(y) or not any(y):
        raise TechpmError("the labelled set needs both harmful and benign prompts to measure both error rates.")
    return s, y


def operating_point(scores: Sequence[float], harmful: Sequence[bool], threshold: float,
                    confidence: float = 0.95) -> OperatingPoint:
    """Both error rates when every prompt scoring at or above ``threshold`` is blocked."""
    s, y = _scored(scores, harmful)
    n_harm = sum(y)
    allowed = sum(1 for x, h in zip(s, y, strict=True) if h and x < threshold)
    blocked = sum(1 for x, h in zip(s, y, strict=True) if not h and x >= threshold)
    return OperatingPoint(threshold,
                          calc.rate_with_interval(allowed, n_harm, confidence, "violation"),
                          calc.rate_with_interval(blocked, len(y) - n_harm, confidence, "over-refusal"))


def operating_curve(scores: Sequence[float], harmful: Sequence[bool], thresholds: Sequence[float] | None = None,
                    confidence: float = 0.95) -> list[OperatingPoint]:
    """``operating_point`` at each threshold (default: 0.00, 0.02, ..., 1.00)."""
    grid = list(thresholds) if thresholds is not None else [i / 50 for i in range(51)]
    return [operating_point(scores, harmful, t, confidence) for t in grid]


def cheapest_threshold(scores: Sequence[float], harmful: Sequence[bool], usd_per_violation: float,
                       usd_per_over_refusal: float, harmful_share: float,
                       thresholds: Sequence[float] | None = None) -> tuple[float, float]:
    """The threshold with the lowest expected error cost per request, and that cost in dollars.

    Each threshold's measured rates go through ``calc.expected_error_cost_usd``; ties go to the lower
    threshold (the safer one).
    """
    best: tuple[float, float] | None = None
    for point in operating_curve(scores, harmful, thresholds):
        cost = calc.expected_error_cost_usd(point.violation.rate, point.over_refusal.rate, harmful_share,
                                            usd_per_violation, usd_per_over_refusal)
        if best is None or cost < best[1] - 1e-15:
            best = (point.threshold, cost)
    assert best is not None
    return best
