"""The projector decks, in a real browser and offline: every slide of every lesson fits reveal.js's
1280x720 canvas, and nothing is fetched from the web (reveal.js and MathJax come from the deck's assets/).
Screenshots of each deck's first slides land in build/screenshots/ for a reviewer."""

from __future__ import annotations

import importlib.util

import pytest

from tests.browser.conftest import require_browser, screenshot
from tests.conftest import ROOT

LESSONS = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
CANVAS_H = 720


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    require_browser()
    for package in ("sphinx_revealjs", "jupyter_server_mathjax"):  # located, not imported (see copy_assets)
        if importlib.util.find_spec(package) is None:
            pytest.skip(f"{package} is not installed (pip install -e '.[instructor]')")
    from techpm.workshop.slides import build_decks

    out = tmp_path_factory.mktemp("slides")
    build_decks(ROOT, out)
    return out


MEASURE = """() => {
  const out = [];
  const horizontal = Reveal.getHorizontalSlides();
  horizontal.forEach((h, i) => {
    const stack = h.querySelectorAll(':scope > section');
    const slides = stack.length ? Array.from(stack) : [h];
    slides.forEach((s, j) => {
      Reveal.slide(i, j);
      out.push({h: i, v: j, height: s.scrollHeight, text: (s.innerText || '').trim().slice(0, 60)});
    });
  });
  return out;
}"""


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_slide_fits_the_projector_offline(decks, chromium, lesson):
    page = chromium.new_page(viewport={"width": 1280, "height": 720})
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
    page.goto((decks / f"{lesson}.slides.html").as_uri())
    page.wait_for_function("window.Reveal && Reveal.isReady && Reveal.isReady()", timeout=30_000)
    page.wait_for_function("window.MathJax && MathJax.Hub && MathJax.Hub.queue.pending === 0", timeout=60_000)
    slides = page.evaluate(MEASURE)
    page.evaluate("Reveal.slide(0, 0)")
    screenshot(page, f"slides-{lesson}")
    page.close()
    assert len(slides) >= 3
    too_tall = [s for s in slides if s["height"] > CANVAS_H]
    assert not too_tall, f"{len(too_tall)} of {len(slides)} slides overflow 720 px: " + "; ".join(
        f"{s['h']}/{s['v']} {s['height']}px '{s['text']}'" for s in too_tall[:5])
    assert not outside, f"the deck fetched from the web: {outside[:3]}"
