"""Talking to Claude: the client with the course's key, plain-sentence errors, cost, and the tool loop.

Everything here is shared by every caller of the Messages API in the course: the six-section answer
(``claude.py``), the batch path (``batch.py``), the rubric's judge, and the labs that call Claude
(``rag.generate``, ``agents``, ``safety.constitution``, ``workshop.questions``).

- ``client()``: an ``anthropic.Anthropic`` client with the key ``techpm.keys`` finds (``ANTHROPIC_BASE_URL``
  honoured), the SDK's own retries with backoff (``MAX_RETRIES``) and a timeout.
- ``ClaudeError``: every failure as one plain sentence (``explain``), the key redacted by ``techpm.keys.redact``.
- ``estimate`` / ``check_budget``: the worst case of a request, counted with ``messages.count_tokens``
  and refused above ``max_cost_usd`` before anything is sent; ``request_cost_usd`` prices ``usage``.
- ``converse``: the conversation until Claude ends its turn (client tools run here, web search
  versions tried in turn, searches and cost bounded across rounds), with streamed text and citations
  collected in a ``Transcript``.
- ``ask`` (a reply, tools optional) and ``judge`` (LLM-as-judge with structured output): small general
  helpers for the lessons.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from techpm.errors import TechpmError
from techpm.generator.answer import Citation, Usage, format_usd

#: Web search tool versions to offer, newest first (``anthropic.types.WebSearchTool*Param``); an account
#: or model that refuses one gets the next, then none. https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/web-search-tool
WEB_SEARCH_TOOL_TYPES = ("web_search_20260318", "web_search_20250305")
#: Web search is billed per search on top of tokens: $10 per 1,000 searches.
#: Source: https://platform.claude.com/docs/en/agents-and-tools/tool-use/web-search-tool (Pricing), read 2026-11-29.
WEB_SEARCH_USD_PER_SEARCH = 10.0 / 1000
#: Rounds of calculator calls before Claude must write the answer without more tools.
MAX_TOOL_ROUNDS = 6
#: Retries the SDK makes itself on 408/409/429/5xx (529 overloaded included), with exponential backoff
#: from 0.5 s capped at 8 s, or the wait the server names in ``retry-after``.
MAX_RETRIES = 4
TIMEOUT_S = 300.0


class ClaudeError(RuntimeError):
    """Claude could not answer; the message is one plain sentence, with no key in it."""


class CostLimitError(ClaudeError):
    """The estimated cost of a call is above ``max_cost_usd``: nothing was sent."""


# --------------------------------------------------------------------------------------------------
# Key, client, errors
# --------------------------------------------------------------------------------------------------

def _key() -> str:
    from techpm.keys import ENV_VAR, find_api_key

    info = find_api_key()
    if not info.present:
        reason = info.missing_reason()
        raise ClaudeError(f"{reason[0].upper()}{reason[1:]}: set {ENV_VAR}, add it as a Colab secret, or run "
                          "techpm.keys.prompt_for_api_key().")
    return info.key or ""


def client(*, max_retries: int = MAX_RETRIES, timeout_s: float = TIMEOUT_S) -> Any:
    """An ``anthropic.Anthropic`` client with the course's key (``ANTHROPIC_BASE_URL`` is honoured)."""
    import anthropic

    key = _key()
    try:
        return anthropic.Anthropic(api_key=key, max_retries=max_retries, timeout=timeout_s)
    except Exception as exc:  # a malformed ANTHROPIC_BASE_URL, a broken SDK install: one sentence
        raise ClaudeError(_unexpected(exc)) from None


def _unexpected(exc: BaseException) -> str:
    from techpm.keys import find_api_key, redact

    detail = str(exc).splitlines()[0] if str(exc) else ""
    return redact(f"The call to Claude failed ({type(exc).__name__}: {detail}); check ANTHROPIC_BASE_URL "
                  "and the network.", find_api_key().key)


def _api_message(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error")
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])
    return str(getattr(exc, "message", "") or exc)


