"""The capstone helpers: question bank, picking, the interview clock, side-by-side comparison, the picker
widget, and the exercise checks of 00 and 10."""

from __future__ import annotations

import pytest

import techpm
from techpm import calc, capstone, checks
from techpm.checks import capstone as check10
from techpm.checks import start_here as check00
from techpm.errors import TechpmError
from techpm.generator import offline
from techpm.generator.reading import read_question
from tests.conftest import ROOT


def test_the_bank_has_30_plus_tagged_questions():
    bank = capstone.question_bank()
    assert len(bank) >= 30
    assert len({q.id for q in bank}) == len(bank)
    counts = bank.counts()
    assert set(counts) == set(bank.topics) and len(bank.topics) >= 8
    for topic, row in counts.items():
        assert sum(row.values()) >= 3, topic                    # every topic has questions
    for difficulty in capstone.DIFFICULTIES:
        assert sum(row[difficulty] for row in counts.values()) >= 8
    for q in bank:
        assert q.question.strip() and q.probe and q.minutes in (15, 30, 45)
    md = bank._repr_markdown_()
    assert f"**{len(bank)} questions**" in md and "`05_rag`" in md


def test_every_bank_question_gets_an_offline_answer_that_fits():
    for q in capstone.question_bank():
        assert read_question(q.question).facets, q.question  # no bank question gets "no template covers it"


def test_filter_and_errors():
    bank = capstone.question_bank()
    rag = bank.filter(topic="rag")
    assert len(rag) >= 3 and all(q.topic == "rag" for q in rag)
    hard = bank.filter(difficulty="hard")
    assert all(q.difficulty == "hard" for q in hard)
    assert bank.get(rag[0].id) == rag[0]
    with pytest.raises(TechpmError, match="Unknown topic 'rags'. Did you mean 'rag'"):
        bank.filter(topic="rags")
    with pytest.raises(TechpmError, match="Unknown difficulty"):
        capstone.pick(difficulty="impossible")
    with pytest.raises(TechpmError, match="Unknown question id"):
        bank.get("nope-1")


def test_pick_is_deterministic_with_a_seed_and_respects_filters():
    assert capstone.pick("rag", "medium", seed=3) == capstone.pick("rag", "medium", seed=3)
    picks = {capstone.pick(seed=s).id for s in range(30)}
    assert len(picks) > 10                                      # seeds spread over the bank
    q = capstone.pick("safety", "hard", seed=1)
    assert (q.topic, q.difficulty) == ("safety", "hard")


def test_interview_plan_draws_distinct_topics_easiest_first():
    plan = capstone.interview_plan(4, seed=2)
    assert len(plan) == 4 and len({q.topic for q in plan}) == 4
    order = [capstone.DIFFICULTIES.index(q.difficulty) for q in plan]
    assert order == sorted(order)
    assert plan == capstone.interview_plan(4, seed=2)
    only = capstone.interview_plan(2, topics=["rag", "evals"])
    assert {q.topic for q in only} == {"rag", "evals"}
    with pytest.raises(TechpmError, match="Only 2 topics"):
        capstone.interview_plan(3, topics=["rag", "evals"])
    with pytest.raises(TechpmError, match="n must be"):
        capstone.interview_plan(0)


def test_timer_with_a_fake_clock():
    now = [100.0]
    timer = capstone.Timer(30, clock=lambda: now[0])
    assert "not started" in repr(timer) and timer.elapsed_s == 0
    timer.start()
    assert "Timer started: 30 minutes" in repr(timer)
    now[0] += 5 * 60
    assert timer.elapsed_s == 300 and timer.remaining_s == 25 * 60
    assert timer.check() == "5:00 used, 25:00 left of 30 minutes · by now: scope and users"
    now[0] += 20 * 60
    assert "deep dive" not in timer.check() and "API and metrics" in timer.check()
    now[0] += 10 * 60
    assert "5:00 over time" in timer.check()
    assert timer.stop() == 35 * 60
    now[0] += 60
    assert timer.elapsed_s == 35 * 60                         # stopped clocks do not move
    for bad in (0, -1, 1000, "30", True):
        with pytest.raises(TechpmError, match="minutes"):
            capstone.Timer(bad)  # type: ignore[arg-type]


