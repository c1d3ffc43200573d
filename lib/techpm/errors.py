"""The course's error types: each says what was wrong and what to do, in one sentence."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class TechpmError(ValueError):
    """Bad input to a course function. A ``ValueError``, so ``except ValueError`` catches it too."""


class TableError(TechpmError):
    """A data table in ``techpm/data`` is malformed."""


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """A ' Did you mean ...?' hint for an unknown name, or '' when nothing is close."""
    close = difflib.get_close_matches(name.lower(), list(choices), n=3, cutoff=0.5)
    return f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


def unknown_name(kind: str, name: str, choices: Iterable[str]) -> TechpmError:
    """The error for a name that is not in a table, with a suggestion and the full list."""
    choices = sorted(choices)
    return TechpmError(
        f"Unknown {kind} {name!r}.{did_you_mean(name, choices)} Known: {', '.join(choices)}."
    )
