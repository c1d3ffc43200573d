"""The course's sample answers with reference grades per rubric point (AI-assisted authoring; they stand in for human grades) (``techpm/data/graded_answers.json``).

Twenty-four answers to six design questions, written in four styles ("systems" A to D) and graded 0/1/2
on each of the nine rubric points of the method. The file's ``description`` says exactly who graded them
and how; ``anchors`` holds the wording each grade was given against.

    data = load_graded_answers()
    data.answers[0].human["scoping"]     # 0, 1 or 2
    data.by_system()["A"]                # system A's answers, in question order
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from techpm.errors import TableError

__all__ = ["GradedAnswer", "GradedSet", "load_graded_answers"]

_FILE = "graded_answers.json"


@dataclass(frozen=True)
class GradedAnswer:
    id: str
    question: str
    system: str
    text: str
    human: dict[str, int]
    note: str

    @property
    def words(self) -> int:
        return len(self.text.split())

    @property
    def human_total(self) -> int:
        return sum(self.human.values())


@dataclass(frozen=True)
class GradedSet:
    description: str
    points: tuple[str, ...]
    anchors: dict[str, dict[str, str]]
    questions: dict[str, str]  # id -> question text
    systems: dict[str, str]  # id -> the style its answers were written in
    references: tuple[str, ...]
    answers: tuple[GradedAnswer, ...]

    @property
    def max_total(self) -> int:
        return 2 * len(self.points)

    def by_system(self) -> dict[str, list[GradedAnswer]]:
        """Each system's answers in question order (the same order for every system: pairs line up)."""
        order = list(self.questions)
        out: dict[str, list[GradedAnswer]] = {s: [] for s in self.systems}
        for answer in sorted(self.answers, key=lambda a: order.index(a.question)):
            out[answer.system].append(answer)
        return out


def _check(doc: dict) -> None:
    where = f"techpm/data/{_FILE}"
    points = doc.get("points")
    if not points or set(doc.get("anchors", {})) != set(points):
        raise TableError(f"{where}: 'points' and 'anchors' must name the same rubric points.")
    questions = {q["id"] for q in doc.get("questions", [])}
    for i, answer in enumerate(doc.get("answers", [])):
        label = f"{where} answer {i} ({answer.get('id')!r})"
        if answer.get("question") not in questions or answer.get("system") not in doc.get("systems", {}):
            raise TableError(f"{label}: unknown question or system.")
        grades = answer.get("human", {})
        if set(grades) != set(points) or not all(g in (0, 1, 2) for g in grades.values()):
            raise TableError(f"{label}: 'human' must grade every rubric point 0, 1 or 2.")
        if not answer.get("text", "").strip():
            raise TableError(f"{label}: empty answer text.")


@cache
def load_graded_answers() -> GradedSet:
    """Load and check the graded answers (cached: the file is read once per session)."""
    doc = json.loads(resources.files("techpm.data").joinpath(_FILE).read_text(encoding="utf-8"))
    _check(doc)
    return GradedSet(
        description=doc["description"],
        points=tuple(doc["points"]),
        anchors=doc["anchors"],
        questions={q["id"]: q["text"] for q in doc["questions"]},
        systems=dict(doc["systems"]),
        references=tuple(doc["references"]),
        answers=tuple(GradedAnswer(a["id"], a["question"], a["system"], a["text"], dict(a["human"]), a["note"])
                      for a in doc["answers"]),
    )
