"""Reading an answer: sentences, sections, and which sentences say something.

``Doc.read(text)`` splits a Markdown answer into sentences and sorts each into one of four kinds:

- ``substance``: it carries a number, a mechanism or a reason, or a technical term used in a clause;
- ``thin``: plain prose with no term and no number (it counts towards length only up to a quarter of
  the substantive text);
- ``list``: four or more of the rubric's terms with no number and no reason nearby (keyword stuffing);
- ``filler``: stock phrases ("it is important to note", "state-of-the-art") with nothing specific;
- ``repeat``: most of its word triples already appeared earlier in the answer.

The checks read only ``substance`` sentences, so naming a technique, repeating a paragraph or padding
with filler earns nothing, and ``Doc.substantive_words`` is the length that counts. All patterns are
linear-time, and each is run over the whole text once (``Doc.hits``), so grading stays fast on long input.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from techpm.rubric import vocab
from techpm.rubric.numbers import Quantity, quantities

__all__ = ["Doc", "blocks", "split_sentences", "find_sections", "in_order", "plain"]

_LINK = re.compile(r"\[([^\]\n]{0,300})\]\((https?://[^)\s]{1,500})\)")
_URL_IN_TEXT = re.compile(r"\s*<https?://[^>\s]{1,500}>")


def plain(text: str) -> str:
    """Markdown reduced to prose: link titles kept, URLs kept apart, emphasis and code marks dropped."""
    text = _LINK.sub(r"\1 <\2>", text)
    return re.sub(r"[*_`]+", "", text)


def blocks(text: str) -> list[str]:
    """Markdown blocks as single lines: paragraphs and list items joined across their wrapped lines;
    headings and code left out (headings are read by ``find_sections``), table rows kept as text."""
    blocks: list[str] = []
    current: list[str] = []
    in_code = False

    def flush() -> None:
        if current:
            blocks.append(" ".join(current))
            current.clear()

    for raw in text.splitlines():
        if raw.strip().startswith(("```", "~~~")):
            flush()
            in_code = not in_code
            continue
        if in_code:
            continue
        line = plain(raw).strip()
        if not line or line.startswith("#"):
            flush()
            continue
        if line.startswith("|"):
            flush()
            cells = [c.strip() for c in line.strip("|").split("|")]
            if not all(set(c) <= set("-: ") for c in cells):
                blocks.append(" ".join(c for c in cells if c))
            continue
        item = re.match(r"(?:[-+>]|\d{1,3}[.)])\s+(.*)", line)
        if item:
            flush()
            current.append(item.group(1))
        else:
            current.append(line)
    flush()
    return blocks


_SPLIT = re.compile(r"(?<=[.!?])(?<!\bal\.)(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bvs\.)(?<!\bFig\.)(?<!\bNo\.)\s+(?=[A-Z0-9\"'(])")


def split_sentences(text: str) -> list[str]:
    """Sentences of a Markdown text: paragraphs, list items and table rows split after . ! ?"""
    return [s for s, _ in _sentences_with_blocks(text)]


def _sentences_with_blocks(text: str) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    for b, block in enumerate(blocks(text)):
        out += [(p.strip(), b) for p in _SPLIT.split(block) if len(p.strip()) > 2]
    return out


_SECTION_CUES = (
    r"clarif|constraint|scop|assum|requirement|question",
    r"user|persona|customer|audience|who (?:is|are)",
    r"design|architecture|system|component|overview",
    r"deep[ -]?dive|trade[- ]?off|tradeoff|sizing",
    r"\bapi\b|developer experience|\bdx\b|interface|sdk",
    r"metric|measur|success|kpi",
)
_HEADING = re.compile(r"\s*(?:#{1,4}\s+(.{1,200})|\*\*([^*\n]{3,80})\*\*|([A-Z][A-Za-z &/-]{2,40}):\s)")


def _headings(text: str) -> list[tuple[int, int | None, bool]]:
    """(offset, section, is a Markdown heading) for each heading in order: Markdown ``#``, a bold lead-in at
    the start of a line, or a short ``Label:`` that names a section."""
    found: list[tuple[int, int | None, bool]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        m = _HEADING.match(line)
        start, pos = pos, pos + len(line)
        if not m:
            continue
        title = (m.group(1) or m.group(2) or m.group(3) or "").lower()
        number = re.match(r"\s*(\d)[.)]", title)
        if number and 1 <= int(number.group(1)) <= 6 and not m.group(3):
            found.append((start, int(number.group(1)), bool(m.group(1))))
            continue
        section = next((i + 1 for i, cue in enumerate(_SECTION_CUES) if re.search(cue, title)), None)
        if m.group(1) or section is not None:
            found.append((start, section, bool(m.group(1))))
    return found


def find_sections(text: str) -> list[int | None]:
    """For each heading in order (Markdown ``#``, a bold lead-in at the start of a line, or a short
    ``Label:`` that names a section), which of the six sections it names."""
    return [n for _, n, _ in _headings(text)]


def _opening(text: str) -> str | None:
    """The text of section 1, from its heading to the next section's heading of the same kind (a Markdown
    section 1 runs to the next Markdown heading, so bold lead-ins inside it do not cut it short)."""
    heads = _headings(text)
    for k, (_start, n, markdown) in enumerate(heads):
        if n == 1:
            end = next((p for p, m, md in heads[k + 1:] if m is not None and m > 1 and (md or not markdown)),
                       len(text))
            return text[:end]
    return None


def _spoken_sections(text: str) -> list[int | None]:
    """For a spoken-style answer: the section each paragraph opens on, read from its first eight words
    ("Scoping first: ...", "The users are ...", "The design is ...")."""
    out: list[int | None] = []
    for block in blocks(text):
        lead = " ".join(block.split()[:8]).lower()
        out.append(next((i + 1 for i, cue in enumerate(_SECTION_CUES) if re.search(cue, lead)), None))
    return out


def in_order(found: list[int | None]) -> list[int]:
    """The sections met in the method's order: the run 1, 2, ... found as an ordered subsequence."""
    got, want = [], 1
    for n in found:
        if n == want:
            got.append(n)
            want += 1
    return got


