"""A static site of the whole course, for learners who only want to read: every lesson and answer key
(already executed: their stored outputs are what the code produces) rendered to HTML with nbconvert, an
index page, and previous/next navigation on every page."""

from __future__ import annotations

import html
import re
from pathlib import Path

from techpm.devtools.notebooks import read, source

NAV_STYLE = ("font-family:system-ui,sans-serif;padding:10px 16px;background:#f4f4f6;"
             "border-bottom:1px solid #ddd;display:flex;gap:18px")


def _title(path: Path) -> str:
    match = re.search(r"^# (.+)$", source(read(path)["cells"][0]), re.M)
    return match.group(1).strip() if match else path.stem


def _nav(pages: list[tuple[str, str]], i: int) -> str:
    links = ['<a href="index.html">Course home</a>']
    if i > 0:
        links.append(f'<a href="{pages[i - 1][0]}">&larr; {html.escape(pages[i - 1][1])}</a>')
    if i + 1 < len(pages):
        links.append(f'<a href="{pages[i + 1][0]}">{html.escape(pages[i + 1][1])} &rarr;</a>')
    return f'<nav style="{NAV_STYLE}">{" ".join(links)}</nav>'


def build_site(root: Path, out: Path) -> list[Path]:
    """Write ``out/index.html`` and one page per notebook; return every page written."""
    import nbformat
    from nbconvert import HTMLExporter

    out.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter(template_name="lab")
    sources = [p for folder in ("notebooks", "solutions") for p in sorted((root / folder).glob("*.ipynb"))]
    pages = [(f"{p.parent.name}-{p.stem}.html", _title(p)) for p in sources]
    written = []
    for i, path in enumerate(sources):
        body, _ = exporter.from_notebook_node(nbformat.read(path, as_version=4))
        nav = _nav(pages, i)
        body = re.sub(r"(<body[^>]*>)", lambda m, nav=nav: m.group(1) + nav, body, count=1)
        page = out / pages[i][0]
        page.write_text(body, encoding="utf-8")
        written.append(page)
    items = "\n".join(
        f'<li><a href="{name}">{html.escape(title)}</a></li>' for name, title in pages)
    index = out / "index.html"
    index.write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>techpm course</title></head>"
        "<body style='font-family:system-ui,sans-serif;max-width:760px;margin:40px auto'>"
        "<h1>techpm: technical depth for AI product managers</h1>"
        "<p>Every lesson and answer key, executed. To run them yourself, see the README.</p>"
        f"<ul>\n{items}\n</ul></body></html>", encoding="utf-8")
    return [index, *written]
