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

    @property
    def present(self) -> bool:
        return bool(self.key)

    def describe(self) -> str:
        return {
            "environment": f"configured (from the {ENV_VAR} environment variable)",
            "colab-secret": f"configured (from the Colab secret {ENV_VAR})",
            "prompt": "configured (typed in at the prompt for this session)",
        }.get(self.source, f"not configured (set {ENV_VAR} to use Claude)")


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
        try:
            from google.colab import userdata  # type: ignore[import-not-found]

            key = (userdata.get(ENV_VAR) or "").strip()
        except Exception:  # missing secret or access not granted: continue offline
            key = ""
        if key:
            return KeyInfo("colab-secret", key)
    if _PROMPTED is not None:
        return _PROMPTED
    return KeyInfo("none")


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
