"""Slide decks from the lessons, with ``jupyter nbconvert --to slides``.

Each cell carries ``metadata.slideshow.slide_type``, derived from the notebook's own structure so that a
deck needs no hand tagging: the title and every ``## `` heading start a slide, ``### `` headings a
sub-slide (reveal.js's vertical step), the setup and parameters cells are skipped, and every other cell
continues the current slide. ``techpm dev sync`` writes these tags (``techpm.devtools.notebooks.tag_slides``,
a notebook convention that ``techpm dev check`` enforces); ``build_decks`` renders them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from techpm.devtools.notebooks import source, tag_slides

# The projector's canvas and what fits on it (reveal.js scales a 1280x720 slide to the screen). Heights are
# estimates in canvas pixels for the deck's CSS (templates/techpm_reveal); the browser test measures them.
CANVAS_H = 720
BUDGET_H = 620
PROSE_LINE_H, CODE_LINE_H, CHARS_PER_LINE = 34, 25, 88
MAX_CODE_LINES, MAX_OUTPUT_LINES = 4, 10
IMAGE_H = 440
TEMPLATES = Path(__file__).parent / "templates"


def _lines(text: str, width: int = CHARS_PER_LINE) -> int:
    return sum(max(1, -(-len(line) // width)) for line in text.splitlines()) if text.strip() else 0


def _markdown_height(text: str) -> int:
    height = 0
    for line in text.splitlines():
        if line.startswith("# "):
            height += 80
        elif line.startswith(("## ", "### ")):
            height += 62
        elif line.strip():
            height += PROSE_LINE_H * _lines(line)
        else:
            height += 10
    return height


def _output_height(output: dict[str, Any]) -> int:
    data = output.get("data", {})
    if "image/png" in data or "image/svg+xml" in data:
        return IMAGE_H + 10
    if "techpm-widget" in "".join(data.get("text/html", "")):
        return IMAGE_H + 60 + 20 * "".join(data["text/html"]).count("<table")
    if "text/markdown" in data:
        return _markdown_height("".join(data["text/markdown"]))
    if "text/html" in data:
        return 30 * max(1, "".join(data["text/html"]).count("<tr")) + 20
    text = "".join(output.get("text", "")) or "".join(data.get("text/plain", ""))
    return CODE_LINE_H * _lines(text, 110) + 12


def cell_height(cell: dict[str, Any]) -> int:
    """Estimated height of a cell on the projector deck, in canvas pixels."""
    if cell["cell_type"] == "markdown":
        return _markdown_height(source(cell))
    hidden = cell.get("metadata", {}).get("transient", {}).get("remove_source")
    height = 0 if hidden else CODE_LINE_H * _lines(source(cell), 110) + 20
    return height + sum(_output_height(o) for o in cell.get("outputs", []))


def _trim_text(text: str, limit: int) -> str:
    lines = text.splitlines()
    return text if len(lines) <= limit else "\n".join(lines[:limit] + ["…"])


def _for_projector(output: dict[str, Any]) -> dict[str, Any]:
    data = output.get("data")
    if data and "text/markdown" in data:
        md = "".join(data["text/markdown"])
        chunks = _fit_lines(md, BUDGET_H // 2)
        kept = chunks[0] if len(chunks) == 1 else chunks[0] + "\n\n*… (the whole answer is in the notebook)*"
        return {**output, "data": {"text/markdown": kept}}
    if "text" in output:
        return {**output, "text": _trim_text("".join(output["text"]), MAX_OUTPUT_LINES)}
    if data and "text/plain" in data and len(data) == 1:
        return {**output, "data": {"text/plain": _trim_text("".join(data["text/plain"]), MAX_OUTPUT_LINES)}}
    return output


def _fit_lines(text: str, max_h: int) -> list[str]:
    """``text`` cut at line boundaries (never inside a code fence) into pieces that each fit ``max_h``."""
    pieces, current, fenced = [], [], False
    for line in text.splitlines():
        if current and not fenced and _markdown_height("\n".join([*current, line])) > max_h:
            pieces.append("\n".join(current))
            current = []
        current.append(line)
        fenced ^= line.lstrip().startswith("```")
    pieces.append("\n".join(current))
    return pieces


def _split_prose(text: str) -> tuple[str, str]:
    """(what stays on the slide, what moves to the speaker notes) of a Markdown cell too tall for one slide:
    the leading paragraphs that fill most of a slide stay."""
    paragraphs = text.split("\n\n")
    kept: list[str] = []
    for paragraph in paragraphs:
        if kept and _markdown_height("\n\n".join([*kept, paragraph])) > BUDGET_H * 0.7:
            break
        kept.append(paragraph)
    return "\n\n".join(kept), "\n\n".join(paragraphs[len(kept):])


def _mostly_list(text: str) -> bool:
    lines = [line for line in text.splitlines() if line.strip()]
    return sum(line.lstrip().startswith(("-", "*", "1", "2", "3", "4", "5", "6", "7", "8", "9", "|")) for line in lines) > len(lines) / 2


def prepare_for_projector(nb) -> None:
    """Make every slide fit the projector, in place: drop the Colab badge (an image from the web), hide
    code longer than a few lines, shorten long outputs, move long prose to
    the speaker notes, show each explorer as its static snapshot, and start a continuation slide wherever
    the next cell would overflow."""
    import nbformat

    from techpm.workshop.snapshot import static_widgets

    static_widgets(nb)  # each explorer as it was when the notebook ran: its settings and its figure
    cells = []
    for cell in nb.cells:
        if cell["cell_type"] == "markdown":
            text = "\n".join(line for line in source(cell).splitlines() if "colab-badge.svg" not in line)
            cell["source"] = text
            if _markdown_height(text) > BUDGET_H:
                kept, rest = _split_prose(text)
                if rest and not _mostly_list(rest):  # long prose: the rest is for the speaker
                    cell["source"] = kept
                    cells.append(cell)
                    notes = nbformat.v4.new_markdown_cell(rest)
                    notes.metadata["slideshow"] = {"slide_type": "notes"}
                    cells.append(notes)
                    continue
        elif cell["cell_type"] == "code":
            if len(source(cell).splitlines()) > MAX_CODE_LINES:
                cell.setdefault("metadata", {}).setdefault("transient", {})["remove_source"] = True
            shown = []
            for output in (_for_projector(o) for o in cell.get("outputs", [])):
                if output.get("data") is None or output.get("data") not in [o.get("data") for o in shown]:
                    shown.append(output)  # a streamed answer and the cell's value: show it once
            cell["outputs"] = shown
            images = [i for i, o in enumerate(shown) if _output_height(o) >= IMAGE_H]
            if len(images) > 1:  # two figures never share a slide: the later ones continue below, code hidden
                cells.append(cell)
                cell["outputs"] = shown[:images[1]]
                for start, end in zip(images[1:], [*images[2:], len(shown)], strict=True):
                    more = nbformat.v4.new_code_cell("")
                    more.outputs = shown[start:end]
                    more.metadata["transient"] = {"remove_source": True}
                    more.metadata["slideshow"] = {"slide_type": "subslide"}
                    cells.append(more)
                continue
        if cell["cell_type"] == "markdown" and _markdown_height(source(cell)) > BUDGET_H:
            first, *rest = _fit_lines(source(cell), BUDGET_H)
            cell["source"] = first
            cells.append(cell)
            for piece in rest:  # a long list (the Sources) continues on the slides below
                more = nbformat.v4.new_markdown_cell(piece)
                more.metadata["slideshow"] = {"slide_type": "subslide"}
                cells.append(more)
            continue
        cells.append(cell)
    used = 0
    for cell in cells:
        kind = cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-")
        if kind in ("skip", "notes"):
            continue
        height = cell_height(cell)
        if kind in ("slide", "subslide"):
            used = height
        elif used + height > BUDGET_H and used > 0:
            cell.setdefault("metadata", {})["slideshow"] = {"slide_type": "subslide"}
            used = height
        else:
            used += height
    nb.cells = cells


def copy_assets(out: Path) -> None:
    """reveal.js and MathJax from their Python packages into ``out/assets`` (the decks load nothing from the
    web). Needs the instructor extra: ``pip install -e ".[instructor]"``."""
    import importlib.util
    import shutil

    from techpm.errors import TechpmError

    sources = {"reveal.js": ("sphinx_revealjs", "_static/revealjs"), "mathjax": ("jupyter_server_mathjax", "static")}
    for name, (package, sub) in sources.items():
        spec = importlib.util.find_spec(package)  # located without importing it (sphinx_revealjs imports Sphinx)
        if spec is None or not spec.submodule_search_locations:
            raise TechpmError(f"offline slides need the {package.replace('_', '-')} package for {name}: "
                              'pip install -e ".[instructor]"')
        target = out / "assets" / name
        if not target.exists():
            shutil.copytree(Path(spec.submodule_search_locations[0]) / sub, target)


def build_decks(root: Path, out: Path, *, only: list[str] | None = None,
                params: dict[str, Any] | None = None) -> list[Path]:
    """Render ``notebooks/*.ipynb`` (those whose names start with one of ``only``) to
    ``out/NAME.slides.html`` with ``out/assets`` beside them; return the decks written. Each deck works
    offline and fits a 1280x720 projector (see ``prepare_for_projector``). With a cohort's ``params`` the
    decks are rendered from the cohort's executed copies (built first, into ``out/cohort``), so the
    projector shows the same numbers as the room's notebooks."""
    import nbformat
    from nbconvert import SlidesExporter

    out.mkdir(parents=True, exist_ok=True)
    copy_assets(out)
    source_dir = root / "notebooks"
    if params:
        from techpm.workshop.cohort import make_cohort

        make_cohort(root, params, out / "cohort", only=only)
        source_dir = out / "cohort" / "notebooks"
    exporter = SlidesExporter(template_name="techpm_reveal", extra_template_basedirs=[str(TEMPLATES)],
                              reveal_url_prefix="assets/reveal.js", reveal_theme="white")
    decks = []
    for path in sorted(source_dir.glob("*.ipynb")):
        if only and not path.name.startswith(tuple(only)):
            continue
        nb = nbformat.read(path, as_version=4)
        tag_slides(nb)
        prepare_for_projector(nb)
        body, _ = exporter.from_notebook_node(nb)
        deck = out / f"{path.stem}.slides.html"
        deck.write_text(body, encoding="utf-8")
        decks.append(deck)
    return decks
