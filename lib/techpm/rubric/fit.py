"""Does the answer address *this* question? The question read, and the answer checked against it.

The question is read by the same reader the offline generator uses (``techpm.generator.reading``: its
stated quantities, and the facets it activates, ``techpm.generator.facets``). Four measurements:

- **terms**: the share of the question's own content words ("contracts", "speech", "travel") the answer
  uses anywhere;
- **numbers**: the share of the quantities the question states that the answer uses, in any written form
  ("200,000", "200k");
- **concepts**: the share of the active facets' concept groups that the answer's substantive sentences
  cover (a group is covered when any of its phrases appears);
- **leftovers**: other domains' terms (from facets the question does not activate) the answer carries.

``Fit.score`` is the weighted mean of the available shares (words 0.5, numbers 0.3, concepts 0.2: the
question's own words and numbers tell one question from another in the same domain, the facets' concepts
are shared across it), less 0.25 for each other domain with two or more
leftover terms and 0.3 more when one other domain's terms outnumber the question's own domains' (the answer
is about something else); ``Fit.verdict`` is ``"on"`` (0.45 and above), ``"off"`` (below 0.35 with another domain's
terms or under a quarter of the question's words) or ``"partial"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Fit", "read_fit", "question_from_text"]

_STOP = frozenset("""a an the and or of to in on for with by at from as is are be we our it this that these those
will would can could should its their they them you your i if then so but not no into per each which what who
how when than also more most less very has have was were been do does did design build built building make
system systems answer question ai llm model models use using based about around over under new must need needs
handle handles handling want wants give gives one two three four five six seven eight nine ten up out
platform product feature service tool way approach good best well""".split())
_WORD = re.compile(r"[a-z][a-z'-]{2,}")


@dataclass
class Fit:
    """How well an answer fits a question: the shares found and what is missing, for the advice."""

    question: str
    terms_share: float | None
    numbers_share: float | None
    concepts_share: float | None
    leftovers: dict[str, list[str]]          # facet name -> its terms found in the answer
    missing_terms: list[str] = field(default_factory=list)
    missing_numbers: list[str] = field(default_factory=list)
    missing_concepts: list[str] = field(default_factory=list)   # the first phrase of each uncovered group
    users: tuple[str, ...] = ()
    users_named: bool = True
    facets: tuple[str, ...] = ()
    facet_groups: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    dominated_by: str | None = None    # another domain whose terms outnumber the question's own domains'

    @property
    def score(self) -> float:
        weighted = [(s, w) for s, w in ((self.terms_share, 0.5), (self.numbers_share, 0.3), (self.concepts_share, 0.2))
                    if s is not None]
        base = sum(s * w for s, w in weighted) / sum(w for _, w in weighted) if weighted else 1.0
        other_domains = sum(1 for terms in self.leftovers.values() if len(terms) >= 2)
        return max(0.0, base - 0.25 * other_domains - (0.3 if self.dominated_by else 0.0))

    @property
    def verdict(self) -> str:
        """``"off"`` needs a low score *and* a sign of another problem: another domain's terms, or little of
        the question's own vocabulary (a thin answer to the right question is ``"partial"``, not off)."""
        s = self.score
        if s >= 0.45:
            return "on"
        elsewhere = bool(self.dominated_by) or any(len(t) >= 2 for t in self.leftovers.values()) \
            or (self.terms_share or 0) < 0.25
        return "off" if s < 0.35 and elsewhere else "partial"

    def summary(self) -> str:
        parts = []
        if self.terms_share is not None:
            parts.append(f"{self.terms_share:.0%} of the question's own words")
        if self.numbers_share is not None:
            parts.append(f"{self.numbers_share:.0%} of its stated numbers")
        if self.concepts_share is not None:
            parts.append(f"{self.concepts_share:.0%} of the concepts its facets need")
        text = "uses " + ", ".join(parts) if parts else "nothing to compare"
        if self.dominated_by:
            text += f"; written mostly about {self.dominated_by}, which this question does not ask for"
        if self.leftovers:
            text += "; carries other domains' terms (" + "; ".join(
                f"{name}: {', '.join(terms[:3])}" for name, terms in self.leftovers.items()) + ")"
        return f"Fit to the question: {self.score:.0%} ({text})."

    def gaps(self) -> str:
        """One phrase naming what the answer leaves out of this question."""
        bits = []
        if self.missing_numbers:
            bits.append("the stated " + ", ".join(self.missing_numbers[:3]))
        if self.missing_concepts:
            bits.append(", ".join(self.missing_concepts[:4]))
        if self.missing_terms and not bits:
            bits.append("the question's " + ", ".join(f'"{t}"' for t in self.missing_terms[:4]))
        return "; ".join(bits)


