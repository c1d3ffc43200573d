"""Mock interviews: a question bank, a timer, and a side-by-side comparison of your answer with the generator's.

    from techpm import capstone
    q = capstone.pick(topic="rag", difficulty="medium", seed=7)     # a question from the bank
    timer = capstone.Timer(q.minutes).start()                       # the clock an interviewer would keep
    ...write your answer...
    capstone.compare(my_answer, techpm.generate(q.question))        # both graded, side by side

The bank (``techpm/data/question_bank.json``) holds questions tagged by topic (the course notebook that
prepares for each) and difficulty, each with the time it deserves and what an interviewer would probe.
"""

from __future__ import annotations

import html
import json
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from techpm.errors import TechpmError, unknown_name

__all__ = ["Question", "QuestionBank", "Timer", "Comparison", "question_bank", "pick", "interview_plan",
           "compare", "sample_answer", "DIFFICULTIES"]

DIFFICULTIES = ("easy", "medium", "hard")


@dataclass(frozen=True)
class Question:
    """One mock-interview question."""

    id: str
    topic: str
    difficulty: str
    minutes: int
    notebook: str | None
    question: str
    probe: str

    def _repr_markdown_(self) -> str:
        where = f" · prepared by `{self.notebook}`" if self.notebook else ""
        return (f"**{self.question}**\n\n*{self.topic} · {self.difficulty} · {self.minutes} minutes{where}*\n\n"
                f"An interviewer would probe: {self.probe}.")

    def __str__(self) -> str:
        return f"[{self.id} · {self.difficulty} · {self.minutes} min] {self.question}"


class QuestionBank(Sequence[Question]):
    """The questions, filterable by topic and difficulty; shows itself as a table."""

    def __init__(self, questions: Sequence[Question], topics: dict[str, str]) -> None:
        self._questions = tuple(questions)
        self.topics = dict(topics)

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        return self._questions[index]

    def __len__(self) -> int:
        return len(self._questions)

    def filter(self, topic: str | None = None, difficulty: str | None = None) -> QuestionBank:
        """The questions of ``topic`` and/or ``difficulty``; unknown names are a clear error."""
        if topic is not None and topic not in self.topics:
            raise unknown_name("topic", topic, self.topics)
        if difficulty is not None and difficulty not in DIFFICULTIES:
            raise unknown_name("difficulty", difficulty, DIFFICULTIES)
        return QuestionBank([q for q in self._questions if (topic is None or q.topic == topic)
                             and (difficulty is None or q.difficulty == difficulty)], self.topics)

    def counts(self) -> dict[str, dict[str, int]]:
        """topic -> difficulty -> number of questions (every topic and difficulty present, zeros included)."""
        table = {t: dict.fromkeys(DIFFICULTIES, 0) for t in self.topics}
        for q in self._questions:
            table[q.topic][q.difficulty] += 1
        return table

    def get(self, question_id: str) -> Question:
        for q in self._questions:
            if q.id == question_id:
                return q
        raise unknown_name("question id", question_id, [q.id for q in self._questions])

    def _repr_markdown_(self) -> str:
        counts = self.counts()
        lines = [f"**{len(self)} questions** across {sum(1 for t in counts if sum(counts[t].values()))} topics", "",
                 "| Topic | " + " | ".join(DIFFICULTIES) + " | Notebook |", "|---|" + "---|" * (len(DIFFICULTIES) + 1)]
        notebooks = {q.topic: q.notebook for q in self._questions}
        for topic, row in counts.items():
            if not sum(row.values()):
                continue
            nb = f"`{notebooks[topic]}`" if notebooks.get(topic) else "—"
            lines.append(f"| {self.topics[topic]} (`{topic}`) | " + " | ".join(str(row[d]) for d in DIFFICULTIES)
                         + f" | {nb} |")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"QuestionBank({len(self)} questions)"


@cache
def question_bank() -> QuestionBank:
    """The course's question bank, read once from ``techpm/data/question_bank.json`` and checked."""
    text = resources.files("techpm").joinpath("data", "question_bank.json").read_text(encoding="utf-8")
    doc = json.loads(text)
    topics = doc["topics"]
    questions = []
    seen: set[str] = set()
    for i, row in enumerate(doc["questions"]):
        q = Question(**row)
        if q.id in seen or q.topic not in topics or q.difficulty not in DIFFICULTIES or not q.question.strip():
            raise TechpmError(f"techpm/data/question_bank.json row {i} ({q.id!r}) is malformed: duplicate id, "
                              "unknown topic or difficulty, or an empty question.")
        seen.add(q.id)
        questions.append(q)
    return QuestionBank(questions, topics)


