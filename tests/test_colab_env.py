"""Every notebook runs in an environment pinned to Google Colab's versions (ipywidgets 7.7.1, matplotlib
3.10, ipykernel 6.17, Python 3.13), installed the way the setup cell installs the course in Colab."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT


def test_every_notebook_runs_with_colabs_versions():
    result = subprocess.run([sys.executable, "-m", "techpm.devtools.colab_env"], cwd=ROOT,
                            capture_output=True, text=True, timeout=1800, env={**os.environ})
    lines = [line for line in result.stdout.splitlines() if line.startswith(("ok", "FAIL"))]
    expected = sorted(p for d in ("notebooks", "solutions", "exercises") for p in (ROOT / d).glob("*.ipynb"))
    assert len(lines) == len(expected), result.stdout[-3000:] + result.stderr[-3000:]
    assert result.returncode == 0, "\n".join(line for line in lines if line.startswith("FAIL"))
    assert "ipywidgets 7.7.1" in result.stdout and "matplotlib 3.10.0" in result.stdout
