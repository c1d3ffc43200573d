"""The corpus: Python's language reference, as every Python installation ships it.

``pydoc_data.topics.topics`` maps a section id (``'with'``, ``'typesmapping'``, ...) to the plain text that
``help('with')`` shows; it needs no download, in Colab too. Python 3.11 ships 79 sections and about
465,000 characters; other versions differ slightly, which is why every number in the lesson is computed
from the corpus at run time. Some sections contain others (``compound`` holds ``if``, ``for``, ``with``...),
as real documentation sets do.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Section:
    """One section of the reference: its id (the key in ``pydoc_data.topics``), title and text."""

    id: str
    title: str
    text: str


@cache
def load_sections() -> tuple[Section, ...]:
    """Every section of the running Python's language reference, sorted by id."""
    from pydoc_data.topics import topics

    return tuple(Section(key, topics[key].strip().splitlines()[0].strip(), topics[key]) for key in sorted(topics))


def section_index(sections: tuple[Section, ...] | None = None) -> dict[str, Section]:
    """The sections by id."""
    return {s.id: s for s in (sections if sections is not None else load_sections())}


def corpus_chars(sections: tuple[Section, ...] | None = None) -> int:
    """Total characters in the corpus."""
    return sum(len(s.text) for s in (sections if sections is not None else load_sections()))
