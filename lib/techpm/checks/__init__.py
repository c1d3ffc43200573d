"""Feedback for exercises, without an instructor.

A check compares a learner's answer with what the course's calculators compute, and says something
specific: not only "wrong" but "off by a factor of 2: did you count both K and V?". Unfilled answers
(the ``...`` that the exercise notebook leaves) are reported as "not done yet", never as a crash.

Each topic has a module (``techpm.checks.transformers``, ...) whose functions call the helpers here:

    from techpm.checks import transformers as check
    check.kv_cache_per_token(answer)       # shows ✅ / ❌ / ⏳ with a message
    checks.summary()                       # how many of this notebook's exercises are correct
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

CORRECT, INCORRECT, NOT_DONE = "correct", "incorrect", "not done"
# Stored beside the text in a saved notebook, so `techpm workshop progress` reads results exactly. No
# front end renders this type: learners see only the text line.
CHECK_MIME = "application/vnd.techpm.check+json"
_ICONS = {CORRECT: "✅", INCORRECT: "❌", NOT_DONE: "⏳"}

# Latest result per exercise in this kernel, for summary().
RESULTS: dict[str, CheckResult] = {}


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one exercise check; shows itself as one line in a notebook."""

    exercise: str
    status: str
    message: str

    @property
    def passed(self) -> bool:
        return self.status == CORRECT

    def __repr__(self) -> str:
        return f"{_ICONS[self.status]} {self.exercise}: {self.message}"

    __str__ = __repr__

    def as_json(self) -> dict[str, str]:
        return {"exercise": self.exercise, "status": self.status, "message": self.message}

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        return {"text/plain": repr(self), CHECK_MIME: self.as_json()}


class CheckResults(list):
    """Several checks of one exercise (2a, 2b, ...): shown as one block, a line each, not as a Python list."""

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self)

    def __repr__(self) -> str:
        return "\n".join(repr(r) for r in self)

    __str__ = __repr__

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        return {"text/plain": repr(self), CHECK_MIME: [r.as_json() for r in self]}


def _record(exercise: str, status: str, message: str) -> CheckResult:
    result = CheckResult(exercise, status, message)
    RESULTS[exercise] = result
    return result


def is_unfilled(answer: Any) -> bool:
    """True for the placeholders an exercise notebook starts with (``...`` or ``None``)."""
    return answer is ... or answer is None


def not_done(exercise: str) -> CheckResult:
    return _record(exercise, NOT_DONE, "not done yet: replace the `...` with your answer and run the cell again.")


def _as_number(answer: Any) -> float | None:
    """The answer as a float (NaN and inf included), or None when it is not a number at all."""
    if isinstance(answer, bool):
        return None
    try:
        return float(answer)
    except (TypeError, ValueError, OverflowError):
        return None


def _fmt(x: float) -> str:
    if x == 0:
        return "0"
    if abs(x) >= 1e6 or abs(x) < 1e-3:
        return f"{x:.3g}"
    return f"{x:,.4g}"


# Words for a unit inside a sentence ("must be a positive number of seconds"); None: a plain ratio.
_UNIT_WORDS: dict[str, str | None] = {"s": "seconds", "ms": "milliseconds", "x": None, "USD": "US dollars"}
# Ratios a GiB/GB mix-up produces: (2**30 / 1e9) ** k for KiB/MiB/GiB/TiB against KB/MB/GB/TB.
_BINARY = {1000 / 1024: "KiB", (1000 / 1024) ** 2: "MiB", 1e9 / 2**30: "GiB", 1e12 / 2**40: "TiB"}
_BYTE_UNITS = {"bytes", "kb", "mb", "gb", "tb", "kib", "mib", "gib", "tib"}


def _positive_phrase(unit: str) -> str:
    words = _UNIT_WORDS.get(unit, unit)
    return "a positive ratio" if words is None else f"a positive number of {words}" if words else "a positive number"


def _percent(fraction: float) -> str:
    """4.4 -> '4%', 0.53 -> '0.5%': whole percents, or one significant digit below 1%."""
    pct = abs(fraction) * 100
    return f"{pct:.0f}%" if pct >= 1 else f"{pct:.1g}%"


def _factor(ratio: float) -> str:
    """How far ``ratio`` (answer / expected, > 0) is from 1, as a factor: '2', '5.2', '1,000'."""
    big = ratio if ratio >= 1 else 1 / ratio
    return f"{big:,.0f}" if big >= 10 else f"{big:.2g}"


def how_far(ratio: float, low: bool | None = None) -> str:
    """Where an answer stands against the expected value (``ratio`` = answer / expected > 0), in words.

    Within 10%: ``'close: 4% low'``; within 50%: ``'30% too high'``; further: ``'too low by a factor of
    5.2'``. ``low`` says whether the answer is below the expected value (default: ``ratio < 1``, which
    is right for positive quantities). Never "a factor of 1", never a negative factor.
    """
    side = "low" if (ratio < 1 if low is None else low) else "high"
    if abs(ratio - 1) <= 0.1:
        return f"close: {_percent(ratio - 1)} {side}"
    if 1 / 1.5 <= ratio <= 1.5:
        return f"{_percent(ratio - 1)} too {side}"
    return f"too {side} by a factor of {_factor(ratio)}"


def _binary_prefix_slip(ratio: float, unit: str, tol: float) -> str | None:
    """The GiB (or KiB, MiB, TiB) that explains ``ratio`` for a quantity of bytes, else None."""
    if unit.lower() not in _BYTE_UNITS:
        return None
    for r, name in _BINARY.items():
        if math.isclose(ratio, r, rel_tol=tol) or math.isclose(ratio, 1 / r, rel_tol=tol):
            decimal = {"KiB": "kB", "MiB": "MB", "GiB": "GB", "TiB": "TB"}[name]
            return f"did you use {name} (powers of 2) where {decimal} (powers of 10) is meant?"
    return None


