"""The framework generator: a six-section answer to a technical AI product question.

    answer = techpm.generate("Design a RAG system for a law firm's contracts")

Backends: ``"claude"`` (the Anthropic API: web research, the course's calculators as tools) and
``"offline"`` (deterministic templates filled by the calculators). ``"auto"`` uses Claude when a key is
found and ``techpm.configure(offline=True)`` was not set, and falls back to the offline answer, with a
one-line notice of why, on any API failure. Heavy modules (the SDK) load only when Claude is used.
"""

from __future__ import annotations

from techpm.generator.answer import Answer, Citation, Section, Usage

__all__ = ["Answer", "Citation", "Section", "Usage", "generate"]


def generate(question: str, *, backend: str = "auto", model: str | None = None,
             max_cost_usd: float | None = None, stream: bool = True) -> Answer:
    """The six-section answer to ``question`` (placeholder dispatch; see the full version below)."""
    from techpm.generator import offline

    return offline.answer(question)
