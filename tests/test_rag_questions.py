"""The labelled question set is checked against the corpus it labels."""

from __future__ import annotations

import json
import sys

from techpm.rag.corpus import Section, section_index
from techpm.rag.eval import Question, all_questions, label_holds, load_questions
from tests.conftest import ROOT


def test_at_least_fifty_questions_with_unique_ids_and_text():
    questions = all_questions()
    assert len(questions) >= 50
    assert len({q.id for q in questions}) == len(questions)
    assert len({q.question.lower() for q in questions}) == len(questions)
    doc = json.loads((ROOT / "lib/techpm/data/rag_questions.json").read_text())
    assert doc["source_url"].startswith("https://") and doc["as_of"]


def test_every_relevant_section_exists_and_contains_the_key_terms():
    sections = section_index()
    problems = []
    for q in all_questions():
        assert q.relevant and q.key_terms, q.id
        for sid in q.relevant:
            if sid not in sections:
                problems.append(f"{q.id}: no section {sid!r}")
                continue
            text = " ".join(sections[sid].text.lower().split())
            problems += [f"{q.id}: {sid!r} lacks {t!r}" for t in q.key_terms if t.lower() not in text]
    if sys.version_info >= (3, 11):
        assert problems == []
        assert load_questions() == all_questions()
    else:  # 3.10's reference predates except* (PEP 654): that question is left out at load time
        assert {p.split(":")[0] for p in problems} == {"q20"}
        assert len(load_questions()) == len(all_questions()) - 1


def test_a_label_that_does_not_hold_is_detected():
    sections = {"with": Section("with", "The with statement", "calls __enter__ and\n__exit__")}
    assert label_holds(Question("x", "?", ("with",), ("__enter__ and __exit__",)), sections)
    assert not label_holds(Question("x", "?", ("with",), ("__aenter__",)), sections)
    assert not label_holds(Question("x", "?", ("for",), ("for",)), sections)


def test_labels_are_not_just_every_section_with_the_terms():
    # Relevance was judged: for some questions a section containing all key terms was left out.
    sections = section_index().values()
    judged = sum(
        any(all(t.lower() in s.text.lower() for t in q.key_terms) and s.id not in q.relevant for s in sections)
        for q in all_questions())
    assert judged >= 10
