"""``grade``: read the answer (and the question), run the nine checks, and add the judge where asked."""

from __future__ import annotations

from techpm.method import RUBRIC
from techpm.rubric.checks import CHECKS
from techpm.rubric.report import PointResult, Report
from techpm.rubric.text import Doc, in_order, words

__all__ = ["MAX_CHARS", "grade"]

#: Characters read for grading: about 8,000 words, over three times the method's length. A longer paste is
#: graded on its start (its length still counts against the structure point), so no input can stall a
#: notebook.
MAX_CHARS = 50_000


def grade(text: str, question: str | None = None, judge: bool = False, *, model: str | None = None,
          max_cost_usd: float | None = None, target_words: int | None = None) -> Report:
    """Grade ``text`` (Markdown or plain) against the method's nine rubric points.

    ``question``: the question the answer should address; with it, scoping, design and users are scored on
    fit to this question, and an answer to another question keeps at most half of the other content points.
    ``target_words``: grade a timed, spoken-style answer of about this many words (for example 450): the
    same points, a length band of two thirds to four thirds of the target instead of the essay's, lower
    bars for the number of components and numbers, and sources optional (counted only when they earn
    the point). ``judge=True`` also asks Claude to grade it (``techpm.generator.client.judge``, structured
    output, with the question) and shows both; without a key, offline, or on an API error, the report says
    why and keeps the deterministic grades. ``model`` and ``max_cost_usd`` apply to the judge's call.
    """
    from techpm.errors import TechpmError
    from techpm.rubric.fit import read_fit

    if not isinstance(text, str):
        raise TechpmError(f"text must be the answer as a string (Markdown is fine), got {type(text).__name__}.")
    if not text.strip():
        raise TechpmError("text is empty: paste or write the answer to grade.")
    if question is not None and (not isinstance(question, str) or not question.strip()):
        raise TechpmError("question must be the question the answer addresses, as a non-empty string (or None).")
    if target_words is not None and (isinstance(target_words, bool) or not isinstance(target_words, int)
                                     or not 100 <= target_words <= 5_000):
        raise TechpmError(f"target_words must be a whole number of words from 100 to 5,000, got {target_words!r}.")
    doc = Doc.read(text[:MAX_CHARS], target_words=target_words)
    if len(text) > MAX_CHARS:
        doc.words = words(text)
    if question is not None:
        said = [s for s, k in zip(doc.sentences, doc.kinds, strict=True) if k in ("substance", "thin")]
        headings = [line for line in doc.text.splitlines() if line.lstrip().startswith("#")]
        doc.fit = read_fit(question.strip(), text, "\n".join(said + headings))
    points = []
    for point in RUBRIC:
        score, evidence, suggestion = CHECKS[point.id](doc)
        counted = not (target_words and point.id == "sources" and score < 1)
        points.append(PointResult(point.id, point.title, score, evidence, suggestion, counted=counted))
    report = Report(points, doc.words, sections=in_order(doc.sections), question=question.strip() if question else None,
                    fit_note=doc.fit.summary() if doc.fit is not None else None,
                    substantive_words=doc.substantive_words, target_words=target_words,
                    truncated=len(text) > MAX_CHARS)
    if judge:
        _add_judge(report, text if question is None else f"(The question this answers: {question.strip()})\n\n{text}",
                   model, max_cost_usd)
    return report


def _add_judge(report: Report, text: str, model: str | None, max_cost_usd: float | None) -> None:
    """Ask Claude for its grades and put them beside the checks'; on any obstacle, say why and stop."""
    from techpm.config import SETTINGS
    from techpm.keys import find_api_key, redact

    if SETTINGS.offline:
        report.judge_note = "Judge not asked: offline mode is on. These are the deterministic checks only."
        return
    key = find_api_key()
    if not key.present:
        report.judge_note = ("Judge not asked: no Anthropic API key found (set ANTHROPIC_API_KEY). These are "
                             "the deterministic checks only.")
        return
    try:
        from techpm.generator import client as claude_client

        grades = claude_client.judge(text, RUBRIC, model=model, max_cost_usd=max_cost_usd)
    except Exception as exc:  # the report must come back whatever the API does
        report.judge_note = redact(f"Judge failed ({type(exc).__name__}: {exc}); showing the deterministic "
                                   "checks only.", key.key)
        return
    by_id = {g.get("id"): g for g in grades if isinstance(g, dict)}
    for p in report.points:
        g = by_id.get(p.id)
        if g is None:
            continue
        try:
            p.judge_score = min(1.0, max(0.0, float(g.get("score", 0.0))))
        except (TypeError, ValueError):
            continue
        p.judge_evidence = str(g.get("evidence", ""))
        p.judge_suggestion = str(g.get("suggestion", ""))
    report.judge_model = model or SETTINGS.claude_model
    missing = [p.title for p in report.points if p.judge_score is None]
    if missing:
        report.judge_note = "The judge did not grade: " + ", ".join(missing) + "."