def explain(exc: BaseException, max_retries: int = MAX_RETRIES, model: str | None = None) -> str:
    """One plain sentence for an SDK error, with any key redacted. A 404 for ``model`` names its
    retirement date and successor when the course's lifecycle table knows them."""
    import anthropic

    from techpm.keys import ENV_VAR, find_api_key, redact

    detail = _api_message(exc)
    body = getattr(exc, "body", None)
    inner = body.get("error") if isinstance(body, dict) else None
    error_type = inner.get("type") if isinstance(inner, dict) else None
    if getattr(exc, "status_code", None) == 200 and error_type:  # an error event in the middle of a stream
        text = (f"The Anthropic API broke off while answering ({error_type}: {detail}); the stream cannot be "
                "retried part-way, so try again" + (" later." if error_type == "overloaded_error" else "."))
    elif isinstance(exc, anthropic.AuthenticationError):
        text = (f"The Anthropic API rejected the key (401 authentication error): check {ENV_VAR} "
                "(a key from console.anthropic.com, starting 'sk-ant-').")
    elif isinstance(exc, anthropic.PermissionDeniedError):
        text = f"The key is not allowed to make this request (403 permission error: {detail})."
    elif isinstance(exc, anthropic.RateLimitError):
        text = (f"Rate limited by the Anthropic API (429) after {max_retries} retries with backoff: "
                "wait a minute and try again, or use techpm.generate_many for many questions.")
    elif isinstance(exc, anthropic.OverloadedError) or getattr(exc, "status_code", None) == 529:
        text = f"The Anthropic API is overloaded (529) after {max_retries} retries with backoff: try again later."
    elif isinstance(exc, anthropic.NotFoundError):
        text = _not_found(model, detail)
    elif isinstance(exc, anthropic.BadRequestError):
        text = f"The Anthropic API refused the request (400: {detail})."
    elif isinstance(exc, anthropic.APITimeoutError):
        text = "The request to the Anthropic API timed out."
    elif isinstance(exc, anthropic.APIConnectionError):
        text = "Could not reach the Anthropic API (no network connection?)."
    elif isinstance(exc, anthropic.APIStatusError):
        text = f"The Anthropic API answered with an error ({exc.status_code}: {detail})."
    else:
        text = f"The call to Claude failed ({type(exc).__name__}: {detail})."
    return redact(text, find_api_key().key)


def _not_found(model: str | None, detail: str) -> str:
    """The sentence for a 404: a retired model's date and successor, else the current models."""
    if model:
        import datetime as _dt

        from techpm import lifecycle

        # the API says the model is gone: treat it as retired today if the table has no earlier date
        message = lifecycle.retired_message(model, _dt.date.max)
        if message:
            return message
        return (f"The Anthropic API does not serve the model {model!r} (404: {detail}): it may have retired; "
                f"use one of the current models: {', '.join(lifecycle.current_models())}.")
    return f"The Anthropic API did not find what was asked for (404: {detail})."


def _call(function: Callable[..., Any], /, *, _model: str | None = None, **kwargs: Any) -> Any:
    """Run one SDK call, turning its errors into a ``ClaudeError`` with a plain, redacted message."""
    import anthropic

    try:
        return function(**kwargs)
    except anthropic.AnthropicError as exc:
        raise ClaudeError(explain(exc, model=_model or kwargs.get("model"))) from None
    except ClaudeError:
        raise
    except Exception as exc:  # e.g. the HTTP layer's InvalidURL for a malformed base URL
        raise ClaudeError(_unexpected(exc)) from None


# --------------------------------------------------------------------------------------------------
# Usage and cost
# --------------------------------------------------------------------------------------------------

def usage_of(api_usage: Any) -> Usage:
    """The course's ``Usage`` from an SDK ``usage`` object (None counts as 0)."""
    server = getattr(api_usage, "server_tool_use", None)
    return Usage(
        input_tokens=int(getattr(api_usage, "input_tokens", 0) or 0),
        output_tokens=int(getattr(api_usage, "output_tokens", 0) or 0),
        cache_creation_input_tokens=int(getattr(api_usage, "cache_creation_input_tokens", 0) or 0),
        cache_read_input_tokens=int(getattr(api_usage, "cache_read_input_tokens", 0) or 0),
        web_search_requests=int(getattr(server, "web_search_requests", 0) or 0) if server else 0,
    )


