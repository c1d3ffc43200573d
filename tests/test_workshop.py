"""The workshop kit: slide decks, cohort copies and the static site, each from one command."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from techpm.devtools import notebooks as nbtools
from techpm.devtools.notebooks import slide_type
from techpm.workshop.cohort import declared_parameters
from tests.conftest import ROOT

LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "techpm.cli", "workshop", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)


def test_slide_types_follow_the_headings():
    md = lambda text: {"cell_type": "markdown", "source": text, "metadata": {}}  # noqa: E731
    code = {"cell_type": "code", "source": "x = 1", "metadata": {"tags": ["parameters"]}}
    assert slide_type(md("# Title"), 0, 1) == "slide"
    assert slide_type(code, 2, 1) == "skip"
    assert slide_type(md("## Section"), 3, 1) == "slide"
    assert slide_type(md("### Detail"), 4, 1) == "subslide"
    assert slide_type(md("Prose."), 5, 1) == "-"


def test_slides_build_one_deck_per_lesson(tmp_path):
    result = _cli("slides", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    for lesson in LESSONS:
        deck = (tmp_path / f"{lesson.stem}.slides.html").read_text()
        headings = sum(nbtools.source(c).lstrip().startswith("## ") for c in nbtools.read(lesson)["cells"])
        assert deck.count("<section") >= headings + 1, lesson.name
        assert "Reveal.initialize" in deck


def test_site_builds_with_navigation(tmp_path):
    result = _cli("site", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    index = (tmp_path / "index.html").read_text()
    links = re.findall(r'href="([^"]+\.html)"', index)
    assert len(links) == len(LESSONS) + len(list((ROOT / "solutions").glob("*.ipynb")))
    for link in links:
        page = (tmp_path / link).read_text()
        assert 'href="index.html"' in page and "jp-Notebook" in page


def test_cohort_copy_executes_with_the_cohorts_parameters(tmp_path):
    params = tmp_path / "cohort.json"
    params.write_text(json.dumps({"CLAUDE_MODEL": "claude-sonnet-5-5", "OFFLINE": True}))
    result = _cli("cohort", str(params), "--only", "00_", "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    nb = nbtools.read(tmp_path / "out" / "notebooks" / "00_start_here.ipynb")
    injected = next(c for c in nb["cells"] if "injected-parameters" in nbtools.tags(c))
    assert 'CLAUDE_MODEL = "claude-sonnet-5-5"' in nbtools.source(injected)
    text = json.dumps([c.get("outputs") for c in nb["cells"]])
    assert "claude-sonnet-5-5" in text and '"output_type": "error"' not in text


def test_cohort_rejects_an_unknown_parameter(tmp_path):
    params = tmp_path / "cohort.json"
    params.write_text(json.dumps({"GPUU": "h100-sxm"}))
    result = _cli("cohort", str(params), "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and "no notebook has a parameter called GPUU" in result.stderr


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_parameters_cells_are_plain_literals(path):
    assert declared_parameters(path)
