"""Exercises come from solutions; solutions pass their checks; unfilled exercises run and say 'not done'."""

from __future__ import annotations

import re

import pytest

from techpm.devtools import exercises as ex
from techpm.devtools import notebooks as nbtools
from tests.conftest import ROOT

CHECK_LINE = re.compile(r"^([✅❌⏳]) (.+?): ", re.M)
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
EXERCISES = sorted((ROOT / "exercises").glob("*.ipynb"))


def _check_lines(nb) -> list[tuple[str, str]]:
    lines = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            text = out.get("text") or out.get("data", {}).get("text/plain", "")
            text = "".join(text) if isinstance(text, list) else text
            lines += CHECK_LINE.findall(text)
    return lines


def test_exercises_are_up_to_date_with_solutions():
    stale = ex.build(ROOT, check_only=True)
    assert not stale, f"run `techpm exercises build`: {[p.name for p in stale]}"


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_every_solution_passes_its_checks(path):
    lines = _check_lines(nbtools.read(path))
    minimum = 1 if path.stem in ("00_start_here", "10_capstone") else 5
    assert len({name for _, name in lines}) >= minimum, f"only {len(lines)} checks"
    assert all(icon == "✅" for icon, _ in lines), [line for line in lines if line[0] != "✅"]


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.name)
def test_unfilled_exercise_runs_to_the_end_and_says_not_done(path):
    from techpm.devtools.execute import execute

    nb, _ = execute(path, write_back=False)
    errors = [o for c in nb["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, errors[0] if errors else None
    lines = _check_lines(nb)
    assert lines and all(icon == "⏳" for icon, _ in lines), lines


def test_stub_keeps_the_names_the_checks_need():
    code = "x = 1\n    ### BEGIN SOLUTION\n    a = f(1)\n    b: int = 2\n    def g(n, *, k=3):\n        '''Doc.'''\n        return n\n    print(a)\n    ### END SOLUTION\ny = 2"
    stub = ex.strip_code(code)
    assert stub == ("x = 1\n    a = ...  # YOUR CODE HERE\n    b = ...  # YOUR CODE HERE\n"
                    "    def g(n, *, k=3):\n        \"\"\"Doc.\"\"\"\n        ...  # YOUR CODE HERE\ny = 2")
    assert ex.strip_code("### BEGIN SOLUTION\nprint(1)\n### END SOLUTION") == "# YOUR CODE HERE"
    md = "Why?\n\n### BEGIN SOLUTION\nBecause decode is memory-bound.\n### END SOLUTION\n"
    assert ex.strip_markdown(md) == "Why?\n\n_Your answer here._\n"


@pytest.mark.parametrize("text", ["### BEGIN SOLUTION\nx = 1", "x = 1\n### END SOLUTION",
                                  "### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION"])
def test_unbalanced_markers_are_reported(text):
    with pytest.raises(ValueError, match="SOLUTION"):
        ex.strip_code(text)
