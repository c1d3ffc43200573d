"""Run every notebook the way Google Colab would: its Python and package versions, the setup cell's
Colab branch, and Colab's secrets API with no secret granted.

    python -m techpm.devtools.colab_env            # build (or reuse) build/colab-venv, then run
    python -m techpm.devtools.colab_env --inside   # (used by the above) run inside that environment

The environment is pinned by ``tests/colab/requirements-colab.txt`` (its comments name the sources) and
starts without the course, as Colab does. The first notebook's own setup cell installs it (``--no-deps``,
then the ``colab`` extra), pointed at this checkout instead of the git URL: the one change made to a cell.
Afterwards every package the environment had before is checked at its old version, so an install that
upgrades something Colab pinned (ipywidgets, or anthropic's pydantic, typing-extensions, anyio) fails. A
fake ``google.colab`` module (its ``userdata.get`` raises, as Colab does when a notebook has no access to
the secret) is imported in every kernel, so ``"google.colab" in sys.modules`` holds, as in Colab.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

FAKE_COLAB = '''"""A stand-in for google.colab: only what the course touches."""
class SecretNotFoundError(Exception):
    pass


class _UserData:
    def get(self, name):
        raise SecretNotFoundError(f"Secret {name} does not exist.")


userdata = _UserData()
'''


def _python_for_colab() -> str:
    """Colab's Python (3.13) where this machine has it (on PATH or under pyenv), else this one."""
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates = [shutil.which("python3.13"), *sorted(str(p) for p in pyenv.glob("3.13*/bin/python3.13"))]
    for path in filter(None, candidates):
        if subprocess.run([path, "-c", "import venv"], capture_output=True).returncode == 0:
            return path
    print("Python 3.13 not found: using this interpreter instead", file=sys.stderr)
    return sys.executable


def build_env(root: Path) -> Path:
    """Create (or reuse, when the pins have not changed) ``build/colab-venv``; return its python."""
    from techpm.devtools.execute import stamped_venv
    from techpm.devtools.notebooks import colab_packages

    requirements = root / "tests" / "colab" / "requirements-colab.txt"
    stamp_text = requirements.read_text() + "\n".join(colab_packages(root))
    python = stamped_venv(root / "build" / "colab-venv", stamp_text.encode(), _python_for_colab(),
                          ["-r", str(requirements)])
    # Colab has no techpm and none of the colab extra: the setup cell must install them (a reused venv
    # is reset to that state, so every run exercises the install).
    from packaging.requirements import Requirement

    subprocess.run([str(python), "-m", "pip", "uninstall", "-q", "-y", "techpm",
                    *(Requirement(p).name for p in colab_packages(root))], capture_output=True)
    return python


def _installed() -> dict[str, str]:
    from importlib import metadata

    return {(d.metadata["Name"] or "").lower(): d.version for d in metadata.distributions()}


def _point_setup_cell_at(nb, root: Path) -> None:
    """The setup cell installs ``techpm @ git+<repository>``: point it at this checkout instead."""
    from techpm.devtools.notebooks import repo_url

    cell = nb.cells[1]
    assert "techpm @ git+" in cell.source, "the second cell is not the setup cell"
    cell.source = cell.source.replace(f"git+{repo_url(root)}", root.resolve().as_uri())


def run_inside(root: Path, folders: list[str]) -> int:
    """Execute the notebooks with this interpreter's kernel and a fake google.colab; report each one."""
    from techpm.devtools.execute import run_each

    with tempfile.TemporaryDirectory() as tmp:
        fake = Path(tmp) / "fake" / "google" / "colab"
        fake.mkdir(parents=True)
        (fake.parent / "__init__.py").write_text("")
        (fake / "__init__.py").write_text(FAKE_COLAB)
        startup = Path(tmp) / "ipython" / "profile_default" / "startup"
        startup.mkdir(parents=True)
        (startup / "00-colab.py").write_text("import google.colab  # as in Colab\n")
        os.environ["PYTHONPATH"] = str(fake.parent.parent)
        os.environ["IPYTHONDIR"] = str(Path(tmp) / "ipython")
        os.environ.pop("ANTHROPIC_API_KEY", None)
        os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"  # ipykernel 6.17's debugger chatter
        before = _installed()
        paths = sorted(p for folder in folders for p in (root / folder).glob("*.ipynb"))
        failures = run_each(paths, prepare=lambda nb: _point_setup_cell_at(nb, root), check=_saw_colab)
        after = _installed()
        changed = {name: (v, after.get(name)) for name, v in before.items() if after.get(name) != v}
        for name, (old, new) in sorted(changed.items()):
            print(f"FAIL the setup cell changed {name}: {old} -> {new or 'removed'}")
        if "techpm" not in after:
            print("FAIL the setup cell did not install techpm")
        failures += len(changed) + ("techpm" not in after)
    import ipywidgets
    import matplotlib

    print(f"versions: Python {sys.version.split()[0]}, ipywidgets {ipywidgets.__version__}, "
          f"matplotlib {matplotlib.__version__}")
    return 1 if failures else 0


def _saw_colab(nb) -> str | None:
    text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    return None if "ready in Colab" in text else "setup cell did not see Colab"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inside", action="store_true")
    parser.add_argument("folders", nargs="*", default=["notebooks", "solutions", "exercises"])
    args = parser.parse_args(argv)
    if args.inside:
        return run_inside(Path(os.environ["TECHPM_ROOT"]), args.folders)
    from techpm.devtools.notebooks import repo_root

    root = repo_root()
    python = build_env(root)
    # The harness imports techpm from this checkout; the kernels do not see it (run_inside resets
    # PYTHONPATH), so only the setup cell's install can give it to them.
    env = {**os.environ, "TECHPM_ROOT": str(root), "PYTHONPATH": str(root / "lib")}
    return subprocess.run([str(python), "-m", "techpm.devtools.colab_env", "--inside", *args.folders],
                          env=env).returncode


if __name__ == "__main__":
    raise SystemExit(main())
