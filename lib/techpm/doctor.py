"""``techpm doctor``: is this machine ready for the course? A short table, friendly, offline.

Instructors ask every participant to run it before a workshop. It never prints the API key.

The report is a list of sections (``sections()``), each a title and its rows: the set-up (Python,
packages, the key, the mode), then the Claude models the course will call with their lifecycle and the
age of the price table. Another section (say, per-lesson checks) is one more ``(title, rows)`` pair.
"""

from __future__ import annotations

import platform
import sys
from dataclasses import dataclass
from importlib import metadata

from techpm import __version__
from techpm.keys import find_api_key, in_colab

OK, WARN, FAIL = "ok", "warn", "FAIL"


@dataclass(frozen=True)
class Row:
    item: str
    status: str
    detail: str


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def _major_minor(version: str) -> tuple[int, int]:
    parts = [int("".join(ch for ch in p if ch.isdigit()) or 0) for p in version.split(".")[:2]]
    return (parts + [0, 0])[0], (parts + [0, 0])[1]


def _widgets_row() -> Row:
    widgets = _version("ipywidgets")
    if widgets is None:
        return Row("ipywidgets", FAIL, "not installed: sliders will not appear (pip install ipywidgets)")
    major = _major_minor(widgets)[0]
    lab, nb = _version("jupyterlab"), _version("notebook")
    if in_colab():
        ok = major == 7
        where = "Colab renders ipywidgets 7" + ("" if ok else "; version 8 shows nothing there: reinstall 7.7")
        return Row("ipywidgets", OK if ok else FAIL, f"{widgets} · {where}")
    fronts = []
    if lab and _major_minor(lab)[0] >= 4:
        fronts.append(f"JupyterLab {lab}")
    if nb and _major_minor(nb)[0] >= 7:
        fronts.append(f"Notebook {nb}")
    lab_ext = _version("jupyterlab_widgets") or _version("jupyterlab-widgets")
    if major >= 8 and fronts and lab_ext:
        return Row("ipywidgets", OK, f"{widgets} · widgets will render in {' and '.join(fronts)}")
    if not fronts:
        return Row("ipywidgets", WARN, f"{widgets} · no JupyterLab 4 or Notebook 7 found to render widgets")
    return Row("ipywidgets", WARN, f"{widgets} · upgrade to ipywidgets 8 for JupyterLab 4 / Notebook 7")


def setup_rows() -> list[Row]:
    """The machine's set-up: Python, packages, the key, the mode."""
    out = []
    py = platform.python_version()
    out.append(Row("Python", OK if sys.version_info >= (3, 10) else FAIL,
                   py if sys.version_info >= (3, 10) else f"{py}: the course needs Python 3.10 or newer"))
    out.append(Row("techpm", OK, __version__))
    for dist, why in (("jupyterlab", "to open the notebooks (Colab needs none)"), ("matplotlib", "for figures"),
                      ("numpy", "for the calculators"), ("anthropic", "for Claude answers (optional)")):
        version = _version(dist)
        if version:
            out.append(Row(dist, OK, version))
        else:
            needed = dist != "jupyterlab" or not in_colab()
            out.append(Row(dist, FAIL if needed else OK, f"not installed: needed {why}" if needed else "Colab"))
    out.insert(3, _widgets_row())
    key = find_api_key()
    out.append(Row("Anthropic key", OK if key.present else WARN, key.describe()))
    from techpm.config import mode_line

    out.append(Row("Mode", OK, mode_line()))
    return out


def _lesson_rows() -> list[Row]:
    """One row when every lesson's imports resolve; else a row per lesson that would fail, with the fix."""
    from techpm import lesson_deps

    needs = lesson_deps.lesson_needs()
    if not needs:
        return [Row("Lessons", OK, "notebooks not in this folder (Colab opens them from GitHub)")]
    missing = lesson_deps.missing_by_lesson()
    if not missing:
        return [Row("Lessons", OK, f"what each of the {len(needs)} lessons imports is installed")]
    return [Row(lesson, FAIL, f"would stop at import {', '.join(mods)}: {lesson_deps.install_command(mods)}")
            for lesson, mods in missing.items()]


# What `techpm workshop` needs beyond the course: module -> (distribution, what for).
INSTRUCTOR_NEEDS = {
    "papermill": ("papermill", "cohort copies (techpm workshop cohort)"),
    "nbconvert": ("nbconvert", "slide decks and the site"),
    "jupyterhub": ("jupyterhub", "the room's hub (techpm workshop hub)"),
    "jupyterhub_idle_culler": ("jupyterhub-idle-culler", "stopping idle servers on the hub"),
    "nbgitpuller": ("nbgitpuller", "one-click links that pull the course"),
    "sphinx_revealjs": ("sphinx-revealjs", "reveal.js for offline slide decks"),
    "jupyter_server_mathjax": ("jupyter-server-mathjax", "MathJax for offline slide decks"),
}


