"""What a facet is (``Facet``), the user layer it can add (``Persona``), and the context its figures are
computed in (``Ctx``).

Text fields hold two kinds of placeholder, filled when the answer is written: ``<<name>>`` for a value
of the question (``<<product>>``, ``<<users>>``, ``<<items>>``, or one a figure function set in
``ctx.values``) and ``[[key]]`` for an inline link to a source in ``references.py``. Numbers are never
typed in a facet's text: they come from its ``figures`` function, which calls the calculators with the
question's quantities (``ctx.take``) or with a stated assumption (``ctx.assume``), so section 1 can say
which is which.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from techpm.generator.figures import Figure, Figures
    from techpm.generator.reading import Brief, Quantity

__all__ = ["Assumption", "Ctx", "Facet", "Persona"]


@dataclass(frozen=True)
class Persona:
    """A user layer a facet adds to section 2 (``layer`` is "developer" or "end user")."""

    layer: str
    name: str
    today: str
    sophistication: str
    frustrations: str
    needs: str


@dataclass(frozen=True)
class Facet:
    """Everything about one facet of a question (see the package docstring).

    cues: (regex on the lower-cased question, weight); ``boost`` adds a score read from the brief
    (modalities, deployment, roles of the stated quantities); the facet fires at ``threshold``.
    ``yields_to``: facet names that, when they also fire, replace this one.
    concept_groups: each a tuple of lower-case synonym phrases; an answer covers a group if it contains any.
    domain_terms: phrases that belong to this facet's domain only (leftovers when it did not fire).
    tradeoffs: the decisions section 4 weighs, each with the choice made and when the alternative wins.
    """

    name: str
    title: str
    cues: tuple[tuple[str, float], ...] = ()
    boost: Callable[[Brief], float] | None = None
    threshold: float = 3.0
    yields_to: tuple[str, ...] = ()
    concept_groups: tuple[tuple[str, ...], ...] = ()
    domain_terms: tuple[str, ...] = ()
    scoping: tuple[str, ...] = ()
    personas: tuple[Persona, ...] = ()
    stages: tuple[str, ...] = ()
    components: tuple[tuple[str, str], ...] = ()
    figures: Callable[[Ctx], None] | None = None
    deep_dive: tuple[str, str] | None = None
    risks: tuple[tuple[str, str], ...] = ()
    api: tuple[str, ...] = ()
    api_notes: str = ""
    metrics: tuple[tuple[str, str, str], ...] = ()
    recommendation: str = ""
    tradeoffs: tuple[tuple[str, str, str], ...] = ()  # (decision, the choice made here, the alternative and when it wins)
    users_noun: str = ""   # who the end users are when the question names nobody ("callers")
    item_noun: str = ""    # the unit of work when the question names none ("calls", "questions")

    def score(self, brief: Brief) -> float:
        """How strongly ``brief`` calls for this facet: matched cue weights plus the brief's boost."""
        from techpm.generator.reading import CUE_CHARS

        low = brief.question[:CUE_CHARS].lower()
        total = sum(weight for pattern, weight in self.cues if re.search(pattern, low))
        if self.boost is not None:
            total += self.boost(brief)
        return total


@dataclass(frozen=True)
class Assumption:
    """A number the design uses that the question did not state, and why it was chosen."""

    what: str
    shown: str
    basis: str


@dataclass
class Ctx:
    """What facets compute in: the brief, the figures so far, text values, and which stated
    quantities were used (each figure says which it used, so none is left out)."""

    brief: Brief
    figures: Figures
    values: dict[str, str] = field(default_factory=dict)
    notes: dict[str, Any] = field(default_factory=dict)
    used: list[Quantity] = field(default_factory=list)
    assumptions: list[Assumption] = field(default_factory=list)
    scale: Any = None  # facets._calc.Scale, set before any facet computes

    def take(self, *roles: str) -> Quantity | None:
        """The first stated quantity with one of ``roles`` (marked used), or None."""
        q = self.brief.first(*roles)
        if q is not None and q not in self.used:
            self.used.append(q)
        return q

    def take_all(self, *roles: str) -> list[Quantity]:
        qs = self.brief.all(*roles)
        for q in qs:
            if q not in self.used:
                self.used.append(q)
        return qs

    def assume(self, what: str, value: float, shown: str, basis: str) -> float:
        """Record an assumption (listed in section 1 so it can be challenged) and return ``value``."""
        if not any(a.what == what for a in self.assumptions):
            self.assumptions.append(Assumption(what, shown, basis))
        return value

    def add(self, key: str, label: str, value: float, shown: str, formula: str, calculator: str,
            assumptions: str = "", uses: tuple[Quantity | None, ...] = ()) -> Figure:
        """A computed figure; ``uses`` names the stated quantities it was computed from."""
        from techpm.generator.reading import mentions

        for q in uses:
            if q is None:
                continue
            if q not in self.used:
                self.used.append(q)
            if not mentions(f"{label} {shown} {formula} {assumptions}", q):
                assumptions = f"{assumptions}; from the stated \"{q.text}\"" if assumptions else \
                    f"from the stated \"{q.text}\""
        if key in self.figures:
            key = f"{key}_{len(self.figures.items)}"
        return self.figures.add(key, label, value, shown, formula, calculator, assumptions)
