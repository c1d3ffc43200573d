"""The newcomer's path: with only ``pip install -e .`` (no extras), every lesson, exercise and answer key
runs top to bottom. The suite itself installs the test extras, so without this a lesson could import a
package that only the extras bring (scipy once did) and every other test would stay green."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

RUN = os.environ.get("CI") or os.environ.get("TECHPM_RUNTIME_TEST")


@pytest.mark.skipif(not RUN, reason="builds a fresh venv with `pip install -e .` and runs every notebook "
                                    "(minutes): runs in CI (CI=true) or with TECHPM_RUNTIME_TEST=1")
def test_every_notebook_runs_with_only_the_runtime_dependencies():
    result = subprocess.run([sys.executable, "-m", "techpm.devtools.runtime_check"], cwd=ROOT,
                            capture_output=True, text=True, timeout=1800)
    lines = [line for line in result.stdout.splitlines() if line.startswith(("ok", "FAIL"))]
    expected = sorted(p for d in ("notebooks", "solutions", "exercises") for p in (ROOT / d).glob("*.ipynb"))
    assert len(lines) == len(expected), result.stdout[-3000:] + result.stderr[-3000:]
    assert result.returncode == 0, "\n".join(line for line in lines if line.startswith("FAIL"))
    # The venv really lacks the extras: otherwise the test proves nothing.
    probe = subprocess.run([str(ROOT / "build" / "runtime-venv" / "bin" / "python"), "-c",
                            "import importlib.util as u; print(u.find_spec('pytest') is None)"],
                           capture_output=True, text=True)
    assert probe.stdout.strip() == "True", "the runtime venv has pytest: it is not runtime-only"
