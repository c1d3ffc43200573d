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


def execute(path: Path, *, timeout_s: int = 300, write_back: bool = True) -> tuple[dict, float]:
    """Run every cell of the notebook at ``path`` in a fresh python3 kernel; return (notebook, seconds)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
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