def check_number(
    exercise: str,
    answer: Any,
    expected: float,
    *,
    rel_tol: float = 0.02,
    hints: Mapping[float, str] | None = None,
    unit: str = "",
) -> CheckResult:
    """Compare a numeric answer with ``expected``; every numeric exercise check goes through here.

    ``hints`` maps a ratio answer/expected to the mistake that usually produces it, e.g.
    ``{0.5: "did you count both K and V?"}``. Factors of 1000 are explained as unit slips, and a
    GiB/GB mix-up as such. A negative, zero, NaN or infinite answer where a positive quantity is
    expected gets "must be a positive number of GB" (the unit at hand), never a ratio; a near miss
    says how near ("close: 4% low"); a ratio is shown only when it is informative (``how_far``).
    """
    if is_unfilled(answer):
        return not_done(exercise)
    value = _as_number(answer)
    suffix = f" {unit}" if unit else ""
    if value is None:
        return _record(exercise, INCORRECT, f"expected a number{suffix}, got {answer!r}.")
    if expected > 0 and not (math.isfinite(value) and value > 0):
        return _record(exercise, INCORRECT, f"must be {_positive_phrase(unit)}, got {answer!r}.")
    if not math.isfinite(value):
        return _record(exercise, INCORRECT, f"must be a finite number{suffix}, got {answer!r}.")
    if math.isclose(value, expected, rel_tol=rel_tol, abs_tol=1e-12):
        return _record(exercise, CORRECT, f"correct: {_fmt(value)}{suffix}.")
    if not expected or not value or (value > 0) != (expected > 0):
        return _record(exercise, INCORRECT, f"{_fmt(value)}{suffix} is not right yet"
                       f"{'; check the sign' if value and expected else ''}.")
    ratio = value / expected
    tol = max(rel_tol, 0.02)
    far = how_far(ratio, value < expected)
    for hint_ratio, hint in (hints or {}).items():
        if hint_ratio > 0 and math.isclose(ratio, hint_ratio, rel_tol=tol):
            return _record(exercise, INCORRECT, f"{_fmt(value)}{suffix} is {far}: {hint}")
    slip = _binary_prefix_slip(ratio, unit, min(tol, 0.01))
    if slip:
        return _record(exercise, INCORRECT, f"{_fmt(value)}{suffix} is {far}; {slip}")
    for power in (3, 6, 9, 12):
        for r in (10.0**power, 10.0**-power):
            if math.isclose(ratio, r, rel_tol=tol):
                return _record(exercise, INCORRECT, f"{_fmt(value)}{suffix} is {far}: check "
                               "your units (bytes vs. GB, seconds vs. milliseconds, tokens vs. millions).")
    advice = ("check the constants you used and how you rounded." if abs(ratio - 1) <= 0.1
              else "look again at each term of the formula.")
    return _record(exercise, INCORRECT, f"{_fmt(value)}{suffix} is {far}; {advice}")


def check_choice(
    exercise: str,
    answer: Any,
    expected: str,
    explanations: Mapping[str, str] | None = None,
) -> CheckResult:
    """Compare a multiple-choice answer (a string, case-insensitive) with ``expected``.

    ``explanations`` says, for each wrong choice, why it is wrong (or what it would be right for).
    """
    if is_unfilled(answer):
        return not_done(exercise)
    given = str(answer).strip().lower()
    choices = {k.lower(): v for k, v in (explanations or {}).items()}
    if given == expected.lower():
        return _record(exercise, CORRECT, f"correct: {expected}. {choices.get(given, '')}".strip())
    if given in choices:
        return _record(exercise, INCORRECT, f"not {answer!r}: {choices[given]}")
    known = sorted({expected.lower(), *choices})
    return _record(exercise, INCORRECT, f"{answer!r} is not one of the choices: {', '.join(known)}.")


def check_predicate(
    exercise: str,
    answer: Any,
    test: Callable[[Any], str | None],
    success: str,
) -> CheckResult:
    """A custom check: ``test(answer)`` returns None when right, or the message saying what is wrong."""
    if is_unfilled(answer):
        return not_done(exercise)
    try:
        problem = test(answer)
    except Exception as exc:  # a learner's odd answer must not crash the notebook
        problem = f"could not check {answer!r}: {type(exc).__name__}: {exc}"
    if problem:
        return _record(exercise, INCORRECT, problem)
    return _record(exercise, CORRECT, success)


@dataclass(frozen=True)
class Summary:
    correct: int
    total: int
    not_done: tuple[str, ...]
    incorrect: tuple[str, ...]

    def __repr__(self) -> str:
        parts = [f"{self.correct} of {self.total} exercises correct"]
        if self.incorrect:
            parts.append("to revisit: " + ", ".join(self.incorrect))
        if self.not_done:
            parts.append("not done yet: " + ", ".join(self.not_done))
        return "; ".join(parts) + "."


def summary() -> Summary:
    """How this notebook's exercises stand (the latest check of each)."""
    results = list(RESULTS.values())
    return Summary(
        correct=sum(r.passed for r in results),
        total=len(results),
        not_done=tuple(r.exercise for r in results if r.status == NOT_DONE),
        incorrect=tuple(r.exercise for r in results if r.status == INCORRECT),
    )


def reset() -> None:
    """Forget earlier results (a fresh notebook run)."""
    RESULTS.clear()
