"""A real JupyterLab (and Notebook 7) server on a free loopback port, driven by Playwright in Debian's
headless Chromium (`/usr/bin/chromium`: no browser download). Skipped, with the reason, where Chromium
or Playwright is missing; `.ci/run` installs both, so CI always runs these tests."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = os.environ.get("TECHPM_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-quic",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    base_url: str
    token: str
    root: Path

    def url(self, path: str, **query: str) -> str:
        extra = "".join(f"&{k}={v}" if v else f"&{k}" for k, v in query.items())
        return f"{self.base_url}/{path}?token={self.token}{extra}"


def require_browser() -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api")


def lab_settings(tmp: Path) -> Path:
    """JupyterLab settings for tests: no news check, and every cell rendered (JupyterLab 4 virtualizes
    long notebooks: off-screen cells would show no prompt)."""
    news = tmp / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    tracker = tmp / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    return tmp


@contextmanager
def running_lab(cwd: Path, lab_args: list[str], settings: Path, env: dict[str, str] | None = None) -> Iterator[Server]:
    """``jupyter lab LAB_ARGS`` started in ``cwd`` on a free loopback port with a token; stopped on exit."""
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(settings), **(env or {})}
    env.pop("ANTHROPIC_API_KEY", None)
    log_path = cwd / "server.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", *lab_args, "--no-browser", "--allow-root", "--ip=127.0.0.1",
         f"--port={port}", f"--IdentityProvider.token={token}", "--LabApp.news_url=",
         "--ServerApp.disable_check_xsrf=False"],
        stdout=log, stderr=subprocess.STDOUT, env=env, cwd=cwd,
    )
    server = Server(f"http://127.0.0.1:{port}", token, cwd)
    deadline = time.monotonic() + 90
    try:
        while True:
            try:
                urllib.request.urlopen(server.url("api/status"), timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("JupyterLab did not start:\n" + log_path.read_text()[-3000:])
                time.sleep(0.3)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def jupyter_server(tmp_path_factory) -> Iterator[Server]:
    require_browser()
    root = tmp_path_factory.mktemp("course")
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    with running_lab(root, [f"--ServerApp.root_dir={root}"], lab_settings(tmp_path_factory.mktemp("lab-settings"))) as server:
        yield server


@pytest.fixture(scope="session")
def chromium():
    """Debian's headless Chromium through Playwright, once per test session."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def browser(jupyter_server, chromium):
    return chromium


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path
