"""The library's shape: layers without upward imports, no import cycles, static exports that are current,
and CONTRIBUTING.md's lesson map true to the notebooks (see ``techpm.devtools.architecture``)."""

from __future__ import annotations

import importlib

import pytest

import techpm
from techpm.devtools import architecture as arch
from techpm.devtools import exports
from tests.conftest import ROOT

GRAPH = arch.import_graph(ROOT)

# Cycles in code that other branches own or are rewriting (the generator's package and cache, g10's facets,
# r11's rubric package, a15's agents); each is a debt, not a pattern to copy.
# A cycle is allowed only if all its modules lie inside one group listed here.
KNOWN_CYCLES: dict[frozenset[str], str] = {
    frozenset({"techpm.generator", "techpm.generator.batch"}):
        "batch reuses the package's private checks (_check_cost, ...); they belong in a module both import",
    frozenset({"techpm.generator.answer", "techpm.generator.cache"}):
        "Answer.from_dict delegates to cache.answer_from_data, the one validator of stored answers",
    frozenset({"techpm.generator.facets", "techpm.generator.facets.base", "techpm.generator.reading"}):
        "g10's facet registry and the question reader refer to each other",
    frozenset({"techpm.rubric.grading", "techpm.rubric.report"}): "r11's grading and its report",
    frozenset({"techpm.agents.policy", "techpm.agents.runtime"}): "a15's agent loop and its policy",
}


def test_every_module_has_a_layer():
    for module in GRAPH:
        arch.layer_of(module)  # raises, naming the module, if LAYERS misses it


def test_no_upward_imports():
    upward = [f"{a} ({arch.LAYERS[arch.layer_of(a)][0]}) imports {b} ({arch.LAYERS[arch.layer_of(b)][0]})"
              for a, b in arch.upward_imports(GRAPH)]
    assert upward == [], "\n".join(upward)


def test_no_import_cycles():
    unknown = [group for group in arch.cycles(GRAPH) if not any(set(group) <= known for known in KNOWN_CYCLES)]
    assert unknown == [], f"import cycles: {unknown}"


def test_an_unlisted_module_has_no_layer():
    with pytest.raises(ValueError, match="techpm.newthing is in no layer"):
        arch.layer_of("techpm.newthing")
    assert arch.LAYERS[arch.layer_of("techpm")][0] == "foundation"


def test_the_checks_catch_what_they_are_for():
    graph = {"techpm.calc.a": {"techpm.widgets.x"}, "techpm.widgets.x": {"techpm.calc.a"}, "techpm.tables": set()}
    assert arch.upward_imports(graph) == [("techpm.calc.a", "techpm.widgets.x")]
    assert arch.cycles(graph) == [["techpm.calc.a", "techpm.widgets.x"]]
    assert arch.cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_function_level_imports_count(tmp_path):
    pkg = tmp_path / "lib" / "techpm"
    (pkg / "calc").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "calc" / "__init__.py").write_text("")
    (pkg / "widgets.py").write_text("")
    (pkg / "calc" / "x.py").write_text("def f():\n    from techpm import widgets\n    return widgets\n")
    assert arch.import_graph(tmp_path)["techpm.calc.x"] == {"techpm.widgets"}


def test_calc_export_block_is_current():
    assert exports.is_current(ROOT), "lib/techpm/calc/__init__.py is out of date: run `techpm dev sync`"


def test_calc_exports_every_module_name_once():
    from techpm import calc

    listed = exports.calc_exports(ROOT)
    for module, names in listed.items():
        for name in names:
            assert calc.where_is(name) == f"techpm.calc.{module}"
            assert getattr(calc, name) is getattr(importlib.import_module(f"techpm.calc.{module}"), name)
    assert len(calc.__all__) == len(set(calc.__all__))


def test_a_name_clash_is_refused(tmp_path):
    calc_dir = tmp_path / "lib" / "techpm" / "calc"
    calc_dir.mkdir(parents=True)
    (calc_dir / "a.py").write_text('__all__ = ["f"]\n')
    (calc_dir / "b.py").write_text('__all__ = ["f"]\n')
    with pytest.raises(ValueError, match="'f' is exported by both techpm.calc.a and techpm.calc.b"):
        exports.calc_exports(tmp_path)


def test_a_new_module_makes_the_block_stale(tmp_path):
    calc_dir = tmp_path / "lib" / "techpm" / "calc"
    calc_dir.mkdir(parents=True)
    (calc_dir / "__init__.py").write_text(f"x = 1\n{exports.BEGIN}\n{exports.END}\n")
    (calc_dir / "a.py").write_text('__all__ = ["f"]\n')
    assert not exports.is_current(tmp_path)
    assert exports.sync(tmp_path) and exports.is_current(tmp_path)
    assert "from techpm.calc.a import (\n    f,\n)" in (calc_dir / "__init__.py").read_text()


@pytest.mark.parametrize("name", sorted(techpm._LAZY_MODULES))
def test_lazy_modules_are_real(name):
    assert importlib.import_module(techpm._LAZY_MODULES[name]).__name__ == techpm._LAZY_MODULES[name]


@pytest.mark.parametrize("name", sorted(techpm._LAZY_FUNCTIONS))
def test_lazy_functions_are_real(name):
    module, attr = techpm._LAZY_FUNCTIONS[name]
    assert callable(getattr(importlib.import_module(module), attr))


def test_contributing_lesson_map_is_current():
    assert arch.lesson_map_is_current(ROOT), "CONTRIBUTING.md's lesson map is out of date: run `techpm dev sync`"
