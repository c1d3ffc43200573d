"""A small benchmark whose contamination we know, and the corpus to check it against.

The corpus is real: the Python Language Reference that every Python ships as ``pydoc_data.topics``
(79 sections, about 465,000 characters in Python 3.11), standing in for a crawl a model was trained on.
The benchmark is twelve question-answer items about Python written for this course, each labelled with
how its answer was written:

    copied       pasted from the reference, word for word (what a hurried benchmark author does)
    edited       pasted, then a few words changed every sentence or so
    paraphrased  the same fact as the reference, in new words
    original     written from scratch; the reference does not state it in these words

The labels are the ground truth an n-gram detector is measured against. Every copied passage was
checked to read the same in Python 3.10 to 3.13, so the lab gives the same answer in Colab.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

__all__ = ["PROVENANCES", "BenchmarkItem", "ITEMS", "Claim", "CLAIMS", "benchmark_texts", "reference_corpus"]

PROVENANCES = ("copied", "edited", "paraphrased", "original")


@dataclass(frozen=True)
class BenchmarkItem:
    """One question with its reference answer, how the answer was written, and the section it draws on."""

    id: str
    question: str
    answer: str
    provenance: str
    topic: str

    @property
    def text(self) -> str:
        return f"{self.question}\n{self.answer}"

    @property
    def contaminated(self) -> bool:
        """Ground truth for a verbatim-overlap detector: the answer was pasted (with or without edits)."""
        return self.provenance in ("copied", "edited")


ITEMS: tuple[BenchmarkItem, ...] = (
    BenchmarkItem(
        "pass", "What does the pass statement do?",
        'pass is a null operation — when it is executed, nothing happens. It is useful as a placeholder when '
        'a statement is required syntactically, but no code needs to be executed.',
        "copied", "pass"),
    BenchmarkItem(
        "while-break", "Inside a while loop, what do break and continue do?",
        'A "break" statement executed in the first suite terminates the loop without executing the "else" '
        'clause’s suite. A "continue" statement executed in the first suite skips the rest of the suite and '
        'goes back to testing the expression.',
        "copied", "while"),
    BenchmarkItem(
        "and", "What does the expression x and y evaluate to?",
        'The expression "x and y" first evaluates x; if x is false, its value is returned; otherwise, y is '
        'evaluated and the resulting value is returned.',
        "copied", "booleans"),
    BenchmarkItem(
        "raise", "What does a bare raise statement do?",
        'If no expressions are present, "raise" re-raises the exception that is currently being handled, '
        'which is also known as the active exception.',
        "copied", "raise"),
    BenchmarkItem(
        "try-else", "When does the else clause of a try statement run?",
        'The optional else clause runs when control leaves the try suite, no exception was raised, and '
        'no return, continue, or break statement ran. Exceptions in the else clause are not handled by '
        'the earlier except clauses.',
        "edited", "try"),
    BenchmarkItem(
        "lambda", "What is a lambda expression?",
        'Lambda expressions (sometimes called lambda forms) are used to build anonymous functions. The '
        'expression lambda parameters: expression gives back a function object.',
        "edited", "lambda"),
    BenchmarkItem(
        "del-name", "What happens when you delete a name with del?",
        'Deleting a name removes the binding of that name from the local or global namespace, depending on '
        'whether the name appears in a global statement in the same code block. If the name is unbound, a '
        'NameError exception is raised.',
        "edited", "del"),
    BenchmarkItem(
        "for-target", "What value does a for loop's variable hold after the loop ends?",
        'Whatever it was last given: the loop variable survives the loop and keeps the final item. If the '
        'iterable was empty, the loop never assigns it, so it keeps its earlier value or stays undefined.',
        "paraphrased", "for"),
    BenchmarkItem(
        "with-exit", "How can a context manager swallow an exception raised inside a with block?",
        'Its __exit__ method returns a true value. Python then treats the exception as dealt with and '
        'carries on with the first statement after the with block; a false return lets the exception '
        'propagate.',
        "paraphrased", "with"),
    BenchmarkItem(
        "sorted", "What does sorted([3, 1, 2], reverse=True) return?",
        'A new list, [3, 2, 1]; the original list is left as it was.',
        "original", "-"),
    BenchmarkItem(
        "float-eq", "What does print(0.1 + 0.2 == 0.3) print, and why?",
        'False. Binary floating point cannot hold 0.1 or 0.2 exactly, so their sum lands a hair away from '
        'the stored 0.3; compare such numbers with math.isclose instead.',
        "original", "-"),
    BenchmarkItem(
        "mutable-default", "Why can def f(items=[]) surprise the people who call f?",
        'The empty list is built once, when Python runs the def line, and every call that falls back on '
        'the default shares that one list, so an append in one call shows up in the next.',
        "original", "-"),
)


def benchmark_texts() -> dict[str, str]:
    """``{item_id: question + answer}``: what a contamination check compares with the corpus."""
    return {item.id: item.text for item in ITEMS}


@cache
def reference_corpus() -> tuple[str, ...]:
    """The Python Language Reference shipped with this Python, one string per section (79 sections)."""
    from pydoc_data.topics import topics

    return tuple(topics[name] for name in sorted(topics))


@dataclass(frozen=True)
class Claim:
    """A statement about Python, whether the reference supports it, and how a false one was made."""

    text: str
    true: bool
    kind: str  # "supported", "fabricated" (no such feature) or "distorted" (a true statement, altered)


CLAIMS: tuple[Claim, ...] = (
    Claim("The pass statement is a null operation: when it is executed, nothing happens.", True, "supported"),
    Claim("A continue statement executed in the first suite of a while loop skips the rest of the suite and "
          "goes back to testing the expression.", True, "supported"),
    Claim("If no expressions are present, raise re-raises the exception that is currently being handled.",
          True, "supported"),
    Claim("Lambda expressions are used to create anonymous functions.", True, "supported"),
    Claim("The expression x or y first evaluates x; if x is true, its value is returned.", True, "supported"),
    Claim("Names listed in a global statement must not be defined as formal parameters.", True, "supported"),
    Claim("Deletion of a name removes the binding of that name from the local or global namespace.",
          True, "supported"),
    Claim("If finally is present, it specifies a cleanup handler.", True, "supported"),
    Claim("The until statement repeats its suite until the condition becomes true.", False, "fabricated"),
    Claim("A switch statement falls through to the next case unless a break statement ends it.",
          False, "fabricated"),
    Claim("The goto statement jumps to a label defined elsewhere in the same function.", False, "fabricated"),
    Claim("Integers are limited to 64 bits and silently wrap around when they overflow.", False, "fabricated"),
    Claim("A continue statement executed in the first suite of a while loop terminates the loop without "
          "executing the else clause.", False, "distorted"),
    Claim("The expression x and y first evaluates y; if y is false, its value is returned.", False, "distorted"),
    Claim("Lambda expressions are used to create named generator functions.", False, "distorted"),
    Claim("Names listed in a global statement must be defined as formal parameters.", False, "distorted"),
)
"""Sixteen claims checked by hand against the Python 3.10-3.13 reference: eight state what it says
(in its words or nearly), four describe features Python does not have, four alter a true statement."""
