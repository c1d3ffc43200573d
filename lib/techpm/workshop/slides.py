"""Slide decks from the lessons, with ``jupyter nbconvert --to slides``.

Each cell carries ``metadata.slideshow.slide_type``, derived from the notebook's own structure so that a
deck needs no hand tagging: the title and every ``## `` heading start a slide, ``### `` headings a
sub-slide (reveal.js's vertical step), the setup and parameters cells are skipped, and every other cell
continues the current slide. ``techpm dev sync`` writes these tags; ``build_decks`` renders them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from techpm.devtools.notebooks import source, tags


def slide_type(cell: dict[str, Any], index: int, setup_index: int) -> str:
    """The reveal.js role of one cell: 'slide', 'subslide', 'skip' or '-' (continue)."""
    text = source(cell).lstrip()
    if index == 0:
        return "slide"
    if cell["cell_type"] == "code" and (index == setup_index or "parameters" in tags(cell)):
        return "skip"
    if cell["cell_type"] == "markdown" and not text.startswith("### BEGIN SOLUTION"):
        if text.startswith("## "):
            return "slide"
        if text.startswith("### "):
            return "subslide"
    return "-"


def tag_slides(nb: dict[str, Any]) -> None:
    """Set every cell's slide type in place."""
    cells = nb["cells"]
    setup_index = next((i for i, c in enumerate(cells) if c["cell_type"] == "code"), -1)
    for i, cell in enumerate(cells):
        cell.setdefault("metadata", {})["slideshow"] = {"slide_type": slide_type(cell, i, setup_index)}


def build_decks(root: Path, out: Path, *, only: list[str] | None = None,
                params: dict[str, Any] | None = None) -> list[Path]:
    """Render ``notebooks/*.ipynb`` (those whose names start with one of ``only``) to
    ``out/NAME.slides.html``; return the decks written. With a cohort's ``params`` the decks are rendered
    from the cohort's executed copies (built first, into ``out/cohort``), so the projector shows the same
    numbers as the room's notebooks."""
    import nbformat
    from nbconvert import SlidesExporter

    out.mkdir(parents=True, exist_ok=True)
    source_dir = root / "notebooks"
    if params:
        from techpm.workshop.cohort import make_cohort

        make_cohort(root, params, out / "cohort", only=only)
        source_dir = out / "cohort" / "notebooks"
    exporter = SlidesExporter()
    decks = []
    for path in sorted(source_dir.glob("*.ipynb")):
        if only and not path.name.startswith(tuple(only)):
            continue
        nb = nbformat.read(path, as_version=4)
        tag_slides(nb)
        body, _ = exporter.from_notebook_node(nb)
        deck = out / f"{path.stem}.slides.html"
        deck.write_text(body, encoding="utf-8")
        decks.append(deck)
    return decks
