"""Issue 21: retired models and stale prices never break the course or mislead a learner.

The lifecycle test runs with today's date: it fails before a learner does, as soon as a model id the
course uses is retired, deprecated in the SDK, or retires within ``HORIZON_DAYS``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import subprocess
import sys

import pytest

from techpm import config, doctor, lifecycle
from techpm.errors import TechpmError
from techpm.generator import claude, generate, generate_many
from techpm.generator import client as claude_client
from tests.conftest import FAKE_KEY, QUESTION, ROOT
from tests.fake_anthropic import FakeAnthropic

RETIRING = "claude-sonnet-4-5"  # retires 2026-11-30 (SDK 2.14's deprecation table)
AFTER = dt.date(2026, 12, 1)


# --- 1. one place for lifecycles, checked against the SDK's own table -----------------------------------------

def test_the_lifecycle_table_agrees_with_the_sdk():
    uses = lifecycle.course_model_uses(ROOT)
    assert lifecycle.disagreements([*uses, *lifecycle.lifecycles()]) == []
    sdk = lifecycle.sdk_deprecations()
    assert sdk, "the installed anthropic SDK should carry its deprecation table (anthropic._data)"
    for model, date in sdk.items():
        assert lifecycle.lifecycles()[model].retires_on == date


def test_a_disagreement_with_the_sdk_is_reported(monkeypatch):
    monkeypatch.setattr(lifecycle, "sdk_deprecations", lambda: {"claude-haiku-5-5": dt.date(2027, 1, 1)})
    (line,) = lifecycle.disagreements(["claude-haiku-5-5"])
    assert "claude-haiku-5-5" in line and "2027-01-01" in line


def test_every_priced_claude_row_has_a_lifecycle_and_successors_are_priced():
    from techpm.tables import api_model_ids, load_table

    table = lifecycle.lifecycles()
    for row in load_table("api_prices"):
        if row["provider"] == "Anthropic":
            assert row["id"] in table and row["lifecycle_source_url"].startswith("https://")
    for entry in table.values():
        assert entry.successor is None or entry.successor in api_model_ids()


# --- 2. the course uses no retired, deprecated or retiring model ------------------------------------------------

def test_no_model_the_course_uses_is_retired_deprecated_or_retiring_soon():
    uses = lifecycle.course_model_uses(ROOT)
    assert "claude-haiku-5-5" in uses and "lib/techpm/config.py" in uses["claude-haiku-5-5"]
    assert any(path.startswith("notebooks/") for path in uses["claude-haiku-5-5"])
    assert lifecycle.course_problems(ROOT) == []


def test_the_lifecycle_check_fails_on_a_course_that_uses_a_retired_id(tmp_path):
    (tmp_path / "README.md").write_text(f"Call `{RETIRING}` for answers.")
    (tmp_path / "notebooks").mkdir()
    notebook = {"cells": [{"cell_type": "code", "source": [f'CLAUDE_MODEL = "{RETIRING}"\n'], "metadata": {},
                           "outputs": []},
                          {"cell_type": "markdown", "source": ["prose about claude-opus-4-5"], "metadata": {}}]}
    (tmp_path / "notebooks" / "00_x.ipynb").write_text(json.dumps(notebook))
    lines = lifecycle.course_problems(tmp_path)
    assert lines and all("claude-sonnet-5-5" in line for line in lines)  # the successor is named
    assert any(line.startswith("notebooks/00_x.ipynb, README.md: claude-sonnet-4-5 is deprecated") for line in lines)
    assert not any("claude-opus-4-5" in line for line in lines)  # markdown prose is not a call
    after = lifecycle.course_problems(tmp_path, AFTER)
    assert any("is retired (since 2026-11-30)" in line for line in after)


def test_a_model_retiring_within_the_horizon_is_flagged(monkeypatch):
    entry = lifecycle.lifecycles()["claude-haiku-5-5"]
    soon = dataclasses.replace(entry, retires_on=lifecycle.today() + dt.timedelta(days=30), successor="claude-sonnet-5-5")
    monkeypatch.setattr(lifecycle, "lifecycles", lambda: {"claude-haiku-5-5": soon})
    (problem,) = lifecycle.problems("claude-haiku-5-5")
    assert "within 60 days" in problem and "claude-sonnet-5-5" in problem


# --- 3. at run time: one sentence, and the offline answer ------------------------------------------------------

def test_configure_refuses_a_retired_model_with_its_date_and_successor(monkeypatch, settings):
    monkeypatch.setattr(lifecycle, "today", lambda: AFTER)
    with pytest.raises(TechpmError, match=r"retired on 2026-11-30: .*use claude-sonnet-5-5 instead"):
        config.configure(claude_model=RETIRING)


def test_generate_with_a_retired_model_falls_back_offline_with_the_notice(monkeypatch, settings):
    monkeypatch.setattr(lifecycle, "today", lambda: AFTER)
    with FakeAnthropic(valid_key=FAKE_KEY) as server:
        monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
        answer = generate(QUESTION, model=RETIRING, stream=False)
        many = generate_many([QUESTION], model=RETIRING, poll_interval_s=0, progress=False)
        assert server.requests == []  # nothing sent for a model known to be gone
    assert answer.backend == "offline" and "retired on 2026-11-30" in answer.notice
    assert "use claude-sonnet-5-5 instead" in answer.notice and "404" not in answer.notice
    assert many[0].backend == "offline" and "retired on 2026-11-30" in many[0].notice


def test_a_404_not_found_from_the_api_gives_the_lifecycle_sentence(monkeypatch, settings):
    with FakeAnthropic(valid_key=FAKE_KEY, retired_models=("claude-sonnet-5",)) as server:
        monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
        answer = generate(QUESTION, model="claude-sonnet-5", stream=False)
        with pytest.raises(claude_client.ClaudeError, match="does not serve the model 'claude-sonnet-5'") as info:
            claude_client.ask("hi", model="claude-sonnet-5")
    assert answer.backend == "offline"
    assert "does not serve the model 'claude-sonnet-5'" in answer.notice and "claude-haiku-5-5" in answer.notice
    assert "is the model id right" not in str(info.value)


def test_a_404_for_a_deprecated_model_names_its_date_and_successor(monkeypatch, settings):
    """A model the SDK still lists but the API already refuses: the sentence has the table's date and successor."""
    import anthropic

    with FakeAnthropic(valid_key=FAKE_KEY, retired_models=(RETIRING,)) as server:
        cl = anthropic.Anthropic(api_key=FAKE_KEY, base_url=server.url, max_retries=0)
        with pytest.raises(claude_client.ClaudeError, match="retired on 2026-11-30: .*use claude-sonnet-5-5") as info:
            claude_client._call(cl.messages.count_tokens, model=RETIRING, messages=[{"role": "user", "content": "hi"}])
    assert FAKE_KEY not in str(info.value)


