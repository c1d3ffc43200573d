"""The framework generator: a six-section answer to a technical AI product question.

    answer = techpm.generate("Design a RAG system for a law firm's contracts")
    answer.markdown, answer.sections, answer.backend, answer.model, answer.citations,
    answer.usage, answer.cost_usd, answer.notice

Backends: ``"claude"`` (the Anthropic API: web research, the course's calculators as tools; see
``claude.py``) and ``"offline"`` (deterministic templates filled by the calculators; ``offline.py``).
``"auto"`` uses Claude when an API key is found and ``techpm.configure(offline=True)`` was not set.
Whatever goes wrong on the way to Claude (no key, no network, a rejected key, a refused cost, an API
error) the result is the offline answer with a one-line ``notice`` saying why: a notebook never stops
on a traceback. Claude's answers are cached on disk (``cache.py``), so re-running a notebook costs
nothing. Heavy modules (the SDK) load only when Claude is used.
"""

from __future__ import annotations

import logging

from techpm.generator.answer import Answer, Citation, LiveDisplay, Section, Usage

__all__ = ["BACKENDS", "Answer", "Citation", "Section", "Usage", "generate", "generate_many"]

BACKENDS = ("auto", "claude", "offline")
log = logging.getLogger(__name__)


def _check_question(question: object) -> str:
    from techpm.errors import TechpmError

    if not isinstance(question, str) or not question.strip():
        raise TechpmError(f"question must be a non-empty string, got {question!r}.")
    return question.strip()


def _check_backend(backend: object) -> str:
    from techpm.errors import TechpmError, did_you_mean

    if backend not in BACKENDS:
        raise TechpmError(f"backend={backend!r} is not a backend;{did_you_mean(str(backend), BACKENDS)} "
                          f"choose one of {', '.join(BACKENDS)}.")
    return str(backend)


def _check_cost(max_cost_usd: float | None) -> float | None:
    """The cap for this call: ``max_cost_usd``, else the session's; a finite number >= 0 or None
    (``techpm.config.check_cap``: NaN, infinity, negatives and non-numbers are refused)."""
    from techpm.config import SETTINGS, check_cap

    return check_cap(SETTINGS.max_cost_usd if max_cost_usd is None else max_cost_usd)


def offline_answer(question: str, reason: str | None = None) -> Answer:
    """The offline generator's answer; ``reason`` (why it is not Claude's), when given, opens its notice,
    followed by the offline generator's own line on what it is."""
    from techpm.generator import offline

    answer = offline.answer(question)
    if reason:
        answer.notice = f"{reason} {answer.notice or OFFLINE_LINE}"
    return answer


OFFLINE_LINE = "This is the offline generator's answer."


def why_offline(backend: str) -> str | None:
    """Why ``backend`` resolves to the offline generator right now: None when Claude can be called, ''
    when the offline generator was asked for (no notice needed), else the one-line reason."""
    from techpm.config import SETTINGS
    from techpm.keys import ENV_VAR, find_api_key

    if backend == "offline":
        return ""
    if SETTINGS.offline:
        return "Offline mode is on (techpm.configure(offline=True) or OFFLINE=True)."
    key = find_api_key()
    if not key.present:
        if key.colab_problem:  # "access not granted" is not "no key": say which
            reason = key.missing_reason()
            return f"{reason[0].upper()}{reason[1:]} (then run the notebook again to use Claude)."
        return f"No Anthropic API key found (set {ENV_VAR}, or a Colab secret, to use Claude)."
    return None


