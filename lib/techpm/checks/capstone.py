"""Checks for ``solutions/10_capstone`` / ``exercises/10_capstone``: the rubric and the calculators decide."""

from __future__ import annotations

from techpm import calc
from techpm.checks import CheckResult, check_number, check_predicate


def _point(text: object, point: str) -> tuple[float, str]:
    from techpm.rubric import CHECKS, _Doc

    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"expected your text as a non-empty string, got {text!r}")
    score, _evidence, suggestion = CHECKS[point](_Doc.read(text))
    return score, suggestion


def _questions_test(text: object) -> str | None:
    """None when ``text`` opens with three scoping questions over three topics; else what is missing."""
    from techpm.rubric.checks import opening_questions
    from techpm.rubric.text import Doc

    if not isinstance(text, str) or not text.strip():
        return f"expected your text as a non-empty string, got {text!r}"
    questions, topics = opening_questions(Doc.read(text))
    if len(questions) >= 3 and len(topics) >= 3:
        return None
    missing = [t for t in ("scale", "latency", "data", "budget") if t not in topics]
    return (f"found {len(questions)} scoping question(s) at the start covering {', '.join(sorted(topics)) or 'no topic'}"
            f"; ask at least three, covering three of scale, latency, data and budget (missing: {', '.join(missing)}).")


def scoping_questions(answer: object) -> CheckResult:
    """Exercise 1: an opening of scoping questions of the kind the rubric's first point looks for."""

    def test(text: object) -> str | None:
        return _questions_test(text)

    return check_predicate("Exercise 1 · scoping under the clock", answer, test,
                           "three or more scoping questions covering scale, latency, data or budget.")


def monthly_spend(answer: object, question: str, model: str) -> CheckResult:
    """Exercise 2: the month's model spend for the generator's scenario, every request on ``model``."""
    from techpm.generator import offline

    s = offline.plan(question).scenario
    n = s.requests_per_month
    tokens_in, tokens_out = int(s.input_tokens.value), int(s.output_tokens.value)
    expected = calc.api_cost_usd(model, tokens_in * n, tokens_out * n, requests=n)
    input_only = calc.api_cost_usd(model, tokens_in * n, 0, requests=n)
    hints = {
        1 / 30: "that is one day of traffic; the question asks for a month (30 days).",
        input_only / expected: "you priced the input tokens only; output tokens cost more per token.",
        1 / n: "that is one request; multiply by the requests in a month.",
    }
    return check_number("Exercise 2 · price the design", answer, expected, hints=hints, unit="USD")


def hard_parts_added(answer: object) -> CheckResult:
    """Exercise 3: the weak sample with a 'what is hard' paragraph that earns the rubric's fifth point."""

    def test(text: object) -> str | None:
        score, suggestion = _point(text, "hard_parts")
        return None if score == 1.0 else f"the 'aware of what is hard' point scores {score:g}: {suggestion}"

    return check_predicate("Exercise 3 · what is hard", answer, test,
                           "hallucination, evaluation and safety named, each with how you would detect, "
                           "mitigate and measure it.")
