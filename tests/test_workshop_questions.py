"""``techpm workshop questions``: the worked-example questions, read from the notebooks, for pre-generation."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from techpm import calc
from techpm.devtools import notebooks as nbtools
from techpm.errors import TechpmError
from techpm.generator import claude
from techpm.generator import client as claude_client
from techpm.workshop.questions import (
    batch_cost_ceiling_usd,
    by_model,
    notebook_examples,
    report,
    worked_examples,
)
from tests.conftest import ROOT

LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _notebook(tmp_path, *cells, name="10_demo.ipynb"):
    """A minimal notebook from (source, tags) pairs of code cells."""
    nb = {"cells": [{"cell_type": "code", "source": src, "metadata": {"tags": list(tags)}, "outputs": [],
                     "execution_count": None} for src, tags in cells],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / name
    path.write_text(json.dumps(nb))
    return path


def test_questions_are_followed_through_names_f_strings_and_parameters(tmp_path):
    path = _notebook(
        tmp_path,
        ('CLAUDE_MODEL = "claude-haiku-5-5"\nRPS = 20\nSHARE = 0.125', ["parameters"]),
        ("%matplotlib inline\nimport techpm", []),
        ('QUESTION = f"Serve {RPS:,} requests per second with {SHARE:.0%} cached"\nanswer = techpm.generate(QUESTION)', []),
        ('techpm.generate("A literal question?", stream=False)', []),
        ("question = pick()\nreference = techpm.generate(question.question)", []),
        ('QUESTION = compute()\ntechpm.generate(QUESTION)', []),
    )
    found = notebook_examples(path, {"RPS": 2500, "CLAUDE_MODEL": "claude-sonnet-5-5"})
    assert [e.question for e in found] == ["Serve 2,500 requests per second with 12% cached", "A literal question?",
                                           None, None]
    assert {e.model for e in found} == {"claude-sonnet-5-5"}
    assert found[2].expression == "question.question" and found[0].notebook == "10_demo.ipynb"
    # without a cohort, the parameters cell's own values
    assert notebook_examples(path)[0].question == "Serve 20 requests per second with 12% cached"


def test_a_cohort_value_applies_only_after_the_parameters_cell(tmp_path):
    path = _notebook(
        tmp_path,
        ('techpm.generate(f"before {N}")', []),
        ("N = 1", ["parameters"]),
        ('techpm.generate(f"after {N}")', []),
    )
    assert [e.question for e in notebook_examples(path, {"N": 5})] == [None, "after 5"]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_each_resolved_question_is_what_the_executed_notebook_asked(path):
    """The stored outputs come from a real run: each answer is shown under its question as a heading."""
    calls = [c for c in nbtools.read(path)["cells"] if c["cell_type"] == "code" and "techpm.generate(" in nbtools.source(c)]
    examples = notebook_examples(path)
    assert len(examples) == len(calls)
    for example, cell in zip(examples, calls, strict=True):
        if example.question is None:
            continue
        shown = json.dumps(cell.get("outputs", []), ensure_ascii=False)
        assert json.dumps(f"# {example.question}\n", ensure_ascii=False)[1:-1] in shown, path.name


def test_every_lesson_has_a_known_worked_example():
    examples = worked_examples(ROOT)
    for lesson in LESSONS:
        mine = [e for e in examples if e.notebook == lesson.name]
        assert mine and all(e.question for e in mine), lesson.name


def test_the_capstone_question_is_the_one_its_parameters_draw():
    from techpm.capstone import pick
    from techpm.workshop.cohort import declared_parameters

    path = ROOT / "notebooks" / "10_capstone.ipynb"
    params = declared_parameters(path)
    (example,) = [e for e in worked_examples(ROOT) if e.notebook == path.name]
    assert example.question == pick(params["TOPIC"], params["DIFFICULTY"], seed=params["SEED"]).question
    other = {"TOPIC": "inference", "DIFFICULTY": None, "SEED": 3}
    (cohort,) = [e for e in worked_examples(ROOT, other) if e.notebook == path.name]
    assert cohort.question == pick("inference", None, seed=3).question != example.question


def test_a_cohort_changes_the_questions_and_the_model():
    default = {e.notebook: e for e in worked_examples(ROOT)}
    cohort = {e.notebook: e for e in worked_examples(ROOT, {"PEAK_REQUESTS_PER_S": 55,
                                                           "CLAUDE_MODEL": "claude-sonnet-5-5"})}
    assert "55 requests per second" in cohort["03_inference.ipynb"].question
    assert cohort["03_inference.ipynb"].question != default["03_inference.ipynb"].question
    assert cohort["01_transformers.ipynb"].question == default["01_transformers.ipynb"].question
    assert {e.model for e in cohort.values()} == {"claude-sonnet-5-5"}


def test_an_unknown_parameter_is_refused():
    with pytest.raises(TechpmError, match="PEAK_RPS"):
        worked_examples(ROOT, {"PEAK_RPS": 3})


def test_the_bank_adds_every_capstone_question_once():
    from techpm.capstone import question_bank

    plain, banked = worked_examples(ROOT), worked_examples(ROOT, bank=True)
    bank = [q.question for q in question_bank()]
    assert len(banked) == len(plain) + len(bank)
    grouped = by_model(banked)
    assert set(grouped) == {e.model for e in banked}
    questions = [q for qs in grouped.values() for q in qs]
    assert len(questions) == len(set(questions))
    assert set(bank) <= set(questions)


def test_by_model_groups_and_drops_repeats_and_unknowns():
    from techpm.workshop.questions import WorkedExample

    examples = [WorkedExample("a", "m1", "q1", "x"), WorkedExample("b", "m2", "q2", "x"),
                WorkedExample("c", "m1", "q1", "x"), WorkedExample("d", "m1", None, "x"),
                WorkedExample("e", "m1", "q3", "x")]
    assert by_model(examples) == {"m1": ["q1", "q3"], "m2": ["q2"]}


@pytest.mark.parametrize("model", ["claude-haiku-5-5", "claude-sonnet-5-5"])
def test_the_cost_ceiling_is_the_batch_price_of_a_full_answer_plus_every_search(model):
    question = "Design the rate limits and pricing for a new LLM API"
    ceiling = batch_cost_ceiling_usd(question, model)
    searches = claude.WEB_SEARCH_MAX_USES * claude_client.WEB_SEARCH_USD_PER_SEARCH
    tokens = ceiling - searches
    # the token part is at least the full answer at the batch price, and at most twice that plus the prompt
    answer_only = calc.api_cost_usd(model, 0, claude.ANSWER_MAX_TOKENS, batch=True)
    assert answer_only < tokens < answer_only + calc.api_cost_usd(model, 50_000, 0, batch=True)
    interactive = calc.api_cost_usd(model, 0, claude.ANSWER_MAX_TOKENS)
    assert tokens < interactive  # half price, even with the prompt included
    assert batch_cost_ceiling_usd(question + " " + "context " * 2_000, model) > ceiling
    assert batch_cost_ceiling_usd(question, model, web_search=False) == pytest.approx(tokens)


def test_the_report_prices_each_model_group():
    lines = report(worked_examples(ROOT, {"CLAUDE_MODEL": "claude-sonnet-5-5"}))
    assert any(line.startswith("10_capstone.ipynb · claude-sonnet-5-5 · ") for line in lines)
    assert "questions on claude-sonnet-5-5: at most $" in lines[-1]


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "techpm.cli", "workshop", "questions", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_the_command_lists_every_lesson(tmp_path):
    result = _cli()
    assert result.returncode == 0, result.stderr
    for lesson in LESSONS:
        assert f"{lesson.name} · " in result.stdout
    params = tmp_path / "cohort.json"
    params.write_text(json.dumps({"PEAK_REQUESTS_PER_S": 7}))
    result = _cli(str(params), "--bank")
    assert result.returncode == 0 and "7 requests per second" in result.stdout


def test_the_command_explains_a_bad_parameter_file(tmp_path):
    params = tmp_path / "cohort.json"
    params.write_text(json.dumps({"GPUU": "h100-sxm"}))
    result = _cli(str(params))
    assert result.returncode == 2 and "no notebook has a parameter called GPUU" in result.stderr


@pytest.fixture()
def cache_here(tmp_path):
    """A fresh answer cache for one test (and the settings restored afterwards)."""
    import techpm.config

    before = techpm.config.SETTINGS
    techpm.configure(cache_dir=tmp_path)
    yield tmp_path
    techpm.config.SETTINGS = before


def _store_claude_answer(question, model):
    """Put an answer in the cache as a Claude answer would be stored (the offline text, relabelled)."""
    from techpm.generator import cache, offline_answer
    from techpm.generator.prompts import PROMPT_VERSION

    answer = offline_answer(question)
    answer.backend, answer.model, answer.notice = "claude", model, None
    cache.store(cache.cache_key(question, "claude", model, PROMPT_VERSION), answer)


def test_the_report_says_which_answers_are_cached_here(cache_here):
    from techpm.workshop.questions import is_cached

    examples = worked_examples(ROOT)
    first = examples[0]
    assert not any(map(is_cached, examples))
    _store_claude_answer(first.question, first.model)
    assert is_cached(first) and not is_cached(examples[1])
    lines = report(examples)
    assert lines[0].endswith(f"· cached · {first.question}")
    assert f"1 of {sum(e.question is not None for e in examples)} cached in {cache_here / 'answers'}" in lines


def test_a_shared_cache_serves_a_participant_without_a_key(cache_here, monkeypatch):
    import techpm

    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    example = worked_examples(ROOT)[1]
    _store_claude_answer(example.question, example.model)
    answer = techpm.generate(example.question, model=example.model, stream=False)
    assert answer.backend == "claude" and answer.cached


def test_offline_mode_ignores_a_shared_cache(cache_here, monkeypatch):
    import techpm
    from techpm import config

    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    example = worked_examples(ROOT)[1]
    _store_claude_answer(example.question, example.model)
    monkeypatch.setattr(config, "SETTINGS", config.Settings(offline=True, cache_dir=config.SETTINGS.cache_dir))
    answer = techpm.generate(example.question, model=example.model, stream=False)
    assert answer.backend == "offline" and not answer.cached
