"""The course's error types: each says what was wrong and what to do, in one sentence."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable


class TechpmError(ValueError):
    """Bad input to a course function. A ``ValueError``, so ``except ValueError`` catches it too."""


class TableError(TechpmError):
    """A data table in ``techpm/data`` is malformed."""


# Leading words that name a vendor, not the thing: "NVIDIA H100", "Meta Llama 3.1 8B".
_VENDOR_WORDS = {"nvidia", "amd", "intel", "google", "meta", "mistralai", "anthropic", "openai", "voyageai", "cohere"}


def normalise(name: object) -> str:
    """An id reduced to what identifies it: lower case, no punctuation or spaces, no vendor or hub owner.

    ``"NVIDIA H100-SXM"`` -> ``"h100sxm"``; ``"meta-llama/Llama-3.1-8B"`` -> ``"llama318b"``.
    """
    words = re.findall(r"[a-z0-9]+", str(name).lower().rsplit("/", 1)[-1])
    while len(words) > 1 and words[0] in _VENDOR_WORDS:
        words = words[1:]
    return "".join(words)


def closest(name: object, choices: Iterable[str], n: int = 3, cutoff: float = 0.5) -> list[str]:
    """The ``n`` choices nearest to ``name``, best first, compared after ``normalise``.

    An equal normalised form ranks first, then a choice that extends the name or that the name extends
    (``H100`` -> ``h100-sxm``), then the others by ``difflib`` similarity (kept when at least ``cutoff``).
    Ties keep the order of ``choices``.
    """
    query = normalise(name)
    if not query:
        return []
    scored = []
    for index, choice in enumerate(choices):
        norm = normalise(choice)
        ratio = difflib.SequenceMatcher(None, query, norm).ratio()
        if norm == query:
            score = 3.0
        elif min(len(query), len(norm)) >= 2 and (norm.startswith(query) or query.startswith(norm)):
            score = 2.0 + ratio
        elif ratio >= cutoff:
            score = ratio
        else:
            continue
        scored.append((-score, index, choice))
    return [choice for _, _, choice in sorted(scored)[:n]]


def did_you_mean(name: object, choices: Iterable[str]) -> str:
    """A ' Did you mean 'a', 'b' or 'c'?' hint naming the closest two or three choices, or '' when none is close."""
    close = closest(name, choices)
    if not close:
        return ""
    listed = ", ".join(repr(c) for c in close[:-1]) + " or " if len(close) > 1 else ""
    return f" Did you mean {listed}{close[-1]!r}?"


def unknown_name(kind: str, name: str, choices: Iterable[str]) -> TechpmError:
    """The error for a name that is not in a table, with a suggestion and the full list."""
    choices = list(choices)
    return TechpmError(
        f"Unknown {kind} {name!r}.{did_you_mean(name, choices)} Known: {', '.join(sorted(choices))}."
    )
