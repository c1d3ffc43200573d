"""Exercises from solutions, from one source.

A solution notebook marks each answer with the markers nbgrader understands::

    ### BEGIN SOLUTION
    kv_bytes = calc.kv_cache_bytes(cfg, 8192)
    ### END SOLUTION
    check.kv_cache(kv_bytes)

``build`` writes the exercise notebook of the same name, with each marked region replaced by a stub
that keeps the names the checks need (``kv_bytes = ...  # YOUR CODE HERE``), so an unfilled exercise
still runs to the end and its checks say "not done yet". Markdown answers become "_Your answer here._".
Outputs are cleared: a learner starts from a clean notebook.
"""

from __future__ import annotations

import ast
import copy
import json
import re
import textwrap
from pathlib import Path
from typing import Any

from techpm.devtools.notebooks import colab_badge, read, set_source, source, tag_slides, write

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
STUB_COMMENT = "# YOUR CODE HERE"
MARKDOWN_STUB = "_Your answer here._"
_BADGE_RE = re.compile(r"\[!\[Open In Colab\]\([^)]*\)\]\([^)]*\)")


def _stub_for(region: str, indent: str) -> list[str]:
    """Stub lines for one solution region: each name it assigns or defines, set to ``...``."""
    try:
        tree = ast.parse(textwrap.dedent(region))
    except SyntaxError:
        return [f"{indent}{STUB_COMMENT}"]
    lines: list[str] = []
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                lines.append(f"{indent}{ast.unparse(target)} = ...  {STUB_COMMENT}")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = ast.unparse(node.args)
            lines.append(f"{indent}def {node.name}({args}):")
            doc = ast.get_docstring(node)
            if doc:
                lines.append(f'{indent}    """{doc}"""')
            lines.append(f"{indent}    ...  {STUB_COMMENT}")
    return lines or [f"{indent}{STUB_COMMENT}"]


def strip_code(text: str) -> str:
    """Replace every BEGIN/END SOLUTION region of a code cell with its stub."""
    out: list[str] = []
    region: list[str] | None = None
    indent = ""
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped == BEGIN:
            if region is not None:
                raise ValueError("nested '### BEGIN SOLUTION'")
            region, indent = [], line[: len(line) - len(line.lstrip())]
        elif stripped == END:
            if region is None:
                raise ValueError("'### END SOLUTION' without a BEGIN")
            out.extend(_stub_for("\n".join(region), indent))
            region = None
        elif region is not None:
            region.append(line)
        else:
            out.append(line)
    if region is not None:
        raise ValueError("'### BEGIN SOLUTION' without an END")
    return "\n".join(out)


def strip_markdown(text: str) -> str:
    """Replace every BEGIN/END SOLUTION region of a Markdown cell with '_Your answer here._'."""
    pattern = re.compile(rf"^{re.escape(BEGIN)}[ \t]*$.*?^{re.escape(END)}[ \t]*$", re.M | re.S)
    return pattern.sub(MARKDOWN_STUB, text)


def exercise_from_solution(solution: dict[str, Any], exercise_relpath: str, root: Path) -> dict[str, Any]:
    """The exercise notebook for a solution notebook (a new dict; the solution is not changed)."""
    nb = copy.deepcopy(solution)
    # Only what a clean notebook needs: no widget state, no interpreter version of the author's machine.
    nb["metadata"] = {"kernelspec": nb["metadata"].get("kernelspec", {}), "language_info": {"name": "python"}}
    for i, cell in enumerate(nb["cells"]):
        text = source(cell)
        if cell["cell_type"] == "code":
            if BEGIN in text:
                text = strip_code(text)
            cell["outputs"], cell["execution_count"] = [], None
            cell["metadata"] = {k: v for k, v in cell.get("metadata", {}).items() if k in ("tags", "slideshow")}
        elif cell["cell_type"] == "markdown":
            if i == 0:
                text = text.replace("(solutions)", "(exercises)")
                text = _BADGE_RE.sub(lambda _m: colab_badge(root, exercise_relpath), text)
            elif BEGIN in text:
                text = strip_markdown(text)
        set_source(cell, text)
    tag_slides(nb)  # a stubbed answer may no longer open a (sub)slide
    return nb


def build(root: Path, *, check_only: bool = False) -> list[Path]:
    """Write ``exercises/NAME.ipynb`` for every ``solutions/NAME.ipynb``; return the files that were
    (or, with ``check_only``, would be) changed. ``check_only`` writes nothing."""
    changed: list[Path] = []
    (root / "exercises").mkdir(exist_ok=True)
    for solution_path in sorted((root / "solutions").glob("*.ipynb")):
        target = root / "exercises" / solution_path.name
        nb = exercise_from_solution(read(solution_path), f"exercises/{solution_path.name}", root)
        new = json.dumps(nb, sort_keys=True)
        old = json.dumps(read(target), sort_keys=True) if target.exists() else None
        if new != old:
            changed.append(target)
            if not check_only:
                write(target, nb)
    stale = {p.name for p in (root / "exercises").glob("*.ipynb")} - {
        p.name for p in (root / "solutions").glob("*.ipynb")}
    changed.extend(root / "exercises" / name for name in sorted(stale))
    return changed