def request_cost_usd(model: str, usage: Usage, *, batch: bool = False) -> float:
    """Dollars for one request's ``usage``: tokens at the tabled price (cache writes and reads at their
    own rates; the long-context tier where the table has one) plus the web search fee."""
    from techpm.calc import api_cost_usd

    args = (model, usage.input_tokens, usage.output_tokens, usage.cache_creation_input_tokens,
            usage.cache_read_input_tokens, batch)
    try:
        tokens_usd = api_cost_usd(*args, requests=1)
    except TypeError:  # an api_cost_usd without per-request tiers
        tokens_usd = api_cost_usd(*args)
    return tokens_usd + usage.web_search_requests * WEB_SEARCH_USD_PER_SEARCH


@dataclass(frozen=True)
class Estimate:
    """The most the first request can cost: counted input, ``max_tokens`` of output, every search."""

    model: str
    input_tokens: int
    max_output_tokens: int
    max_searches: int
    usd: float
    counted: bool = True  # input tokens counted by the API (False: estimated from the prompt's length)

    def describe(self) -> str:
        searches = f" + up to {self.max_searches} web searches" if self.max_searches else ""
        how = "counted" if self.counted else "estimated from its length"
        return (f"estimated at most {format_usd(self.usd)} for the first request ({self.input_tokens:,} input tokens "
                f"{how} + up to {self.max_output_tokens:,} output tokens{searches} on {self.model}, "
                f"{_as_of(self.model)})")


def _as_of(model: str) -> str:
    """'prices as of DATE' for ``model``, from the price table."""
    from techpm.generator.answer import prices_date

    date = prices_date(model)
    return f"prices as of {date}" if date else "prices not tabled"


def estimate(cl: Any, *, model: str, system: Any, messages: list[dict[str, Any]], tools: list[dict[str, Any]],
             max_tokens: int, batch: bool = False, requests: int = 1) -> Estimate:
    """Count the input tokens with ``messages.count_tokens`` and price the worst case of the reply."""
    kwargs: dict[str, Any] = {"model": model, "messages": messages}
    if system:
        kwargs["system"] = system
    counted_tools = [t for t in tools if not str(t.get("type", "")).startswith("web_search")]
    if counted_tools:
        kwargs["tools"] = counted_tools
    counted = _call(cl.messages.count_tokens, **kwargs)
    searches = sum(int(t.get("max_uses") or 0) for t in tools if str(t.get("type", "")).startswith("web_search"))
    per_request = request_cost_usd(model, Usage(input_tokens=counted.input_tokens, output_tokens=max_tokens,
                                                web_search_requests=searches), batch=batch)
    return Estimate(model, counted.input_tokens * requests, max_tokens * requests, searches * requests,
                    per_request * requests)


def check_budget(est: Estimate, max_cost_usd: float | None) -> None:
    """Refuse (``CostLimitError``) an estimate above the cap; the cap itself is checked first, so NaN,
    infinity or a negative number can never turn the check off."""
    from techpm.config import check_cap

    max_cost_usd = check_cap(max_cost_usd)
    if max_cost_usd is not None and not est.usd <= max_cost_usd:
        raise CostLimitError(
            f"Refused before sending: the call is {est.describe()}, above max_cost_usd={format_usd(max_cost_usd)}. "
            "Raise the cap (max_cost_usd=... or techpm.configure(max_cost_usd=...)), choose a cheaper "
            "model, or use backend='offline'.")


# --------------------------------------------------------------------------------------------------
# The transcript (citations as numbered links) and the conversation: streaming, web search fallback, tool loop
# --------------------------------------------------------------------------------------------------

