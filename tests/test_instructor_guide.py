"""docs/instructor-guide.md stays true to the course: its agendas add up and name real notebooks and
sections, its mistakes cover every exercise, its commands exist, its links come from pyproject, and its
cost figures are what the calculators compute today."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from functools import cache

import pytest

from techpm.config import Settings
from techpm.devtools import notebooks as nbtools
from tests.conftest import ROOT

GUIDE_PATH = ROOT / "docs" / "instructor-guide.md"
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
AGENDA_HEADER = "| start | min | notebook | section |"


@cache
def guide() -> str:
    return GUIDE_PATH.read_text(encoding="utf-8")


def section(title: str, level: int = 2) -> str:
    """The text under a heading, up to the next heading of the same or a higher level."""
    marks = "#" * level
    match = re.search(rf"^{marks} {re.escape(title)}\n(.*?)(?=^#{{1,{level}}} |\Z)", guide(), re.M | re.S)
    assert match, f"the guide has no {marks} {title} section"
    return match.group(1)


def estimated_minutes(path) -> int:
    title = nbtools.source(nbtools.read(path)["cells"][0])
    match = re.search(r"\*\*Estimated time:\*\*\s*(\d+)\s*minutes", title)
    assert match, f"{path.name}: no 'Estimated time' in the title cell"
    return int(match.group(1))


def headings(path) -> list[str]:
    """The notebook's '## ' headings (wherever they sit in a Markdown cell)."""
    return [line[3:].strip() for cell in nbtools.read(path)["cells"] if cell["cell_type"] == "markdown"
            for line in nbtools.source(cell).splitlines() if line.startswith("## ")]


def exercise_numbers(path) -> list[int]:
    """Exercise numbers of an answer key, from headings such as 'Exercise 3 ·', 'Exercises 6-8 ·' and
    'Exercises 6 and 7 ·'."""
    numbers = []
    for heading in headings(path):
        match = re.match(r"Exercises? (\d+)(?:\s*(?:-|–|and)\s*(\d+))? ·", heading)
        if match:
            first, last = int(match.group(1)), int(match.group(2) or match.group(1))
            numbers += range(first, last + 1)
    return numbers


def minutes(hhmm: str) -> int:
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


def agendas() -> list[tuple[str, list[list[str]], str]]:
    """(heading, table rows as cells, the 'Per notebook:' line) for every agenda table."""
    found = []
    for match in re.finditer(r"^### (.+)\n\n" + re.escape(AGENDA_HEADER) + r"\n\|[-:|]+\|\n((?:\|.*\|\n)+)\n(Per notebook: .*)\n",
                             guide(), re.M):
        rows = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in match.group(2).splitlines()]
        found.append((match.group(1), rows, match.group(3)))
    return found


def test_the_guide_names_every_notebook():
    for path in LESSONS:
        assert path.stem in guide(), path.stem


def test_there_is_a_half_day_and_a_full_day_agenda():
    titles = [title for title, _, _ in agendas()]
    assert any(t.startswith("Half-day agenda") for t in titles)
    assert any(t.startswith("Full-day agenda") for t in titles)
    assert guide().count(AGENDA_HEADER) == len(titles)  # every agenda table was parsed


def _agenda_ids() -> list[str]:
    return [title.split(" (")[0] for title, _, _ in agendas()] if GUIDE_PATH.exists() else []


@pytest.mark.parametrize("index", range(len(_agenda_ids())), ids=_agenda_ids())
def test_each_agendas_minutes_add_up(index):
    title, rows, _ = agendas()[index]
    *body, end = rows
    assert end[2] == "end" and end[1] == ""
    for row, following in zip(body, [*body[1:], end], strict=True):
        assert minutes(row[0]) + int(row[1]) == minutes(following[0]), (title, row)
    total = sum(int(row[1]) for row in body)
    stated = re.search(r"\((\d+) min, (\d\d:\d\d)–(\d\d:\d\d)\)", title)
    assert stated, title
    assert int(stated.group(1)) == total == minutes(stated.group(3)) - minutes(stated.group(2))
    assert stated.group(2) == body[0][0] and stated.group(3) == end[0]


