"""Grade an answer against the method's nine rubric points: deterministic checks, plus an optional judge.

    report = techpm.grade(text, question="Design a RAG system for a law firm's 2 million contracts")
    report.total                           # 0 to 100
    report.points[0].evidence              # the sentence that earned the point, or what is missing
    report = techpm.grade(text, judge=True)   # adds Claude's grades (LLM-as-judge) beside them
    report = techpm.grade(text, target_words=450)   # a timed, spoken-style answer of about 450 words

The checks (``checks.py``, one per point of ``method.RUBRIC``) read substance, not signs:

- only sentences that say something count (``text.Doc``): lists of terms with no number or reason,
  filler and repeated sentences earn nothing, and length counts only the distinct, substantive text;
- numbers count when they carry a unit next to the part of the design they size, and the arithmetic an
  answer states is recomputed (``numbers.computations``): a wrong result costs the quantitative point;
- a mechanism (RAG, evals, RLHF, serving, the agent loop) earns the depth point when its steps are
  described in the order they happen, not when it is named;
- links count when they could be real sources (``links.read_links``): no placeholders or bare domains,
  duplicates once;
- with the question (``fit.read_fit``), scoping, design and users are scored on fit to *this* question
  (its words, its stated numbers, its facets' concepts, no other domain's leftovers).

A check scores 1 (clearly there), 0.5 (partly) or 0 (missing), quotes its evidence and names what is
missing. These are still checks, not understanding: a judge (a person, or Claude with ``judge=True``)
reads for meaning, and where the two differ by half a point or more the report says so.
"""

from __future__ import annotations

from techpm.rubric.checks import CHECKS
from techpm.rubric.grading import grade
from techpm.rubric.report import PointResult, Report
from techpm.rubric.text import Doc, find_sections, split_sentences

_Doc = Doc  # the name the exercise checks use

__all__ = ["PointResult", "Report", "grade", "split_sentences", "find_sections", "CHECKS", "Doc"]
