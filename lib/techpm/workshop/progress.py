"""``techpm workshop progress``: who is stuck on which exercise, read from the learners' own notebooks.

Every exercise check stores a machine-readable copy of its result beside the text a learner sees (the
``application/vnd.techpm.check+json`` output of ``techpm.checks``), so reading a saved notebook is exact:

    techpm workshop progress /home                  # a hub's home folders: /home/<learner>/.../exercises/*.ipynb
    techpm workshop progress handouts/ --csv p.csv --html p.html

Each learner is the first folder under the given one (or the folder itself when the notebooks sit right in
it). The exercises of a lesson are those of its answer key (``solutions/``), so an exercise a learner never
ran shows as not attempted. Notebooks are only read, never written.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from techpm.checks import CHECK_MIME, CORRECT, INCORRECT, NOT_DONE
from techpm.errors import TechpmError

NOT_ATTEMPTED = "not attempted"
_SYMBOL = {CORRECT: "✅", INCORRECT: "❌", NOT_DONE: "⏳", NOT_ATTEMPTED: "·"}
# A check's text line, for notebooks saved before checks stored their JSON: "✅ Exercise 1 · name: message".
_TEXT_LINE = re.compile(r"^(✅|❌|⏳) (Exercise [^:]+): (.*)$")
_FROM_ICON = {"✅": CORRECT, "❌": INCORRECT, "⏳": NOT_DONE}


@dataclass(frozen=True)
class Cell:
    status: str
    message: str = ""


@dataclass(frozen=True)
class Progress:
    """learners x exercises; ``columns`` are (lesson, exercise) pairs in course order."""

    learners: tuple[str, ...]
    columns: tuple[tuple[str, str], ...]
    cells: dict[tuple[str, tuple[str, str]], Cell]

    def status(self, learner: str, lesson: str, exercise: str) -> Cell:
        return self.cells.get((learner, (lesson, exercise)), Cell(NOT_ATTEMPTED))

    def stuck(self) -> list[tuple[str, str, str, str]]:
        """(learner, lesson, exercise, hint) for every wrong answer: where to walk over to."""
        return [(learner, lesson, exercise, cell.message) for (learner, (lesson, exercise)), cell in
                sorted(self.cells.items()) if cell.status == INCORRECT]


def check_results(nb: dict) -> list[dict]:
    """The check results a saved notebook shows, in order (the last one per exercise counts)."""
    found = []
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            data = output.get("data", {})
            if CHECK_MIME in data:
                payload = data[CHECK_MIME]
                found += payload if isinstance(payload, list) else [payload]
                continue
            text = data.get("text/plain", output.get("text", ""))
            text = "".join(text) if isinstance(text, list) else str(text)
            for line in text.splitlines():
                match = _TEXT_LINE.match(line.strip())
                if match:
                    found.append({"exercise": match[2], "status": _FROM_ICON[match[1]], "message": match[3]})
    return [r for r in found if isinstance(r, dict) and {"exercise", "status"} <= set(r)]


def _read(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise TechpmError(f"cannot read the notebook {path}: {exc}") from None


def answer_key(root: Path) -> list[tuple[str, str]]:
    """(lesson, exercise) for every exercise of the course, in order, from the answer keys' stored checks."""
    columns = []
    for path in sorted((root / "solutions").glob("*.ipynb")):
        for result in check_results(_read(path)):
            column = (path.stem, result["exercise"])
            if column not in columns:
                columns.append(column)
    return columns


def _learner_notebooks(folder: Path) -> Iterable[tuple[str, Path]]:
    for path in sorted(folder.rglob("*.ipynb")):
        rel = path.relative_to(folder)
        if ".ipynb_checkpoints" in rel.parts or any(p.startswith(".") for p in rel.parts):
            continue
        yield (rel.parts[0] if len(rel.parts) > 1 else folder.name), path