@pytest.mark.parametrize("index", range(len(_agenda_ids())), ids=_agenda_ids())
def test_each_agenda_row_is_a_real_section_within_its_notebooks_time(index):
    title, rows, per_notebook = agendas()[index]
    lesson_min: dict[str, int] = {}
    exercise_min: dict[str, int] = {}
    listed: dict[str, set[str]] = {}
    for _start, mins, notebook, what in rows[:-1]:
        match = re.fullmatch(r"`(notebooks|exercises)/(\w+)\.ipynb`", notebook)
        if not match:
            assert notebook in {"setup", "discussion", "break", "lunch", "wrap-up"}, (title, notebook)
            continue
        folder, stem = match.groups()
        path = ROOT / folder / f"{stem}.ipynb"
        assert path.exists(), f"{title}: {path} does not exist"
        assert what in headings(path), f"{title}: {stem} has no section {what!r}"
        bucket = lesson_min if folder == "notebooks" else exercise_min
        bucket[stem] = bucket.get(stem, 0) + int(mins)
        listed.setdefault(f"{folder}/{stem}", set()).add(what)
    for stem, used in lesson_min.items():
        budget = estimated_minutes(ROOT / "notebooks" / f"{stem}.ipynb")
        assert used <= budget, f"{title}: {used} min of {stem}, estimated {budget}"
        every = {h for h in headings(ROOT / "notebooks" / f"{stem}.ipynb") if h != "Sources"}
        if listed[f"notebooks/{stem}"] == every:
            assert used == budget, f"{title}: all of {stem} in {used} min, estimated {budget}"
        stated = re.search(rf"`{stem}` (\d+) of (\d+) min", per_notebook)
        assert stated and (int(stated.group(1)), int(stated.group(2))) == (used, budget), (title, stem)
    for stem, used in exercise_min.items():
        budget = estimated_minutes(ROOT / "solutions" / f"{stem}.ipynb")
        assert used <= budget, f"{title}: {used} min of {stem}'s exercises, estimated {budget}"
        stated = re.search(rf"`{stem}` [^;]*\+ exercises (\d+) of (\d+) min", per_notebook)
        assert stated and (int(stated.group(1)), int(stated.group(2))) == (used, budget), (title, stem)


def test_the_times_table_matches_every_title_cell():
    rows = re.findall(r"^\| `(\w+)` \| (\d+) \| (\d+) \|$", guide(), re.M)
    assert [stem for stem, _, _ in rows] == [p.stem for p in LESSONS]
    for stem, lesson, exercises in rows:
        assert int(lesson) == estimated_minutes(ROOT / "notebooks" / f"{stem}.ipynb"), stem
        assert int(exercises) == estimated_minutes(ROOT / "solutions" / f"{stem}.ipynb"), stem
    total = re.search(r"^\| \*\*whole course\*\* \| \*\*(\d+)\*\* \| \*\*(\d+)\*\* \|$", guide(), re.M)
    assert total and int(total.group(1)) == sum(int(r[1]) for r in rows)
    assert int(total.group(2)) == sum(int(r[2]) for r in rows)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_notebook_has_discussion_prompts(path):
    prompts = re.findall(r"^- ", _sub("Discussion prompts", path.stem), re.M)
    assert len(prompts) >= 3, path.stem


def _sub(parent: str, child: str) -> str:
    text = section(parent)
    match = re.search(rf"^### {re.escape(child)}\n(.*?)(?=^### |\Z)", text, re.M | re.S)
    assert match, f"{parent} has no ### {child}"
    return match.group(1)


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_every_exercise_has_its_common_mistakes(path):
    text = _sub("Common learner mistakes, exercise by exercise", path.stem)
    numbers = exercise_numbers(path)
    assert numbers, f"{path.name} has no exercises"
    for n in numbers:
        assert re.search(rf"\*\*Exercise {n} ·", text), f"{path.stem}: Exercise {n} is not in the mistakes"
    mentioned = {int(n) for n in re.findall(r"\*\*Exercise (\d+) ·", text)}
    assert mentioned == set(numbers), f"{path.stem}: the guide lists exercises the answer key lacks"
    for heading in headings(path):  # an exercise of its own is named as the answer key names it
        match = re.match(r"Exercise (\d+) · (.+?)(?: \([^)]*\))?$", heading)
        if match:
            assert f"**Exercise {match.group(1)} · {match.group(2)}" in text, f"{path.stem}: {heading}"


