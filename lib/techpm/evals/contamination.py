"""Benchmark contamination: does an eval item already appear in the text a model was trained on?

The standard first check is n-gram overlap. Both texts are lowercased and split into words; an item
is "dirty" when any run of ``n`` consecutive words from it also occurs in the corpus. GPT-3 used n = 13
(Brown et al. 2020, "Language Models are Few-Shot Learners", appendix C,
https://arxiv.org/abs/2005.14165); the Llama 2 paper (Touvron et al. 2023, appendix A.6,
https://arxiv.org/abs/2307.09288) describes the 13-gram rule as a deliberately conservative choice that
yields a clean subset with high precision, and refines it to token-level coverage. GPT-4's report
matched three random 50-character substrings per item instead (OpenAI 2023, "GPT-4 Technical
Report", https://arxiv.org/abs/2303.08774).

What it cannot see: paraphrases, translations, and the same fact in other words. A low overlap is
evidence of absence only for verbatim copies. The lab measures this on items whose provenance is known.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from techpm.errors import TechpmError

__all__ = ["GPT3_NGRAM", "words", "ngrams", "NgramIndex", "ItemOverlap", "item_overlap", "contamination_report"]

GPT3_NGRAM = 13
"""The n of GPT-3's contamination check (Brown et al. 2020, appendix C)."""

_WORD = re.compile(r"[a-z0-9_]+")


def words(text: str) -> list[str]:
    """Lowercase word tokens, punctuation and quotes dropped: the normalisation both sides share."""
    if not isinstance(text, str):
        raise TechpmError(f"text must be a string, got {type(text).__name__}.")
    return _WORD.findall(text.lower())


def _check_n(n: int) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise TechpmError(f"n must be a whole number of words, at least 1, got {n!r}.")
    return n


def ngrams(tokens: list[str], n: int) -> set[tuple[str, ...]]:
    """Every run of ``n`` consecutive tokens (empty when there are fewer than ``n``)."""
    _check_n(n)
    return {tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)}


@dataclass(frozen=True)
class NgramIndex:
    """The set of a corpus's n-grams: build once, look up every benchmark item against it."""

    n: int
    grams: frozenset[tuple[str, ...]]
    n_words: int

    @classmethod
    def build(cls, corpus: Iterable[str], n: int = GPT3_NGRAM) -> NgramIndex:
        """Index each document separately (an n-gram never spans two documents)."""
        _check_n(n)
        grams: set[tuple[str, ...]] = set()
        total = 0
        for document in corpus:
            tokens = words(document)
            total += len(tokens)
            grams.update(ngrams(tokens, n))
        return cls(n, frozenset(grams), total)


@dataclass(frozen=True)
class ItemOverlap:
    """One item's overlap: how many of its n-grams occur in the corpus, and whether that flags it."""

    item_id: str
    n: int
    item_ngrams: int
    matched: int
    flagged: bool

    @property
    def fraction(self) -> float:
        """Share of the item's n-grams found in the corpus (0 for an item shorter than n words)."""
        return self.matched / self.item_ngrams if self.item_ngrams else 0.0


def item_overlap(item_id: str, text: str, index: NgramIndex, min_matches: int = 1) -> ItemOverlap:
    """Check one item against an index; flagged when at least ``min_matches`` n-grams match (GPT-3: 1)."""
    grams = ngrams(words(text), index.n)
    matched = len(grams & index.grams)
    return ItemOverlap(item_id, index.n, len(grams), matched, matched >= min_matches)


def contamination_report(items: Mapping[str, str], corpus: Iterable[str] | NgramIndex, n: int = GPT3_NGRAM,
                         min_matches: int = 1) -> list[ItemOverlap]:
    """Overlap of every benchmark item (``{item_id: text}``) with a corpus, in the items' order."""
    if not items:
        raise TechpmError("items is empty: pass the benchmark as {item_id: text}.")
    index = corpus if isinstance(corpus, NgramIndex) else NgramIndex.build(corpus, n)
    if index.n != n:
        raise TechpmError(f"the index holds {index.n}-grams but n={n}: build it with the same n.")
    return [item_overlap(item_id, text, index, min_matches) for item_id, text in items.items()]