def generate(question: str, *, backend: str = "auto", model: str | None = None,
             max_cost_usd: float | None = None, stream: bool = True) -> Answer:
    """The six-section answer to ``question``.

    backend: "auto" (Claude with a key, else offline), "claude" or "offline".
    model: the Claude model id (default ``techpm.config.SETTINGS.claude_model``).
    max_cost_usd: refuse a Claude call whose estimated cost is above this (default
        ``SETTINGS.max_cost_usd``; None in both for no cap). Nothing is sent when it is refused.
    stream: show the answer as it is written (Markdown in a notebook, text in a terminal), then the
        finished answer with its sources and its backend, model, tokens and cost. False shows nothing.
    """
    from techpm.config import SETTINGS
    from techpm.tables import get_api_price

    question = _check_question(question)
    backend = _check_backend(backend)
    cap = _check_cost(max_cost_usd)
    model = model or SETTINGS.claude_model
    display = LiveDisplay(enabled=stream)
    reason = why_offline(backend)
    if reason and not SETTINGS.offline:
        # No key, but an instructor may have shared a cache of Claude's answers (generate_many): use it.
        cached = _cached_claude_answer(question, model)
        if cached is not None:
            display.finish(cached)
            return cached
    if reason is not None:
        answer = offline_answer(question, reason or None)
        display.finish(answer)
        return answer
    retired = retired_model_notice(model)
    if retired:  # a retired model: the offline answer, saying which model to use instead
        answer = offline_answer(question, retired)
        display.finish(answer)
        return answer
    get_api_price(model)  # an unknown model id fails here, with a suggestion
    answer = _claude_or_offline(question, model, cap, display)
    display.finish(answer)
    return answer


def retired_model_notice(model: str) -> str | None:
    """The one-sentence notice for a model the course knows has retired (date and successor), else None."""
    from techpm import lifecycle

    if model in lifecycle.lifecycles() or model in lifecycle.sdk_deprecations():
        return lifecycle.retired_message(model)
    return None


def _cached_claude_answer(question: str, model: str) -> Answer | None:
    """Claude's earlier answer to ``question`` from the disk cache (this machine's or a shared one)."""
    from techpm.generator import cache
    from techpm.generator.prompts import PROMPT_VERSION

    return cache.load(cache.cache_key(question, "claude", model, PROMPT_VERSION))


def _claude_or_offline(question: str, model: str, cap: float | None, display: LiveDisplay) -> Answer:
    from techpm.generator import cache
    from techpm.generator.prompts import PROMPT_VERSION
    from techpm.keys import find_api_key, redact

    cached = _cached_claude_answer(question, model)
    if cached is not None:
        return cached
    key = cache.cache_key(question, "claude", model, PROMPT_VERSION)
    try:
        from techpm.generator import claude

        answer = claude.generate(question, model=model, max_cost_usd=cap, display=display if display.enabled else None)
    except Exception as exc:  # any failure on the way to Claude becomes the offline answer
        from techpm.generator.client import ClaudeError

        if isinstance(exc, ClaudeError):
            reason = str(exc)
        else:  # not expected: keep the notebook running, and say what happened in one line
            reason = redact(f"The call to Claude failed unexpectedly ({type(exc).__name__}: {exc}).",
                            find_api_key().key)
            log.warning("%s", reason)
        return offline_answer(question, reason)
    cache.store(key, answer)
    return answer


def generate_many(questions: list[str], *, model: str | None = None, max_cost_usd: float | None = None,
                  poll_interval_s: float = 30.0, progress: bool = True, web_search: bool = True) -> list[Answer]:
    """Answer many questions through the Message Batches API (half the token price), filling the cache.

    For instructors preparing a workshop's worked examples: questions already cached are not sent again;
    the rest go in one batch whose estimated cost must be within ``max_cost_usd`` (default
    ``SETTINGS.max_cost_usd``); a progress bar shows while the batch is polled every ``poll_interval_s``.
    Answers come back in the order of ``questions``; a question that could not be answered by Claude
    gets the offline answer with a notice, as in ``generate``. The batch id is stored beside the cache
    before the wait: call again with the same questions after an interruption and the same batch is
    picked up, not paid for twice."""
    from techpm.generator import batch

    return batch.generate_many(questions, model=model, max_cost_usd=max_cost_usd,
                               poll_interval_s=poll_interval_s, progress=progress, web_search=web_search)
