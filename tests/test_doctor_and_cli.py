"""`techpm doctor` and the `techpm` command, run as a learner would (a real subprocess)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT

FAKE_KEY = "sk-ant-api03-" + "x" * 40


def _run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "techpm.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, **(env or {})}, timeout=120)


def test_doctor_offline_prints_a_table_and_never_the_key():
    offline = _run("doctor")
    assert offline.returncode == 0, offline.stderr
    for item in ("Python", "jupyterlab", "ipywidgets", "matplotlib", "techpm", "Anthropic key", "offline"):
        assert item in offline.stdout
    online = _run("doctor", env={"ANTHROPIC_API_KEY": FAKE_KEY})
    assert "configured (from the ANTHROPIC_API_KEY environment variable)" in online.stdout
    assert "online" in online.stdout
    assert FAKE_KEY not in online.stdout + online.stderr and "x" * 20 not in online.stdout


def test_cli_dev_check_and_exercise_check_pass_on_the_repo():
    assert _run("dev", "check").returncode == 0
    result = _run("exercises", "build", "--check")
    assert result.returncode == 0 and "up to date" in result.stdout


def test_cli_reports_bad_usage_clearly():
    result = _run("exercises", "teleport")
    assert result.returncode == 2 and "invalid choice" in result.stderr


def test_import_techpm_is_light():
    code = "import sys, techpm; print(sorted(m for m in ('numpy', 'matplotlib', 'anthropic', 'ipywidgets') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]"
