"""The real ``anthropic`` SDK, offline: a scripted stand-in for the API behind ``httpx2.MockTransport``.

Nothing here fakes the SDK. The SDK's own client builds the requests, runs its own retry loop, parses the
server-sent events with its own decoder and raises its own error classes; only the other end of the wire
is scripted. The SDK's HTTP layer is ``httpx2`` (not ``httpx``), and ``anthropic.Anthropic`` accepts a
custom ``http_client=httpx2.Client(transport=...)``, so an ``httpx2.MockTransport`` answers every request
in-process, with no network and no key.

    api = ScriptedAPI([error_reply(429, "rate_limit_error", retry_after_s=0.02), ok_reply("Hi")])
    client = api.client(max_retries=2)
    with sdk_retry_log() as waits:
        message = client.messages.create(model=..., max_tokens=..., messages=[...])
    api.requests      # what the SDK sent, attempt by attempt (headers included)
    waits             # the waits the SDK chose between attempts, read from its own log line

One deliberate difference from the real API: the real API announces a 429's wait in whole seconds
(``retry-after``); the scripted replies use the SDK's millisecond header (``retry-after-ms``, which the
SDK reads first) so that a demonstration waits milliseconds, not seconds.
"""

from __future__ import annotations

import json
import logging
import random
import re
import time
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import anthropic
import httpx2

from techpm.errors import TechpmError

BASE_URL = "http://api.offline.invalid"
OFFLINE_KEY = "offline-demo-key-not-a-real-one"
_SDK_LOGGER = "anthropic._base_client"
_RETRY_LINE = re.compile(r"^Retrying request to .* in [0-9.]+ seconds$")


# --------------------------------------------------------------------------------------------------
# Replies: JSON messages, errors, and server-sent event streams in the Messages API's format
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Reply:
    """One scripted answer: a JSON body, an SSE body, or a timeout (the transport raises ``ReadTimeout``)."""

    status: int = 200
    body: dict[str, Any] | None = None
    sse: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()
    timeout: bool = False


def message_body(text: str, *, model: str = "claude-haiku-5-5", input_tokens: int = 12,
                 output_tokens: int = 5, message_id: str = "msg_offline_01") -> dict[str, Any]:
    """A Messages API response body (``POST /v1/messages``, non-streaming)."""
    return {"id": message_id, "type": "message", "role": "assistant", "model": model,
            "content": [{"type": "text", "text": text}], "stop_reason": "end_turn", "stop_sequence": None,
            "usage": {"input_tokens": input_tokens, "output_tokens": output_tokens}}


def ok_reply(text: str = "Hello!", **kwargs: Any) -> Reply:
    """HTTP 200 with a message whose one text block is ``text``."""
    return Reply(200, message_body(text, **kwargs), headers=(("request-id", "req_offline_ok"),))


def error_reply(status: int, error_type: str, message: str = "", *, retry_after_s: float | None = None,
                error_code: str | None = None) -> Reply:
    """An error in the API's envelope: ``{"type": "error", "error": {"type": ..., "message": ...}}``."""
    error: dict[str, Any] = {"type": error_type, "message": message or error_type.replace("_", " ")}
    if error_code:
        error["details"] = {"error_code": error_code}
    headers = [("request-id", f"req_offline_{status}")]
    if retry_after_s is not None:
        headers.append(("retry-after-ms", f"{retry_after_s * 1000:g}"))
    return Reply(status, {"type": "error", "error": error}, headers=tuple(headers))


def timeout_reply() -> Reply:
    """No answer in time: the transport raises ``httpx2.ReadTimeout`` (the SDK's ``APITimeoutError``)."""
    return Reply(timeout=True)


