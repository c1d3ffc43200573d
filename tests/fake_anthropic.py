"""A local stand-in for the Anthropic API, for testing the real ``anthropic`` SDK over real HTTP.

A threaded HTTP server on 127.0.0.1 (a free port) speaks enough of the Messages API for the course's
generator: ``POST /v1/messages`` (JSON, or server-sent events when the request asks to stream),
``POST /v1/messages/count_tokens``, and the Message Batches endpoints (create, retrieve, results as
JSONL). Replies are scripted: tests queue messages or errors (401, 429, 529 with ``retry-after``...),
and every request is recorded (method, path, headers, JSON body) so tests assert on what the SDK sent.
When the queue is empty the server answers with a plain six-section answer.

Nothing here touches the SDK: point it at ``server.url`` with ``base_url`` (or ``ANTHROPIC_BASE_URL``).

    with FakeAnthropic() as server:
        server.queue(error(429, retry_after_s=0.01), message([text_block("## 1. ...")]))
        client = anthropic.Anthropic(api_key="sk-ant-test-...", base_url=server.url)
"""

from __future__ import annotations

import itertools
import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SIX_TITLES = (
    "Technical clarifications and constraints",
    "Users",
    "High-level system design",
    "Deep dive and trade-offs",
    "API design and developer experience",
    "Metrics",
)


# --- building replies ------------------------------------------------------------------------------

def text_block(text: str, citations: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "text", "text": text}
    if citations:
        block["citations"] = citations
    return block


def web_citation(url: str, title: str, cited_text: str = "a cited sentence") -> dict[str, Any]:
    return {"type": "web_search_result_location", "url": url, "title": title, "cited_text": cited_text,
            "encrypted_index": "ZW5j"}


def tool_use_block(name: str, tool_input: dict[str, Any], block_id: str = "toolu_01") -> dict[str, Any]:
    return {"type": "tool_use", "id": block_id, "name": name, "input": tool_input}


def web_search_blocks(query: str, results: list[tuple[str, str]], block_id: str = "srvtoolu_01") -> list[dict[str, Any]]:
    """A server-side web search as the API reports it: the search call and its results."""
    return [
        {"type": "server_tool_use", "id": block_id, "name": "web_search", "input": {"query": query}},
        {"type": "web_search_tool_result", "tool_use_id": block_id,
         "content": [{"type": "web_search_result", "url": url, "title": title, "encrypted_content": "ZW5j",
                      "page_age": None} for url, title in results]},
    ]


def six_section_text(prefix: str = "") -> str:
    return "\n\n".join(f"## {i}. {title}\n\n{prefix}Body of section {i}." for i, title in enumerate(SIX_TITLES, 1))


@dataclass
class Reply:
    """One scripted answer to one request."""

    status: int = 200
    content: list[dict[str, Any]] = field(default_factory=list)
    stop_reason: str = "end_turn"
    usage: dict[str, Any] = field(default_factory=dict)
    error_type: str = ""
    error_message: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    stream_error: str = ""  # when streaming: break off after the first block with this error event


def message(content: list[dict[str, Any]] | None = None, *, stop_reason: str = "end_turn", input_tokens: int = 100,
            output_tokens: int = 50, cache_creation_input_tokens: int = 0, cache_read_input_tokens: int = 0,
            web_search_requests: int = 0) -> Reply:
    usage: dict[str, Any] = {
        "input_tokens": input_tokens, "output_tokens": output_tokens,
        "cache_creation_input_tokens": cache_creation_input_tokens,
        "cache_read_input_tokens": cache_read_input_tokens,
    }
    if web_search_requests:
        usage["server_tool_use"] = {"web_search_requests": web_search_requests, "web_fetch_requests": 0}
    return Reply(content=content if content is not None else [text_block(six_section_text())],
                 stop_reason=stop_reason, usage=usage)


ERROR_TYPES = {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
               404: "not_found_error", 429: "rate_limit_error", 500: "api_error", 529: "overloaded_error"}


def error(status: int, message_text: str = "", *, retry_after_s: float | None = None) -> Reply:
    """An API error. ``retry_after_s`` sets ``retry-after`` (whole seconds, as the API sends it) and the
    SDK's more precise ``retry-after-ms``, which the SDK reads first: tests wait milliseconds."""
    headers = {}
    if retry_after_s is not None:
        headers["retry-after"] = str(max(1, round(retry_after_s)))
        headers["retry-after-ms"] = str(retry_after_s * 1000)
    return Reply(status=status, error_type=ERROR_TYPES.get(status, "api_error"),
                 error_message=message_text or f"scripted {status}", headers=headers)


