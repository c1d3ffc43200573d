"""Exercise feedback: specific messages, 'not done yet' for placeholders, never a crash."""

from __future__ import annotations

from techpm import checks


def test_number_checks_explain_common_mistakes():
    hints = {0.5: "did you count both K and V?"}
    assert checks.check_number("kv", 100.0, 100.0).passed
    assert checks.check_number("kv", 101.0, 100.0).passed  # within 2 %
    wrong = checks.check_number("kv", 50.0, 100.0, hints=hints)
    assert wrong.status == checks.INCORRECT and "factor of 1/2" in wrong.message and "K and V" in wrong.message
    units = checks.check_number("mem", 100e3, 100.0)
    assert "units" in units.message and "1,000" in units.message
    other = checks.check_number("mem", 130.0, 100.0)
    assert "too high by a factor of 1.3" in other.message


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


def test_an_exercise_with_several_parts_shows_one_readable_block():
    from techpm.checks import rag as rag_checks

    results = rag_checks.recall_and_mrr(..., 0.5, ["a", "b"], {"b"}, 2)
    text = repr(results)
    assert text.splitlines() == [repr(results[0]), repr(results[1])]
    assert "[" not in text and "CheckResult(" not in text
    assert not results.passed and results[1].passed
