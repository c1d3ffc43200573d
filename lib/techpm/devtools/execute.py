"""Execute notebooks in place, offline and deterministically, so their stored outputs are what the code
really produces (nbval then proves it on every test run)."""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from pathlib import Path

from techpm.devtools.notebooks import read, write
from techpm.keys import ENV_VAR


@contextmanager
def offline_environment():
    """No API key and a fixed hash seed for the kernel's lifetime: the outputs a learner without a key sees."""
    saved = {name: os.environ.get(name) for name in (ENV_VAR, "PYTHONHASHSEED", "MPLBACKEND")}
    os.environ.pop(ENV_VAR, None)
    os.environ["PYTHONHASHSEED"] = "0"
    os.environ.pop("MPLBACKEND", None)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def execute(path: Path, *, timeout_s: int = 300, write_back: bool = True, prepare=None) -> tuple[dict, float]:
    """Run every cell of the notebook at ``path`` in a fresh python3 kernel; return (notebook, seconds).
    ``prepare(nb)``, when given, may change the notebook before it runs (it is then not written back)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
    if prepare is not None:
        prepare(nb)
        write_back = False
    client = NotebookClient(nb, timeout=timeout_s, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    with offline_environment():
        start = time.perf_counter()
        client.execute()
        seconds = time.perf_counter() - start
    if write_back:
        data = nbformat.writes(nb)
        import json

        write(path, json.loads(data))
    return read(path) if write_back else nbformat.from_dict(nb), seconds


def run_each(paths: list[Path], *, prepare=None, check=None, timeout_s: int = 300) -> int:
    """Execute each notebook (``prepare``: see ``execute``) without writing it back and print one line per
    notebook: ``ok`` or ``FAIL``
    with the error's last line. ``check(nb) -> str | None`` may add a failure reason for a notebook that ran.
    Returns the number of failures (every notebook is tried, so one run reports them all)."""
    failures = 0
    for path in paths:
        try:
            nb, _ = execute(path, timeout_s=timeout_s, write_back=False, prepare=prepare)
            problem = check(nb) if check else None
            status = f"FAIL ({problem})" if problem else "ok"
        except Exception as exc:  # report every notebook, then fail
            lines = str(exc).strip().splitlines() or [""]
            status = f"FAIL {type(exc).__name__}: {lines[-1][:300]}"
        failures += status != "ok"
        print(f"{status:<4} {path.parent.name}/{path.name}", flush=True)
    return failures


def stamped_venv(venv: Path, stamp: bytes, python: str, *install: list[str]) -> Path:
    """A virtual environment at ``venv``, built with ``python`` and each ``pip install`` argument list in
    ``install``, and reused while the SHA-256 of ``stamp`` (what determines its contents) is unchanged;
    returns its python."""
    import hashlib
    import shutil
    import subprocess

    digest = hashlib.sha256(stamp).hexdigest()
    venv_python = venv / "bin" / "python"
    if not (venv / "stamp").exists() or (venv / "stamp").read_text() != digest:
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([python, "-m", "venv", str(venv)], check=True)
        for args in install:
            subprocess.run([str(venv_python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *args],
                           check=True)
        (venv / "stamp").write_text(digest)
    return venv_python
