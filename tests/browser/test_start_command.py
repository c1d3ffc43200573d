"""The README's start command, exactly as written (less `pip install -e . &&`), opens the course at the
repository root with the start-here notebook open: exercises/ and solutions/ are in the file browser."""

from __future__ import annotations

import re
import shlex
import shutil

from tests.browser.conftest import (
    lab_settings,
    running_lab,
    screenshot,
)
from tests.conftest import ROOT

FOLDERS = ("notebooks", "exercises", "solutions")


def readme_start_args() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- start-command -->\s*```bash\n(.*?)\n```", readme, re.S)
    assert block, "README.md has no start command"
    command = block.group(1).strip()
    command = re.sub(r"^pip install -e \. && ", "", command)
    words = shlex.split(command)
    assert words[:2] == ["jupyter", "lab"], command
    return words[2:]


def test_the_start_command_opens_the_course_at_the_repository_root(tmp_path, chromium):
    course = tmp_path / "course"
    for folder in FOLDERS:
        shutil.copytree(ROOT / folder, course / folder)
    runtime = tmp_path / "runtime"
    with running_lab(course, readme_start_args(), lab_settings(tmp_path / "settings"),
                     env={"JUPYTER_RUNTIME_DIR": str(runtime)}):
        # The page the server would open in the learner's browser: the start-here notebook.
        opener = next(runtime.glob("jpserver-file-to-run-*-open.html")).read_text()
        url = re.search(r'href="([^"]+)"', opener).group(1)
        assert "/lab/tree/notebooks/00_start_here.ipynb" in url, url
        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        try:
            page.goto(url)
            page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=90_000)
            page.locator(".lm-TabBar-tab", has_text="00_start_here.ipynb").first.wait_for(timeout=30_000)
            listing = page.locator(".jp-FileBrowser .jp-DirListing-itemText")
            if not page.locator(".jp-FileBrowser").first.is_visible():  # the side panel can start collapsed
                page.locator('.jp-SideBar .lm-TabBar-tab[data-id="filebrowser"]').first.click()
            # The browser first lists the notebook's folder; then go to the root, as a learner would.
            listing.filter(has_text="00_start_here").first.wait_for(state="visible", timeout=60_000)
            page.locator(".jp-FileBrowser .jp-BreadCrumbs-home").first.click()
            listing.filter(has_text="exercises").first.wait_for(state="visible", timeout=60_000)
            names = [n.strip() for n in listing.all_inner_texts()]
            screenshot(page, "start-command")
        finally:
            page.close()
        assert {"notebooks", "exercises", "solutions"} <= {n.strip() for n in names}, names
