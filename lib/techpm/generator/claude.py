"""The Claude backend: the six-section answer from the Anthropic API, researched, computed and costed.

One answer is a short conversation with the Messages API:

1. the system prompt (the method, ``prompts.py``) marked for prompt caching, the question, and the tools:
   Anthropic's server-side web search (at most ``SETTINGS.max_searches`` searches across all rounds of
   one answer) and the course's calculators (``tools.py``); the request's top-level ``cache_control``
   also caches the growing conversation, so later rounds read earlier search results at the cache price;
2. before the first paid request, its cost is estimated (``messages.count_tokens`` for the input, plus
   ``max_tokens`` of output and the search fees) and refused above ``max_cost_usd``; before every later
   round the worst case of that round (its prompt, ``max_tokens``, the searches still allowed) must fit too;
3. while Claude answers, the text streams to the screen; when it stops to call a calculator the tool
   runs here and its result goes back (at most ``MAX_TOOL_ROUNDS`` rounds);
4. every response's ``usage`` (cache writes and reads included) is priced with ``techpm.calc.api_cost_usd``,
   and what the cache reads saved is shown; an answer with fewer searches than ``SETTINGS.min_searches`` or
   no citations says so.

Extended thinking (``SETTINGS.thinking_budget_tokens``) and the effort setting (``SETTINGS.effort``) are
offered for deep answers; both are off by default because thinking tokens are output tokens, which raises
the worst case (``model_costs`` shows by how much, per model).

Failures become one clear sentence (``ClaudeError``): a missing or rejected key, rate limits and
overload after the SDK's own retries with backoff (which honour ``retry-after``), no network. An account
without web search gets the answer without research. The API key goes to the SDK and nowhere else:
every message that leaves this module passes through ``techpm.keys.redact``.

The client, its errors, the cost of a request and the conversation loop are ``client.py``'s, shared with
``ask`` and ``judge`` and every lab that calls Claude; this module is the six-section answer built on them.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from techpm.generator.answer import Answer, LiveDisplay, Section, Usage, format_usd
from techpm.generator.client import (
    MAX_TOOL_ROUNDS,
    WEB_SEARCH_TOOL_TYPES,
    WEB_SEARCH_USD_PER_SEARCH,
    Conversation,
    Estimate,
    check_budget,
    client,
    converse,
    estimate,
    request_cost_usd,
)

log = logging.getLogger(__name__)

#: The method asks for "about five to ten searches" before answering (the default of ``SETTINGS.max_searches``).
WEB_SEARCH_MAX_USES = 8
#: Room for a ~2,500-word answer (about 1.3 tokens per English word) plus tool calls.
ANSWER_MAX_TOKENS = 8_000


def planning_estimate(question: str = "Design a RAG system for a law firm's contracts", model: str | None = None,
                      *, web_search: bool = True, thinking_budget_tokens: int | None = None) -> Estimate:
    """The worst case of one answer's first request, without calling the API (no key needed): the
    prompt's tokens estimated from its length (``calc.text_tokens_estimate``, characters / 4), plus
    ``ANSWER_MAX_TOKENS`` of output (plus any thinking budget) and every allowed search (``SETTINGS.max_searches``).
    ``generate`` counts exactly instead."""
    import json

    from techpm.calc import text_tokens_estimate
    from techpm.config import SETTINGS

    model = model or SETTINGS.claude_model
    system, messages, tools = answer_request(question, model, web_search=web_search)
    counted = [t for t in tools if not str(t.get("type", "")).startswith("web_search")]
    input_tokens = text_tokens_estimate(json.dumps(system) + json.dumps(messages) + json.dumps(counted))
    searches = SETTINGS.max_searches if web_search else 0
    max_tokens = answer_max_tokens(thinking_budget_tokens)
    usd = request_cost_usd(model, Usage(input_tokens=input_tokens, output_tokens=max_tokens,
                                        web_search_requests=searches))
    return Estimate(model, input_tokens, max_tokens, searches, usd, counted=False)


def answer_max_tokens(thinking_budget_tokens: int | None = None) -> int:
    """``max_tokens`` of one answer's request: the answer's room plus the thinking budget (thinking
    tokens count toward ``max_tokens`` and are billed as output)."""
    return ANSWER_MAX_TOKENS + (thinking_budget_tokens or 0)


def answer_options(thinking_budget_tokens: int | None = None, effort: str | None = None) -> dict[str, Any]:
    """The request's ``thinking`` and ``output_config`` parameters for the settings (empty when both are off)."""
    extra: dict[str, Any] = {}
    if thinking_budget_tokens:
        extra["thinking"] = {"type": "enabled", "budget_tokens": int(thinking_budget_tokens)}
    if effort:
        extra["output_config"] = {"effort": effort}
    return extra