def instructor_rows() -> list[Row]:
    """What an instructor's machine needs for `techpm workshop`, each with its fix."""
    import importlib.util
    import shutil

    out = []
    for module, (dist, why) in INSTRUCTOR_NEEDS.items():
        version = _version(dist)
        if version and importlib.util.find_spec(module) is not None:
            out.append(Row(dist, OK, version))
        else:
            out.append(Row(dist, FAIL, f'not installed: needed for {why} (pip install -e ".[instructor]")'))
    proxy = shutil.which("configurable-http-proxy")
    out.append(Row("configurable-http-proxy", OK if proxy else FAIL, proxy or
                   "not installed: the hub's proxy (npm install -g configurable-http-proxy)"))
    return out


def _notebook_models() -> list[str]:
    """The Claude models the lessons' ``parameters`` cells name (when the course's notebooks are here)."""
    try:
        from techpm.devtools.notebooks import repo_root
        from techpm.workshop.cohort import declared_parameters

        root = repo_root()
    except Exception:  # an installed package without the notebooks
        return []
    found = []
    for path in sorted((root / "notebooks").glob("*.ipynb")):
        try:
            values = declared_parameters(path)
        except Exception:
            continue
        found += [v for k, v in values.items() if k.endswith("CLAUDE_MODEL") and isinstance(v, str)]
    return list(dict.fromkeys(found))


def model_rows() -> list[Row]:
    """The Claude models the course will call (the session's generator and judge model, the lessons'
    parameters) with their lifecycle, and the age of the price table's rows."""
    from techpm import lifecycle
    from techpm.config import SETTINGS

    out = []
    today = lifecycle.today()
    table = lifecycle.lifecycles()
    for model in dict.fromkeys([SETTINGS.claude_model, *_notebook_models()]):
        entry = table.get(model)
        problems = lifecycle.problems(model, today)
        role = "generator and judge" if model == SETTINGS.claude_model else "lesson parameter"
        if entry is None:
            out.append(Row(model, FAIL, f"{role} · not in the course's tables: {'; '.join(problems)}"))
            continue
        retired = entry.status_on(today) == "retired"
        detail = f"{role} · {entry.describe(today)}" + (f" · {'; '.join(problems)}" if problems else "")
        out.append(Row(model, FAIL if retired else WARN if problems else OK, detail))
    ages = lifecycle.price_ages(today)
    oldest = max(ages, key=lambda m: ages[m])
    stale = [m for m, age in ages.items() if age > lifecycle.FRESHNESS_DAYS]
    detail = (f"{len(ages)} rows; oldest {ages[oldest]} days ({oldest}); "
              + (f"{len(stale)} older than {lifecycle.FRESHNESS_DAYS} days: re-check with `techpm dev freshness`"
                 if stale else f"none older than {lifecycle.FRESHNESS_DAYS} days"))
    out.append(Row("API prices", WARN if stale else OK, detail))
    return out


def sections(instructor: bool = False) -> list[tuple[str, list[Row]]]:
    """The report's sections, in order: (title, rows); ``instructor`` adds what `techpm workshop` needs."""
    out = [("Set-up", setup_rows()), ("Lessons", _lesson_rows()), ("Claude models and prices", model_rows())]
    return out + ([("Instructor tools", instructor_rows())] if instructor else [])


def rows() -> list[Row]:
    """Every check, in the order shown."""
    return [row for _, section in sections() for row in section]


def render(table: list[Row] | list[tuple[str, list[Row]]]) -> str:
    grouped = table if table and isinstance(table[0], tuple) else [("", table)]
    flat = [row for _, section in grouped for row in section]
    width = max(len(r.item) for r in flat)
    lines = [f"techpm doctor · {'Colab' if in_colab() else platform.system()}"]
    for title, section in grouped:
        lines += ["", f"{title}:"] if title else [""]
        lines += [f"  {r.status:<4}  {r.item:<{width}}  {r.detail}" for r in section]
    table = flat
    failures = sum(r.status == FAIL for r in table)
    lines += ["", "Ready for the course." if not failures else
              f"{failures} problem(s) above: fix them, then run `techpm doctor` again."]
    return "\n".join(lines)


def main(instructor: bool = False) -> int:
    grouped = sections(instructor=instructor)
    print(render(grouped))
    return 1 if any(r.status == FAIL for _, section in grouped for r in section) else 0
