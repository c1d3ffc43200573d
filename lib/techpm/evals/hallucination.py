"""Detecting hallucinations: three checks a product can run, each a small function.

    self-consistency        sample the same question k times; answers a model knows tend to agree, made-up
                            ones scatter (SelfCheckGPT: Manakul, Liusie & Gales 2023, EMNLP,
                            https://arxiv.org/abs/2303.08896; majority voting: Wang et al. 2022,
                            "Self-Consistency Improves Chain of Thought Reasoning", https://arxiv.org/abs/2203.11171).
                            Blind spot: a model that is consistently wrong.
    retrieval verification  find the passage of a trusted corpus that best supports a claim and measure how
                            much of the claim it covers (here by word bigrams; production systems use an
                            entailment model or an LLM judge for this step). Blind spot: distortions that
                            reuse the source's words.
    citation validation     every cited link must be well formed and among the sources actually retrieved for
                            the answer; a link to anything else is a fabricated or unverifiable citation.

Each detector is measured on labelled items with ``techpm.evals.detection.score_detector``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlparse

from techpm.errors import TechpmError
from techpm.evals.contamination import ngrams, words

__all__ = [
    "SelfConsistency", "self_consistency", "simulate_sampling",
    "Support", "PassageIndex", "best_support", "split_passages",
    "Citation", "extract_citations", "validate_citations",
]


# --- self-consistency ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SelfConsistency:
    """How much k sampled answers to one question agree."""

    majority: Hashable  # the most frequent answer, as normalised (lowercase, single spaces)
    agreement: float  # share of samples equal to the majority answer
    distinct: int
    entropy_bits: float  # 0 when all agree; log2(k) when all differ


def _normalise(answer: object) -> Hashable:
    return " ".join(str(answer).lower().split()).strip(" .")


def self_consistency(samples: Sequence[object],
                     normalise: Callable[[object], Hashable] = _normalise) -> SelfConsistency:
    """Agreement among sampled answers (compared after ``normalise``: lowercase, spaces, final period).

    Ties for the majority go to the answer seen first.
    """
    if len(samples) < 2:
        raise TechpmError(f"samples needs at least 2 answers to measure agreement, got {len(samples)}.")
    keys = [normalise(s) for s in samples]
    counts = Counter(keys)
    majority, top = max(counts.items(), key=lambda kv: (kv[1], -keys.index(kv[0])))
    k = len(keys)
    entropy = -sum(c / k * math.log2(c / k) for c in counts.values())
    return SelfConsistency(majority, top / k, len(counts), abs(entropy))


def simulate_sampling(n_questions: int, k: int, known_share: float, p_repeat_when_known: float = 0.9,
                      p_confidently_wrong: float = 0.0, n_guesses: int = 5,
                      seed: int = 0) -> list[tuple[list[str], str, bool]]:
    """A toy model of sampling a language model k times per question (a model, not a measurement).

    For a share ``known_share`` of questions the model knows the answer (answer 0) and gives it with
    probability ``p_repeat_when_known``, else one of ``n_guesses`` wrong answers. For the rest it
    guesses uniformly among ``n_guesses`` wrong answers, except that a share ``p_confidently_wrong`` of
    them has one wrong answer it repeats as reliably as a known fact: a consistent hallucination.
    Answers are strings ("0" is the right one, "1".."n_guesses" wrong ones), as ``self_consistency``
    compares them. Returns ``(samples, correct_answer, known)`` per question. Seeded: reproducible.
    """
    import numpy as np

    for name, value in (("known_share", known_share), ("p_repeat_when_known", p_repeat_when_known),
                        ("p_confidently_wrong", p_confidently_wrong)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise TechpmError(f"{name} must be between 0 and 1, got {value!r}.")
    if not isinstance(k, int) or k < 2 or not isinstance(n_questions, int) or n_questions < 1:
        raise TechpmError(f"need n_questions >= 1 and k >= 2 samples, got {n_questions!r} and {k!r}.")
    if not isinstance(n_guesses, int) or n_guesses < 2:
        raise TechpmError(f"n_guesses must be a whole number of at least 2, got {n_guesses!r}.")
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n_questions):
        known = bool(rng.random() < known_share)
        wrong = rng.integers(1, n_guesses + 1, size=k)
        if known:
            keep = rng.random(k) < p_repeat_when_known
            samples = np.where(keep, 0, wrong)
        elif rng.random() < p_confidently_wrong:
            keep = rng.random(k) < p_repeat_when_known
            samples = np.where(keep, 1, wrong)
        else:
            samples = wrong
        out.append(([str(s) for s in samples], "0", known))
    return out


# --- retrieval verification ------------------------------------------------------------------------------

def split_passages(documents: Iterable[str], min_words: int = 8) -> list[str]:
    """Paragraphs (blank-line separated) of at least ``min_words`` words: the units a verifier retrieves."""
    out = []
    for doc in documents:
        for para in re.split(r"\n\s*\n", doc):
            if len(words(para)) >= min_words:
                out.append(" ".join(para.split()))
    return out


@dataclass(frozen=True)
class Support:
    """The best-supporting passage for a claim and how much of the claim it covers."""

    claim: str
    coverage: float  # share of the claim's word bigrams found in the passage
    passage: str

    def supported(self, threshold: float = 0.6) -> bool:
        return self.coverage >= threshold


@dataclass(frozen=True)
class PassageIndex:
    """Passages and an inverted index from each word n-gram to the passages holding it (build once)."""

    passages: tuple[str, ...]
    n: int
    postings: dict[tuple[str, ...], tuple[int, ...]]

    @classmethod
    def build(cls, passages: Sequence[str], n: int = 2) -> PassageIndex:
        if not passages:
            raise TechpmError("passages is empty: retrieval verification needs a trusted corpus to check against.")
        postings: dict[tuple[str, ...], list[int]] = {}
        for i, passage in enumerate(passages):
            for gram in ngrams(words(passage), n):
                postings.setdefault(gram, []).append(i)
        return cls(tuple(passages), n, {g: tuple(ids) for g, ids in postings.items()})


def best_support(claim: str, passages: Sequence[str] | PassageIndex, n: int = 2) -> Support:
    """Retrieve the passage that covers most of the claim's word n-grams (bigrams by default).

    Ties go to the earlier passage. Pass a ``PassageIndex`` to check many claims against one corpus.
    """
    index = passages if isinstance(passages, PassageIndex) else PassageIndex.build(passages, n)
    claim_grams = ngrams(words(claim), index.n)
    if not claim_grams:
        raise TechpmError(f"claim {claim!r} is shorter than {index.n} words: nothing to verify.")
    hits: Counter[int] = Counter()
    for gram in claim_grams:
        hits.update(index.postings.get(gram, ()))
    if not hits:
        return Support(claim, 0.0, "")
    best = min(hits, key=lambda i: (-hits[i], i))
    return Support(claim, hits[best] / len(claim_grams), index.passages[best])


# --- citation validation ---------------------------------------------------------------------------------

_MD_LINK = re.compile(r"\[([^\]]+)\]\((\S+?)\)")
_BARE_URL = re.compile(r"(?<![(\[])\bhttps?://[^\s)>\]]+")


@dataclass(frozen=True)
class Citation:
    """One link in an answer and what validation found."""

    text: str
    url: str
    well_formed: bool
    retrieved: bool  # among the sources the system actually retrieved or was given

    @property
    def valid(self) -> bool:
        return self.well_formed and self.retrieved


def _well_formed(url: str) -> bool:
    parsed = urlparse(url)
    host = parsed.netloc
    return parsed.scheme in ("http", "https") and "." in host and " " not in url and not host.endswith(".")


def _canonical(url: str) -> str:
    parsed = urlparse(url.strip())
    path = parsed.path.rstrip("/")
    return f"{parsed.netloc.lower().removeprefix('www.')}{path}"


def extract_citations(markdown: str) -> list[tuple[str, str]]:
    """``(text, url)`` for every Markdown link and bare URL, in order of appearance."""
    if not isinstance(markdown, str):
        raise TechpmError(f"markdown must be a string, got {type(markdown).__name__}.")
    found = [(m.start(), m.group(1), m.group(2)) for m in _MD_LINK.finditer(markdown)]
    linked = {m.start(2) for m in _MD_LINK.finditer(markdown)}
    found += [(m.start(), m.group(0), m.group(0)) for m in _BARE_URL.finditer(markdown) if m.start() not in linked]
    return [(text, url.rstrip(".,;")) for _, text, url in sorted(found)]


def validate_citations(markdown: str, retrieved_urls: Iterable[str]) -> list[Citation]:
    """Check each citation in ``markdown``: well formed, and one of ``retrieved_urls``.

    URLs are compared without scheme, ``www.`` or a trailing slash. A citation outside the retrieved
    set is not necessarily false, but nothing the system read supports it: show it as unverified.
    """
    known = {_canonical(u) for u in retrieved_urls}
    return [Citation(text, url, _well_formed(url), _canonical(url) in known)
            for text, url in extract_citations(markdown)]