#: The extended-thinking budget the course offers for deep answers (``configure(thinking_budget_tokens=...)``):
#: twice the answer's own room. Thinking tokens are billed as output and count toward ``max_tokens``
#: (https://platform.claude.com/docs/en/build-with-claude/extended-thinking).
DEEP_THINKING_BUDGET_TOKENS = 16_000


def answer_worst_case_usd(model: str, question: str = "Design a RAG system for a law firm's contracts", *,
                          thinking_budget_tokens: int | None = None, rounds: int | None = None,
                          max_searches: int | None = None) -> float:
    """The most one whole answer can cost without a cap: every round (``MAX_TOOL_ROUNDS`` + 1) writes
    its full ``max_tokens`` and re-sends everything before it, and every allowed search runs.

        sum over rounds k = 0..R-1 of price(input_0 + k * max_tokens in, max_tokens out) + searches * fee

    ``input_0`` is the prompt estimated from its length (``planning_estimate``); each round is priced
    on its own, so a round whose prompt passes a long-context threshold pays that tier."""
    from techpm.config import SETTINGS

    rounds = MAX_TOOL_ROUNDS + 1 if rounds is None else rounds
    searches = SETTINGS.max_searches if max_searches is None else max_searches
    first = planning_estimate(question, model)
    max_tokens = answer_max_tokens(thinking_budget_tokens)
    tokens_usd = sum(request_cost_usd(model, Usage(input_tokens=first.input_tokens + k * max_tokens,
                                                   output_tokens=max_tokens)) for k in range(rounds))
    return tokens_usd + searches * WEB_SEARCH_USD_PER_SEARCH


@dataclass(frozen=True)
class ModelCost:
    """What the worked example can cost at most on one model: its first request, the whole answer, and
    the whole answer with extended thinking (``DEEP_THINKING_BUDGET_TOKENS``), against the default cap."""

    model: str
    first_request_usd: float
    answer_usd: float
    answer_with_thinking_usd: float
    cap_usd: float

    @property
    def fits_cap(self) -> bool:
        return self.answer_usd <= self.cap_usd

    @property
    def thinking_fits_cap(self) -> bool:
        return self.answer_with_thinking_usd <= self.cap_usd


CURRENT_TIERS = ("claude-haiku-5-5", "claude-sonnet-5-5", "claude-opus-5-5")


def model_costs(models: Iterable[str] | None = None, question: str = "Design a RAG system for a law firm's contracts",
                *, thinking_budget_tokens: int = DEEP_THINKING_BUDGET_TOKENS) -> list[ModelCost]:
    """The worked example's worst cases on each model (the current Haiku, Sonnet and Opus by default),
    measured from the price table; no API call, no key."""
    from techpm.config import DEFAULT_MAX_COST_USD

    out = []
    for model in models or CURRENT_TIERS:
        out.append(ModelCost(model, planning_estimate(question, model).usd, answer_worst_case_usd(model, question),
                             answer_worst_case_usd(model, question, thinking_budget_tokens=thinking_budget_tokens),
                             DEFAULT_MAX_COST_USD))
    return out


def default_model_choice(costs: list[ModelCost]) -> str:
    """The cheapest model whose whole-answer worst case fits under the default cap (else the cheapest)."""
    fitting = [c for c in costs if c.fits_cap] or costs
    return min(fitting, key=lambda c: c.answer_usd).model


def thinking_on_by_default(costs: list[ModelCost], model: str) -> bool:
    """Extended thinking is on by default only if it keeps ``model``'s whole-answer worst case under the cap."""
    return next(c for c in costs if c.model == model).thinking_fits_cap


