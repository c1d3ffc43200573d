"""Exercise feedback: specific messages, 'not done yet' for placeholders, never a crash."""

from __future__ import annotations

import importlib
import math
import pkgutil
import re

import pytest

from techpm import checks


def test_number_checks_explain_common_mistakes():
    hints = {0.5: "did you count both K and V?"}
    assert checks.check_number("kv", 100.0, 100.0).passed
    assert checks.check_number("kv", 101.0, 100.0).passed  # within 2 %
    wrong = checks.check_number("kv", 50.0, 100.0, hints=hints)
    assert wrong.status == checks.INCORRECT and "too low by a factor of 2:" in wrong.message and "K and V" in wrong.message
    units = checks.check_number("mem", 100e3, 100.0)
    assert "units" in units.message and "1,000" in units.message
    other = checks.check_number("mem", 130.0, 100.0)
    assert "130 is 30% too high;" in other.message


def test_placeholders_and_garbage_are_not_crashes():
    assert checks.check_number("x", ..., 1.0).status == checks.NOT_DONE
    assert checks.check_number("x", None, 1.0).status == checks.NOT_DONE
    assert "expected a number" in checks.check_number("x", "lots", 1.0).message
    assert checks.check_choice("c", ..., "rag").status == checks.NOT_DONE
    boom = checks.check_predicate("p", 3, lambda a: a.missing_attribute, "fine")
    assert boom.status == checks.INCORRECT and "AttributeError" in boom.message


def test_choice_explains_the_wrong_option():
    explanations = {"fine-tune": "fine-tuning teaches style, not fresh facts", "rag": "grounds answers in documents"}
    right = checks.check_choice("c", "RAG ", "rag", explanations)
    assert right.passed and "grounds" in right.message
    wrong = checks.check_choice("c", "fine-tune", "rag", explanations)
    assert not wrong.passed and "style" in wrong.message
    assert "not one of the choices" in checks.check_choice("c", "magic", "rag", explanations).message


def test_summary_counts_the_latest_result_per_exercise():
    checks.reset()
    checks.check_number("a", 1.0, 2.0)
    checks.check_number("a", 2.0, 2.0)
    checks.check_number("b", ..., 2.0)
    s = checks.summary()
    assert (s.correct, s.total, s.not_done) == (1, 2, ("b",))
    assert repr(s) == "1 of 2 exercises correct; not done yet: b."
    assert repr(checks.RESULTS["a"]).startswith("✅ a: correct")


# --- every numeric exercise check: bad answers get a sentence, near misses say how near -------------------
NUMERIC_CHECKS = 48  # the check_number calls in techpm/checks/*.py; a new one raises this number


def _extra_args() -> dict[str, tuple]:
    """Arguments besides the answer for the checks that take them (the values the solutions pass)."""
    from types import SimpleNamespace

    haiku = "claude-haiku-5-5"
    dashboard = SimpleNamespace(funnel=[("signed up", 1000), ("API key", 800), ("first call", 600),
                                        ("activated", 300)])
    return {
        "monthly_spend": ("How many GPUs for a chatbot with 1M users?", haiku),
        "storage_gb": (1_000_000, 1024), "embedding_cost": (1000, 10, 500, "text-embedding-3-small"),
        "ai_labeling_cost": (haiku,), "monthly_cost": (haiku,), "activation_rate": (dashboard,),
    }


def _keyword_calls() -> dict[str, tuple[tuple, dict]]:
    """Checks whose settings are keyword-only: (answers, settings), the values the solutions pass."""
    haiku = "claude-haiku-5-5"
    return {
        "loop_success_and_cost": ((1.0, 1.0), dict(step_success=0.92, steps=8, model=haiku, system_tokens=2_500,
                                                   tokens_per_step=600, output_tokens_per_step=120)),
        "retries_needed": ((1.0,), dict(step_success=0.92, steps=8, target=0.99)),
        "agent_monthly_cost": ((1.0,), dict(model=haiku, users=2_000, tasks_per_user_per_day=5, steps=12,
                                            system_tokens=4_000, tokens_per_step=700, output_tokens_per_step=150)),
        "eval_interval_and_cost": ((1.0, 1.0), dict(successes=37, n=45, total_cost_usd=1.80)),
    }


