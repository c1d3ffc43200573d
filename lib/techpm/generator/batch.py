"""Many answers at half price: the Message Batches API, for instructors filling the answer cache.

The questions that are not cached yet go to Anthropic in one batch (``messages.batches.create``); the
batch is polled (``retrieve``) with a progress bar until it ends; its results (JSONL) become answers,
which are written to the cache, so a workshop's notebooks then show them at no cost. Batched requests
are billed at half the token price (the table's ``batch_discount``); web search is billed per search.
Most batches finish within an hour and every batch ends within 24 hours (Anthropic, "Batch processing":
https://platform.claude.com/docs/en/build-with-claude/batch-processing).

A batched request cannot stop for a calculator and continue, so batched answers get web search but not
the calculator tools (each says so in its notice); the system prompt, the model and the cache key are
those of ``generate``, and so are the other notices (research shortfall, ``pause_turn``, length limit).

Nothing paid for is lost: the batch's id is written beside the cache (``batches/<hash>.json``) before
the wait begins, so a run that is interrupted (a closed laptop, a restarted kernel) picks the same batch
up again on the next call with the same questions instead of paying for a second one.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Any

from techpm.generator.answer import Answer, _in_notebook

CALCULATORS_NOTE = ("calculators are not available in batch mode, so the numbers are Claude's own, not "
                    "computed by the course's calculators")


class Progress:
    """A text progress bar for a polled batch: one updating display in a notebook, one ``\\r`` line in a terminal."""

    def __init__(self, total: int, enabled: bool = True, width: int = 30) -> None:
        self.total, self.enabled, self.width = total, enabled, width
        self.started = time.monotonic()
        self._handle: Any = None
        self._notebook = enabled and _in_notebook()

    def line(self, done: int, status: str) -> str:
        filled = round(self.width * done / self.total) if self.total else self.width
        elapsed = time.monotonic() - self.started
        return (f"[{'#' * filled}{'.' * (self.width - filled)}] {done}/{self.total} answered · batch {status} · "
                f"{elapsed:.0f} s elapsed")

    def update(self, done: int, status: str) -> None:
        if not self.enabled:
            return
        text = self.line(done, status)
        if self._notebook:
            from IPython.display import display

            if self._handle is None:
                self._handle = display({"text/plain": text}, raw=True, display_id=True)
            else:
                self._handle.update({"text/plain": text}, raw=True)
        else:
            print("\r" + text, end="", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.enabled and not self._notebook:
            print(file=sys.stderr)


def _done(batch: Any) -> int:
    counts = batch.request_counts
    return int(counts.succeeded + counts.errored + counts.canceled + counts.expired)


def generate_many(questions: list[str], *, model: str | None = None, max_cost_usd: float | None = None,
                  poll_interval_s: float = 30.0, progress: bool = True, web_search: bool = True) -> list[Answer]:
    """See ``techpm.generator.generate_many``."""
    from techpm.config import SETTINGS
    from techpm.errors import TechpmError
    from techpm.generator import (
        _check_cost,
        _check_question,
        cache,
        offline_answer,
        retired_model_notice,
        why_offline,
    )
    from techpm.generator.prompts import PROMPT_VERSION
    from techpm.tables import get_api_price

    if isinstance(questions, str):
        raise TechpmError("questions must be a list of questions, not one string: use techpm.generate for one.")
    questions = [_check_question(q) for q in questions]
    if isinstance(poll_interval_s, bool) or not isinstance(poll_interval_s, (int, float)) or not poll_interval_s >= 0:
        raise TechpmError(f"poll_interval_s must be >= 0, got {poll_interval_s!r}.")
    cap = _check_cost(max_cost_usd)
    model = model or SETTINGS.claude_model
    reason = retired_model_notice(model)
    if reason:
        return [offline_answer(q, reason) for q in questions]
    get_api_price(model)
    reason = why_offline("auto")
    if reason:
        return [offline_answer(q, reason) for q in questions]

    keys = [cache.cache_key(q, "claude", model, PROMPT_VERSION) for q in questions]
    answers: dict[str, Answer] = {}
    for key in keys:
        hit = cache.load(key)
        if hit is not None:
            answers[key] = hit
    todo = {key: q for key, q in zip(keys, questions, strict=True) if key not in answers}
    if todo:
        try:
            answers.update(_run_batch(todo, model=model, cap=cap, poll_interval_s=poll_interval_s,
                                      progress=progress, web_search=web_search))
        except Exception as exc:  # as in generate: the offline answer with the reason, never a traceback
            from techpm.generator.client import ClaudeError
            from techpm.keys import find_api_key, redact

            why = str(exc) if isinstance(exc, ClaudeError) else redact(
                f"The batch failed unexpectedly ({type(exc).__name__}: {exc}).", find_api_key().key)
            for key, q in todo.items():
                if key not in answers:
                    answers[key] = offline_answer(q, why)
    return [answers[key] for key in keys]


def pending_path(todo: dict[str, str], model: str) -> Path:
    """Where the id of the batch for these questions is kept while it runs (beside the answer cache)."""
    from techpm.generator import cache

    digest = hashlib.sha256(json.dumps([model, sorted(todo)]).encode()).hexdigest()[:24]
    return cache.cache_dir().parent / "batches" / f"{digest}.json"


def _read_pending(path: Path) -> dict[str, Any] | None:
    """The stored batch (id and custom ids), or None when there is none or it cannot be trusted."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("batch_id"), str) or not isinstance(data.get("ids"), dict):
        return None
    return data


