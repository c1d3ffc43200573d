"""Slide decks from the lessons, with ``jupyter nbconvert --to slides``.

Each cell carries ``metadata.slideshow.slide_type``, derived from the notebook's own structure so that a
deck needs no hand tagging: the title and every ``## `` heading start a slide, ``### `` headings a
sub-slide (reveal.js's vertical step), the setup and parameters cells are skipped, and every other cell
continues the current slide. ``techpm dev sync`` writes these tags (``techpm.devtools.notebooks.tag_slides``,
a notebook convention that ``techpm dev check`` enforces); ``build_decks`` renders them.
"""

from __future__ import annotations

from pathlib import Path

from techpm.devtools.notebooks import tag_slides


def build_decks(root: Path, out: Path) -> list[Path]:
    """Render ``notebooks/*.ipynb`` to ``out/NAME.slides.html``; return the decks written."""
    import nbformat
    from nbconvert import SlidesExporter

    out.mkdir(parents=True, exist_ok=True)
    exporter = SlidesExporter()
    decks = []
    for path in sorted((root / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        tag_slides(nb)
        body, _ = exporter.from_notebook_node(nb)
        deck = out / f"{path.stem}.slides.html"
        deck.write_text(body, encoding="utf-8")
        decks.append(deck)
    return decks
