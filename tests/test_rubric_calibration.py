"""The grader against its calibration set (tests/data/graded_calibration): the ordering the bands imply.

Every strong on-topic answer must beat every buzzword, padded and off-topic answer by 30 points or more;
buzzword and padded answers stay at 40 or below, answers to a different question at 50 or below when the
question is given; and the grader's totals rank the bands (Spearman) the way they were labelled."""

from __future__ import annotations

from functools import cache

import pytest

import techpm
from techpm.evals import judge_audit
from tests.calibration import load


@cache
def graded() -> tuple[tuple[object, int], ...]:
    return tuple((item, techpm.grade(item.text, question=item.question).total) for item in load())


def totals(*bands: str) -> dict[str, int]:
    return {item.name: total for item, total in graded() if item.band in bands}


def test_the_set_spans_the_bands_and_questions():
    items = load()
    assert len(items) >= 30
    assert {i.band for i in items} == {"strong-on-topic", "strong-off-topic", "offline-generator", "weak-vague",
                                       "buzzword", "padded", "correct-short"}
    assert len({i.question for i in items}) >= 5


def test_strong_on_topic_beats_buzzword_padded_and_off_topic_by_30_points():
    strong = totals("strong-on-topic")
    worse = totals("buzzword", "padded", "strong-off-topic")
    assert min(strong.values()) >= max(worse.values()) + 30, (strong, worse)


@pytest.mark.parametrize(("bands", "ceiling"), [(("buzzword", "padded"), 40), (("strong-off-topic",), 50)])
def test_ceilings(bands, ceiling):
    over = {name: t for name, t in totals(*bands).items() if t > ceiling}
    assert not over, over


def test_off_topic_answers_are_strong_without_the_question():
    """The off-topic answers lose their points to fit, not to quality: graded alone they score high."""
    for item, total in graded():
        if item.band == "strong-off-topic" and "rag-docs" not in item.name:
            assert techpm.grade(item.text).total >= total + 30, item.name


def test_offline_answers_are_graded_on_fit_not_by_construction():
    """The generator's answers score high on their own question and low on one from another domain."""
    offline = {item.name.split("@")[1]: (item, total) for item, total in graded() if item.band == "offline-generator"}
    for key, (item, total) in offline.items():
        other = offline["voice" if key == "eval" else "eval"][0].question
        assert total >= 70 and techpm.grade(item.text, question=other).total <= total - 40, item.name


def test_totals_rank_the_bands():
    pairs = [(item.rank, total) for item, total in graded()]
    rho = judge_audit.spearman([r for r, _ in pairs], [t for _, t in pairs])
    assert rho >= 0.75, rho
