"""Checks for ``solutions/00_start_here`` / ``exercises/00_start_here``."""

from __future__ import annotations

from techpm import calc
from techpm.checks import CheckResult, check_choice, check_number


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