def test_compare_grades_both_side_by_side():
    question = "Design a RAG system for a law firm's contracts"
    weak = capstone.sample_answer("weak")
    comparison = capstone.compare(weak, offline.answer(question))
    assert comparison.reference_label == "Offline generator"
    assert comparison.mine_report.total < comparison.reference_report.total
    rows = comparison.rows()
    assert len(rows) == 9 and all(m <= r for _, m, r in rows)
    assert comparison.gaps() and comparison.gaps()[0].startswith("Opens with technical scoping questions")
    html = comparison._repr_html_()
    assert html.count("<pre") == 2 and "Design a RAG system" in html
    assert f"You: {comparison.mine_report.total}/100" in comparison.markdown()
    text = capstone.compare(weak, capstone.sample_answer("strong"), label="Strong sample")
    assert "Strong sample" in str(text)
    with pytest.raises(TechpmError, match="mine must be"):
        capstone.compare(42, weak)
    assert isinstance(capstone.compare("  ", weak), capstone.NotWritten)  # nothing written yet: say so
    with pytest.raises(TechpmError, match="reference must be"):
        capstone.compare(weak, 42)
    with pytest.raises(TechpmError, match="Unknown sample answer"):
        capstone.sample_answer("medium")


def test_question_picker_widget_headless():
    from techpm.widgets.capstone import question_picker

    picker = question_picker(topic="rag", seed=0)
    assert picker.result.topic == "rag" and picker.result.question in picker.html.value
    picker.controls["difficulty"].value = "hard"
    assert picker.result.difficulty == "hard" and picker.result.question in picker.html.value
    picker.controls["topic"].value = "any"
    picker.controls["seed"].value = 7
    assert picker.result == capstone.pick(None, "hard", seed=7)


# --- exercise checks ---------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def fresh_results():
    checks.reset()
    yield
    checks.reset()


QUESTIONS = ("How many lawyers will use it, and how many questions a day at peak?\n"
             "What latency do they expect?\nWhat data can we index, and what privacy rules apply?\n"
             "What is the monthly budget?")


def test_10_checks():
    assert check10.scoping_questions(QUESTIONS).passed
    assert not check10.scoping_questions("We will use RAG.").passed
    assert check10.scoping_questions(...).status == "not done"
    question, model = "Design a RAG system for a law firm's 2 million contracts used by 500 lawyers", "claude-haiku-5-5"
    p = offline.plan(question)
    n = p.scenario.requests_per_month
    right = calc.api_cost_usd(model, 5_600 * n, 400 * n, requests=n)
    assert check10.monthly_spend(right, question, model).passed
    daily = check10.monthly_spend(right / 30, question, model)
    assert not daily.passed and "one day" in daily.message
    hard = ("Hallucination: we detect unsupported claims with a citation check and mitigate by grounding. "
            "Evaluation is hard: we measure faithfulness on a golden set. Safety: a classifier filters abuse, "
            "and we monitor prompt injection.")
    assert check10.hard_parts_added(capstone.sample_answer("weak") + "\n\n" + hard).passed
    assert not check10.hard_parts_added(capstone.sample_answer("weak")).passed
    assert checks.summary().total == 3


def test_00_new_checks():
    assert check00.which_section(1).passed and check00.which_section(" 1 ").passed
    wrong = check00.which_section(4)
    assert not wrong.passed and "deep dive" in wrong.message.lower()
    assert check00.which_section(...).status == "not done"
    assert check00.scoping_fixed(QUESTIONS + "\n\n" + capstone.sample_answer("weak")).passed
    assert not check00.scoping_fixed(capstone.sample_answer("weak")).passed
    assert not check00.scoping_fixed(3).passed


def test_a_cohorts_own_question_starts_with_an_empty_answer_that_runs():
    from techpm.workshop.cohort import declared_parameters

    params = declared_parameters(ROOT / "notebooks" / "10_capstone.ipynb")
    default = capstone.pick(params["TOPIC"], params["DIFFICULTY"], seed=params["SEED"])
    assert capstone.starter_answer(default).strip(), "the default question keeps its first draft"
    other = next(q for q in capstone.question_bank() if q.id != default.id)
    assert capstone.starter_answer(other) == ""
    blank = capstone.grade_mine("", other)
    assert blank.total == 0 and "write your answer" in repr(blank)
    assert isinstance(capstone.compare("   ", "some reference text", question=other), capstone.NotWritten)
    graded = capstone.grade_mine(capstone.starter_answer(default), default)
    assert graded.total > 0 and graded.total == techpm.grade(capstone.starter_answer(default),
                                                             question=default.question).total