# --- 4. doctor and dev freshness ---------------------------------------------------------------------------------

def _cli(*args):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "TECHPM_"))}
    return subprocess.run([sys.executable, "-m", "techpm.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**env, "PYTHONPATH": str(ROOT / "lib")}, timeout=120)


def test_doctor_shows_the_models_the_course_calls_and_the_price_table_age():
    result = _cli("doctor")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Claude models and prices:" in result.stdout
    assert "claude-haiku-5-5" in result.stdout and "generator and judge · active" in result.stdout
    assert "API prices" in result.stdout and "oldest" in result.stdout


def test_doctor_warns_about_a_retiring_model_and_fails_on_a_retired_one(monkeypatch, settings):
    monkeypatch.setattr(config, "SETTINGS", dataclasses.replace(settings, claude_model="claude-haiku-5-5"))
    entry = lifecycle.lifecycles()["claude-haiku-5-5"]
    table = {**lifecycle.lifecycles()}
    table["claude-haiku-5-5"] = dataclasses.replace(entry, retires_on=lifecycle.today() + dt.timedelta(days=10),
                                                    successor="claude-sonnet-5-5")
    monkeypatch.setattr(lifecycle, "lifecycles", lambda: table)
    row = next(r for r in doctor.model_rows() if r.item == "claude-haiku-5-5")
    assert row.status == doctor.WARN and "retires on" in row.detail and "claude-sonnet-5-5" in row.detail
    monkeypatch.setattr(lifecycle, "today", lambda: dt.date.today() + dt.timedelta(days=11))
    row = next(r for r in doctor.model_rows() if r.item == "claude-haiku-5-5")
    assert row.status == doctor.FAIL and "retired" in row.detail


def test_dev_freshness_lists_old_rows_with_their_sources():
    stale = _cli("dev", "freshness", "--days", "30")
    assert stale.returncode == 0
    rows = lifecycle.stale_rows(30)
    assert rows and all(row.source_url in stale.stdout and row.as_of in stale.stdout for row in rows)
    assert f"{len(rows)} data row(s) older than 30 days." in stale.stdout
    fresh = _cli("dev", "freshness", "--days", "100000")
    assert "Every data row was checked within the last 100000 days." in fresh.stdout
    bad = _cli("dev", "freshness", "--days", "soon")
    assert bad.returncode == 2 and "whole number of days" in bad.stderr


def test_stale_rows_are_computed_from_as_of():
    when = dt.date(2026, 11, 29)
    rows = lifecycle.stale_rows(120, when)
    assert all(row.age_days > 120 and (when - dt.date.fromisoformat(row.as_of)).days == row.age_days for row in rows)
    assert rows == sorted(rows, key=lambda r: (-r.age_days, r.table, r.id))


# --- 5. "prices as of" beside computed costs ---------------------------------------------------------------------

def test_prices_as_of_names_each_date_and_model():
    from techpm.tables import get_api_price

    line = lifecycle.prices_as_of("claude-haiku-5-5", "claude-sonnet-5-5")
    for model in ("claude-haiku-5-5", "claude-sonnet-5-5"):
        assert get_api_price(model).as_of in line and model in line
    assert line.startswith("Prices as of ")
    assert lifecycle.prices_as_of("claude-haiku-5-5") in claude.model_costs_markdown(claude.model_costs(["claude-haiku-5-5"]))


def test_costs_shown_by_the_generator_carry_the_prices_date():
    from techpm.generator.answer import Answer, Section
    from techpm.tables import get_api_price

    as_of = get_api_price("claude-haiku-5-5").as_of
    answer = Answer("q", [Section(1, "t", "b")], "claude", "claude-haiku-5-5", cost_usd=0.01)
    assert f"cost $0.0100 at prices as of {as_of}" in answer.footer()
    assert f"prices as of {as_of}" in claude.planning_estimate(model="claude-haiku-5-5").describe()
