"""Every notebook follows the course conventions (see techpm.devtools.notebooks)."""

from __future__ import annotations

import pytest

from techpm.devtools import notebooks as nbtools
from tests.conftest import ROOT

ALL = nbtools.all_notebooks(ROOT)
COURSE = ("00_start_here", "01_transformers", "02_rlhf", "03_inference", "04_evals", "05_rag",
          "06_api_design", "07_agents", "08_multimodal", "09_safety", "10_capstone")


def test_the_three_folders_hold_the_same_notebooks():
    names = {d: {p.stem for p in (ROOT / d).glob("*.ipynb")} for d in nbtools.NOTEBOOK_DIRS}
    assert names["notebooks"], "no notebooks"
    assert names["notebooks"] == names["solutions"] == names["exercises"], names
    assert names["notebooks"] <= set(COURSE), names["notebooks"] - set(COURSE)


@pytest.mark.parametrize("path", ALL, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_notebook_follows_the_conventions(path):
    assert nbtools.problems(ROOT, path) == []


@pytest.mark.parametrize("path", [p for p in ALL if p.parent.name != "exercises"],
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_lessons_and_solutions_store_their_outputs(path):
    # nbval never compares a cell without stored output: a stripped notebook would pass trivially.
    code = [c for c in nbtools.read(path)["cells"] if c["cell_type"] == "code"]
    unexecuted = [i for i, c in enumerate(code) if c.get("execution_count") is None]
    assert not unexecuted, f"code cells {unexecuted} were never executed (run `techpm dev execute`)"
    assert sum(bool(c.get("outputs")) for c in code) >= len(code) // 2


@pytest.mark.parametrize("path", sorted((ROOT / "exercises").glob("*.ipynb")), ids=lambda p: p.name)
def test_exercises_start_clean(path):
    code = [c for c in nbtools.read(path)["cells"] if c["cell_type"] == "code"]
    assert all(not c["outputs"] and c["execution_count"] is None for c in code)


def test_checker_catches_each_kind_of_problem(tmp_path):
    nb = nbtools.read(ALL[0])
    cells = nb["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    nbtools.set_source(cells[0], "no title here")
    nbtools.set_source(code[0], "import techpm")
    code[1]["metadata"]["tags"] = []
    code[-1]["outputs"] = [{"output_type": "error", "ename": "E", "evalue": "", "traceback": []}]
    nbtools.set_source(code[-1], "\n".join(f"x{i} = {i}" for i in range(20)) + "\nkey = 'sk-ant-" + "a" * 30 + "'")
    cells.append({"cell_type": "markdown", "metadata": {}, "source": "the end"})
    bad = tmp_path / "notebooks" / "bad.ipynb"
    bad.parent.mkdir()
    nbtools.write(bad, nb)
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    found = "\n".join(nbtools.problems(tmp_path, bad))
    for expected in ("no '# ' title", "Colab badge", "setup cell", "tagged 'parameters'", "Sources",
                     "lines of code", "stored error", "Anthropic API key"):
        assert expected in found


def test_setup_cell_installs_only_in_colab_from_the_one_repository_address():
    text = nbtools.setup_cell_source(ROOT)
    url = nbtools.repo_url(ROOT)
    assert '"google.colab" in sys.modules' in text and "--no-deps" in text
    assert f"techpm @ git+{url}" in text
    badge = nbtools.colab_badge(ROOT, "notebooks/00_start_here.ipynb")
    assert badge.endswith(f"{url.replace('github.com', 'colab.research.google.com/github')}/blob/main/notebooks/00_start_here.ipynb)")