def _help(*args: str) -> str:
    return subprocess.run([sys.executable, "-m", "techpm.cli", *args, "--help"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=True).stdout


def _choices(help_text: str) -> set[str]:
    match = re.search(r"\{([a-z,-]+)\}", help_text)
    return set(match.group(1).split(",")) if match else set()


def test_every_techpm_command_in_the_guide_exists():
    code = re.findall(r"`([^`\n]+)`", guide()) + re.findall(r"^```\w*\n(.*?)^```", guide(), re.M | re.S)
    commands = {m for text in code for m in re.findall(r"(?<![\w./-])techpm((?: [a-z][a-z-]*){1,2})", text)}
    assert len(commands) >= 6, commands
    top = _choices(_help())
    for command in commands:
        words = command.split()
        assert words[0] in top, f"`techpm {command.strip()}` is not a command; `techpm --help` lists {sorted(top)}"
        actions = _choices(_help(words[0]))
        if actions and len(words) > 1:
            assert words[1] in actions, f"`techpm {command.strip()}`: {words[0]} has {sorted(actions)}"


def test_the_links_come_from_pyprojects_repository_address():
    from urllib.parse import quote

    repo = nbtools.repo_url(ROOT)
    owner_name = repo.removeprefix("https://github.com/")
    first = "notebooks/00_start_here.ipynb"
    assert f"https://mybinder.org/v2/gh/{owner_name}/main?urlpath=lab/tree/{first}" in guide()
    assert f"/hub/user-redirect/git-pull?repo={quote(repo, safe='')}&branch=main" in guide()
    assert quote(f"lab/tree/{owner_name.split('/')[1]}/{first}", safe="") in guide()
    badge = nbtools.colab_badge(ROOT, first)
    assert badge[badge.rindex("(") + 1:-1] in guide()
    assert "`techpm dev sync`" in guide() and "[project.urls]" in guide()
    assert "environment.yml" in guide() and "`techpm doctor`" in guide()


def test_the_cost_table_is_what_the_calculators_compute_today():
    from techpm.generator.answer import format_usd
    from techpm.workshop.questions import batch_cost_ceiling_usd, by_model, worked_examples

    rows = re.findall(r"^\| (worked examples(?: \+ question bank)?) \| `([\w.-]+)` \| (\d+) \| (\S+) \| (\S+) \|$",
                      guide(), re.M)
    assert len(rows) >= 2
    for scope, model, count, with_search, without in rows:
        questions = by_model(worked_examples(ROOT, {"CLAUDE_MODEL": model}, bank="bank" in scope))[model]
        assert int(count) == len(questions)
        assert with_search == format_usd(sum(batch_cost_ceiling_usd(q, model) for q in questions))
        assert without == format_usd(sum(batch_cost_ceiling_usd(q, model, web_search=False) for q in questions))


def test_the_stated_default_cost_cap_is_the_settings_default():
    stated = re.search(r"`techpm\.config\.SETTINGS\.max_cost_usd`, is ([\d.]+) dollars", guide())
    assert stated and float(stated.group(1)) == Settings().max_cost_usd


def test_the_example_cohort_parameters_are_declared_by_the_notebooks():
    from techpm import calc
    from techpm.workshop.cohort import declared_parameters

    example = re.search(r"for example `(\{[^`]+\})`", guide())
    assert example
    params = json.loads(example.group(1))
    known = {name for p in LESSONS for name in declared_parameters(p)}
    assert set(params) <= known
    if "GPU" in params:
        calc.get_gpu(params["GPU"])
    if "CLAUDE_MODEL" in params:
        calc.get_api_price(params["CLAUDE_MODEL"])


def test_the_capstones_writing_time_is_the_default_questions_clock():
    """The guide says the capstone's writing step gets the default question's own minutes."""
    from techpm import capstone
    from techpm.workshop.cohort import declared_parameters

    params = declared_parameters(ROOT / "notebooks" / "10_capstone.ipynb")
    clock = capstone.pick(params["TOPIC"], params["DIFFICULTY"], seed=params["SEED"]).minutes
    rows = [row for _, table, _ in agendas() for row in table
            if row[2] == "`notebooks/10_capstone.ipynb`" and row[3] == "Write your answer"]
    assert rows
    assert {int(row[1]) for row in rows} == {clock}


def test_each_day_starts_with_a_setup_slot():
    days = [(title, rows) for title, rows, _ in agendas() if title.startswith(("Half-day", "Full-day agenda"))]
    assert len(days) == 2
    for title, rows in days:
        assert rows[0][2] == "setup" and int(rows[0][1]) == 10, title