def _numeric_call_sites(monkeypatch) -> dict[str, tuple[float, dict]]:
    """Each numeric check's (expected, keyword arguments), captured by calling every check function once."""
    import inspect

    import techpm.checks as package

    sites: dict[str, tuple[float, dict]] = {}
    real = package.check_number

    def spy(exercise, answer, expected, **kwargs):
        sites[exercise] = (expected, kwargs)
        return real(exercise, answer, expected, **kwargs)

    modules = [importlib.import_module(f"techpm.checks.{m.name}") for m in pkgutil.iter_modules(package.__path__)]
    for module in modules:
        monkeypatch.setattr(module, "check_number", spy, raising=False)
    extra, keyword = _extra_args(), _keyword_calls()
    for module in modules:
        for name, func in vars(module).items():
            if not inspect.isfunction(func) or func.__module__ != module.__name__ or name.startswith("_"):
                continue
            params = [p for p in inspect.signature(func).parameters.values() if p.default is p.empty]
            if name == "recall_and_mrr":
                func(1.0, 1.0, ["a", "b", "c"], {"b", "z"}, 3)
            elif name == "context_budget":
                func(1, 1.0, budget_tokens=8000, overhead_tokens=1000, chunk_tokens=500, output_tokens=300,
                     queries_per_day=1000, model="claude-haiku-5-5")
            elif name in extra:
                func(1.0, *extra[name])
            elif name in keyword:
                func(*keyword[name][0], **keyword[name][1])
            elif len(params) == 1 and params[0].name == "answer":
                func(1.0)
    return sites


def test_every_numeric_check_answers_bad_numbers_with_one_clear_sentence(monkeypatch):
    sites = _numeric_call_sites(monkeypatch)
    assert len(sites) == NUMERIC_CHECKS, sorted(sites)
    nonsense = re.compile(r"factor of 1(?![\d,.])|factor of 1/|factor of -|1/-|\bnan\b.*factor|inf.*factor")
    problems = []
    for exercise, (expected, kwargs) in sites.items():
        assert expected > 0, exercise
        unit = kwargs.get("unit", "")
        for bad in (-7, -0.5, 0, math.nan, math.inf, -math.inf):
            message = checks.check_number(exercise, bad, expected, **kwargs).message
            if not message.startswith("must be a positive "):
                problems.append(f"{exercise} with {bad!r}: {message}")
        for ratio in (0.96, 1.04, 0.5, 3.0, 1e3, 0.93, 1.3, 0.7, 1.01, 0.99):
            result = checks.check_number(exercise, expected * ratio, expected, **kwargs)
            message = result.message
            if result.passed:
                continue
            if nonsense.search(message) or "-" in message.split(":")[0]:
                problems.append(f"{exercise} with x{ratio}: {message}")
            if abs(ratio - 1) <= 0.1 and "close: " not in message:
                problems.append(f"{exercise} with x{ratio} (a near miss) does not say how near: {message}")
            if abs(ratio - 1) <= 0.1 and "factor" in message:
                problems.append(f"{exercise} with x{ratio} (a near miss) shows a factor: {message}")
        if unit == "GB":
            slip = checks.check_number(exercise, expected * 1e9 / 2**30, expected, **kwargs).message
            if "GiB" not in slip:
                problems.append(f"{exercise}: a GiB answer is not recognised: {slip}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("ratio", "words"), [
    (0.96, "close: 4% low"), (1.005, "close: 0.5% high"), (1.3, "30% too high"), (0.7, "30% too low"),
    (0.5, "too low by a factor of 2"), (5.2, "too high by a factor of 5.2"), (1 / 5.2, "too low by a factor of 5.2"),
    (1000, "too high by a factor of 1,000"),
])
def test_how_far_is_rounded_sensibly(ratio, words):
    assert checks.how_far(ratio) == words


def test_negative_zero_and_non_finite_answers_get_the_unit_not_a_ratio():
    assert checks.check_number("e", -7, 36.9, unit="GB").message == "must be a positive number of GB, got -7."
    assert checks.check_number("e", 0, 2.8, unit="x").message == "must be a positive ratio, got 0."
    assert checks.check_number("e", math.nan, 0.004, unit="s").message == "must be a positive number of seconds, got nan."
    assert "GiB" in checks.check_number("e", 34.36, 36.9, unit="GB").message
    assert checks.check_number("e", 1, -2).message == "1 is not right yet; check the sign."


def test_an_exercise_with_several_parts_shows_one_readable_block():
    from techpm.checks import rag as rag_checks

    results = rag_checks.recall_and_mrr(..., 0.5, ["a", "b"], {"b"}, 2)
    text = repr(results)
    assert text.splitlines() == [repr(results[0]), repr(results[1])]
    assert "[" not in text and "CheckResult(" not in text
    assert not results.passed and results[1].passed
