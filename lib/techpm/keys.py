"""Where the Anthropic API key comes from, without ever showing it.

Order: the ``ANTHROPIC_API_KEY`` environment variable, then (in Google Colab) the notebook's secret of
the same name, then nothing: the course runs offline. The key is handed to the SDK and nowhere else;
it is never printed, logged, cached or put in a repr or an exception message.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

ENV_VAR = "ANTHROPIC_API_KEY"


@dataclass(frozen=True)
class KeyInfo:
    """Whether a key was found and where; the key itself is kept out of the repr."""

    source: str  # "environment", "colab-secret", "prompt" or "none"
    key: str | None = field(default=None, repr=False)
    colab_problem: str = ""  # why a Colab secret could not be read ("not-granted", "missing", "error")

    @property
    def present(self) -> bool:
        return bool(self.key)

    def describe(self) -> str:
        return {
            "environment": f"configured (from the {ENV_VAR} environment variable)",
            "colab-secret": f"configured (from the Colab secret {ENV_VAR})",
            "prompt": "configured (typed in at the prompt for this session)",
        }.get(self.source, f"not configured ({self.missing_reason()}; set {ENV_VAR} to use Claude)")

    def missing_reason(self) -> str:
        """Why there is no key, in a few words (Colab's "access not granted" is not "no key")."""
        if self.colab_problem == "not-granted":
            return (f"the Colab secret {ENV_VAR} exists but this notebook was not granted access to it: "
                    "open the key icon in the left bar and switch on notebook access")
        if self.colab_problem == "error":
            return f"the Colab secret {ENV_VAR} could not be read"
        return "no Anthropic key found"


_PROMPTED: KeyInfo | None = None


def in_colab() -> bool:
    """True inside Google Colab."""
    return "google.colab" in sys.modules


def find_api_key() -> KeyInfo:
    """The Anthropic key from the environment, a Colab secret, or an earlier prompt; else none."""
    key = os.environ.get(ENV_VAR, "").strip()
    if key:
        return KeyInfo("environment", key)
    if in_colab():
        problem = ""
        try:
            from google.colab import userdata  # type: ignore[import-not-found]

            key = str(userdata.get(ENV_VAR) or "").strip()
        except Exception as exc:  # missing secret or access not granted: continue offline, saying which
            key, problem = "", _colab_problem(exc)
        if key:
            return KeyInfo("colab-secret", key)
        if _PROMPTED is not None:
            return _PROMPTED
        return KeyInfo("none", colab_problem=problem)
    if _PROMPTED is not None:
        return _PROMPTED
    return KeyInfo("none")


def _colab_problem(exc: BaseException) -> str:
    """Colab's ``userdata`` raises ``NotebookAccessError`` when the notebook was not granted access to
    the secret, and ``SecretNotFoundError`` when there is no such secret."""
    name = type(exc).__name__
    if "Access" in name or "not granted" in str(exc).lower():
        return "not-granted"
    if "NotFound" in name:
        return "missing"
    return "error"


def prompt_for_api_key() -> KeyInfo:
    """Ask for the key with a hidden prompt (``getpass``) and keep it in memory for this session only."""
    global _PROMPTED
    import getpass

    key = getpass.getpass(f"{ENV_VAR} (input hidden; kept in memory only): ").strip()
    _PROMPTED = KeyInfo("prompt", key) if key else None
    return _PROMPTED or KeyInfo("none")


def redact(text: str, key: str | None = None) -> str:
    """``text`` with the key (and anything shaped like an Anthropic key) replaced by '[redacted]'."""
    import re

    if key:
        text = text.replace(key, "[redacted]")
    return re.sub(r"sk-ant-[A-Za-z0-9_\-]{8,}", "[redacted]", text)
