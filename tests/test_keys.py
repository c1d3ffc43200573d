"""The API key: found where a learner puts it, never shown."""

from __future__ import annotations

import sys
import types

from techpm import keys

FAKE_KEY = "sk-ant-api03-" + "k" * 40


def test_environment_key_is_found_and_hidden(monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)
    info = keys.find_api_key()
    assert info.present and info.source == "environment"
    assert FAKE_KEY not in repr(info) and FAKE_KEY not in info.describe()


def test_colab_secret_is_used_and_a_missing_secret_is_not_an_error(monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    userdata = types.SimpleNamespace(get=lambda name: FAKE_KEY)
    colab = types.ModuleType("google.colab")
    colab.userdata = userdata
    monkeypatch.setitem(sys.modules, "google", types.ModuleType("google"))
    monkeypatch.setitem(sys.modules, "google.colab", colab)
    assert keys.in_colab() and keys.find_api_key().source == "colab-secret"

    def missing(name):
        raise RuntimeError("SecretNotFoundError")

    colab.userdata = types.SimpleNamespace(get=missing)
    assert keys.find_api_key().source == "none"


def test_redact_removes_keys():
    text = f"Error: bad key {FAKE_KEY} and sk-ant-other12345678"
    assert "sk-ant" not in keys.redact(text, FAKE_KEY)
