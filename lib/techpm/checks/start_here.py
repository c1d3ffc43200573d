"""Checks for ``solutions/00_start_here`` / ``exercises/00_start_here``."""

from __future__ import annotations

from techpm import calc
from techpm.checks import CheckResult, check_choice, check_number, check_predicate, is_unfilled


def monthly_cost(answer: object, claude_model: str) -> CheckResult:
    """Exercise 1: 5,000 calls a day for 30 days, 3,000 tokens in and 500 out each."""
    calls = 5_000 * 30
    expected = calc.api_cost_usd(claude_model, 3_000 * calls, 500 * calls)
    input_only = calc.api_cost_usd(claude_model, 3_000 * calls, 0)
    hints = {
        1 / 30: "that is one day; the question asks for 30.",
        input_only / expected: "you priced the input tokens only; output tokens cost more per token.",
        0.5: "that is the batch price; these calls are interactive.",
    }
    return check_number("Exercise 1 · monthly cost", answer, expected, hints=hints, unit="USD")


def batch_tradeoff(answer: object) -> CheckResult:
    """Exercise 2: batches cost half as much and return within 24 hours instead of seconds."""
    return check_choice("Exercise 2 · batch trade-off", answer, "both", {
        "both": "Half the price, and results within 24 hours instead of seconds.",
        "price": "the price halves, but results also come back later (up to 24 hours): latency changes too.",
        "latency": "latency grows (up to 24 hours), and the price halves too.",
    })


def which_section(answer: object) -> CheckResult:
    """Exercise 3: "How many requests per second do we expect at peak?" opens section 1 (scoping)."""
    from techpm.method import SECTIONS

    explanations = {str(s.number): f"section {s.number} is {s.title.lower()}: {s.purpose}" for s in SECTIONS}
    explanations["1"] = "scale is a constraint to pin down before any design: section 1."
    given = answer if is_unfilled(answer) else str(answer).strip()
    return check_choice("Exercise 3 · which section", given, "1", explanations)


def scoping_fixed(answer: object) -> CheckResult:
    """Exercise 4: the weak sample, rewritten to open with the scoping questions the rubric looks for."""
    from techpm.checks.capstone import _questions_test

    def test(text: object) -> str | None:
        if not isinstance(text, str):
            return f"expected the rewritten answer as a string, got {type(text).__name__}."
        return _questions_test(text)

    return check_predicate("Exercise 4 · scoping first", answer, test,
                           "the answer now opens with scoping questions the rubric recognises.")