def _run_batch(todo: dict[str, str], *, model: str, cap: float | None, poll_interval_s: float,
               progress: bool, web_search: bool) -> dict[str, Answer]:
    from techpm.config import SETTINGS
    from techpm.generator import cache, claude, offline_answer
    from techpm.generator import client as claude_client
    from techpm.keys import find_api_key, redact

    cl = claude_client.client()
    pending = pending_path(todo, model)
    stored = _read_pending(pending)
    if stored is not None and set(stored["ids"].values()) == set(todo):
        ids = {str(k): str(v) for k, v in stored["ids"].items()}
        batch = claude_client._call(cl.messages.batches.retrieve, message_batch_id=stored["batch_id"])
    else:
        ids, requests = {}, []
        estimates = []
        max_tokens = claude.answer_max_tokens(SETTINGS.thinking_budget_tokens)
        for n, (key, question) in enumerate(todo.items()):
            system, messages, tools = claude.answer_request(question, model, web_search=web_search, calculators=False)
            params: dict[str, Any] = {"model": model, "max_tokens": max_tokens, "system": system,
                                      "messages": messages,
                                      **claude.answer_options(SETTINGS.thinking_budget_tokens, SETTINGS.effort)}
            if tools:
                params["tools"] = tools
            custom_id = f"q{n:05d}"
            ids[custom_id] = key
            requests.append({"custom_id": custom_id, "params": params})
            estimates.append(claude_client.estimate(cl, model=model, system=system, messages=messages, tools=tools,
                                             max_tokens=max_tokens, batch=True))
        total = claude_client.Estimate(model, sum(e.input_tokens for e in estimates),
                                sum(e.max_output_tokens for e in estimates),
                                sum(e.max_searches for e in estimates), sum(e.usd for e in estimates))
        claude_client.check_budget(total, cap)
        batch = claude_client._call(cl.messages.batches.create, requests=requests)
        # before any waiting: an interrupted run finds this batch again instead of paying for another
        cache.write_json(pending, {"batch_id": batch.id, "model": model, "ids": ids})
    bar = Progress(len(ids), enabled=progress)
    bar.update(_done(batch), batch.processing_status)
    while batch.processing_status != "ended":
        time.sleep(poll_interval_s)
        batch = claude_client._call(cl.messages.batches.retrieve, message_batch_id=batch.id)
        bar.update(_done(batch), batch.processing_status)
    bar.close()

    answers: dict[str, Answer] = {}
    results = claude_client._call(cl.messages.batches.results, message_batch_id=batch.id)
    for item in results:
        key = ids.get(item.custom_id)
        if key is None:
            continue
        question = todo[key]
        if item.result.type == "succeeded":
            message = item.result.message
            conv = claude_client.Conversation(model=model, web_search_offered=web_search and SETTINGS.max_searches > 0)
            conv.transcript.add_message(message)
            conv.add_usage(claude_client.usage_of(message.usage), batch=True)
            conv.stop_reason = message.stop_reason
            conv.notes.append(CALCULATORS_NOTE)
            answer = claude.answer_from(question, conv, estimate_usd=None)
            cache.store(key, answer)
            answers[key] = answer
        else:
            detail = ""
            error = getattr(item.result, "error", None)
            inner = getattr(error, "error", None)
            if inner is not None and getattr(inner, "message", None):
                detail = f": {inner.message}"
            answers[key] = offline_answer(question, redact(
                f"The batched request {item.result.type}{detail}.",
                find_api_key().key))
    for key, question in todo.items():
        if key not in answers:
            answers[key] = offline_answer(question, "The batch returned no result for this question.")
    pending.unlink(missing_ok=True)  # every result is in: the batch is done with
    return answers
