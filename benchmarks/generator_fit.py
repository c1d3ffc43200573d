"""How well the offline generator answers the questions asked (issue 10), on the public dev set.

Prints, for ``tests/data/generator_questions.json``: the fit rate (every stated quantity used at least
twice outside the title, at least 80% of the concept groups present, no forbidden word, and a question
no facet covers declined plainly), the share of sentences that appear word for word in three or more
answers, the answers' lengths, and the time per answer (median and worst, plus a megabyte question).
Misfits are listed with what they missed. No assertion, since timings depend on the machine; the test
``tests/test_generator_fit.py`` holds the thresholds.

    python benchmarks/generator_fit.py
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

DEV_SET = Path(__file__).resolve().parents[1] / "tests" / "data" / "generator_questions.json"


def main() -> None:
    from techpm.generator import offline
    from techpm.generator.devset import fit, shared_sentence_rate

    entries = json.loads(DEV_SET.read_text())["questions"]
    times, markdowns, lengths, misfits = [], [], [], []
    for entry in entries:
        start = time.perf_counter()
        answer = offline.answer(entry["question"])
        times.append(time.perf_counter() - start)
        markdowns.append(answer.markdown)
        report = fit(answer.markdown, entry["question"], entry["quantities"], entry["concepts"], entry["forbidden"])
        declined = not offline.plan(entry["question"]).fits
        if entry.get("fits", True):
            lengths.append(len(answer.markdown.split()))
        if not report.fits or declined == entry.get("fits", True):
            misfits.append((entry["question"], report))
    fitted = len(entries) - len(misfits)
    print(f"dev set: {len(entries)} questions ({sum(1 for e in entries if not e.get('fits', True))} that no facet "
          "should cover)")
    print(f"fit rate: {fitted}/{len(entries)} = {fitted / len(entries):.0%} (target >= 90%)")
    print(f"sentences shared by 3+ answers: {shared_sentence_rate(markdowns):.1%} (target <= 10%)")
    within = sum(1 for n in lengths if 2_000 <= n <= 3_200)
    print(f"length of fitting answers: median {statistics.median(lengths):,.0f} words, {min(lengths):,}-"
          f"{max(lengths):,}; {within}/{len(lengths)} within 2,000-3,200")
    print(f"time per answer: median {statistics.median(times) * 1e3:.0f} ms, worst {max(times) * 1e3:.0f} ms")
    big = ("Design a RAG system over 2 million contracts for 500 lawyers with p95 under 2 s. " * 13_000)[:1_000_000]
    start = time.perf_counter()
    offline.answer(big)
    print(f"a 1 MB question: {(time.perf_counter() - start) * 1e3:.0f} ms")
    for question, report in misfits:
        print(f"- misfit: {question[:80]}")
        print(f"    quantities missing {report.missing_quantities}, concepts missing {report.missing_concepts}, "
              f"forbidden found {report.forbidden_found}")


if __name__ == "__main__":
    main()
