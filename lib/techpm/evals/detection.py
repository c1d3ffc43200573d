"""How good is a detector? Precision and recall against ground truth, each with its Wilson interval.

A contamination check, a hallucination detector and an LLM judge's "fail" verdict are all detectors:
they flag some items, and on a labelled set we can count what they got right.

    precision = flagged and truly positive / flagged        (when it fires, how often is it right?)
    recall    = flagged and truly positive / truly positive (how many of the real cases does it catch?)

On a dozen items these rates are rough; the intervals (``calc.wilson_interval``) say how rough.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from techpm.calc.stats import wilson_interval
from techpm.errors import TechpmError

__all__ = ["DetectorScore", "score_detector"]


@dataclass(frozen=True)
class DetectorScore:
    """Confusion counts of a detector on labelled items, and the rates computed from them."""

    true_positives: int
    false_positives: int
    false_negatives: int
    true_negatives: int
    confidence: float = 0.95

    @property
    def precision(self) -> float:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else math.nan

    @property
    def recall(self) -> float:
        positives = self.true_positives + self.false_negatives
        return self.true_positives / positives if positives else math.nan

    @property
    def precision_interval(self) -> tuple[float, float]:
        flagged = self.true_positives + self.false_positives
        return wilson_interval(self.true_positives, flagged, self.confidence) if flagged else (0.0, 1.0)

    @property
    def recall_interval(self) -> tuple[float, float]:
        positives = self.true_positives + self.false_negatives
        return wilson_interval(self.true_positives, positives, self.confidence) if positives else (0.0, 1.0)

    def __str__(self) -> str:
        def rate(value: float, interval: tuple[float, float]) -> str:
            if math.isnan(value):
                return "n/a (nothing to count)"
            return f"{value:.0%} ({self.confidence:.0%} CI {interval[0]:.0%}-{interval[1]:.0%})"
        return (f"precision {rate(self.precision, self.precision_interval)}, "
                f"recall {rate(self.recall, self.recall_interval)}; "
                f"TP {self.true_positives} FP {self.false_positives} FN {self.false_negatives} TN {self.true_negatives}")


def score_detector(flagged: Sequence[bool], truth: Sequence[bool], confidence: float = 0.95) -> DetectorScore:
    """Count a detector's hits and misses: ``flagged[i]`` is its verdict, ``truth[i]`` the real label."""
    flagged, truth = list(flagged), list(truth)
    if len(flagged) != len(truth):
        raise TechpmError(f"flagged and truth must cover the same items: got {len(flagged)} and {len(truth)}.")
    if not flagged:
        raise TechpmError("flagged and truth are empty: there is nothing to score.")
    pairs = list(zip((bool(f) for f in flagged), (bool(t) for t in truth), strict=True))
    return DetectorScore(
        true_positives=sum(f and t for f, t in pairs),
        false_positives=sum(f and not t for f, t in pairs),
        false_negatives=sum(t and not f for f, t in pairs),
        true_negatives=sum(not f and not t for f, t in pairs),
        confidence=confidence,
    )
