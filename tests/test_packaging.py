"""pyproject.toml (pip, Colab) and environment.yml (conda, Binder) must install the same packages."""

from __future__ import annotations

import re
import sys

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def _pyproject(root):
    return tomllib.loads((root / "pyproject.toml").read_text())["project"]


def _conda_requirements(root) -> dict[str, str]:
    env = yaml.safe_load((root / "environment.yml").read_text())
    out: dict[str, str] = {}
    for dep in env["dependencies"]:
        items = dep["pip"] if isinstance(dep, dict) else [dep]
        for item in items:
            if item.startswith("-e") or item.split(">")[0].split("=")[0] in ("python", "pip"):
                continue
            name = re.split(r"[<>=!~ ]", item, maxsplit=1)[0]
            out[name.lower()] = item[len(name):].replace(" ", "")
    return out


def _pip_requirements(root) -> dict[str, str]:
    project = _pyproject(root)
    reqs = [Requirement(r) for r in [*project["dependencies"], *project["optional-dependencies"]["test"]]]
    return {r.name.lower(): str(r.specifier) for r in reqs if r.marker is None}


def test_environment_yml_and_pyproject_name_the_same_packages_and_ranges(root):
    conda, pip = _conda_requirements(root), _pip_requirements(root)
    assert set(conda) == set(pip), f"only in environment.yml: {set(conda) - set(pip)}; only in pyproject: {set(pip) - set(conda)}"
    for name in pip:
        assert SpecifierSet(conda[name]) == SpecifierSet(pip[name]), f"{name}: {conda[name]} vs {pip[name]}"


def test_runtime_dependencies_admit_what_colab_preinstalls(root):
    # Colab snapshot of August 2026 (see shared conventions): ipywidgets 7.7.1, matplotlib 3.10, numpy 2.0.
    colab = {"ipywidgets": "7.7.1", "matplotlib": "3.10.0", "numpy": "2.0.2"}
    reqs = {Requirement(r).name: Requirement(r) for r in _pyproject(root)["dependencies"]}
    for name, version in colab.items():
        assert reqs[name].specifier.contains(version), f"{name} {version} (Colab) is excluded by {reqs[name]}"


def test_colab_installs_only_runtime_packages_colab_lacks(root):
    project = _pyproject(root)
    runtime = {Requirement(r).name: str(Requirement(r).specifier) for r in project["dependencies"]}
    for item in project["optional-dependencies"]["colab"]:
        req = Requirement(item)
        assert req.name not in {"ipywidgets", "matplotlib", "numpy", "jupyterlab"}, f"{req.name}: Colab has it"
        if req.name in runtime:
            assert str(req.specifier) == runtime[req.name]


def test_package_data_ships_the_tables(root):
    import techpm.tables as tables

    for kind in tables.SCHEMAS:
        assert tables.load_table(kind), f"{kind}.json is empty"