@dataclass
class Transcript:
    """What Claude wrote, as Markdown: text in order, each web citation as a numbered link after the
    passage it supports, the sources in order of first use."""

    text: str = ""
    citations: list[Citation] = field(default_factory=list)
    document_citations: list[dict[str, Any]] = field(default_factory=list)
    _pending: list[int] = field(default_factory=list)

    def add_text(self, text: str) -> None:
        self.text += text

    def add_citation(self, citation: Any) -> None:
        url = getattr(citation, "url", None)
        if not url:  # a document citation (RAG): kept as the API gave it (cited text, document, location)
            data = citation.to_dict() if hasattr(citation, "to_dict") else dict(citation)
            if data not in self.document_citations:
                self.document_citations.append(data)
            return
        title = getattr(citation, "title", None) or url
        numbers = {c.url: i for i, c in enumerate(self.citations, 1)}
        if url not in numbers:
            self.citations.append(Citation(title=title, url=url))
            numbers[url] = len(self.citations)
        if numbers[url] not in self._pending:
            self._pending.append(numbers[url])

    def end_block(self) -> None:
        if self._pending:
            self.text += "".join(f" [[{n}]]({self.citations[n - 1].url})" for n in self._pending)
            self._pending.clear()

    def add_message(self, message: Any) -> None:
        """Add a whole (non-streamed) response's text blocks."""
        for block in message.content:
            if getattr(block, "type", "") == "text":
                self.add_text(block.text)
                for citation in block.citations or []:
                    self.add_citation(citation)
                self.end_block()


def _is_tool_refusal(exc: BaseException) -> bool:
    """Is this error the API refusing the web search tool (not offered to this account or model)?"""
    import anthropic

    if isinstance(exc, anthropic.PermissionDeniedError):
        return True
    if isinstance(exc, anthropic.BadRequestError):
        detail = _api_message(exc).lower()
        return "web_search" in detail or "tool" in detail
    return False


@dataclass
class Conversation:
    """The state of one answer's conversation with the API."""

    model: str
    usage: Usage = field(default_factory=Usage)
    cost_usd: float = 0.0
    requests: int = 0
    tools_used: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    transcript: Transcript = field(default_factory=Transcript)
    stop_reason: str | None = None
    content: list[Any] = field(default_factory=list, repr=False)  # the last response's blocks
    searches: int = 0  # web searches run so far, all rounds together
    cache_savings_usd: float = 0.0  # what cache reads saved against the full input price
    web_search_offered: bool = False

    def add_usage(self, usage: Usage, *, batch: bool = False) -> None:
        """Count and price one response's usage (and what its cache reads saved)."""
        self.requests += 1
        self.usage = self.usage + usage
        self.searches += usage.web_search_requests
        self.cost_usd += request_cost_usd(self.model, usage, batch=batch)
        self.cache_savings_usd += cache_savings_usd(self.model, usage, batch=batch)


def cache_savings_usd(model: str, usage: Usage, *, batch: bool = False) -> float:
    """What ``usage``'s cache reads saved: the same tokens at the input price minus at the cache-read price."""
    if not usage.cache_read_input_tokens:
        return 0.0
    full = request_cost_usd(model, Usage(input_tokens=usage.input_tokens + usage.cache_read_input_tokens,
                                         cache_creation_input_tokens=usage.cache_creation_input_tokens), batch=batch)
    cached = request_cost_usd(model, Usage(input_tokens=usage.input_tokens,
                                           cache_creation_input_tokens=usage.cache_creation_input_tokens,
                                           cache_read_input_tokens=usage.cache_read_input_tokens), batch=batch)
    return max(0.0, full - cached)


def _send(cl: Any, kwargs: dict[str, Any], conv: Conversation, stream: bool,
          on_progress: Callable[[], None] | None) -> Any:
    """One request; streamed text and citations go into the transcript as they arrive."""
    if not stream:
        message = cl.messages.create(**kwargs)
        conv.transcript.add_message(message)
        return message
    with cl.messages.stream(**kwargs) as events:
        for event in events:
            if event.type == "text":
                conv.transcript.add_text(event.text)
                if on_progress:
                    on_progress()
            elif event.type == "citation":
                conv.transcript.add_citation(event.citation)
            elif event.type == "content_block_stop":
                conv.transcript.end_block()
        return events.get_final_message()


