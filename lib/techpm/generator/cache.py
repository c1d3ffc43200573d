"""The answer cache: one JSON file per answer, so re-running a notebook costs nothing.

A file's name is a hash of what determines the answer: the question (whitespace-normalised), the
backend, the model and the prompt version. Writes are atomic (a temporary file in the same folder, then
``os.replace``), so an interrupted run never leaves half a file. A file that does not parse is ignored
with a warning and overwritten by the next answer; it never stops a notebook. The files hold the answer
and its usage, never the API key.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import warnings
from pathlib import Path

from techpm.generator.answer import Answer

FORMAT_VERSION = 1


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


def load(key: str, directory: Path | None = None) -> Answer | None:
    """The cached answer under ``key``, or None when there is none or the file is unreadable."""
    path = path_for(key, directory)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        warnings.warn(f"techpm: ignoring unreadable cache file {path.name} ({exc.strerror}).", stacklevel=2)
        return None
    try:
        data = json.loads(text)
        if data.get("format") != FORMAT_VERSION:
            return None
        answer = Answer.from_dict(data["answer"])
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        warnings.warn(f"techpm: ignoring corrupt cache file {path} ({type(exc).__name__}); "
                      "the answer will be generated again.", stacklevel=2)
        return None
    answer.cached = True
    return answer


def store(key: str, answer: Answer, directory: Path | None = None) -> Path:
    """Write ``answer`` under ``key`` atomically; returns the file's path."""
    path = path_for(key, directory)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"format": FORMAT_VERSION, "answer": answer.to_dict()}, indent=1, ensure_ascii=False)
    fd, tmp = tempfile.mkstemp(prefix=f".{key}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