def model_costs_markdown(costs: list[ModelCost]) -> str:
    """``model_costs`` as a Markdown table, why the default is what it is, and the prices' date."""
    from techpm.config import DEFAULT_CLAUDE_MODEL
    from techpm.lifecycle import prices_as_of

    cap = format_usd(costs[0].cap_usd)
    lines = ["| model | first request, at most | whole answer, at most | with extended thinking | "
             f"whole answer under the {cap} cap? |", "|---|---:|---:|---:|---|"]
    for c in costs:
        lines.append(f"| {c.model} | {format_usd(c.first_request_usd)} | {format_usd(c.answer_usd)} | "
                     f"{format_usd(c.answer_with_thinking_usd)} | {'yes' if c.fits_cap else 'no'} "
                     f"({'yes' if c.thinking_fits_cap else 'no'} with thinking) |")
    best = default_model_choice(costs)
    chosen = next(c for c in costs if c.model == best)
    others = [c for c in costs if c.model != best]
    why = (f"**Why the default is {best}.** It is the cheapest model whose whole answer fits under the default "
           f"cap of {cap} even in the worst case ({format_usd(chosen.answer_usd)})")
    if others:
        why += "; " + ", ".join(f"{c.model} could cost {c.answer_usd / chosen.answer_usd:.0f}x as much"
                                for c in others)
        why += ", so the cap would stop them before a long answer is finished"
    thinking = thinking_on_by_default(costs, best)
    why += (f". Extended thinking ({DEEP_THINKING_BUDGET_TOKENS:,} tokens a round) is "
            + ("on" if thinking else "off") + " by default: it raises that worst case to "
            f"{format_usd(chosen.answer_with_thinking_usd)}, " + ("within" if thinking else "above")
            + " the cap. Turn it on for a deep answer with techpm.configure(thinking_budget_tokens=...).")
    if best != DEFAULT_CLAUDE_MODEL:
        why += f" (The course's configured default is {DEFAULT_CLAUDE_MODEL}: the table has changed; update it.)"
    return "\n".join(lines) + "\n\n" + why + "\n\n*" + prices_as_of(*(c.model for c in costs)) + "*\n"