def read_progress(folder: Path, root: Path) -> Progress:
    """The learner x exercise table for every notebook under ``folder`` (read-only)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise TechpmError(f"{folder} is not a folder of learners' notebooks")
    key = answer_key(root)
    lessons = {lesson for lesson, _ in key}
    cells: dict[tuple[str, tuple[str, str]], Cell] = {}
    learners: list[str] = []
    for learner, path in _learner_notebooks(folder):
        if path.stem not in lessons:
            continue
        if learner not in learners:
            learners.append(learner)
        for result in check_results(_read(path)):
            cells[(learner, (path.stem, result["exercise"]))] = Cell(result["status"], result.get("message", ""))
    extra = [c for (_, c) in cells if c not in key]
    return Progress(tuple(learners), tuple(key + sorted(set(extra))), cells)


def _label(column: tuple[str, str]) -> str:
    lesson, exercise = column
    number = re.match(r"Exercise (\S+)", exercise)
    return f"{lesson[:2]}/{number[1] if number else exercise}"


def render_text(progress: Progress) -> str:
    """A compact table (✅ done, ❌ wrong, ⏳ left unfilled, · not attempted), then each wrong answer's hint."""
    if not progress.learners:
        return "No learners' exercise notebooks found."
    labels = [_label(c) for c in progress.columns]
    width = max(len(name) for name in progress.learners)
    lines = [" " * width + "  " + " ".join(f"{label:>5}" for label in labels)]
    for learner in progress.learners:
        row = [_SYMBOL[progress.status(learner, *column).status] for column in progress.columns]
        lines.append(f"{learner:<{width}}  " + " ".join(f"{s:>5}" for s in row))
    stuck = progress.stuck()
    if stuck:
        lines += ["", "Wrong answers, with the check's hint:"]
        lines += [f"- {learner} · {lesson} · {exercise}: {hint}" for learner, lesson, exercise, hint in stuck]
    done = sum(c.status == CORRECT for c in progress.cells.values())
    lines += ["", f"{len(progress.learners)} learners · {len(progress.columns)} exercises · {done} done"]
    return "\n".join(lines)


def render_csv(progress: Progress) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["learner", "lesson", "exercise", "status", "message"])
    for learner in progress.learners:
        for column in progress.columns:
            cell = progress.status(learner, *column)
            writer.writerow([learner, *column, cell.status, cell.message])
    return out.getvalue()


_COLORS = {CORRECT: "#c8e6c9", INCORRECT: "#ffcdd2", NOT_DONE: "#fff9c4", NOT_ATTEMPTED: "#eeeeee"}


def render_html(progress: Progress) -> str:
    """A small standalone page: one row per learner, one colored cell per exercise, the hint on hover."""
    head = "".join(f'<th title="{html.escape(" · ".join(c))}">{html.escape(_label(c))}</th>' for c in progress.columns)
    rows = []
    for learner in progress.learners:
        cells = []
        for column in progress.columns:
            cell = progress.status(learner, *column)
            tip = html.escape(f"{column[1]}: {cell.status}" + (f" · {cell.message}" if cell.message else ""))
            cells.append(f'<td style="background:{_COLORS.get(cell.status, "#fff")}" title="{tip}">'
                         f"{_SYMBOL.get(cell.status, '?')}</td>")
        rows.append(f"<tr><th>{html.escape(learner)}</th>{''.join(cells)}</tr>")
    return ("<!doctype html><meta charset='utf-8'><title>techpm progress</title>"
            "<style>body{font-family:sans-serif}td,th{padding:4px 6px;text-align:center;border:1px solid #ddd}"
            "table{border-collapse:collapse}</style>"
            f"<h1>Workshop progress</h1><table><tr><th>learner</th>{head}</tr>{''.join(rows)}</table>"
            "<p>✅ done · ❌ wrong (hover for the hint) · ⏳ left unfilled · · not attempted</p>")


def heatmap(progress: Progress):
    """A matplotlib figure: learners x exercises, green done, red wrong, yellow unfilled, grey not attempted."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap

    order = [NOT_ATTEMPTED, NOT_DONE, INCORRECT, CORRECT]
    grid = [[order.index(progress.status(learner, *c).status) for c in progress.columns]
            for learner in progress.learners]
    fig, ax = plt.subplots(figsize=(max(4, 0.35 * len(progress.columns)), max(2, 0.35 * len(progress.learners))))
    ax.imshow(grid, cmap=ListedColormap([_COLORS[s] for s in order]), vmin=0, vmax=3, aspect="auto")
    ax.set_xticks(range(len(progress.columns)), [_label(c) for c in progress.columns], rotation=90, fontsize=7)
    ax.set_yticks(range(len(progress.learners)), progress.learners, fontsize=8)
    ax.set_title("Exercises: green done, red wrong, yellow unfilled, grey not attempted", fontsize=9)
    fig.tight_layout()
    return fig
