"""A cohort's copy of the course: every lesson executed with the cohort's parameters (papermill).

An instructor writes the cohort's assumptions once, as JSON::

    {"GPU": "a100-80gb", "MODEL": "llama-3.1-8b", "CLAUDE_MODEL": "claude-haiku-5-5", "OFFLINE": true}

and ``techpm workshop cohort cohort.json --out cohort/`` writes each lesson with those values injected
after its ``parameters`` cell (only the names a notebook declares), executed, ready to hand out.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

from techpm.devtools.notebooks import read, source, tags
from techpm.errors import TechpmError


def declared_parameters(path: Path) -> dict[str, Any]:
    """The names and default values in a notebook's ``parameters`` cell."""
    cell = next((c for c in read(path)["cells"] if "parameters" in tags(c)), None)
    if cell is None:
        return {}
    values = {}
    for node in ast.parse(source(cell)).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            values[node.targets[0].id] = ast.literal_eval(node.value)
    return values


def load_parameters(path: Path) -> dict[str, Any]:
    try:
        params = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise TechpmError(f"cannot read cohort parameters from {path}: {exc}") from None
    if not isinstance(params, dict):
        raise TechpmError(f"{path}: expected a JSON object of NAME: value pairs")
    return params


def check_types(params: dict[str, Any], defaults: dict[str, Any]) -> None:
    """Each value has the type of the notebook's default (a number for a number, text for text, true or
    false for a flag); a Claude model id must be one the course can call. ``TechpmError`` in one sentence."""
    kinds = {bool: "true or false", int: "a number", float: "a number", str: "text"}
    for name, value in params.items():
        default = defaults.get(name)
        if default is None:
            continue
        want = type(default)
        ok = (isinstance(value, bool) if want is bool else
              isinstance(value, (int, float)) and not isinstance(value, bool) if want in (int, float) else
              isinstance(value, want))
        if not ok:
            raise TechpmError(f"cohort parameter {name} must be {kinds.get(want, want.__name__)} like its default "
                              f"{default!r}, got {value!r}.")
        if name.endswith("CLAUDE_MODEL") or name == "COMPARE_API_MODEL":
            from techpm.lifecycle import check_callable

            try:
                check_callable(value)
            except ValueError as exc:
                raise TechpmError(f"cohort parameter {name}: {exc}") from None


def make_cohort(root: Path, params: dict[str, Any], out: Path, *, folders=("notebooks",),
                only: list[str] | None = None) -> list[Path]:
    """Execute each notebook (or those whose name starts with one of ``only``) with the parameters it
    declares; write them to ``out``; return the paths."""
    import papermill

    known = {name for folder in folders for p in (root / folder).glob("*.ipynb") for name in declared_parameters(p)}
    unknown = sorted(set(params) - known)
    if unknown:
        import difflib

        close = difflib.get_close_matches(unknown[0], sorted(known), n=2, cutoff=0.6)
        hint = f" Did you mean {' or '.join(close)}?" if close else ""
        raise TechpmError(f"no notebook has a parameter called {', '.join(unknown)}.{hint} Known: "
                          f"{', '.join(sorted(known))}.")
    defaults = {name: value for folder in folders for p in sorted((root / folder).glob("*.ipynb"))
                for name, value in declared_parameters(p).items()}
    check_types(params, defaults)
    check_ids(params, defaults)
    # Build in a scratch folder beside ``out`` and move the copies in only when every notebook ran: a failed
    # run leaves no half-built handout behind.
    import shutil
    import tempfile

    out.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".cohort-", dir=out))
    try:
        built = _execute_all(root, params, scratch, folders, only, papermill)
        written = []
        for path in built:
            target = out / path.relative_to(scratch)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(path), target)
            written.append(target)
        return written
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def check_ids(params: dict[str, Any], defaults: dict[str, Any]) -> None:
    """A parameter whose default is an id in one of the course's tables (a GPU, a model, a price row) must
    name a row of that table: one sentence with "Did you mean", before any notebook runs."""
    from techpm import tables
    from techpm.errors import did_you_mean

    for name, value in params.items():
        default = defaults.get(name)
        if not isinstance(default, str) or not isinstance(value, str):
            continue
        for kind in tables.SCHEMAS:
            ids = [str(row.get("id")) for row in tables.load_table(kind)]
            if default in ids and value not in ids:
                raise TechpmError(f"cohort parameter {name}={value!r} is not in the course's {kind} table."
                                  f"{did_you_mean(value, ids)}")


def _execute_all(root: Path, params: dict[str, Any], out: Path, folders, only, papermill) -> list[Path]:
    written = []
    for folder in folders:
        for path in sorted((root / folder).glob("*.ipynb")):
            if only and not path.name.startswith(tuple(only)):
                continue
            own = {k: v for k, v in params.items() if k in declared_parameters(path)}
            target = out / folder / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                papermill.execute_notebook(str(path), str(target), parameters=own, kernel_name="python3",
                                           cwd=str(path.parent), progress_bar=False)
            except papermill.PapermillExecutionError as exc:  # the notebook's own one-sentence error
                raise TechpmError(f"{path.name} stopped with the cohort's parameters: {exc.ename}: "
                                  f"{str(exc.evalue).strip()}") from None
            written.append(target)
    return written