def stream_events(chunks: Sequence[str], *, model: str = "claude-haiku-5-5", input_tokens: int = 12,
                  error_after: int | None = None) -> list[dict[str, Any]]:
    """The Messages API's streaming events for a reply made of the text ``chunks``.

    Order (https://platform.claude.com/docs/en/build-with-claude/streaming): ``message_start``, then per
    content block ``content_block_start``, ``content_block_delta`` (one per chunk), ``content_block_stop``,
    then ``message_delta`` (stop reason, final usage) and ``message_stop``; ``ping`` events may appear
    anywhere. ``error_after=k`` cuts the stream after k deltas with an ``error`` event (an overload in
    the middle of an answer that already began with HTTP 200).
    """
    events: list[dict[str, Any]] = [
        {"type": "message_start", "message": {
            "id": "msg_offline_stream", "type": "message", "role": "assistant", "model": model, "content": [],
            "stop_reason": None, "stop_sequence": None, "usage": {"input_tokens": input_tokens, "output_tokens": 1}}},
        {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
        {"type": "ping"},
    ]
    for i, chunk in enumerate(chunks):
        if error_after is not None and i == error_after:
            events.append({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})
            return events
        events.append({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": chunk}})
    events += [
        {"type": "content_block_stop", "index": 0},
        {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None},
         "usage": {"output_tokens": len(chunks)}},
        {"type": "message_stop"},
    ]
    return events


def encode_sse(events: Sequence[dict[str, Any]]) -> bytes:
    """Server-sent events on the wire: ``event: <type>`` and ``data: <json>`` lines, a blank line after each."""
    return "".join(f"event: {e['type']}\ndata: {json.dumps(e)}\n\n" for e in events).encode()


def stream_reply(chunks: Sequence[str], **kwargs: Any) -> Reply:
    """HTTP 200 with ``content-type: text/event-stream`` carrying ``stream_events(chunks)``."""
    return Reply(200, sse=encode_sse(stream_events(chunks, **kwargs)),
                 headers=(("content-type", "text/event-stream"), ("request-id", "req_offline_stream")))


# --------------------------------------------------------------------------------------------------
# The scripted API and what the SDK sent it
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RecordedRequest:
    """One HTTP attempt as the API received it."""

    time_s: float  # seconds since the ScriptedAPI was created
    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def retry_count(self) -> int:
        """The SDK's own attempt counter, sent as ``x-stainless-retry-count`` (0 on the first attempt)."""
        return int(self.headers.get("x-stainless-retry-count", "0"))


@dataclass
class ScriptedAPI:
    """Answers the SDK's requests with ``replies`` in order (the last one repeats), recording each request."""

    replies: Sequence[Reply]
    requests: list[RecordedRequest] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.replies:
            raise TechpmError("replies must hold at least one Reply.")
        self._start = time.perf_counter()

    def handle(self, request: httpx2.Request) -> httpx2.Response:
        body = json.loads(request.content) if request.content else {}
        self.requests.append(RecordedRequest(time.perf_counter() - self._start, request.method,
                                             request.url.path, dict(request.headers), body))
        reply = self.replies[min(len(self.requests), len(self.replies)) - 1]
        if reply.timeout:
            raise httpx2.ReadTimeout("scripted timeout", request=request)
        if reply.sse is not None:
            return httpx2.Response(reply.status, headers=list(reply.headers), content=reply.sse)
        return httpx2.Response(reply.status, headers=list(reply.headers), json=reply.body)

    def client(self, *, max_retries: int = anthropic.DEFAULT_MAX_RETRIES, timeout: float = 10.0) -> anthropic.Anthropic:
        """A real ``anthropic.Anthropic`` client whose HTTP requests reach this script instead of the network."""
        transport = httpx2.MockTransport(self.handle)
        return anthropic.Anthropic(api_key=OFFLINE_KEY, base_url=BASE_URL, max_retries=max_retries,
                                   timeout=timeout, http_client=httpx2.Client(transport=transport))


def ask(client: anthropic.Anthropic, text: str = "Hello", *, model: str = "claude-haiku-5-5",
        max_tokens: int = 64, **kwargs: Any) -> Any:
    """``client.messages.create`` with one user turn: the call every example here makes."""
    return client.messages.create(model=model, max_tokens=max_tokens,
                                  messages=[{"role": "user", "content": text}], **kwargs)


@contextmanager
def sdk_retry_log() -> Iterator[list[float]]:
    """Collect the waits the SDK chose before each retry, from its own log line
    (``"Retrying request to %s in %f seconds"``, ``anthropic/_base_client.py``), without printing them."""
    waits: list[float] = []

    class _Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if _RETRY_LINE.match(record.getMessage()):
                waits.append(float(record.args[1]))  # type: ignore[index]

    logger = logging.getLogger(_SDK_LOGGER)
    handler, old_level, old_propagate = _Collect(), logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield waits
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
        logger.propagate = old_propagate


def sdk_backoff_schedule(max_retries: int = anthropic.DEFAULT_MAX_RETRIES, *, seed: int = 0) -> list[float]:
    """The waits the SDK would choose before retries 0..max_retries-1 when the server names none.

    Calls the function the SDK's retry loop calls (``_calculate_retry_timeout``; it then sleeps that long),
    with Python's global ``random`` seeded for a repeatable draw (its state is restored afterwards).
    """
    from anthropic._models import FinalRequestOptions

    client = ScriptedAPI([ok_reply()]).client(max_retries=max_retries)
    options = FinalRequestOptions.construct(method="post", url="/v1/messages")
    state = random.getstate()
    random.seed(seed)
    try:
        return [client._calculate_retry_timeout(max_retries - n, options, None) for n in range(max_retries)]
    finally:
        random.setstate(state)


# --------------------------------------------------------------------------------------------------
# What the SDK does with each status: its error class, and whether it retries
# --------------------------------------------------------------------------------------------------

# The error types of https://platform.claude.com/docs/en/api/errors, by HTTP status.
API_ERROR_TYPES: dict[int, str] = {
    400: "invalid_request_error", 401: "authentication_error", 402: "billing_error", 403: "permission_error",
    404: "not_found_error", 413: "request_too_large", 429: "rate_limit_error", 500: "api_error",
    504: "timeout_error", 529: "overloaded_error",
}


@dataclass(frozen=True)
class ErrorBehaviour:
    """How the real SDK treats one HTTP status (observed, not looked up)."""

    status: int
    error_type: str
    exception: str  # the class the SDK raises once it gives up
    retried: bool  # whether the SDK retried it on its own
    attempts: int  # HTTP attempts the API saw with max_retries=1


def error_behaviour(status: int, error_type: str | None = None) -> ErrorBehaviour:
    """Send one request that fails with ``status`` (then would succeed) through the SDK with one retry allowed.

    If the SDK retries, the second attempt gets a 200 and the call succeeds; then a second run with no
    retries names the exception class the SDK raises for the status.
    """
    error_type = error_type or API_ERROR_TYPES.get(status, "api_error")
    failing = error_reply(status, error_type, retry_after_s=0.001)
    api = ScriptedAPI([failing, ok_reply()])
    retried = True
    try:
        ask(api.client(max_retries=1))
    except anthropic.APIStatusError:
        retried = False
    attempts = len(api.requests)
    try:
        ask(ScriptedAPI([failing]).client(max_retries=0))
    except anthropic.APIStatusError as exc:
        return ErrorBehaviour(status, error_type, type(exc).__name__, retried, attempts)
    raise TechpmError(f"status {status} did not raise an error in the SDK.")  # pragma: no cover


def error_table(statuses: Sequence[int] = tuple(API_ERROR_TYPES)) -> list[ErrorBehaviour]:
    """``error_behaviour`` for each status, in order."""
    return [error_behaviour(s) for s in statuses]


def format_error_table(rows: Sequence[ErrorBehaviour]) -> str:
    """A plain-text table of ``error_table`` rows."""
    lines = [f"{'status':>6}  {'error.type':<22} {'SDK raises':<28} retried by the SDK"]
    lines += [f"{r.status:>6}  {r.error_type:<22} {r.exception:<28} {'yes' if r.retried else 'no'}"
              for r in rows]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------------
# Versioning and deprecation, as the SDK ships them
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SdkFacts:
    """The installed SDK's own settings, read from the package (``anthropic/_constants.py``)."""

    sdk_version: str
    api_version: str
    default_max_retries: int
    initial_retry_delay_s: float
    max_retry_delay_s: float
    default_timeout_s: float
    connect_timeout_s: float


def sdk_facts() -> SdkFacts:
    """Read the version and retry/timeout defaults from the installed ``anthropic`` package."""
    from anthropic import _constants as c

    return SdkFacts(anthropic.__version__, c.ANTHROPIC_API_VERSION, c.DEFAULT_MAX_RETRIES,
                    c.INITIAL_RETRY_DELAY, c.MAX_RETRY_DELAY, float(c.DEFAULT_TIMEOUT.read),
                    float(c.DEFAULT_TIMEOUT.connect))


def deprecated_models() -> list[tuple[str, str]]:
    """(model id, end-of-life date) pairs from the SDK's own table (``anthropic/_data/deprecated_models.py``),
    sorted by model id."""
    from anthropic._data import DEPRECATED_MODELS

    return sorted(DEPRECATED_MODELS.items())


def deprecation_warning(model: str) -> str | None:
    """Call the scripted API with ``model`` and return the ``DeprecationWarning`` the SDK raised, if any."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ask(ScriptedAPI([ok_reply(model=model)]).client(max_retries=0), model=model)
    found = [str(w.message) for w in caught if issubclass(w.category, DeprecationWarning)
             and model in str(w.message)]
    return found[0] if found else None


def api_surface(client: anthropic.Anthropic | None = None) -> dict[str, list[str]]:
    """The SDK's public methods for the Messages API, its batches and models: the product's key endpoints."""
    client = client or ScriptedAPI([ok_reply()]).client()

    def public(obj: Any) -> list[str]:
        return sorted(n for n in dir(obj) if not n.startswith("_") and not n.startswith("with_")
                      and callable(getattr(obj, n)) and n != "batches")

    return {"messages": public(client.messages), "messages.batches": public(client.messages.batches),
            "models": public(client.models)}
