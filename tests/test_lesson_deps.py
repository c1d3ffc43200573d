"""What each lesson imports at run time is installed by `pip install -e .`, and `techpm doctor` names the
lesson that would stop, and the command that fixes it, when something is missing."""

from __future__ import annotations

import re
import sys
from importlib import metadata

from techpm import doctor, lesson_deps
from tests.conftest import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _runtime_closure() -> set[str]:
    """Every distribution that pyproject's runtime dependencies bring, through installed metadata."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    todo = [re.split(r"[<>=!~;\[ ]", r, maxsplit=1)[0] for r in project["dependencies"]]
    seen: set[str] = set()
    while todo:
        name = _normal(todo.pop())
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        todo += [re.split(r"[<>=!~;\[ ]", r, maxsplit=1)[0] for r in requires if "extra ==" not in r]
    return seen


def test_every_package_a_lesson_imports_comes_with_the_runtime_dependencies():
    owners = metadata.packages_distributions()
    closure = _runtime_closure()
    needs = lesson_deps.lesson_needs(ROOT / "notebooks")
    assert set(needs) == {p.stem for p in (ROOT / "notebooks").glob("*.ipynb")}
    for lesson, modules in needs.items():
        for module in modules:
            dists = {_normal(d) for d in owners.get(module, [])}
            assert dists & closure, (f"{lesson} imports {module} ({dists or 'not installed'}), which "
                                     "`pip install -e .` does not bring: add it to pyproject's dependencies")


def test_the_rag_lesson_needs_scipy_bm25s_and_usearch():
    # scipy is imported inside a function of rag/dense.py, minutes into the lesson: the reader must see it.
    assert {"scipy", "bm25s", "usearch", "numpy"} <= lesson_deps.lesson_needs(ROOT / "notebooks")["05_rag"]


def test_guarded_and_optional_imports_are_not_needs():
    code = ("import json\n"
            "try:\n    import fancy_accelerator\nexcept ImportError:\n    fancy_accelerator = None\n"
            "def f():\n    import plotly\n    import sentence_transformers\n")
    assert lesson_deps.needs_of(code) == {"plotly"}


def test_doctor_names_the_lesson_that_would_fail_and_the_fix(monkeypatch):
    real = lesson_deps.importlib.util.find_spec
    monkeypatch.setattr(lesson_deps.importlib.util, "find_spec",
                        lambda name, *a: None if name == "scipy" else real(name, *a))
    rows = [r for r in doctor.rows() if r.status == doctor.FAIL]
    needing = sorted(lesson for lesson, mods in lesson_deps.lesson_needs(ROOT / "notebooks").items() if "scipy" in mods)
    assert "05_rag" in needing and [r.item for r in rows] == needing  # 05, and every lesson that reuses its index
    assert all("scipy" in r.detail and "pip install" in r.detail for r in rows)
    assert "Ready for the course" not in doctor.render(doctor.rows())


def test_doctor_says_every_lesson_is_ready_here():
    row = next(r for r in doctor.rows() if r.item == "Lessons")
    assert row.status == doctor.OK and str(len(list((ROOT / "notebooks").glob("*.ipynb")))) in row.detail