def converse(cl: Any, *, model: str, system: Any, messages: list[dict[str, Any]], max_tokens: int,
             tools: list[dict[str, Any]] | None = None, run_tool: Callable[[str, Any], tuple[str, bool]] | None = None,
             max_rounds: int | None = None, stream: bool = False, max_cost_usd: float | None = None,
             on_progress: Callable[[], None] | None = None, extra: dict[str, Any] | None = None,
             conv: Conversation | None = None, max_searches: int | None = None,
             cache_conversation: bool = False) -> Conversation:
    """Talk to the API until Claude ends its turn: run client tools (``run_tool``) for ``tool_use``
    stops, continue ``pause_turn`` stops (long server-side searches), at most ``max_rounds`` rounds.
    A web search tool the API refuses is replaced by the next version, then dropped (noted). Searches
    are bounded across all rounds (``max_searches``: each round's ``max_uses`` is what is left), and
    before each further round its worst case (prompt, ``max_tokens``, the searches left) must fit under
    ``max_cost_usd``. ``cache_conversation`` sets the request's top-level ``cache_control``, which caches
    the conversation up to its last block, so each round reads the previous ones from the cache."""
    import anthropic

    from techpm.config import check_cap

    max_cost_usd = check_cap(max_cost_usd)
    conv = conv or Conversation(model=model)
    max_rounds = MAX_TOOL_ROUNDS if max_rounds is None else max_rounds
    tools = list(tools or [])
    messages = list(messages)
    conv.web_search_offered = conv.web_search_offered or any(_is_search(t) for t in tools)
    for round_number in range(max_rounds + 1):
        left = None if max_searches is None else max(0, max_searches - conv.searches)
        if left is not None:
            # all searches spent: stop offering the tool, unless a search Claude started beside a calculator
            # call is still pending (the API runs it with this request, and it needs the tool defined)
            keep = max(left, 1 if _pending_search(messages) else 0)
            tools = [({**t, "max_uses": keep} if _is_search(t) else t) for t in tools if not (_is_search(t) and keep == 0)]
        kwargs: dict[str, Any] = {"model": model, "max_tokens": max_tokens, "messages": messages, **(extra or {})}
        if system:
            kwargs["system"] = system
        if cache_conversation:
            kwargs["cache_control"] = {"type": "ephemeral"}
        if tools:
            kwargs["tools"] = tools
            if round_number == max_rounds:  # last round: answer with what you have
                kwargs["tool_choice"] = {"type": "none"}
        elif "tool_choice" in kwargs and kwargs["tool_choice"].get("type") != "none":
            kwargs.pop("tool_choice")
        while True:
            try:
                message = _send(cl, kwargs, conv, stream, on_progress)
                break
            except anthropic.AnthropicError as exc:
                search = next((t for t in tools if _is_search(t)), None)
                if search is None or conv.requests or not _is_tool_refusal(exc):
                    raise ClaudeError(explain(exc, model=model)) from None
                versions = list(WEB_SEARCH_TOOL_TYPES)
                later = versions[versions.index(search["type"]) + 1:] if search["type"] in versions else []
                tools = [t for t in tools if t is not search]
                if later:
                    tools.insert(0, {**search, "type": later[0]})
                else:
                    conv.web_search_offered = False
                    conv.notes.append("web search is not available to this key, so the answer is without "
                                      "fresh research")
                kwargs["tools"] = tools
                if not tools:
                    kwargs.pop("tools")
                    kwargs.pop("tool_choice", None)
            except ClaudeError:
                raise
            except Exception as exc:  # the HTTP layer's own errors (e.g. InvalidURL): one sentence
                raise ClaudeError(_unexpected(exc)) from None
        usage = usage_of(message.usage)
        conv.add_usage(usage)
        conv.stop_reason = message.stop_reason
        conv.content = list(message.content)
        if message.stop_reason == "pause_turn":
            messages = [*messages, {"role": "assistant", "content": message.content}]
        elif message.stop_reason == "tool_use" and run_tool is not None:
            results = []
            for block in message.content:
                if getattr(block, "type", "") == "tool_use":
                    content, is_error = run_tool(block.name, block.input)
                    conv.tools_used.append(block.name)
                    results.append({"type": "tool_result", "tool_use_id": block.id, "content": content,
                                    **({"is_error": True} if is_error else {})})
            messages = [*messages, {"role": "assistant", "content": message.content},
                        {"role": "user", "content": results}]
        else:
            return conv
        if round_number == max_rounds:
            break
        if max_cost_usd is not None:
            # the next request re-sends this one's prompt and reply (at most all of it at the input price)
            # and may run every search still allowed
            prompt = usage.input_tokens + usage.cache_creation_input_tokens + usage.cache_read_input_tokens
            searches_left = 0
            if any(_is_search(t) for t in tools):
                searches_left = (max(0, max_searches - conv.searches) if max_searches is not None
                                 else sum(int(t.get("max_uses") or 0) for t in tools if _is_search(t)))
            worst_next = request_cost_usd(model, Usage(input_tokens=prompt + usage.output_tokens,
                                                       output_tokens=max_tokens, web_search_requests=searches_left))
            if conv.cost_usd + worst_next > max_cost_usd:
                conv.notes.append(f"stopped after {format_usd(conv.cost_usd)}: another round could cost up to "
                                  f"{format_usd(worst_next)} more, past max_cost_usd={format_usd(max_cost_usd)}, "
                                  "so Claude did not finish")
                return conv
    if conv.stop_reason == "pause_turn":
        conv.notes.append("Claude paused its turn (pause_turn) after the last allowed round, so the answer "
                          "may be incomplete")
    return conv