def question_from_text(text: str) -> str | None:
    """The question an answer names: a ``Question:`` line, or else its Markdown title (``# ...``)."""
    for line in text.splitlines()[:40]:
        m = re.match(r"\s*(?:\*\*)?question(?:\*\*)?\s*:\s*(?:\*\*)?\s*(.{8,500})", line, re.I)
        if m:
            return m.group(1).strip(" *")
    for line in text.splitlines()[:10]:
        m = re.match(r"#\s+(.{8,500})", line)
        if m:
            return m.group(1).strip()
    return None


def _read_question(question: str):  # type: ignore[no-untyped-def]
    """The generator's reading of the question: the brief, its active facets, and the others."""
    from techpm.generator import facets, reading

    brief = reading.read_question(question)
    active = list(facets.active(brief))
    names = {f.name for f in active}
    return brief, active, [f for f in facets.ALL if f.name not in names]


def read_fit(question: str, answer_text: str, substantive_text: str) -> Fit:
    """Read ``question`` and measure how ``answer_text`` fits it (``substantive_text``: the sentences that
    say something, where concepts must appear)."""
    from techpm.generator.reading import number_forms

    lower = answer_text.lower()
    body = substantive_text.lower()
    qwords = list(dict.fromkeys(_stem(w) for w in _WORD.findall(question.lower()) if w not in _STOP))
    qwords = [w for w in qwords if len(w) >= 3 and w not in _STOP]
    used = [w for w in qwords if re.search(r"(?<![a-z])" + re.escape(w), lower)]
    terms_share = len(used) / len(qwords) if qwords else None

    brief, active, inactive = _read_question(question)
    stated = [(q, set(number_forms(q))) for q in brief.quantities]
    users = tuple(brief.users)
    missing_numbers = [q.text for q, forms in stated if not any(_has_quantity(lower, f, q.unit) for f in forms)]
    numbers_share = 1 - len(missing_numbers) / len(stated) if stated else None

    groups = [g for f in active for g in f.concept_groups]
    missing_concepts = [g[0] for g in groups if not any(_has_phrase(body, p) for p in g)]
    concepts_share = 1 - len(missing_concepts) / len(groups) if groups else None
    own = {t.lower() for f in active for t in f.domain_terms} | {p for g in groups for p in g}
    leftovers: dict[str, list[str]] = {}
    for f in inactive:
        found = [t for t in f.domain_terms if t.lower() not in own and _has_phrase(lower, t.lower())]
        if found:
            leftovers[f.name] = found
    own_terms = max((sum(_has_phrase(lower, t.lower()) for t in f.domain_terms) for f in active), default=0)
    dominant = max(leftovers, key=lambda n: len(leftovers[n]), default=None)
    elsewhere = dominant if dominant and len(leftovers[dominant]) >= max(3, own_terms + 2) else None
    users_named = not users or any(_has_phrase(lower, u.lower()[:6]) for u in users)
    return Fit(question, terms_share, numbers_share, concepts_share, leftovers,
               [w for w in qwords if w not in used], missing_numbers, missing_concepts, users, users_named,
               tuple(f.name for f in active), {f.name: tuple(f.concept_groups) for f in active}, elsewhere)


def _stem(word: str) -> str:
    """A word's stem for matching its other forms: "contracts" -> "contract", "firm's" -> "firm",
    "employees" -> "employee", "booking" -> "book" (a prefix match then finds "contractual", "booked")."""
    word = word.strip("'-").removesuffix("'s")
    for suffix in ("ies", "ing", "es", "ed", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def _has_phrase(text: str, phrase: str) -> bool:
    return bool(phrase) and phrase in text and re.search(r"(?<![a-z])" + re.escape(phrase), text) is not None


def _has_quantity(text: str, form: str, unit: str) -> bool:
    """``form`` written in ``text``: with its unit noun within a few words after it when the form is a bare
    number ("50,000 developers", not an incidental "50,000"), as written when it carries its unit ("700 ms")."""
    if not _has_number(text, form):
        return False
    noun = re.split(r"[/ ]", unit.lower())[0]
    if re.search(r"[a-z$%]", form.lower()) or not re.fullmatch(r"[a-z]{3,}", noun or "-"):
        return True
    stem = _stem(noun)[:6]
    pattern = r"(?<![\d.,])" + re.escape(form.lower()) + r"(?![\d])[^.\n]{0,40}?" + re.escape(stem)
    return re.search(pattern, text) is not None


def _has_number(text: str, form: str) -> bool:
    return bool(form) and form.lower() in text and re.search(r"(?<![\d.,])" + re.escape(form.lower()) + r"(?![\d])", text) is not None
