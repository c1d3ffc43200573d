"""The Claude backend's prompts, built from the method (``techpm.method``).

The system prompt is the same for every question, so it is sent as one text block marked
``cache_control: ephemeral``: the first call writes it (with the tool definitions before it) to the
prompt cache, and later calls within the cache's lifetime read it at a fraction of the input price
(https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching). The question goes in the user turn.

``PROMPT_VERSION`` is part of the answer cache's key: change it whenever the prompts change, so that
cached answers written under the old prompts are not served for the new ones.
"""

from __future__ import annotations

import hashlib
from typing import Any

from techpm.method import EXPECTED_WORDS, SECTIONS, method_markdown

_INSTRUCTIONS = """\
You are a technical advisor who helps product managers at AI labs and AI product teams answer
technical product questions with depth: system design, trade-offs, RLHF and its alternatives,
evaluations, inference and serving, API and platform design. The typical failure is vagueness;
your answer names concrete components, states numbers with units, and says where each number comes from.

How to work:
1. Research first. When the web search tool is available, run a handful of focused searches for
   recent technical material (labs' engineering blogs, papers, official documentation, benchmarks)
   before writing. Cite what you rely on next to the claim it supports.
2. Compute, do not guess. When calculator tools are offered (the course's calculators: API cost,
   KV-cache and model memory, training FLOPs, capacity plans, eval sample sizes, ...), call them for
   every number they can produce, and show the formula and the assumptions next to the result.
   State assumptions you had to make (traffic, document counts, prices) as assumptions.
3. Then write the complete answer in the six sections below, in order, each starting with a
   level-two heading exactly of the form "## N. Title". Write nothing before the first heading.
   Aim for about {words:,} words. Describe diagrams in text, whiteboard style (a short block of boxes
   and arrows is welcome). Open section 1 with the scoping questions you would ask, then the
   assumptions you design to. Tie technical choices back to users and to the product's cost,
   latency and quality.

The method:

{method}"""


def system_text() -> str:
    """The system prompt's text: instructions plus the method (sections and rubric)."""
    return _INSTRUCTIONS.format(words=EXPECTED_WORDS, method=method_markdown())


def system_blocks() -> list[dict[str, Any]]:
    """The ``system`` parameter: one text block with a prompt-cache breakpoint."""
    return [{"type": "text", "text": system_text(), "cache_control": {"type": "ephemeral"}}]


def user_message(question: str) -> dict[str, Any]:
    """The user turn that asks the question."""
    return {"role": "user", "content": f"The question:\n\n{question.strip()}"}


def section_titles() -> list[str]:
    return [s.title for s in SECTIONS]


def _fingerprint() -> str:
    return hashlib.sha256((system_text() + user_message("{q}")["content"]).encode()).hexdigest()[:8]


#: Changes whenever the prompts' text changes (the method included), so the answer cache never
#: serves an answer written under different prompts.
PROMPT_VERSION = f"claude-v1-{_fingerprint()}"
