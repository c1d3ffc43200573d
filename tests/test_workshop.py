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


def test_site_separates_lessons_exercises_and_answer_keys_and_works_offline(tmp_path):
    result = _cli("site", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    index = (tmp_path / "index.html").read_text()
    assert [h for h in re.findall(r"<h2>([^<]+)</h2>", index)] == ["Lessons", "Exercises", "Answer keys"]
    for folder in ("notebooks", "exercises", "solutions"):
        names = sorted(p.stem for p in (ROOT / folder).glob("*.ipynb"))
        pages = [f"{folder}-{n}.html" for n in names]
        assert all(f'href="{p}"' in index for p in pages)
        first, last = (tmp_path / pages[0]).read_text(), (tmp_path / pages[-1]).read_text()
        assert f'href="{pages[1]}"' in first and 'href="index.html"' in first
        nav_last = re.search(r'<nav class="techpm">(.*?)</nav>', last).group(1)
        assert all(other not in nav_last for other in ("notebooks-", "exercises-", "solutions-")
                   if not other.startswith(folder)), "next/previous must stay within one section"
    for page in tmp_path.glob("*.html"):
        assert not re.search(r'src="https?://', page.read_text()), f"{page.name} loads from the web"
    assert (tmp_path / "assets" / "mathjax" / "MathJax.js").exists()
    explorer = (tmp_path / "notebooks-03_inference.html").read_text()
    assert 'class="techpm-widget"' in explorer and "data:image/png;base64," in explorer


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


def test_a_bad_cohort_id_is_refused_before_anything_runs(tmp_path):
    from techpm.errors import TechpmError
    from techpm.workshop.cohort import make_cohort

    with pytest.raises(TechpmError, match="Did you mean 'a100-40gb', 'a100-80gb'"):
        make_cohort(ROOT, {"GPU": "a100"}, tmp_path / "out")
    assert not list((tmp_path / "out").rglob("*.ipynb")) if (tmp_path / "out").exists() else True


def test_a_cohort_run_that_fails_leaves_no_half_built_copy(tmp_path):
    from techpm.errors import TechpmError
    from techpm.workshop.cohort import make_cohort

    with pytest.raises(TechpmError, match="stopped with the cohort's parameters"):
        make_cohort(ROOT, {"PEAK_REQUESTS_PER_S": -5}, tmp_path / "out", only=["03_"])
    assert not list((tmp_path / "out").rglob("*")), "a failed run must leave nothing behind"
