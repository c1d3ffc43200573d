"""Every public calculator's docstring names its source and the lessons that use it (``techpm.devtools.calcdocs``)."""

from __future__ import annotations

import ast
import shutil

from techpm.devtools import calcdocs
from tests.conftest import ROOT


def test_every_calculator_cites_a_source_and_its_lessons():
    assert calcdocs.problems(ROOT) == []


def test_used_in_reads_the_notebooks():
    used = calcdocs.used_in(ROOT)
    assert used["speculative_speedup"].startswith("Used in: 03 §7")        # called in lesson 03, section 7
    assert "exercises" in used["speculative_speedup"]                        # and in its solutions
    assert "(via " in used["replicas_for_concurrency"]                      # only through checks.api_design
    assert used["tiered_price_usd"] == "Used in: no lesson directly; inside ``plan_revenue_usd``."


def test_the_check_fails_on_a_missing_source_or_a_stale_used_in(tmp_path):
    for part in ("lib", "notebooks", "solutions"):
        shutil.copytree(ROOT / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
    path = tmp_path / "lib" / "techpm" / "calc" / "speculative.py"
    text = path.read_text()
    text = text.replace("Used in: 03 §7, exercises.", "Used in: 04 §1.", 1)
    text = text.replace("    Source: Leviathan", "    Leviathan", 1)
    path.write_text(text)
    found = "\n".join(calcdocs.problems(tmp_path))
    assert "speculative_expected_tokens: no 'Source:' line" in found
    assert "speculative_speedup: 'Used in:' is 'Used in: 04 §1.'" in found
    assert calcdocs.sync(tmp_path) == [path]
    assert "Used in: 03 §7, exercises." in path.read_text()


def test_add_closing_line_handles_one_line_docstrings():
    source = 'def f():\n    """One line."""\n    return 1\n'
    lines = source.split("\n")
    calcdocs.add_closing_line(lines, ast.parse(source).body[0].body[0], "Used in: 01 §2.")
    assert "\n".join(lines) == 'def f():\n    """One line.\n\n    Used in: 01 §2.\n    """\n    return 1\n'
