"""`techpm doctor --instructor` checks what the workshop commands need, each with the command that fixes it."""

from __future__ import annotations

import subprocess
import sys

from techpm import doctor
from tests.conftest import ROOT


def test_a_missing_instructor_package_is_named_with_its_fix(monkeypatch):
    monkeypatch.setattr(doctor, "_version", lambda dist: None if dist == "papermill" else "1.0")
    rows = {r.item: r for r in doctor.instructor_rows()}
    assert rows["papermill"].status == doctor.FAIL and '".[instructor]"' in rows["papermill"].detail
    assert rows["jupyterhub"].status == doctor.OK


def test_the_instructor_flag_adds_the_rows():
    plain = subprocess.run([sys.executable, "-m", "techpm.cli", "doctor"], capture_output=True, text=True, cwd=ROOT)
    full = subprocess.run([sys.executable, "-m", "techpm.cli", "doctor", "--instructor"], capture_output=True,
                          text=True, cwd=ROOT)
    assert "papermill" not in plain.stdout and "papermill" in full.stdout
    assert "configurable-http-proxy" in full.stdout
