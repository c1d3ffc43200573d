"""Each lesson runs again, top to bottom, with other parameters (as an instructor's cohort copy would)."""

from __future__ import annotations

import ast

import pytest

from techpm.devtools import notebooks as nbtools
from tests.conftest import ROOT

# Other values for the knobs notebooks share; a notebook's own knobs keep their defaults.
ALTERNATES = {
    "GPU": "a100-80gb",
    "MODEL": "llama-3.1-8b",
    "OFFLINE": True,
    "CLAUDE_MODEL": "claude-sonnet-5-5",
}
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _parameters(path) -> dict[str, object]:
    nb = nbtools.read(path)
    cell = next(c for c in nb["cells"] if "parameters" in nbtools.tags(c))
    names = {}
    for node in ast.parse(nbtools.source(cell)).body:
        assert isinstance(node, ast.Assign), "the parameters cell holds plain assignments only"
        names[node.targets[0].id] = ast.literal_eval(node.value)
    return names


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_runs_with_other_parameters(path, tmp_path):
    import papermill

    params = {k: ALTERNATES[k] for k in _parameters(path) if k in ALTERNATES}
    out = tmp_path / path.name
    papermill.execute_notebook(str(path), str(out), parameters=params, kernel_name="python3",
                               cwd=str(path.parent), progress_bar=False)
    nb = nbtools.read(out)
    injected = [c for c in nb["cells"] if "injected-parameters" in nbtools.tags(c)]
    assert len(injected) == (1 if params else 0)
    errors = [o for c in nb["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
