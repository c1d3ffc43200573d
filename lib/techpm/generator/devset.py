"""How well an answer fits its question, as issue 10 defines it, and how much answers repeat each other.

    from techpm.generator.devset import fit, shared_sentence_rate
    report = fit(answer_markdown, question, quantities=["5,000", "700 ms"],
                 concepts=[["speech recognition", "asr"], ["pci"]], forbidden=["receipt"])
    report.fits, report.missing_quantities, report.missing_concepts, report.forbidden_found

A question fits when every stated quantity is used at least twice outside the title, at least 80% of
the concept groups are present (a group is present when any of its phrases is), and no forbidden word
appears. ``shared_sentence_rate`` is the share of sentences that appear word for word in three or more
of the answers given. The dev set is ``tests/data/generator_questions.json``; the test and
``benchmarks/generator_fit.py`` both use these functions.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from techpm.generator.reading import Quantity, mentions, read_question

__all__ = ["CONCEPT_SHARE", "FitReport", "body_of", "fit", "sentences", "shared_sentence_rate"]

CONCEPT_SHARE = 0.8
MIN_USES = 2


@dataclass
class FitReport:
    """Why an answer fits its question or does not."""

    missing_quantities: list[str] = field(default_factory=list)
    concepts_found: int = 0
    concepts_total: int = 0
    missing_concepts: list[list[str]] = field(default_factory=list)
    forbidden_found: list[str] = field(default_factory=list)

    @property
    def concept_share(self) -> float:
        return 1.0 if not self.concepts_total else self.concepts_found / self.concepts_total

    @property
    def fits(self) -> bool:
        return not self.missing_quantities and self.concept_share >= CONCEPT_SHARE and not self.forbidden_found


def body_of(markdown: str) -> str:
    """The answer without its title line (the question repeated) and its sources list."""
    lines = markdown.splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    text = "\n".join(lines)
    return text.split("\n## Sources")[0]


def _quantity_for(stated: str, quantities: Sequence[Quantity]) -> Quantity | None:
    """The quantity of the brief whose text contains ``stated`` as written ("5,000", "700 ms")."""
    for q in quantities:
        if stated.lower() in q.text.lower():
            return q
    return None


def fit(markdown: str, question: str, quantities: Sequence[str], concepts: Sequence[Sequence[str]],
        forbidden: Sequence[str]) -> FitReport:
    """The fit of ``markdown`` to ``question`` (see the module docstring)."""
    body = body_of(markdown)
    low = body.lower()
    brief = read_question(question)
    report = FitReport(concepts_total=len(concepts))
    for stated in quantities:
        q = _quantity_for(stated, brief.quantities)
        if q is None or mentions(body, q) < MIN_USES:
            report.missing_quantities.append(stated)
    for group in concepts:
        if any(phrase.lower() in low for phrase in group):
            report.concepts_found += 1
        else:
            report.missing_concepts.append(list(group))
    report.forbidden_found = [w for w in forbidden if w.lower() in low]
    return report


def _content(markdown: str) -> str:
    """The six sections only: what comes before "## 1." (title, backend label, the offline notice every
    offline answer must carry) is labelling, not content."""
    body = body_of(markdown)
    start = body.find("## 1.")
    return body[start:] if start >= 0 else body


def sentences(markdown: str) -> list[str]:
    """The sentences of an answer's six sections, normalised (lower case, whitespace collapsed, links
    reduced to their text); headings, code blocks and table separators excluded; a table row counts as one
    sentence; fragments of fewer than five words dropped."""
    out = []
    in_code = False
    lines = _content(markdown).splitlines()
    for i, line in enumerate(lines):
        if line.startswith("|") and i + 1 < len(lines) and re.fullmatch(r"[|\-\s:]+", lines[i + 1]):
            continue  # a table's header row
        if line.startswith("```"):
            in_code = not in_code
            continue
        if in_code or line.startswith("#") or re.fullmatch(r"[|\-\s:]*", line):
            continue
        line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)
        line = re.sub(r"\b(et al|e\.g|i\.e|vs)\.", r"\1", line)
        parts = [line] if line.lstrip().startswith("|") else re.split(r"(?<=[.!?])\s+", line)
        for part in parts:
            text = " ".join(re.sub(r"[*_`|#>]", " ", part).split()).lower()
            if len(text.split()) >= 5:
                out.append(text)
    return out


def shared_sentence_rate(markdowns: Sequence[str], min_answers: int = 3) -> float:
    """The share of all sentences that appear in ``min_answers`` or more of the answers."""
    per_answer = [set(sentences(m)) for m in markdowns]
    counts = Counter(s for group in per_answer for s in group)
    total = sum(len(group) for group in per_answer)
    shared = sum(1 for group in per_answer for s in group if counts[s] >= min_answers)
    return shared / total if total else 0.0
