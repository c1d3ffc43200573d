"""Write a notebook from a list of cells, with the metadata the conventions need (kernelspec python3).

    from techpm.devtools.authoring import md, code, write_notebook
    write_notebook("notebooks/01_transformers.ipynb", [md("# 01 ..."), code(SETUP), code("GPU = 'h100-sxm'", tags=["parameters"]), ...])

Then ``techpm dev sync`` fills in the badge and setup cell, and ``techpm dev execute`` stores outputs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from techpm.devtools.notebooks import set_source, write

SETUP_PLACEHOLDER = "# setup cell: filled in by `techpm dev sync`"
BADGE_PLACEHOLDER = "[![Open In Colab](badge)](link)"

KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
LANGUAGE_INFO = {"name": "python", "pygments_lexer": "ipython3"}


def md(text: str) -> dict[str, Any]:
    cell = {"cell_type": "markdown", "metadata": {}, "source": []}
    set_source(cell, text.strip("\n"))
    return cell


def code(text: str, *, tags: list[str] | None = None) -> dict[str, Any]:
    cell = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": []}
    if tags:
        cell["metadata"]["tags"] = list(tags)
    set_source(cell, text.strip("\n"))
    return cell


def write_notebook(path: str | Path, cells: list[dict[str, Any]]) -> Path:
    nb = {"cells": cells, "metadata": {"kernelspec": KERNELSPEC, "language_info": LANGUAGE_INFO},
          "nbformat": 4, "nbformat_minor": 5}
    for i, cell in enumerate(nb["cells"]):
        cell.setdefault("id", f"cell-{i:03d}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write(path, nb)
    return path
