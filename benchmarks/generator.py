"""How long the offline generator takes to answer, and what the cache saves on a re-run.

The target is under 200 ms per offline answer (issue 4). For one question of each kind this prints the
first call (which pays the imports) and the median and worst of the next calls, through the public
``techpm.generate(..., backend="offline", stream=False)`` and, separately, the time to render the
answer's Markdown. It also prints the time to load a cached answer from disk (what a re-run of a
notebook pays instead of an API call). No assertion, since timings depend on the machine.

    python benchmarks/generator.py
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

QUESTIONS = {
    "rag": "Design a RAG system for a law firm's 2 million contracts, 300 lawyers, answers within 3 seconds",
    "agent": "Design a coding agent that fixes failing tests in a monorepo",
    "inference": "Design an inference platform serving a 70B model at 500 requests per second",
    "evaluation": "How would you build an evaluation system for a customer-support chatbot?",
    "finetuning": "Should we fine-tune or use RAG for a medical Q&A assistant? Walk through RLHF vs DPO",
    "api_platform": "Design the developer API and pricing for a new embeddings product",
    "safety": "Design the safety system for a consumer chatbot used by 10 million people",
    "multimodal": "Design a product that answers questions about photos of receipts",
    "general": "How would you add AI to a calendar app?",
}
REPEATS = 10


def _ms(seconds: float) -> float:
    return seconds * 1e3


def main() -> None:
    t0 = time.perf_counter()
    import techpm

    print(f"import techpm: {_ms(time.perf_counter() - t0):.1f} ms")
    print(f"{'kind':<13} {'first':>9} {'median':>9} {'worst':>9} {'markdown':>9}   (ms; target < 200)")
    medians = []
    for kind, question in QUESTIONS.items():
        t0 = time.perf_counter()
        answer = techpm.generate(question, backend="offline", stream=False)
        first = _ms(time.perf_counter() - t0)
        times, render = [], []
        for _ in range(REPEATS):
            t0 = time.perf_counter()
            answer = techpm.generate(question, backend="offline", stream=False)
            times.append(_ms(time.perf_counter() - t0))
            t0 = time.perf_counter()
            _ = answer.markdown
            render.append(_ms(time.perf_counter() - t0))
        medians.append(statistics.median(times))
        print(f"{kind:<13} {first:>9.1f} {statistics.median(times):>9.1f} {max(times):>9.1f} "
              f"{statistics.median(render):>9.2f}")
    print(f"slowest median: {max(medians):.1f} ms = {max(medians) / 200:.2f} x the 200 ms target")

    from techpm.generator import cache

    with tempfile.TemporaryDirectory() as folder:
        cache.store("bench", answer, Path(folder))
        loads = []
        for _ in range(REPEATS):
            t0 = time.perf_counter()
            cache.load("bench", Path(folder))
            loads.append(_ms(time.perf_counter() - t0))
    print(f"cache load of one answer: median {statistics.median(loads):.2f} ms")


if __name__ == "__main__":
    main()
