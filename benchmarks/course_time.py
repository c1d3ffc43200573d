"""How long the whole course takes to execute headless, against kernel start-up, and ``import techpm``.

    python benchmarks/course_time.py            # every notebook in notebooks/ (add --all for solutions/)

Prints seconds per notebook, the total, and the ratio to executing as many *empty* notebooks (which
measures kernel start-up and shutdown only). Target: the course within 3x that baseline. Then the time of
``import techpm`` as a ratio to ``import numpy`` (each in a fresh interpreter, best of 5). Target: <= 1.
Figures, not assertions: this machine is shared and noisy, so compare the ratios inside one run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from techpm.devtools.authoring import code, md, write_notebook  # noqa: E402
from techpm.devtools.execute import execute  # noqa: E402


def import_seconds(module: str, repeats: int = 5) -> float:
    """Best-of-``repeats`` wall time of ``import module`` in a fresh interpreter."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", f"import {module}"], check=True)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="also execute solutions/")
    args = parser.parse_args()
    folders = ["notebooks", "solutions"] if args.all else ["notebooks"]
    paths = sorted(p for f in folders for p in (ROOT / f).glob("*.ipynb"))

    rows = []
    for path in paths:
        _, seconds = execute(path, write_back=False)
        rows.append((f"{path.parent.name}/{path.name}", seconds))
    with tempfile.TemporaryDirectory() as tmp:
        empty = write_notebook(Path(tmp) / "empty.ipynb", [md("# empty"), code("pass")])
        baseline = sum(execute(empty, write_back=False)[1] for _ in paths)

    width = max(len(name) for name, _ in rows)
    for name, seconds in rows:
        print(f"{name:<{width}}  {seconds:6.2f} s")
    total = sum(s for _, s in rows)
    print(f"{'total':<{width}}  {total:6.2f} s")
    print(f"{'empty-notebook baseline':<{width}}  {baseline:6.2f} s  ({len(paths)} empty notebooks)")
    print(f"course / baseline: {total / baseline:.2f}x (target <= 3x)")

    t_numpy, t_techpm, t_python = import_seconds("numpy"), import_seconds("techpm"), import_seconds("sys")
    print(f"import numpy  {1000 * (t_numpy - t_python):6.1f} ms (interpreter start-up subtracted)")
    print(f"import techpm {1000 * (t_techpm - t_python):6.1f} ms")
    print(f"import techpm / import numpy: {(t_techpm - t_python) / (t_numpy - t_python):.2f} (target <= 1)")


if __name__ == "__main__":
    main()
