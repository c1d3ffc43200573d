"""techpm: technical depth for AI product managers.

The package is the course's shared library. Its top level imports nothing heavy: each part is loaded the
first time a notebook touches it, so ``import techpm`` stays quicker than ``import numpy``.

    from techpm import calc            # pure calculators, every formula with its units and source
    techpm.generate("Design ...")      # the six-section answer (Claude with a key, offline without)
    techpm.grade(text, question=q)     # score an answer against the method's rubric and its question
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# Sub-modules loaded on first use: attribute name -> module path.
_LAZY_MODULES = {
    "calc": "techpm.calc",
    "checks": "techpm.checks",
    "widgets": "techpm.widgets",
    "tables": "techpm.tables",
    "plotting": "techpm.plotting",
    "config": "techpm.config",
    "generator": "techpm.generator",
    "rubric": "techpm.rubric",
    "doctor": "techpm.doctor",
    "lifecycle": "techpm.lifecycle",
}
# Functions re-exported on first use: attribute name -> (module path, name there).
_LAZY_FUNCTIONS = {
    "setup_notebook": ("techpm.config", "setup_notebook"),
    "configure": ("techpm.config", "configure"),
    "generate": ("techpm.generator", "generate"),
    "generate_many": ("techpm.generator", "generate_many"),
    "grade": ("techpm.rubric", "grade"),
}

__all__ = ["__version__", *_LAZY_MODULES, *_LAZY_FUNCTIONS]


def __getattr__(name: str) -> Any:
    if name in _LAZY_MODULES:
        module = importlib.import_module(_LAZY_MODULES[name])
        globals()[name] = module
        return module
    if name in _LAZY_FUNCTIONS:
        module_name, attr = _LAZY_FUNCTIONS[name]
        value = getattr(importlib.import_module(module_name), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'techpm' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