def _pending_search(messages: list[dict[str, Any]]) -> bool:
    """Does the last assistant turn hold a server-side search without its result (run with the next request)?"""
    turns = [m for m in messages if m.get("role") == "assistant"]
    if not turns or isinstance(turns[-1].get("content"), str):
        return False
    blocks = list(turns[-1].get("content") or [])
    kind = lambda b, name: b.get(name) if isinstance(b, dict) else getattr(b, name, None)  # noqa: E731
    done = {kind(b, "tool_use_id") for b in blocks if kind(b, "type") == "web_search_tool_result"}
    return any(kind(b, "type") == "server_tool_use" and kind(b, "id") not in done for b in blocks)


def _is_search(tool: dict[str, Any]) -> bool:
    return str(tool.get("type", "")).startswith("web_search")


# --------------------------------------------------------------------------------------------------
# General helpers for other lessons
# --------------------------------------------------------------------------------------------------

@dataclass
class AskResult:
    """What ``ask`` returns: the reply's text (citations as numbered links), its sources, usage, cost."""

    text: str
    citations: list[Citation]
    usage: Usage
    cost_usd: float
    model: str
    stop_reason: str | None = None
    tools_used: list[str] = field(default_factory=list)
    document_citations: list[dict[str, Any]] = field(default_factory=list)
    content: list[Any] = field(default_factory=list, repr=False)


def ask(messages: str | Iterable[dict[str, Any]], *, system: str | list[dict[str, Any]] | None = None,
        model: str | None = None, max_tokens: int = 1024, tools: list[dict[str, Any]] | None = None,
        max_cost_usd: float | None = None) -> AskResult:
    """Send ``messages`` to Claude and return its reply, with the course's key handling, retries and
    plain error messages (``ClaudeError``). ``messages`` may be a string (one user turn). Calculator
    tools among ``tools`` (``techpm.generator.tools.tool_definitions()``) are run in a bounded loop;
    server tools (web search) run at Anthropic. The cost is estimated first and refused above
    ``max_cost_usd`` (default: the session's ``techpm.config.SETTINGS.max_cost_usd``)."""
    from techpm.config import SETTINGS
    from techpm.generator import tools as calc_tools
    from techpm.lifecycle import check_callable

    model = check_callable(model or SETTINGS.claude_model)  # a retired or unknown model: one sentence
    if isinstance(messages, str):
        messages = [{"role": "user", "content": messages}]
    messages = list(messages)
    if not messages:
        raise TechpmError("messages must hold at least one message (a string is one user turn).")
    cl = client()
    est = estimate(cl, model=model, system=system, messages=messages, tools=tools or [], max_tokens=max_tokens)
    check_budget(est, SETTINGS.max_cost_usd if max_cost_usd is None else max_cost_usd)
    registry = calc_tools.calculator_tools()
    searches = [t for t in tools or [] if _is_search(t)]
    conv = converse(cl, model=model, system=system, messages=messages, max_tokens=max_tokens, tools=tools,
                    run_tool=lambda name, args: calc_tools.run_tool(name, args, registry),
                    max_cost_usd=SETTINGS.max_cost_usd if max_cost_usd is None else max_cost_usd,
                    max_searches=sum(int(t.get("max_uses") or 0) for t in searches) if searches else None)
    return AskResult(text=conv.transcript.text, citations=conv.transcript.citations, usage=conv.usage,
                     cost_usd=conv.cost_usd, model=model, stop_reason=conv.stop_reason,
                     tools_used=conv.tools_used, document_citations=conv.transcript.document_citations,
                     content=conv.content)


