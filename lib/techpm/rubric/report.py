"""A grade, as data and as a table: nine ``PointResult`` rows, a total, the fit to the question, and the
judge's grades beside the checks' where asked (``Report.markdown()``, ``_repr_html_``, ``str``)."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

__all__ = ["PointResult", "Report"]


@dataclass
class PointResult:
    """One rubric point: the checks' score (0, 0.5 or 1), evidence and one suggestion; the judge's beside."""

    id: str
    title: str
    score: float
    evidence: str
    suggestion: str
    judge_score: float | None = None
    judge_evidence: str | None = None
    judge_suggestion: str | None = None
    counted: bool = True   # False for a point left out of the total (sources in a timed, spoken answer)

    def markdown(self) -> str:
        """This point as a small table: score, evidence, suggestion."""
        return (f"| {self.title} | |\n|---|---|\n| Score | {self.score:g} |\n| Evidence | {_cell(self.evidence)} |\n"
                f"| Suggestion | {_cell(self.suggestion)} |")

    def _repr_markdown_(self) -> str:
        return self.markdown()

    def __str__(self) -> str:
        return f"{self.title}: {self.score:g}\n  evidence: {self.evidence}\n  suggestion: {self.suggestion}"

    @property
    def disagree(self) -> bool:
        """True when the judge's score differs from the checks' by half a point or more."""
        return self.judge_score is not None and abs(self.judge_score - self.score) >= 0.5


@dataclass
class Report:
    """The grade of one answer: nine points, a total out of 100, and the judge's view where asked."""

    points: list[PointResult]
    words: int
    judge_note: str | None = None
    judge_model: str | None = None
    sections: list[int] = field(default_factory=list)
    question: str | None = None
    fit_note: str | None = None           # how the answer fits the question, when it is known
    substantive_words: int | None = None  # the words that count: not repeated, filler or lists of terms
    target_words: int | None = None
    truncated: bool = False               # only the start of a very long text was read

    @property
    def total(self) -> int:
        """The counted points' scores as a share of their number, in points out of 100."""
        counted = [p for p in self.points if p.counted]
        return round(100 * sum(p.score for p in counted) / len(counted))

    @property
    def judge_total(self) -> int | None:
        scores = [p.judge_score for p in self.points if p.counted]
        if any(s is None for s in scores):
            return None
        return round(100 * sum(s for s in scores if s is not None) / len(scores))

    def _head(self) -> str:
        words = f"{self.words:,} words"
        if self.substantive_words is not None and self.substantive_words < self.words * 0.9:
            words += f", {self.substantive_words:,} that count"
        mode = f"; timed answer, target {self.target_words:,} words" if self.target_words else ""
        return f"{words}{mode}"

    def _notes(self) -> list[str]:
        notes = []
        if self.question:
            notes.append(f"Question: {self.question}")
            if self.fit_note:
                notes.append(self.fit_note)
        else:
            notes.append("Graded without the question: pass question=... to check that the answer fits it.")
        if self.truncated:
            from techpm.rubric.grading import MAX_CHARS

            notes.append(f"Only the first {MAX_CHARS:,} characters were graded: the answer runs to "
                         f"{self.words:,} words, far past the length the method asks for.")
        left_out = [p.title for p in self.points if not p.counted]
        if left_out:
            notes.append("Not counted in the total (optional here): " + ", ".join(left_out) + ".")
        return notes

    @property
    def disagreements(self) -> list[PointResult]:
        return [p for p in self.points if p.disagree]

    def point(self, point_id: str) -> PointResult:
        for p in self.points:
            if p.id == point_id:
                return p
        from techpm.errors import unknown_name

        raise unknown_name("rubric point", point_id, [p.id for p in self.points])

    def shortfalls(self) -> str:
        """Markdown: the total, then each point below full marks with its score and evidence (why)."""
        lines = [f"**{self.total}/100.**" + (f" {self.fit_note}" if self.fit_note else "")]
        short = [p for p in self.points if p.counted and p.score < 1]
        lines += [f"- *{p.title}* ({p.score:g}): {p.suggestion} Evidence: {p.evidence}" for p in short] or [
            "- Full marks on every point."]
        return "\n".join(lines)

    def scores(self) -> dict[str, float]:
        return {p.id: p.score for p in self.points}

    # --- display -----------------------------------------------------------------------------------
    def markdown(self) -> str:
        judged = self.judge_total is not None
        head = f"**Rubric score: {self.total}/100** ({self._head()})"
        if judged:
            head += f" · judge ({self.judge_model}): {self.judge_total}/100"
        lines = [head, ""] + [f"*{_cell(n)}*  " for n in self._notes()] + [""]
        if self.judge_note:
            lines += [f"> {self.judge_note}", ""]
        cols = "| # | Point | Checks | " + ("Judge | " if judged else "") + "Evidence | Suggestion |"
        lines += [cols, "|" + "---|" * (6 if judged else 5)]
        for i, p in enumerate(self.points, start=1):
            judge = ""
            if judged:
                judge = f"{p.judge_score:g}{' ⚠' if p.disagree else ''} | "
            score = f"{p.score:g}" if p.counted else f"({p.score:g})"
            lines.append(f"| {i} | {p.title} | {score} | {judge}{_cell(p.evidence)} | {_cell(p.suggestion)} |")
        if judged and self.disagreements:
            lines += ["", "⚠ Checks and judge disagree on: " + ", ".join(p.title for p in self.disagreements)
                      + ". Read those parts yourself: the checks look for signs, the judge reads for meaning."]
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        return self.markdown()

    def _repr_html_(self) -> str:
        judged = self.judge_total is not None
        rows = []
        for i, p in enumerate(self.points, start=1):
            colour = {1.0: "#1a7f37", 0.5: "#9a6700"}.get(p.score, "#cf222e")
            judge = (f"<td style='text-align:center'>{p.judge_score:g}{' ⚠' if p.disagree else ''}</td>"
                     if judged else "")
            rows.append(f"<tr><td>{i}</td><td>{html.escape(p.title)}</td>"
                        f"<td style='text-align:center;color:{colour};font-weight:bold'>{p.score:g}</td>{judge}"
                        f"<td>{html.escape(p.evidence)}</td><td>{html.escape(p.suggestion)}</td></tr>")
        head = f"<b>Rubric score: {self.total}/100</b> ({html.escape(self._head())})"
        if judged:
            head += f" · judge ({html.escape(str(self.judge_model))}): {self.judge_total}/100"
        note = "".join(f"<p><i>{html.escape(n)}</i></p>" for n in self._notes())
        note += f"<p><i>{html.escape(self.judge_note)}</i></p>" if self.judge_note else ""
        judge_th = "<th>Judge</th>" if judged else ""
        return (f"<p>{head}</p>{note}<table><thead><tr><th>#</th><th>Point</th><th>Checks</th>{judge_th}"
                f"<th>Evidence</th><th>Suggestion</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")

    def __str__(self) -> str:
        lines = [f"Rubric score: {self.total}/100 ({self._head()})"]
        if self.judge_total is not None:
            lines[0] += f"; judge: {self.judge_total}/100"
        lines += self._notes()
        if self.judge_note:
            lines.append(self.judge_note)
        for p in self.points:
            mark = {1.0: "✔", 0.5: "½"}.get(p.score, "✘")
            lines.append(f"{mark} {p.title}: {p.evidence}")
            if p.score < 1:
                lines.append(f"    → {p.suggestion}")
        return "\n".join(lines)

    __repr__ = __str__


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")

