"""The capstone's question picker: choose a topic and a difficulty, roll for a question.

    from techpm.widgets.capstone import question_picker
    question_picker(topic="rag")        # dropdowns + a seed slider -> the question, its time and its probe

An ``Explorer`` without a figure: controls -> ``capstone.pick`` -> one HTML block.
"""

from __future__ import annotations

import html

from techpm import capstone
from techpm.widgets import Explorer, dropdown, slider

__all__ = ["question_picker", "ANY"]

ANY = "any"


def _pick(topic: str, difficulty: str, seed: int) -> capstone.Question:
    return capstone.pick(None if topic == ANY else topic, None if difficulty == ANY else difficulty, seed=seed)


def _describe(q: capstone.Question) -> str:
    where = f" · prepared by <code>{html.escape(q.notebook)}</code>" if q.notebook else ""
    return (f"<p style='font-size:1.1em'><b>{html.escape(q.question)}</b></p>"
            f"<p><i>{html.escape(q.topic)} · {q.difficulty} · {q.minutes} minutes{where}</i></p>"
            f"<p>An interviewer would probe: {html.escape(q.probe)}.</p>")


def question_picker(topic: str = ANY, difficulty: str = ANY, seed: int = 0) -> Explorer:
    """Dropdowns for topic and difficulty and a seed slider; shows the question they pick."""
    bank = capstone.question_bank()
    controls = {
        "topic": dropdown("Topic", [ANY, *bank.topics], topic),
        "difficulty": dropdown("Difficulty", [ANY, *capstone.DIFFICULTIES], difficulty),
        "seed": slider("Roll (seed)", seed, 0, 50, integer=True),
    }
    return Explorer(controls, _pick, _describe, title="Pick an interview question")
