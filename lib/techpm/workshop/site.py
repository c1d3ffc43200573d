"""A static site of the whole course, for learners who only want to read, and the offline bundle a room
without network can open: every lesson, exercise and answer key rendered with nbconvert, an index that
separates the three, previous/next links within each, math rendered offline (MathJax from the site's own
``assets/``), and every explorer shown as its static snapshot (``snapshot.py``). Nothing is loaded from
the web."""

from __future__ import annotations

import html
import re
from pathlib import Path

from techpm.devtools.notebooks import read, source

BADGE = re.compile(r"\[!\[Open In Colab\]\([^)]*\)\]\(([^)]*)\)")
SECTIONS = (("notebooks", "Lessons", "Read, run and explore: the explanations, calculators and figures."),
            ("exercises", "Exercises", "Fill in each answer; the checks say what is right and what to revisit."),
            ("solutions", "Answer keys", "The exercises solved, executed, with the checks passing."))
INDEX_CSS = """body{font-family:system-ui,sans-serif;max-width:980px;margin:32px auto;padding:0 16px;color:#222}
h1{font-size:1.7em} .grid{display:grid;grid-template-columns:repeat(3,1fr);gap:18px}
section{background:#f7f7fa;border:1px solid #e2e2ea;border-radius:8px;padding:12px 16px}
section h2{margin:.2em 0} section p{color:#555;font-size:.9em} li{margin:.3em 0} a{color:#1a5fb4}"""


def _title(path: Path) -> str:
    match = re.search(r"^# (.+)$", source(read(path)["cells"][0]), re.M)
    return match.group(1).strip() if match else path.stem


def _nav(pages: list[tuple[str, str]], i: int, section: str) -> str:
    links = [f'<a href="index.html">Course home</a> <span>{html.escape(section)}</span>']
    if i > 0:
        links.append(f'<a href="{pages[i - 1][0]}">&larr; {html.escape(pages[i - 1][1])}</a>')
    if i + 1 < len(pages):
        links.append(f'<a href="{pages[i + 1][0]}">{html.escape(pages[i + 1][1])} &rarr;</a>')
    return f'<nav class="techpm">{" ".join(links)}</nav>'


def build_site(root: Path, out: Path) -> list[Path]:
    """Write ``out/index.html``, one page per notebook and ``out/assets``; return every page written."""
    import nbformat
    from nbconvert import HTMLExporter

    from techpm.workshop.slides import TEMPLATES, copy_assets
    from techpm.workshop.snapshot import static_widgets

    out.mkdir(parents=True, exist_ok=True)
    copy_assets(out)
    exporter = HTMLExporter(template_name="techpm_lab", extra_template_basedirs=[str(TEMPLATES)])
    written, blocks = [], []
    for folder, heading, blurb in SECTIONS:
        sources = sorted((root / folder).glob("*.ipynb"))
        pages = [(f"{folder}-{p.stem}.html", _title(p)) for p in sources]
        for i, path in enumerate(sources):
            nb = nbformat.read(path, as_version=4)
            static_widgets(nb)
            for cell in nb.cells:  # the Colab badge is an image from the web: a plain link works offline
                if cell.cell_type == "markdown":
                    cell.source = BADGE.sub(r"[Open in Colab ↗](\1)", cell.source)
            body, _ = exporter.from_notebook_node(nb)
            nav = _nav(pages, i, heading)
            body = re.sub(r"(<body[^>]*>)", lambda m, nav=nav: m.group(1) + nav, body, count=1)
            page = out / pages[i][0]
            page.write_text(body, encoding="utf-8")
            written.append(page)
        items = "\n".join(f'<li><a href="{name}">{html.escape(title)}</a></li>' for name, title in pages)
        blocks.append(f"<section><h2>{heading}</h2><p>{blurb}</p><ul>{items}</ul></section>")
    index = out / "index.html"
    index.write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>techpm course</title>"
        f"<style>{INDEX_CSS}</style></head><body>"
        "<h1>techpm: technical depth for AI product managers</h1>"
        "<p>Every lesson, exercise and answer key, as executed. Explorers show the settings and figure they "
        "had when the page was made; to move them, run the notebooks (see the README).</p>"
        f"<div class='grid'>{''.join(blocks)}</div></body></html>", encoding="utf-8")
    return [index, *written]
