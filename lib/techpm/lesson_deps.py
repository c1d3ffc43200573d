"""Which installed packages each lesson needs, read from the code itself, and which are missing here.

A lesson needs what its code cells import and, transitively, what the course's modules they use import,
in functions too (a lesson can run for minutes before it reaches ``from scipy import sparse``). Left out:
imports inside ``try: ... except ImportError`` (the code has a fallback), under ``if TYPE_CHECKING``, and
the optional extras named in ``OPTIONAL`` (each is chosen by a parameter and has a tested default).

    needs = lesson_needs()             # {"05_rag": {"bm25s", "scipy", ...}, ...}
    missing_by_lesson()                # {"05_rag": ["scipy"]} where scipy is not installed

``techpm doctor`` shows the result per lesson with the one command that fixes it; a test keeps every
package a lesson needs among pyproject's runtime dependencies.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import sys
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
# Imported only on an opt-in path, never by a lesson's defaults: module -> what uses it.
OPTIONAL = {
    "sentence_transformers": "05's neural embeddings (EMBEDDINGS = 'neural'); the default 'lsa' needs nothing",
    "google": "Colab's own modules (secrets), present only in Colab",
}


def _module_file(name: str) -> Path | None:
    """The source file of the course module ``techpm.x.y`` (a package's ``__init__.py``), or None."""
    parts = name.split(".")[1:]
    base = PACKAGE.joinpath(*parts)
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _optional(handler: ast.ExceptHandler) -> bool:
    names = [handler.type] if not isinstance(handler.type, ast.Tuple) else list(handler.type.elts)
    return any(isinstance(n, ast.Name) and n.id in ("ImportError", "ModuleNotFoundError") for n in names)


def _imports(tree: ast.AST, here: str) -> set[str]:
    """Absolute module names imported anywhere in ``tree``, except under a guard (see the module doc)."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.Try) and any(_optional(h) for h in node.handlers):
            for child in node.orelse + node.finalbody:
                visit(child)
            return
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.dump(node.test):
            return
        if isinstance(node, ast.If) and "version_info" in ast.dump(node.test):  # only this Python's branch
            taken = eval(compile(ast.Expression(node.test), "<test>", "eval"), {"sys": sys})  # noqa: S307
            for child in node.body if taken else node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                package = here.split(".")[: -node.level] if not here.endswith("__init__") else here.split(".")
                base = ".".join(package + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # from pkg import submodule
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


@cache
def _module_imports(name: str) -> frozenset[str]:
    path = _module_file(name)
    if path is None:
        return frozenset()
    source = path.read_text(encoding="utf-8")
    here = name + (".__init__" if path.name == "__init__.py" else "")
    found = _imports(ast.parse(source), here)
    if name != "techpm" and path.name == "__init__.py" and "import_module" in source:
        found |= {f"{name}.{p.stem}" for p in path.parent.glob("*.py") if p.stem != "__init__"}  # loads all parts
    return frozenset(found)


@cache
def _lazy_attributes() -> dict[str, str]:
    """``techpm.X`` attribute -> the module it loads on first use (techpm/__init__.py's lazy tables)."""
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                target = value.elts[0] if isinstance(value, ast.Tuple) else value
                if isinstance(key, ast.Constant) and isinstance(target, ast.Constant):
                    out[key.value] = target.value
    return out


def _external(names: set[str]) -> set[str]:
    return {n.split(".")[0] for n in names if not n.startswith("techpm")} - set(sys.stdlib_module_names) - {""}


def needs_of(code: str) -> set[str]:
    """Top-level third-party modules that ``code`` (a lesson's code cells) needs, through the course's
    modules it uses; optional extras left out."""
    seen: set[str] = set()
    used = {_lazy_attributes()[a] for a in re.findall(r"\btechpm\.(\w+)", code) if a in _lazy_attributes()}
    todo = [*_imports(ast.parse(code), "__main__"), *used]
    external: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        if name.startswith("techpm"):
            parts = name.split(".")
            todo += [".".join(parts[:i]) for i in range(1, len(parts))]  # importing a.b.c runs a and a.b
            todo += list(_module_imports(name))
        else:
            external |= _external({name})
    return external - set(OPTIONAL)


def _code_of(notebook: Path) -> str:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    lines = []
    for cell in cells:
        if cell["cell_type"] == "code":
            text = "".join(cell["source"])
            lines += [line for line in text.splitlines() if not line.lstrip().startswith(("%", "!"))]
    return "\n".join(lines)


def lessons_folder() -> Path | None:
    """The course's ``notebooks/`` when this is a checkout (Colab opens notebooks from GitHub: none)."""
    folder = PACKAGE.parent.parent / "notebooks"
    return folder if folder.is_dir() else None


def lesson_needs(folder: Path | None = None) -> dict[str, set[str]]:
    folder = folder or lessons_folder()
    if folder is None:
        return {}
    return {path.stem: needs_of(_code_of(path)) for path in sorted(folder.glob("*.ipynb"))}


def missing_by_lesson(folder: Path | None = None) -> dict[str, list[str]]:
    """Lesson -> the modules it needs that do not import here (only lessons with something missing)."""
    out = {}
    for lesson, modules in lesson_needs(folder).items():
        missing = sorted(m for m in modules if importlib.util.find_spec(m) is None)
        if missing:
            out[lesson] = missing
    return out


def install_command(modules: list[str]) -> str:
    """The one pip command that brings ``modules``, with the course's version range where pyproject names
    the package (``pip install "scipy>=1.11"``)."""
    wanted = []
    for module in modules:
        spec = _runtime_requirements().get(module.lower().replace("_", "-"), module)
        wanted.append(f'"{spec}"' if any(c in spec for c in "<>=!~") else spec)
    return "pip install " + " ".join(wanted)


@cache
def _runtime_requirements() -> dict[str, str]:
    """Runtime requirement strings by normalised name, from the installed course's metadata."""
    from importlib import metadata

    try:
        requires = metadata.requires("techpm") or []
    except metadata.PackageNotFoundError:
        return {}
    out = {}
    for req in requires:
        if "extra ==" in req:
            continue
        name = re.split(r"[<>=!~;\[ ]", req, maxsplit=1)[0]
        out[name.lower().replace("_", "-")] = req.split(";")[0].strip()
    return out
