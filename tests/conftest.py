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
