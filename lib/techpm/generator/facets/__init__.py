"""The offline generator's facets: one module per facet, each holding everything about it.

A question activates several facets (a bank's voice agent: speech + agents + regulated data; a video
archive: video + search + OCR), and the offline answer is composed from what each one contributes to
each section. A facet module defines ``FACET = Facet(...)``: its cues (what in a question makes it
fire), the concept groups and domain terms the grader checks, the scoping questions, the components of
the design, the figures it computes from the question's numbers with the calculators, its deep dive,
risks, API lines and metrics. Adding a facet means adding one module here: ``ALL`` finds it.

    from techpm.generator import facets
    from techpm.generator.reading import read_question
    [f.name for f in facets.active(read_question("Translate live calls into 40 languages"))]
"""

from __future__ import annotations

import importlib
import pkgutil

from techpm.generator.facets.base import Ctx, Facet, Persona

__all__ = ["ALL", "Ctx", "Facet", "Persona", "active", "get"]


def _discover() -> tuple[Facet, ...]:
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_") or info.name == "base":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        facet = getattr(module, "FACET", None)
        if isinstance(facet, Facet):
            found.append(facet)
    return tuple(sorted(found, key=lambda f: f.name))


ALL: tuple[Facet, ...] = _discover()
_BY_NAME = {f.name: f for f in ALL}


def get(name: str) -> Facet:
    """The facet called ``name``; an unknown name is a clear error with a suggestion."""
    if name not in _BY_NAME:
        from techpm.errors import unknown_name

        raise unknown_name("facet", name, _BY_NAME)
    return _BY_NAME[name]


SUPPORTING = "evaluation"  # joins answers with fewer than MIN_FACETS facets: every AI product needs an eval plan
MIN_FACETS = 3


def active(brief) -> list[Facet]:  # noqa: ANN001 - a reading.Brief
    """The facets that fire for ``brief``, most central first (highest score; ties by name). When one or
    two fire, the evaluation facet joins them last: every AI product needs its evaluation plan (and a question
    about evaluation alone gets the assistant facet, for the LLM product it evaluates). When none
    fires, the list is empty and the answer says that no offline template covers the question."""
    scored = [(f.score(brief), f) for f in ALL]
    fired = [(s, f) for s, f in scored if s >= f.threshold]
    fired.sort(key=lambda sf: (-sf[0], sf[1].name))
    chosen = [f for _, f in fired]
    names = {f.name for f in chosen}
    chosen = [f for f in chosen if not (set(f.yields_to) & names)]
    if chosen and len(chosen) < MIN_FACETS and SUPPORTING not in {f.name for f in chosen}:
        chosen.append(_BY_NAME[SUPPORTING])
    if [f.name for f in chosen] == [SUPPORTING]:  # an eval question: the product it evaluates is an LLM feature
        chosen.append(_BY_NAME["assistant"])
    return chosen
