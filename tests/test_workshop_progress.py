"""`techpm workshop progress` on real, executed exercise notebooks with known answers: one learner who
did nothing, one who solved everything, one with a wrong answer (the check's hint must come through)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import pytest

from techpm.checks import CHECK_MIME, CORRECT, INCORRECT, NOT_DONE
from techpm.devtools.execute import execute
from techpm.workshop import progress
from tests.conftest import ROOT

LESSON = "01_transformers"


def _wrong_kv(nb) -> None:
    cell = next(c for c in nb.cells if "kv_bytes_per_token = 2 *" in c.source)
    cell.source = cell.source.replace("kv_bytes_per_token = 2 *", "kv_bytes_per_token = 1 *")  # K only


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    for learner, source, prepare in (("ana", "exercises", None), ("ben", "solutions", None),
                                     ("cal", "solutions", _wrong_kv)):
        nb, _ = execute(ROOT / source / f"{LESSON}.ipynb", write_back=False, prepare=prepare or (lambda nb: None))
        target = home / learner / "exercises" / f"{LESSON}.ipynb"
        target.parent.mkdir(parents=True)
        target.write_text(json.dumps(nb), encoding="utf-8")
    return home


def _digest(folder):
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*.ipynb"))}


def test_checks_store_a_machine_readable_result_beside_the_text():
    from techpm.checks import transformers as check

    bundle = check.kv_cache_per_token(1)._repr_mimebundle_()
    assert bundle[CHECK_MIME]["status"] == INCORRECT and bundle["text/plain"].startswith("❌")


def test_the_table_reads_each_learner_exactly(home):
    before = _digest(home)
    table = progress.read_progress(home, ROOT)
    assert _digest(home) == before, "progress must only read the learners' notebooks"
    assert table.learners == ("ana", "ben", "cal")
    mine = [c for c in table.columns if c[0] == LESSON]
    assert len(mine) >= 5
    assert {table.status("ana", *c).status for c in mine} == {NOT_DONE}
    assert {table.status("ben", *c).status for c in mine} == {CORRECT}
    first = table.status("cal", *mine[0])
    assert first.status == INCORRECT and "K and V" in first.message
    assert all(table.status("cal", *c).status == CORRECT for c in mine[1:])
    assert table.stuck() == [("cal", LESSON, mine[0][1], first.message)]
    other = next(c for c in table.columns if c[0] != LESSON)
    assert table.status("ben", *other).status == progress.NOT_ATTEMPTED


def test_the_cli_prints_the_table_and_writes_csv_and_html(home, tmp_path):
    csv_path, html_path = tmp_path / "p.csv", tmp_path / "p.html"
    result = subprocess.run([sys.executable, "-m", "techpm.cli", "workshop", "progress", str(home),
                             "--csv", str(csv_path), "--html", str(html_path)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "cal · 01_transformers" in result.stdout and "3 learners" in result.stdout
    rows = csv_path.read_text().splitlines()
    assert rows[0] == "learner,lesson,exercise,status,message" and any(",incorrect," in r for r in rows)
    assert "<table>" in html_path.read_text() and "cal" in html_path.read_text()


@pytest.mark.parametrize("argv", [["site", "--only", "01"], ["progress", "x", "--bank"], ["site", "--csv", "x.csv"]])
def test_a_flag_an_action_does_not_use_is_refused(argv):
    result = subprocess.run([sys.executable, "-m", "techpm.cli", "workshop", *argv], capture_output=True,
                            text=True, cwd=ROOT)
    assert result.returncode != 0 and "does not use" in result.stderr + result.stdout
