"""The grader's calibration set: answers written to span the bands a grader must tell apart (strong and
on-topic, correct but short, the offline generator's own, strong but for another question, weak and vague,
buzzword lists, padded filler), each labelled with its band, over several questions.

    from techpm.rubric import calibration
    for item in calibration.load(): item.band, item.question, item.text
    calibration.band_agreement()        # the grader's totals per band and its Spearman with the band order

It ships in ``techpm/data/graded_calibration`` (a ``manifest.json`` and the hand-written answers); some
entries reuse the graded answers of 04's judge audit and the capstone's sample answers, and a few are
derived from them by the judge lab's perturbations (repetition, keyword stuffing).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

BANDS_BEST_FIRST = ("strong-on-topic", "correct-short", "offline-generator", "strong-off-topic", "weak-vague",
                    "buzzword", "padded")


@dataclass(frozen=True)
class Item:
    name: str
    band: str
    rank: int
    question: str
    text: str


def _folder():
    return resources.files("techpm").joinpath("data", "graded_calibration")


@cache
def load() -> tuple[Item, ...]:
    """Every calibration answer with its question and band (read once)."""
    from techpm import capstone
    from techpm.evals import judge_audit as judge
    from techpm.evals.graded import load_graded_answers

    doc = json.loads(_folder().joinpath("manifest.json").read_text(encoding="utf-8"))
    graded = load_graded_answers()
    by_id = {a.id: a for a in graded.answers}
    items = []
    for entry in doc["entries"]:
        q = doc["questions"][entry["question"]]
        question = graded.questions[q["graded_question"]] if isinstance(q, dict) else q
        if "file" in entry:
            name = entry["file"]
            text = _folder().joinpath("answers", entry["file"]).read_text(encoding="utf-8")
        elif "graded" in entry:
            name, text = entry["graded"], by_id[entry["graded"]].text
        else:
            name, text = f"sample:{entry['sample']}", capstone.sample_answer(entry["sample"])
        if entry.get("transform"):
            name, text = f"{name}+{entry['transform']}", getattr(judge, entry["transform"])(text)
        items.append(Item(f"{name}@{entry['question']}", entry["band"], doc["bands"][entry["band"]], question, text))
    return tuple(items)


@dataclass(frozen=True)
class BandAgreement:
    """The grader's totals by band, and how well they follow the bands' order."""

    totals: dict[str, tuple[int, ...]]
    spearman: float
    strong_min: int
    worse_max: int

    @property
    def margin(self) -> int:
        """Points between the weakest strong on-topic answer and the best buzzword, padded or off-topic one."""
        return self.strong_min - self.worse_max

    def markdown(self) -> str:
        rows = "\n".join(f"| {band} | {len(t)} | {' '.join(map(str, t))} |" for band, t in self.totals.items())
        return ("| band (best first) | answers | grader totals |\n|---|---:|---|\n" + rows +
                f"\n\nSpearman correlation of the totals with the bands' order: **{self.spearman:+.2f}**. The "
                f"weakest strong on-topic answer scores {self.strong_min}, the best buzzword, padded or "
                f"off-topic answer {self.worse_max}: a margin of **{self.margin} points**.")

    _repr_markdown_ = markdown


def band_agreement(items: tuple[Item, ...] | None = None) -> BandAgreement:
    """Grade every calibration answer against its question (``techpm.grade``) and compare with the bands."""
    from techpm.evals.judge_audit import spearman
    from techpm.rubric.grading import grade

    rows = [(item, grade(item.text, question=item.question).total) for item in (items or load())]
    totals = {band: tuple(sorted((t for i, t in rows if i.band == band), reverse=True)) for band in BANDS_BEST_FIRST}
    rho = spearman([i.rank for i, _ in rows], [t for _, t in rows]) if rows else float("nan")
    strong = [t for i, t in rows if i.band == "strong-on-topic"]
    worse = [t for i, t in rows if i.band in ("buzzword", "padded", "strong-off-topic")]
    return BandAgreement({b: t for b, t in totals.items() if t}, rho, min(strong), max(worse))