JUDGE_TOOL = "record_rubric_scores"
_JUDGE_SYSTEM = """\
You grade a written answer to a technical AI product question against a rubric, strictly and fairly.
For every rubric point give a score from 0 (absent) to 1 (fully shown), quote as evidence the sentence
of the answer that earns the point (or say exactly what is missing), and give one concrete suggestion
that would raise the score. Judge only what the answer says; do not reward length for its own sake.
Record the grades with the tool, one entry per rubric point."""


def _rubric_point(point: Any, index: int) -> dict[str, str]:
    if isinstance(point, str):
        return {"id": f"p{index + 1}", "title": point, "earns": ""}
    get = point.get if isinstance(point, dict) else (lambda name, default=None: getattr(point, name, default))
    return {"id": str(get("id") or f"p{index + 1}"), "title": str(get("title") or get("name") or ""),
            "earns": str(get("earns") or get("description") or "")}


def judge(text: str, rubric_points: Iterable[Any], *, model: str | None = None,
          max_cost_usd: float | None = None) -> list[dict[str, Any]]:
    """Claude as a grader (LLM-as-judge) with structured output: one dict per rubric point,
    ``{"id", "score" (0 to 1), "evidence", "suggestion"}``, in the rubric's order.

    ``rubric_points``: objects or dicts with ``id``, ``title`` and ``earns`` (``method.RUBRIC``), or
    plain strings. The output's shape is enforced by a tool whose input schema Claude must fill
    (``tool_choice`` forces it). Raises ``ClaudeError`` as ``ask`` does."""
    from techpm.config import SETTINGS
    from techpm.lifecycle import check_callable

    if not isinstance(text, str) or not text.strip():
        raise TechpmError("text must be the answer to grade, a non-empty string.")
    points = [_rubric_point(p, i) for i, p in enumerate(rubric_points)]
    if not points:
        raise TechpmError("rubric_points must hold at least one point.")
    ids = [p["id"] for p in points]
    model = check_callable(model or SETTINGS.claude_model)
    tool = {
        "name": JUDGE_TOOL,
        "description": "Record the grade of every rubric point.",
        "input_schema": {"type": "object", "required": ["scores"], "properties": {"scores": {
            "type": "array", "items": {"type": "object", "required": ["id", "score", "evidence", "suggestion"],
                                       "properties": {
                "id": {"type": "string", "enum": ids},
                "score": {"type": "number", "minimum": 0, "maximum": 1},
                "evidence": {"type": "string", "description": "the answer's sentence that earns the point, "
                                                              "quoted, or what is missing"},
                "suggestion": {"type": "string", "description": "one concrete change that would raise the score"},
            }}}}},
    }
    rubric = "\n".join(f"- {p['id']}: {p['title']}. {p['earns']}".rstrip() for p in points)
    messages = [{"role": "user", "content": f"The rubric:\n{rubric}\n\nThe answer to grade:\n\n<answer>\n"
                                            f"{text.strip()}\n</answer>"}]
    cl = client()
    est = estimate(cl, model=model, system=_JUDGE_SYSTEM, messages=messages, tools=[tool], max_tokens=2_000)
    check_budget(est, SETTINGS.max_cost_usd if max_cost_usd is None else max_cost_usd)
    conv = converse(cl, model=model, system=_JUDGE_SYSTEM, messages=messages, max_tokens=2_000, tools=[tool],
                    extra={"tool_choice": {"type": "tool", "name": JUDGE_TOOL}},
                    max_cost_usd=SETTINGS.max_cost_usd if max_cost_usd is None else max_cost_usd)
    call = next((b for b in conv.content if getattr(b, "type", "") == "tool_use" and b.name == JUDGE_TOOL), None)
    scores = (call.input or {}).get("scores") if call is not None else None
    if not isinstance(scores, list):
        raise ClaudeError("The judge did not return its grades in the expected form; try again.")
    by_id = {str(s.get("id")): s for s in scores if isinstance(s, dict)}
    return [dict(by_id[i]) for i in ids if i in by_id]