def pick(topic: str | None = None, difficulty: str | None = None, seed: int | None = 0) -> Question:
    """One question of ``topic`` and ``difficulty`` (either may be None: any), chosen with ``seed``
    (the same seed gives the same question; ``seed=None`` draws a fresh one each time)."""
    pool = question_bank().filter(topic, difficulty)
    if not len(pool):
        raise TechpmError(f"No question has topic={topic!r} and difficulty={difficulty!r}; try another "
                          "difficulty or leave it out.")
    return random.Random(seed).choice(list(pool))


def interview_plan(n: int = 4, seed: int = 0, topics: Sequence[str] | None = None) -> list[Question]:
    """A mock-interview round of ``n`` questions on different topics, easiest first."""
    bank = question_bank()
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise TechpmError(f"n must be a whole number of questions, at least 1, got {n!r}.")
    chosen_topics = list(topics) if topics is not None else list(bank.topics)
    for t in chosen_topics:
        if t not in bank.topics:
            raise unknown_name("topic", t, bank.topics)
    rng = random.Random(seed)
    rng.shuffle(chosen_topics)
    picks = [rng.choice(list(bank.filter(topic=t))) for t in chosen_topics[:n] if len(bank.filter(topic=t))]
    if len(picks) < n:
        raise TechpmError(f"Only {len(picks)} topics to draw from; ask for n <= {len(picks)} or more topics.")
    return sorted(picks, key=lambda q: DIFFICULTIES.index(q.difficulty))


def sample_answer(name: str) -> str:
    """A sample answer to "Design a RAG system for a law firm's contracts": ``"weak"`` or ``"strong"``."""
    if name not in ("weak", "strong"):
        raise unknown_name("sample answer", str(name), ("weak", "strong"))
    path = resources.files("techpm").joinpath("data", "sample_answers", f"{name}_rag_law_firm.md")
    return path.read_text(encoding="utf-8")


class Timer:
    """The interview clock: ``start()``, then ``check()`` for the time used and left; ``stop()`` at the end.

    ``clock`` is a function returning seconds (``time.monotonic`` by default; tests pass a fake)."""

    def __init__(self, minutes: float = 30, *, clock: Callable[[], float] = time.monotonic) -> None:
        if isinstance(minutes, bool) or not isinstance(minutes, (int, float)) or not 0 < minutes <= 240:
            raise TechpmError(f"minutes must be a number between 0 and 240, got {minutes!r}.")
        self.minutes = float(minutes)
        self._clock = clock
        self._started: float | None = None
        self._stopped: float | None = None

    def start(self) -> Timer:
        self._started, self._stopped = self._clock(), None
        return self

    @property
    def elapsed_s(self) -> float:
        if self._started is None:
            return 0.0
        end = self._stopped if self._stopped is not None else self._clock()
        return max(0.0, end - self._started)

    @property
    def remaining_s(self) -> float:
        return self.minutes * 60 - self.elapsed_s

    def check(self) -> str:
        """One line: time used, time left (or over), and what the method suggests doing at this point."""
        if self._started is None:
            return f"Not started: call .start() when you begin ({self.minutes:g} minutes)."
        used, left = self.elapsed_s, self.remaining_s
        share = used / (self.minutes * 60)
        stage = ("scope and users" if share < 0.2 else "design" if share < 0.45 else "deep dive and trade-offs"
                 if share < 0.75 else "API and metrics" if share < 1 else "wrap up")
        status = f"{_mmss(left)} left" if left >= 0 else f"{_mmss(-left)} over time"
        return f"{_mmss(used)} used, {status} of {self.minutes:g} minutes · by now: {stage}"

    def stop(self) -> float:
        """Stop the clock; returns the seconds used."""
        if self._started is not None and self._stopped is None:
            self._stopped = self._clock()
        return self.elapsed_s

    def __repr__(self) -> str:
        if self._started is None:
            return f"Timer({self.minutes:g} minutes, not started)"
        if self._stopped is None and self.elapsed_s < 1:
            return f"Timer started: {self.minutes:g} minutes. Run timer.check() to see the time left."
        return self.check()


