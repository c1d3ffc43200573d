"""Run every notebook in an environment that has only the course's runtime dependencies: the newcomer's
path (``pip install -e .``, no extras).

    python -m techpm.devtools.runtime_check           # build (or reuse) build/runtime-venv, then run
    python -m techpm.devtools.runtime_check --inside  # (used by the above) run with this interpreter

A lesson that imports a package only the test extras bring (scipy was one) fails here, while the test suite,
which installs the extras, would never notice. ``tests/test_runtime_only.py`` runs this in CI.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path


def build_env(root: Path) -> Path:
    """Create (or reuse, while pyproject.toml is unchanged) ``build/runtime-venv``; return its python."""
    from techpm.devtools.execute import stamped_venv

    return stamped_venv(root / "build" / "runtime-venv", (root / "pyproject.toml").read_bytes(), sys.executable,
                        ["-e", str(root)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inside", action="store_true")
    parser.add_argument("folders", nargs="*", default=["notebooks", "solutions", "exercises"])
    args = parser.parse_args(argv)
    from techpm.devtools.notebooks import repo_root

    root = repo_root()
    if args.inside:
        from techpm.devtools.execute import run_each

        paths = sorted(p for folder in args.folders for p in (root / folder).glob("*.ipynb"))
        return 1 if run_each(paths) else 0
    python = build_env(root)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # only what the venv itself has
    return subprocess.run([str(python), "-m", "techpm.devtools.runtime_check", "--inside", *args.folders],
                          env=env, cwd=root).returncode


if __name__ == "__main__":
    raise SystemExit(main())
