"""Each lesson in a real browser: run all cells, move a calculator's slider, see the output and figure
change, and find no error. Once in JupyterLab 4 and once in Notebook 7; a screenshot of each notebook
after its run lands in build/screenshots/ for a reviewer."""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request

import pytest

from tests.browser.conftest import screenshot
from tests.conftest import ROOT

LESSONS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
UIS = {"lab": "lab/tree/notebooks/{name}", "notebook7": "notebooks/notebooks/{name}"}
# Lessons that must offer at least one calculator with a slider.
WITH_SLIDERS = ("01_", "02_", "03_", "04_", "05_", "06_", "07_", "08_", "09_")


def _api(server, path: str, **query: str):
    with urllib.request.urlopen(server.url(path, **query), timeout=10) as response:
        return json.loads(response.read())


def _shut_down_kernels(server) -> None:
    for session in _api(server, "api/sessions"):
        request = urllib.request.Request(f"{server.base_url}/api/sessions/{session['id']}", method="DELETE",
                                         headers={"Authorization": f"token {server.token}"})
        urllib.request.urlopen(request, timeout=10).close()


def _wait_idle(server, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        sessions = _api(server, "api/sessions")
        if sessions and all(s["kernel"]["execution_state"] == "idle" for s in sessions):
            return
        time.sleep(0.5)
    raise AssertionError("the kernel did not become idle")


def _run_all(page, server) -> None:
    page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Run$")).first.click()
    page.locator(".lm-Menu-item", has_text="Run All Cells").first.click()
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        prompts = page.locator(".jp-CodeCell .jp-InputPrompt").all_inner_texts()
        if prompts and all(re.search(r"\[\d+\]", p) for p in prompts):
            break
        time.sleep(0.5)
    else:
        raise AssertionError(f"not every cell ran: {prompts}")
    _wait_idle(server)


def _api_retrying(server, path: str, seconds: float = 10.0, **query: str):
    """The contents API, retried on a server error: a read that lands inside jupyter_server's atomic save
    (the ``.~NAME`` backup dance) can answer 500 for a moment."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return _api(server, path, **query)
        except urllib.error.HTTPError as exc:
            if exc.code < 500 or time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def _saved_notebook(page, server, name: str) -> dict:
    """Save with Ctrl+S, wait until the save has finished (last_modified changed, then unchanged across
    two reads a second apart), then read the notebook once."""
    path = f"api/contents/notebooks/{name}"
    before = _api_retrying(server, path, content="0")["last_modified"]
    page.locator(".jp-Notebook").first.click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+s")
    deadline = time.monotonic() + 30
    seen = before
    while time.monotonic() < deadline:
        time.sleep(1.0)
        now = _api_retrying(server, path, content="0")["last_modified"]
        if now != before and now == seen:
            return _api_retrying(server, path)["content"]
        seen = now
    raise AssertionError("the notebook was not saved")


def _move_a_slider(page) -> tuple[str, str, str, str] | None:
    """Click along the first explorer's sliders, one by one, until the output changes (some sliders only
    matter in some settings, e.g. a per-token price under per-seat pricing)."""
    explorer = page.locator(".widget-vbox", has=page.locator(".widget-image")).filter(
        has=page.locator(".widget-slider")).first
    if explorer.count() == 0:
        return None
    explorer.scroll_into_view_if_needed()
    html = explorer.locator(".widget-html-content").last
    image = explorer.locator(".widget-image").first
    html_before, src_before = html.inner_text(), image.get_attribute("src")
    sliders = explorer.locator(".widget-slider")
    for i in range(sliders.count()):
        slider = sliders.nth(i)
        readout = slider.locator(".widget-readout").first
        value_before = readout.inner_text()
        box = slider.locator(".noUi-target, .ui-slider").first.bounding_box()
        for fraction in (0.8, 0.2):  # click the track as a learner would; the handle jumps there
            page.mouse.click(box["x"] + box["width"] * fraction, box["y"] + box["height"] / 2)
            page.wait_for_timeout(300)
            if readout.inner_text() != value_before:
                break
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and html.inner_text() == html_before:
            time.sleep(0.2)
        if html.inner_text() != html_before:
            break
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and image.get_attribute("src") == src_before:
        time.sleep(0.2)
    return html_before, html.inner_text(), src_before or "", image.get_attribute("src") or ""


@pytest.mark.parametrize("ui", list(UIS))
@pytest.mark.parametrize("name", LESSONS)
def test_lesson_runs_in_the_browser_and_its_slider_redraws(jupyter_server, page, ui, name):
    _shut_down_kernels(jupyter_server)  # a fresh kernel for each run
    page.goto(jupyter_server.url(UIS[ui].format(name=name), reset=""))  # a fresh workspace: this notebook only
    page.locator(".jp-Notebook .jp-Cell:visible").first.wait_for(timeout=90_000)
    _wait_idle(jupyter_server)
    _run_all(page, jupyter_server)

    moved = _move_a_slider(page)
    screenshot(page, f"{ui}-{name.removesuffix('.ipynb')}")
    if name.startswith(WITH_SLIDERS):
        assert moved is not None, "no calculator with a slider and a figure was found"
    if moved is not None:
        html_before, html_after, src_before, src_after = moved
        assert html_after != html_before, f"the output did not change: {html_after!r}"
        assert src_after != src_before, "the figure did not change"

    nb = _saved_notebook(page, jupyter_server, name)
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c["execution_count"] for c in code), "a cell did not run"
    errors = [o for c in code for o in c["outputs"] if o["output_type"] == "error"]
    assert not errors, f"{errors[0]['ename']}: {errors[0]['evalue']}" if errors else ""