_HEADING = re.compile(r"^#{1,3}[ \t]*(?:Section[ \t]+)?([1-6])[.:)]?[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


def split_sections(text: str) -> list[Section]:
    """The six sections from Markdown that uses '## N. Title' headings (text before the first is dropped).
    A section Claude did not write is kept, saying so, so the answer always has all six in order."""
    from techpm.method import SECTIONS

    found: dict[int, Section] = {}
    matches = list(_HEADING.finditer(text))
    for i, match in enumerate(matches):
        number = int(match.group(1))
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        body = text[match.end():end].strip()
        if number in found:  # a repeated number continues the section
            found[number].markdown += "\n\n" + body
        else:
            found[number] = Section(number, match.group(2).strip(), body)
    return [found.get(s.number) or Section(s.number, s.title, "*(Claude did not write this section.)*")
            for s in SECTIONS]


# --------------------------------------------------------------------------------------------------
# The web search tool and the research the method asks for
# --------------------------------------------------------------------------------------------------

def web_search_tool(tool_type: str = WEB_SEARCH_TOOL_TYPES[0], max_uses: int = WEB_SEARCH_MAX_USES) -> dict[str, Any]:
    return {"type": tool_type, "name": "web_search", "max_uses": max_uses}


def research_shortfall(searches: int, citations: int, min_searches: int) -> str | None:
    """What the answer's research lacks against the method (at least ``min_searches`` searches, inline
    citations), in a few words, or None."""
    lacks = []
    if searches < min_searches:
        lacks.append(f"{searches} web search{'es' if searches != 1 else ''}, fewer than the {min_searches} "
                     "the method asks for")
    if citations == 0:
        lacks.append("no citations")
    return "under-researched: " + " and ".join(lacks) if lacks else None


# --------------------------------------------------------------------------------------------------
# The six-section answer
# --------------------------------------------------------------------------------------------------

def answer_request(question: str, model: str, *, web_search: bool = True, calculators: bool = True,
                   max_searches: int | None = None) -> tuple[Any, list[dict[str, Any]], list[dict[str, Any]]]:
    """(system, messages, tools) for one question (web search allows ``max_searches``, default the setting)."""
    from techpm.config import SETTINGS
    from techpm.generator import prompts
    from techpm.generator import tools as calc_tools

    tools: list[dict[str, Any]] = []
    if web_search:
        tools.append(web_search_tool(max_uses=SETTINGS.max_searches if max_searches is None else max_searches))
    if calculators:
        tools.extend(calc_tools.tool_definitions())
    return prompts.system_blocks(), [prompts.user_message(question)], tools


def answer_from(question: str, conv: Conversation, *, estimate_usd: float | None = None,
                min_searches: int | None = None) -> Answer:
    """The ``Answer`` for a finished conversation: its notice gathers what the reader must know (notes,
    a research shortfall when web search was offered, a length limit, a ``pause_turn``)."""
    from techpm.config import SETTINGS
    from techpm.generator.cache import safe_markdown

    min_searches = SETTINGS.min_searches if min_searches is None else min_searches
    notes = list(conv.notes)
    research = None
    if conv.web_search_offered:
        research = research_shortfall(conv.searches, len(conv.transcript.citations), min_searches)
        if research:
            notes.append(f"the answer is {research}: check its claims before relying on them")
    if conv.stop_reason == "pause_turn" and not any("pause_turn" in n for n in notes):
        notes.append("Claude paused its turn (pause_turn) and did not resume, so the answer may be incomplete")
    notice = "Note: " + "; ".join(notes) + "." if notes else None
    if conv.stop_reason == "max_tokens":
        notice = (notice + " " if notice else "") + "The answer hit its length limit (max_tokens) and may end early."
    return Answer(question=question, sections=split_sections(safe_markdown(conv.transcript.text)), backend="claude",
                  model=conv.model, citations=list(conv.transcript.citations), usage=conv.usage,
                  cost_usd=conv.cost_usd, notice=notice, tools_used=list(conv.tools_used),
                  estimated_cost_usd=estimate_usd, cache_savings_usd=conv.cache_savings_usd, research=research)


def generate(question: str, *, model: str, max_cost_usd: float | None, display: LiveDisplay | None = None,
             web_search: bool = True, max_searches: int | None = None, thinking_budget_tokens: int | None = None,
             effort: str | None = None) -> Answer:
    """The six-section answer from Claude, shown on ``display`` as it is written. Raises ``ClaudeError``
    (``CostLimitError`` before any paid request when the estimate is above ``max_cost_usd``).

    The response is always streamed over HTTP, shown or not: a long answer then never meets the
    SDK's limit on long non-streaming requests."""
    from techpm.config import SETTINGS
    from techpm.generator import tools as calc_tools

    max_searches = SETTINGS.max_searches if max_searches is None else max_searches
    thinking = SETTINGS.thinking_budget_tokens if thinking_budget_tokens is None else thinking_budget_tokens
    effort = SETTINGS.effort if effort is None else effort
    max_tokens = answer_max_tokens(thinking)
    cl = client()
    system, messages, tools = answer_request(question, model, web_search=web_search and max_searches > 0,
                                             max_searches=max_searches)
    est = estimate(cl, model=model, system=system, messages=messages, tools=tools, max_tokens=max_tokens)
    check_budget(est, max_cost_usd)
    header = Answer(question, [], "claude", model).header() + f"\n*Cost {est.describe()}.*\n\n"
    if display is not None:
        display.update(header)
    conv = Conversation(model=model)
    shown = {"at": 0.0, "sections": 0}

    def on_progress() -> None:  # section by section, and at most twice a second within a section
        if display is None:
            return
        sections = len(_HEADING.findall(conv.transcript.text))
        now = time.monotonic()
        if sections != shown["sections"] or now - shown["at"] > 0.5:
            shown["at"], shown["sections"] = now, sections
            display.update(header + conv.transcript.text)

    registry = calc_tools.calculator_tools()
    converse(cl, model=model, system=system, messages=messages, max_tokens=max_tokens, tools=tools,
             run_tool=lambda name, args: calc_tools.run_tool(name, args, registry), stream=True,
             max_cost_usd=max_cost_usd, on_progress=on_progress, conv=conv, max_searches=max_searches,
             cache_conversation=True, extra=answer_options(thinking, effort) or None)
    if display is not None:
        display.update(header + conv.transcript.text)  # the last words, which the throttle held back
    return answer_from(question, conv, estimate_usd=est.usd)