_WORDS = re.compile(r"[A-Za-z0-9][\w'$%.,/-]*")
_TOKENS = re.compile(r"[a-z0-9]+")
_STOP = frozenset("a an the and or of to in on for with by at from as is are be we our it this that these those "
                  "will would can could should its their they them you your i if then so but not no into per "
                  "each which what who how when than also more most less very has have was were been".split())
_TERMS = re.compile("|".join(f"(?:{p})" for p in vocab.ALL_TERMS))
_REASON = re.compile(vocab.REASONS)
_FILLER = re.compile(vocab.FILLER)
_SEPARATORS = re.compile(r"[,;]|\band\b|\bor\b")
_SEGMENTS = re.compile(r"[,;:]\s*|\s+(?:and|or)\s+")


def _enumeration(s: str) -> bool:
    """A sentence that is mostly an enumeration of short items ("accuracy, precision, recall, F1, ...")."""
    segments = [seg for seg in _SEGMENTS.split(s) if seg.strip()]
    short = sum(1 for seg in segments if len(seg.split()) <= 3)
    return short >= 6 and short >= 0.6 * len(segments)


def _word_start(text: str, i: int) -> bool:
    return i == 0 or not ("a" <= text[i - 1] <= "z")


#: Numbers read per answer: a pasted table is not an essay, and no score changes past this many.
MAX_NUMBERS = 3_000


def words(text: str) -> int:
    return len(_WORDS.findall(plain(text)))


