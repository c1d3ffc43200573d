"""The answer cache: one JSON file per answer, so re-running a notebook costs nothing.

A file's name is a hash of what determines the answer: the question (whitespace-normalised), the
backend, the model and the prompt version. Writes are atomic (a temporary file in the same folder, then
``os.replace``), so an interrupted run never leaves half a file. The files hold the answer and its
usage, never the API key.

A paid answer is never lost to the cache: a write that fails (the folder is a file, read-only, full)
warns with the reason and the answer is still returned. Reading never raises either: a file that is
not UTF-8, not JSON, nested too deep, or whose fields have the wrong types or values (a cost that is
NaN, a backend that is not one of ours) is ignored with a warning, and the answer is generated again.
A shared cache (an instructor's, on JupyterHub) is other people's input: every field is checked, and the
Markdown is made display-safe (raw HTML tags are escaped, so only Markdown renders).

Files are written with mode 0644 (readable by everyone who can enter the folder), so the folder's own
mode decides who can read them: a folder the instructor makes group- or world-readable is a shared cache.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import tempfile
import warnings
from pathlib import Path
from typing import Any

from techpm.generator.answer import Answer, Citation, Section, Usage

FORMAT_VERSION = 1
FILE_MODE = 0o644
#: Backends an answer may come from (``Answer.backend``).
KNOWN_BACKENDS = ("claude", "offline")


def cache_key(question: str, backend: str, model: str | None, prompt_version: str) -> str:
    """A stable hex digest of (question, backend, model, prompt version)."""
    normalized = " ".join(question.split())
    payload = json.dumps([FORMAT_VERSION, normalized, backend, model or "", prompt_version])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def cache_dir() -> Path:
    from techpm.config import SETTINGS

    return Path(SETTINGS.cache_dir) / "answers"


def path_for(key: str, directory: Path | None = None) -> Path:
    return (directory or cache_dir()) / f"{key}.json"


def _warn(text: str) -> None:
    warnings.warn(f"techpm: {text}", stacklevel=3)


def load(key: str, directory: Path | None = None) -> Answer | None:
    """The cached answer under ``key``, or None when there is none or the file cannot be trusted
    (never raises; a bad file warns once with the reason)."""
    path = path_for(key, directory)
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        _warn(f"ignoring cache file {path.name}: it is not UTF-8 text; the answer will be generated again.")
        return None
    except OSError as exc:
        _warn(f"ignoring unreadable cache file {path.name} ({exc.strerror or type(exc).__name__}).")
        return None
    try:
        data = json.loads(text)
    except RecursionError:
        _warn(f"ignoring cache file {path.name}: its JSON is nested too deep; the answer will be generated again.")
        return None
    except ValueError as exc:
        _warn(f"ignoring corrupt cache file {path} ({type(exc).__name__}); the answer will be generated again.")
        return None
    if not isinstance(data, dict):
        _warn(f"ignoring corrupt cache file {path} (not a JSON object); the answer will be generated again.")
        return None
    if data.get("format") != FORMAT_VERSION:
        return None
    try:
        answer = answer_from_data(data.get("answer"))
    except (ValueError, TypeError, KeyError, RecursionError) as exc:
        _warn(f"ignoring corrupt cache file {path} ({exc}); the answer will be generated again.")
        return None
    answer.cached = True
    return answer


# --- field-by-field validation ----------------------------------------------------------------------

def _text(value: Any, name: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name} is not text")
    return safe_markdown(value)


def _count(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} is not a whole number >= 0")
    return value


def _dollars(value: Any, name: str, *, optional: bool = False) -> float | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} is not a finite number of dollars >= 0")
    return float(value)


def _list(value: Any, name: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"{name} is not a list")
    return value


def _url(value: Any, name: str) -> str:
    if not isinstance(value, str) or not re.match(r"https?://[^\s<>\"]+$", value):
        raise ValueError(f"{name} is not a web address")
    return value


def answer_from_data(data: Any) -> Answer:
    """An ``Answer`` from the cache's JSON, every field checked (raises ``ValueError`` naming the field)."""
    if not isinstance(data, dict):
        raise ValueError("the answer is not an object")
    backend = data.get("backend")
    if backend not in KNOWN_BACKENDS:
        raise ValueError(f"backend {str(backend)[:20]!r} is not one of {', '.join(KNOWN_BACKENDS)}")
    sections = []
    for i, s in enumerate(_list(data.get("sections"), "sections")):
        if not isinstance(s, dict):
            raise ValueError(f"section {i} is not an object")
        number = s.get("number")
        if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= 6:
            raise ValueError(f"section {i}'s number is not 1 to 6")
        sections.append(Section(number, _text(s.get("title"), "a section title"), _text(s.get("markdown"),
                                                                                          "a section body")))
    if not sections:
        raise ValueError("the answer has no sections")
    citations = []
    for c in _list(data.get("citations"), "citations"):
        if not isinstance(c, dict):
            raise ValueError("a citation is not an object")
        citations.append(Citation(_text(c.get("title"), "a citation title"), _url(c.get("url"), "a citation url")))
    usage_data = data.get("usage") or {}
    if not isinstance(usage_data, dict):
        raise ValueError("usage is not an object")
    usage = Usage(**{name: _count(usage_data.get(name, 0), f"usage.{name}") for name in Usage.__dataclass_fields__})
    tools_used = [_text(t, "tools_used") for t in _list(data.get("tools_used"), "tools_used")]
    notes = data.get("research")
    return Answer(
        question=_text(data.get("question"), "question"),
        sections=sections,
        backend=backend,
        model=_text(data.get("model"), "model", optional=True),
        citations=citations,
        usage=usage,
        cost_usd=_dollars(data.get("cost_usd", 0.0), "cost_usd"),
        notice=_text(data.get("notice"), "notice", optional=True),
        tools_used=tools_used,
        estimated_cost_usd=_dollars(data.get("estimated_cost_usd"), "estimated_cost_usd", optional=True),
        cache_savings_usd=_dollars(data.get("cache_savings_usd", 0.0), "cache_savings_usd"),
        research=_text(notes, "research", optional=True),
    )


