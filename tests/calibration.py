"""The grader's calibration set (``tests/data/graded_calibration``): load each entry's text, question and band.

    from tests.calibration import load
    for item in load(): item.band, item.question, item.text
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

HERE = Path(__file__).parent / "data" / "graded_calibration"


@dataclass(frozen=True)
class Item:
    name: str
    band: str
    rank: int
    question: str
    text: str


@cache
def load() -> tuple[Item, ...]:
    from techpm import capstone
    from techpm.evals import judge_audit
    from techpm.evals.graded import load_graded_answers

    doc = json.loads((HERE / "manifest.json").read_text(encoding="utf-8"))
    graded = load_graded_answers()
    by_id = {a.id: a for a in graded.answers}
    items = []
    for entry in doc["entries"]:
        q = doc["questions"][entry["question"]]
        question = graded.questions[q["graded_question"]] if isinstance(q, dict) else q
        if "file" in entry:
            name, text = entry["file"], (HERE / "answers" / entry["file"]).read_text(encoding="utf-8")
        elif "graded" in entry:
            name, text = entry["graded"], by_id[entry["graded"]].text
        else:
            name, text = f"sample:{entry['sample']}", capstone.sample_answer(entry["sample"])
        if entry.get("transform"):
            name, text = f"{name}+{entry['transform']}", getattr(judge_audit, entry["transform"])(text)
        items.append(Item(f"{name}@{entry['question']}", entry["band"], doc["bands"][entry["band"]], question, text))
    return tuple(items)
