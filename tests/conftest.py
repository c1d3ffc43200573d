"""Test-wide settings. They are applied at import, so the notebook kernels that nbval and papermill start
inherit them too: no API key (every notebook must run offline), and a throwaway answer cache."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ.pop("ANTHROPIC_API_KEY", None)
os.environ.pop("MPLBACKEND", None)
os.environ["PYTHONHASHSEED"] = "0"
os.environ.setdefault("TECHPM_CACHE_DIR", tempfile.mkdtemp(prefix="techpm-test-cache-"))

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


# --- the Claude path against the local fake server (tests/fake_anthropic.py) ---------------------------------

FAKE_KEY = "sk-ant-api03-FAKE-test-key-0123456789abcdefghij"
MODEL = "claude-haiku-5-5"
QUESTION = "Design a RAG system for a law firm's contracts"


@pytest.fixture
def settings(monkeypatch, tmp_path):
    """Online settings with a private cache folder and the default cap."""
    import dataclasses

    from techpm import config

    monkeypatch.setattr(config, "SETTINGS", dataclasses.replace(
        config.SETTINGS, offline=False, claude_model=MODEL, cache_dir=tmp_path / "cache", max_cost_usd=0.50))
    return config.SETTINGS


@pytest.fixture
def server(monkeypatch, settings):
    """The fake Anthropic API, with the course's key and base URL pointing at it."""
    from tests.fake_anthropic import FakeAnthropic

    with FakeAnthropic(valid_key=FAKE_KEY) as fake:
        monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)
        monkeypatch.setenv("ANTHROPIC_BASE_URL", fake.url)
        yield fake