_FENCE = re.compile(r"(```.*?(?:```|\Z)|`[^`\n]*`)", re.DOTALL)
_TAG = re.compile(r"<(?=[A-Za-z/!?])")


def safe_markdown(text: str) -> str:
    """``text`` with raw HTML tags escaped (``<img onerror=...>`` shows as text) outside code spans and
    fenced code blocks, where ``<`` is shown as typed anyway. Markdown itself is untouched."""
    parts = _FENCE.split(text)
    return "".join(part if i % 2 else _TAG.sub("&lt;", part) for i, part in enumerate(parts))


# --- writing ------------------------------------------------------------------------------------------

def store(key: str, answer: Answer, directory: Path | None = None) -> Path | None:
    """Write ``answer`` under ``key`` atomically (mode 0644); returns the file's path, or None (with a
    warning that gives the reason) when the cache cannot be written: the answer is never lost to it."""
    path = path_for(key, directory)
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"format": FORMAT_VERSION, "answer": answer.to_dict()}, indent=1, ensure_ascii=False)
        fd, tmp = tempfile.mkstemp(prefix=f".{key}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except (OSError, ValueError, TypeError) as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        _warn(f"could not save the answer to the cache at {path.parent} ({reason}); the answer is shown "
              "but a re-run will ask again.")
        return None
    return path


def write_json(path: Path, data: Any) -> bool:
    """Write a small JSON file atomically (mode 0644) beside the cache; False (with a warning) on failure."""
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=1)
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        _warn(f"could not write {path} ({exc.strerror or type(exc).__name__}).")
        return False
    return True