# --- the server --------------------------------------------------------------------------------------

@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


class FakeAnthropic:
    """The server. Use as a context manager; ``url`` is its base URL, ``requests`` what it received."""

    def __init__(self, *, valid_key: str | None = None, input_tokens_for_count: int = 1_000,
                 batch_polls_before_end: int = 1, retired_models: tuple[str, ...] = ()) -> None:
        self.valid_key = valid_key  # when set, any other key gets 401 on every endpoint, as the API does
        # models the API no longer serves: a request for one gets 404 not_found_error, as a retired model does
        self.retired_models = set(retired_models)
        self.replies: deque[Reply] = deque()
        self.requests: list[Recorded] = []
        self.input_tokens_for_count = input_tokens_for_count
        self.batch_polls_before_end = batch_polls_before_end
        self.batches: dict[str, dict[str, Any]] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    # lifecycle
    def __enter__(self) -> FakeAnthropic:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    # scripting
    def queue(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def messages_requests(self) -> list[Recorded]:
        return [r for r in self.requests if r.method == "POST" and r.path == "/v1/messages"]

    def next_reply(self) -> Reply:
        with self._lock:
            return self.replies.popleft() if self.replies else message()

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_{next(self._ids):04d}"

    def message_json(self, reply: Reply, model: str) -> dict[str, Any]:
        return {"id": self.new_id("msg"), "type": "message", "role": "assistant", "model": model,
                "content": reply.content, "stop_reason": reply.stop_reason, "stop_sequence": None,
                "usage": reply.usage}

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
                pass

            def _record(self) -> Any:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else None
                with server._lock:
                    server.requests.append(Recorded(self.command, self.path.split("?")[0],
                                                    {k.lower(): v for k, v in self.headers.items()}, body))
                return body

            def _send_json(self, status: int, payload: Any, headers: dict[str, str] | None = None,
                           content_type: str = "application/json") -> None:
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", content_type)
                self.send_header("content-length", str(len(data)))
                self.send_header("request-id", server.new_id("req"))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            def _send_error(self, reply: Reply) -> None:
                self._send_json(reply.status, {"type": "error", "error": {
                    "type": reply.error_type, "message": reply.error_message}}, reply.headers)

            def _authorized(self) -> bool:
                if server.valid_key is None or self.headers.get("authorization") == f"Bearer {server.valid_key}":
                    return True
                self._send_error(error(401, "invalid x-api-key"))
                return False

            def do_POST(self) -> None:  # noqa: N802 (the stdlib's name)
                body = self._record()
                path = self.path.split("?")[0]
                if not self._authorized():
                    return
                model = body.get("model") if isinstance(body, dict) else None
                if model in server.retired_models and path in ("/v1/messages", "/v1/messages/count_tokens"):
                    self._send_json(404, {"type": "error", "error": {"type": "not_found_error",
                                                                     "message": f"model: {model}"}})
                    return
                if path == "/v1/messages/count_tokens":
                    self._send_json(200, {"input_tokens": server.input_tokens_for_count})
                elif path == "/v1/messages":
                    reply = server.next_reply()
                    if reply.status != 200:
                        self._send_error(reply)
                    elif body.get("stream"):
                        self._send_stream(server.message_json(reply, body["model"]), reply.stream_error)
                    else:
                        self._send_json(200, server.message_json(reply, body["model"]))
                elif path == "/v1/messages/batches":
                    self._send_json(200, server.create_batch(body["requests"], self.headers.get("host")))
                else:
                    self._send_json(404, {"type": "error", "error": {"type": "not_found_error", "message": path}})

            def do_GET(self) -> None:  # noqa: N802
                self._record()
                if not self._authorized():
                    return
                parts = self.path.split("?")[0].strip("/").split("/")
                if parts[:3] == ["v1", "messages", "batches"] and len(parts) == 4:
                    self._send_json(200, server.poll_batch(parts[3]))
                elif parts[:3] == ["v1", "messages", "batches"] and len(parts) == 5 and parts[4] == "results":
                    self._send_json(200, server.batch_results(parts[3]), content_type="application/binary")
                else:
                    self._send_json(404, {"type": "error", "error": {"type": "not_found_error", "message": self.path}})

            def _send_stream(self, msg: dict[str, Any], stream_error: str = "") -> None:
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.send_header("cache-control", "no-cache")
                self.send_header("connection", "close")
                self.end_headers()
                events = stream_events(msg)
                if stream_error:  # the API reports an error that happens mid-stream as an SSE event
                    cut = next(i for i, e in enumerate(events) if e["type"] == "content_block_stop") + 1
                    events = [*events[:cut], {"type": "error", "error": {"type": stream_error,
                                                                         "message": "scripted mid-stream error"}}]
                for event in events:
                    self.wfile.write(f"event: {event['type']}\ndata: {json.dumps(event)}\n\n".encode())
                    self.wfile.flush()
                self.close_connection = True

        return Handler

    # batches
    def create_batch(self, requests: list[dict[str, Any]], host: str | None) -> dict[str, Any]:
        batch_id = self.new_id("msgbatch")
        results = []
        for request in requests:
            reply = self.next_reply()
            if reply.status == 200:
                result = {"type": "succeeded", "message": self.message_json(reply, request["params"]["model"])}
            else:
                result = {"type": "errored", "error": {"type": "error", "error": {
                    "type": reply.error_type, "message": reply.error_message}}}
            results.append({"custom_id": request["custom_id"], "result": result})
        self.batches[batch_id] = {"polls": 0, "results": results}
        return self._batch_json(batch_id, ended=False)

    def poll_batch(self, batch_id: str) -> dict[str, Any]:
        batch = self.batches[batch_id]
        batch["polls"] += 1
        return self._batch_json(batch_id, ended=batch["polls"] > self.batch_polls_before_end)

    def batch_results(self, batch_id: str) -> bytes:
        return "".join(json.dumps(r) + "\n" for r in self.batches[batch_id]["results"]).encode()

    def _batch_json(self, batch_id: str, *, ended: bool) -> dict[str, Any]:
        results = self.batches[batch_id]["results"]
        succeeded = sum(r["result"]["type"] == "succeeded" for r in results)
        counts = {"processing": 0 if ended else len(results), "succeeded": succeeded if ended else 0,
                  "errored": len(results) - succeeded if ended else 0, "canceled": 0, "expired": 0}
        return {
            "id": batch_id, "type": "message_batch", "processing_status": "ended" if ended else "in_progress",
            "request_counts": counts, "created_at": "2026-11-29T00:00:00Z", "expires_at": "2026-11-30T00:00:00Z",
            "ended_at": "2026-11-29T00:01:00Z" if ended else None, "archived_at": None,
            "cancel_initiated_at": None,
            "results_url": f"{self.url}/v1/messages/batches/{batch_id}/results" if ended else None,
        }


def stream_events(msg: dict[str, Any], chunk_chars: int = 40) -> list[dict[str, Any]]:
    """The server-sent events the Messages API streams for ``msg``: ``message_start``, per block a
    ``content_block_start``, its deltas and a ``content_block_stop``, then ``message_delta`` (stop reason,
    final usage) and ``message_stop``."""
    usage = msg["usage"]
    start_usage = {**usage, "output_tokens": 1}
    start_usage.pop("server_tool_use", None)
    events: list[dict[str, Any]] = [{"type": "message_start", "message": {
        **msg, "content": [], "stop_reason": None, "usage": start_usage}}, {"type": "ping"}]
    for index, block in enumerate(msg["content"]):
        if block["type"] == "text":
            events.append({"type": "content_block_start", "index": index,
                           "content_block": {"type": "text", "text": ""}})
            text = block["text"]
            for i in range(0, len(text), chunk_chars):
                events.append({"type": "content_block_delta", "index": index,
                               "delta": {"type": "text_delta", "text": text[i:i + chunk_chars]}})
            for citation in block.get("citations") or []:
                events.append({"type": "content_block_delta", "index": index,
                               "delta": {"type": "citations_delta", "citation": citation}})
        elif block["type"] in ("tool_use", "server_tool_use"):
            events.append({"type": "content_block_start", "index": index,
                           "content_block": {**block, "input": {}}})
            events.append({"type": "content_block_delta", "index": index,
                           "delta": {"type": "input_json_delta", "partial_json": json.dumps(block["input"])}})
        else:  # result blocks arrive whole
            events.append({"type": "content_block_start", "index": index, "content_block": block})
        events.append({"type": "content_block_stop", "index": index})
    events.append({"type": "message_delta", "delta": {"stop_reason": msg["stop_reason"], "stop_sequence": None},
                   "usage": usage})
    events.append({"type": "message_stop"})
    return events