@dataclass
class Doc:
    """An answer read for grading (``Doc.read``); the checks take one of these."""

    text: str
    sentences: list[str]
    lower: list[str]
    kinds: list[str]
    words: int
    substantive_words: int
    sections: list[int | None]
    opening: list[int]                 # indices of the first section's sentences
    numbers: list[list[Quantity]]      # the quantities of each sentence
    blocks: list[int]                  # the paragraph or list item each sentence belongs to
    fit: object | None = None          # a ``fit.Fit`` when the question is known
    target_words: int | None = None    # a timed, spoken-style answer of about this many words
    _joined: str = ""
    _starts: list[int] = field(default_factory=list)
    _cache: dict[str, frozenset[int]] = field(default_factory=dict)

    @classmethod
    def read(cls, text: str, fit: object | None = None, target_words: int | None = None) -> Doc:
        pairs = _sentences_with_blocks(text)
        sentences, blocks = [s for s, _ in pairs], [b for _, b in pairs]
        lower = [s.lower() for s in sentences]
        numbers, seen = [], 0
        for s in sentences:
            found = quantities(_URL_IN_TEXT.sub("", s), limit=200) if seen < MAX_NUMBERS else []
            seen += len(found)
            numbers.append(found)
        kinds = _classify(lower, numbers)
        counted = {"substance": 0, "thin": 0}
        for s, k in zip(sentences, kinds, strict=True):
            if k in counted:
                counted[k] += words(s)
        substantive = counted["substance"] + min(counted["thin"], counted["substance"] // 4)
        sections = find_sections(text)
        if target_words:                                   # spoken: parts open with words, not headings
            spoken = _spoken_sections(text)
            if len(in_order(spoken)) > len(in_order(sections)):
                sections = spoken
        n_open = max(5, len(sentences) // 5)
        opening = list(range(min(n_open, len(sentences))))
        first = _opening(text)
        if first is not None:
            opening = list(range(len(split_sentences(first)))) or opening
        joined, starts, pos = [], [], 0
        for s in lower:
            starts.append(pos)
            joined.append(s)
            pos += len(s) + 1
        return cls(text, sentences, lower, kinds, words(text), substantive, sections, opening, numbers, blocks, fit,
                   target_words, "\n".join(joined), starts)

    # --- finding things ------------------------------------------------------------------------------
    def hits(self, pattern: str) -> frozenset[int]:
        """Indices of the sentences where ``pattern`` (a lowercase regex) occurs at the start of a word:
        one pass over the text."""
        cached = self._cache.get(pattern)
        if cached is None:
            # terms start a word ("eval" is not in "retrieval"); checked after the match, because a plain
            # alternation scans much faster than one behind a look-behind
            joined = self._joined
            cached = frozenset(bisect_right(self._starts, m.start()) - 1 for m in re.finditer(pattern, joined)
                               if _word_start(joined, m.start()))
            self._cache[pattern] = cached
        return cached

    @property
    def counted(self) -> list[int]:
        """Indices of the sentences that say something (kind ``substance``)."""
        return [i for i, k in enumerate(self.kinds) if k == "substance"]

    def found(self, patterns: tuple[str, ...], within: set[int] | None = None) -> dict[str, list[int]]:
        """pattern -> the substantive sentences (or those in ``within``) where it occurs, for those found."""
        pool = set(self.counted) if within is None else within
        out = {}
        for p in patterns:
            where = sorted(self.hits(p) & pool)
            if where:
                out[p] = where
        return out

    def unit_numbers(self, i: int) -> list[Quantity]:
        return [q for q in self.numbers[i] if q.has_unit]

    def share(self, kind: str) -> float:
        """The share of the answer's sentences' words that are of ``kind``."""
        total = sum(len(s.split()) for s in self.sentences) or 1
        return sum(len(s.split()) for s, k in zip(self.sentences, self.kinds, strict=True) if k == kind) / total


def _classify(lower: list[str], numbers: list[list[Quantity]]) -> list[str]:
    seen: set[tuple[str, ...]] = set()
    kinds: list[str] = []
    for s, nums in zip(lower, numbers, strict=True):
        tokens = _TOKENS.findall(s)
        content = [t for t in tokens if t not in _STOP]
        triples = {tuple(content[k:k + 3]) for k in range(max(1, len(content) - 2))}
        repeated = sum(t in seen for t in triples)
        seen |= triples
        has_number = any(q.has_unit for q in nums) or bool(nums and len(nums) >= 2)
        matches = [m.group(0) for m in _TERMS.finditer(s) if _word_start(s, m.start())]
        terms = set(matches)
        if len(content) >= 3 and repeated >= 0.7 * len(triples):
            kinds.append("repeat")
        elif _enumeration(s):
            kinds.append("list")
        elif (len(terms) >= 4 and not has_number and not _REASON.search(s) and len(matches) >= 0.4 * len(content)
              and len(_SEPARATORS.findall(s)) >= len(terms) / 2):
            kinds.append("list")
        elif _FILLER.search(s) and not has_number and len(terms) <= 2:
            kinds.append("filler")
        elif has_number or (terms and len(content) >= 4):
            kinds.append("substance")
        else:
            kinds.append("thin")
    return kinds