def _mmss(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


@dataclass
class Comparison:
    """Your answer and a reference answer, each graded, point by point and side by side."""

    mine: str
    reference: str
    mine_report: Any
    reference_report: Any
    reference_label: str

    def rows(self) -> list[tuple[str, float, float]]:
        """(rubric point title, your score, the reference's score) for the nine points."""
        return [(a.title, a.score, b.score) for a, b in
                zip(self.mine_report.points, self.reference_report.points, strict=True)]

    def gaps(self) -> list[str]:
        """One line per point where the reference scores higher: the point and the suggestion for you (a
        suggestion shared by several points, such as answering the question asked, is given once)."""
        seen: set[str] = set()
        out = []
        for a, b in zip(self.mine_report.points, self.reference_report.points, strict=True):
            if b.score > a.score and a.suggestion not in seen:
                seen.add(a.suggestion)
                out.append(f"{a.title}: {a.suggestion}")
        return out

    def markdown(self) -> str:
        lines = [f"**You: {self.mine_report.total}/100 · {self.reference_label}: {self.reference_report.total}/100**",
                 "", f"| Rubric point | You | {self.reference_label} |", "|---|---|---|"]
        lines += [f"| {t} | {m:g} | {r:g} |" for t, m, r in self.rows()]
        gaps = self.gaps()
        if gaps:
            lines += ["", "**Where to improve first:**", *(f"- {g}" for g in gaps[:3])]
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        return self.markdown()

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><td>{html.escape(t)}</td><td style='text-align:center'>{m:g}</td>"
                       f"<td style='text-align:center'>{r:g}</td></tr>" for t, m, r in self.rows())
        gaps = "".join(f"<li>{html.escape(g)}</li>" for g in self.gaps()[:3])
        pre = ("style='white-space:pre-wrap;font-size:12px;max-height:480px;overflow:auto;"
               "border:1px solid #ddd;padding:6px;margin:0'")
        return (f"<p><b>You: {self.mine_report.total}/100 · {html.escape(self.reference_label)}: "
                f"{self.reference_report.total}/100</b></p>"
                f"<table><thead><tr><th>Rubric point</th><th>You</th><th>{html.escape(self.reference_label)}</th>"
                f"</tr></thead><tbody>{rows}</tbody></table>"
                + (f"<p><b>Where to improve first:</b></p><ul>{gaps}</ul>" if gaps else "")
                + "<table style='width:100%;table-layout:fixed'><tr>"
                f"<th style='width:50%'>Your answer</th><th>{html.escape(self.reference_label)}</th></tr>"
                f"<tr><td style='vertical-align:top'><pre {pre}>{html.escape(self.mine)}</pre></td>"
                f"<td style='vertical-align:top'><pre {pre}>{html.escape(self.reference)}</pre></td></tr></table>")

    def __str__(self) -> str:
        width = max(len(t) for t, _, _ in self.rows())
        lines = [f"You: {self.mine_report.total}/100 · {self.reference_label}: {self.reference_report.total}/100"]
        lines += [f"  {t:<{width}}  {m:>3g}  {r:>3g}" for t, m, r in self.rows()]
        lines += [f"→ {g}" for g in self.gaps()[:3]]
        return "\n".join(lines)

    __repr__ = __str__


def compare(mine: str, reference: Any, *, label: str | None = None, question: Any = None,
            target_words: int | None = None) -> Comparison:
    """Grade ``mine`` and ``reference`` (an ``Answer`` from ``techpm.generate`` or any text) against the same
    question and set them side by side. ``question``: a bank ``Question`` or its text (default: the
    reference answer's question, when it is an ``Answer``); ``target_words`` grades both as timed, spoken
    answers (``techpm.grade``). ``label`` names the reference (default: its backend, e.g. "Offline generator")."""
    from techpm.rubric import grade

    if not isinstance(mine, str) or not mine.strip():
        raise TechpmError("mine must be your answer as a non-empty string: write it in the cell above first.")
    reference_text = getattr(reference, "markdown", reference)
    if not isinstance(reference_text, str) or not reference_text.strip():
        raise TechpmError("reference must be an Answer (techpm.generate(...)) or a non-empty string.")
    if label is None:
        backend = getattr(reference, "backend", None)
        label = {"offline": "Offline generator", "claude": f"Claude ({getattr(reference, 'model', '')})"}.get(
            str(backend), "Reference")
    asked = getattr(question, "question", question) or getattr(reference, "question", None)
    if asked is not None and not isinstance(asked, str):
        raise TechpmError("question must be a bank Question (capstone.pick(...)) or the question's text.")
    return Comparison(mine, reference_text, grade(mine, question=asked, target_words=target_words),
                      grade(reference_text, question=asked, target_words=target_words), label)
