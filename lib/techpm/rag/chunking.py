"""Chunking: cut sections into the pieces that retrieval ranks and the prompt carries.

Two strategies, the two most products start with:

- ``fixed_size``: windows of ``size_chars`` characters, each overlapping the previous by
  ``overlap_chars`` so that a sentence cut at one edge is whole in the neighbour. Cuts fall on whitespace.
- ``by_heading``: split at the document's own headings (a line underlined with ``=``, ``-`` or ``*``), then
  pack paragraphs (blank-line separated) up to ``max_chars``; a paragraph longer than that falls back to
  fixed windows. Chunks follow the author's structure, so they vary in size.

A chunk never crosses a section boundary: each chunk cites exactly one section.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from techpm.errors import TechpmError
from techpm.rag.corpus import Section

_UNDERLINE = re.compile(r"^([=\-*])\1{2,}$")


@dataclass(frozen=True)
class Chunk:
    """A piece of one section: ``text`` is ``section.text[start:start + len(text)]``."""

    id: str
    section_id: str
    text: str
    start: int
    heading: str = ""


def _word_start(text: str, i: int) -> int:
    """Move ``i`` back to the start of the word it falls in."""
    while 0 < i < len(text) and not text[i - 1].isspace():
        i -= 1
    return i


def _windows(text: str, size: int, overlap: int, lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
    """(start, end) spans of at most ``size`` chars over text[lo:hi], cut at whitespace, overlapping."""
    hi = len(text) if hi is None else hi
    spans, start = [], lo
    while start < hi:
        end = min(start + size, hi)
        if end < hi:
            cut = text.rfind(" ", start + size // 2, end)
            cut = max(cut, text.rfind("\n", start + size // 2, end))
            end = cut + 1 if cut > start else end
        spans.append((start, end))
        if end >= hi:
            break
        nxt = _word_start(text, max(end - overlap, start + 1))
        start = nxt if nxt > start else end
    return spans


def fixed_size(sections: Iterable[Section], size_chars: int = 800, overlap_chars: int = 100) -> list[Chunk]:
    """Windows of at most ``size_chars`` characters overlapping by about ``overlap_chars``."""
    if isinstance(size_chars, bool) or not isinstance(size_chars, int) or size_chars < 50:
        raise TechpmError(f"size_chars must be a whole number of at least 50, got {size_chars!r}.")
    if isinstance(overlap_chars, bool) or not isinstance(overlap_chars, int) or not 0 <= overlap_chars < size_chars // 2:
        raise TechpmError(f"overlap_chars must be a whole number from 0 to half of size_chars, got {overlap_chars!r}.")
    chunks = []
    for s in sections:
        for i, (a, b) in enumerate(_windows(s.text, size_chars, overlap_chars)):
            chunks.append(Chunk(f"{s.id}#{i}", s.id, s.text[a:b], a))
    return chunks


@lru_cache(maxsize=512)
def _blocks(text: str) -> tuple[tuple[str, int, int], ...]:
    """(heading, start, end) for each headed block of a section (cached: sweeps re-chunk the same text)."""
    lines = text.splitlines(keepends=True)
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line)
    starts = [(lines[0].strip() if lines else "", 0)]
    for i in range(1, len(lines)):
        under, title = lines[i].strip(), lines[i - 1].strip()
        if _UNDERLINE.match(under) and title and len(under) == len(title) and offsets[i - 1] > 0:
            starts.append((title, offsets[i - 1]))
    ends = [s for _, s in starts[1:]] + [len(text)]
    return tuple((h, a, b) for (h, a), b in zip(starts, ends, strict=True) if text[a:b].strip())


def _paragraph_spans(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    spans, start = [], lo
    for m in re.finditer(r"\n[ \t]*\n", text[lo:hi]):
        spans.append((start, lo + m.end()))
        start = lo + m.end()
    if start < hi:
        spans.append((start, hi))
    return spans


def by_heading(sections: Iterable[Section], max_chars: int = 1500) -> list[Chunk]:
    """One chunk per headed block, packed from whole paragraphs up to ``max_chars`` characters."""
    if isinstance(max_chars, bool) or not isinstance(max_chars, int) or max_chars < 100:
        raise TechpmError(f"max_chars must be a whole number of at least 100, got {max_chars!r}.")
    chunks: list[Chunk] = []
    for s in sections:
        n = 0
        for heading, lo, hi in _blocks(s.text):
            spans: list[tuple[int, int]] = []
            for a, b in _paragraph_spans(s.text, lo, hi):
                if b - a > max_chars:
                    spans += _windows(s.text, max_chars, 0, a, b)
                elif spans and b - spans[-1][0] <= max_chars and spans[-1][1] == a:
                    spans[-1] = (spans[-1][0], b)
                else:
                    spans.append((a, b))
            for a, b in spans:
                if s.text[a:b].strip():
                    chunks.append(Chunk(f"{s.id}#{n}", s.id, s.text[a:b], a, heading))
                    n += 1
    return chunks


def chunk_corpus(sections: Iterable[Section], strategy: str = "heading", size_chars: int = 800,
                 overlap_chars: int | None = None) -> list[Chunk]:
    """Chunks by ``strategy`` ('fixed' or 'heading'); ``size_chars`` is the window or the maximum.

    ``overlap_chars`` defaults to one eighth of the size for 'fixed' windows."""
    if strategy == "fixed":
        return fixed_size(sections, size_chars, size_chars // 8 if overlap_chars is None else overlap_chars)
    if strategy == "heading":
        return by_heading(sections, size_chars)
    raise TechpmError(f"strategy must be 'fixed' or 'heading', got {strategy!r}.")
