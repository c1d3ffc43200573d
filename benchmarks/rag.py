"""Speed of the RAG lesson's stages, and exact vs. HNSW search beyond what the notebook can afford.

    python benchmarks/rag.py            # stages, widget redraw, scaling to 64k vectors
    python benchmarks/rag.py --quick    # scaling to 16k vectors

Prints seconds per stage (best of 3, fresh objects each time), the explorer's redraw time (target
< 100 ms), and for growing corpora the HNSW recall against exact search and the time per query of each,
with the ratio exact / HNSW. Figures, not assertions: this machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))


def best_of(fn, repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="scale only to 16k vectors")
    args = parser.parse_args()

    start = time.perf_counter()
    import bm25s  # noqa: F401
    import usearch.index  # noqa: F401
    print(f"import bm25s + usearch: {time.perf_counter() - start:.2f} s")

    from techpm.rag import chunking, corpus, dense, lexical, pipeline, store
    from techpm.rag import eval as rag_eval

    sections = corpus.load_sections()
    chunks = chunking.chunk_corpus(sections, "heading", 800)
    texts = [c.text for c in chunks]
    print(f"chunk the corpus (heading, 800): {best_of(lambda: chunking.chunk_corpus(sections, 'heading', 800)):.3f} s")
    print(f"BM25 index ({len(texts)} chunks):      {best_of(lambda: lexical.BM25Index(texts)):.3f} s")
    print(f"LSA fit + encode (128 dims):        {best_of(lambda: dense.LSAEmbedder(128).fit(texts).encode(texts)):.3f} s")
    pipe = pipeline.build_pipeline("heading", 800)
    variants = rag_eval.rankers(pipe)
    print(f"evaluate 4 variants x {len(rag_eval.load_questions())} questions (cached searches): "
          f"{best_of(lambda: rag_eval.evaluate_all(variants)):.3f} s")

    from techpm.widgets.rag import rag_explorer

    explorer = rag_explorer(strategy="heading")
    values = iter([3, 7, 12, 5, 9] * 3)
    redraw = best_of(lambda: setattr(explorer.controls["top_k"], "value", next(values)), repeats=5)
    print(f"explorer redraw (top-k changed):    {redraw * 1e3:.0f} ms (target < 100 ms)")

    sizes = [2_000, 4_000, 8_000, 16_000] + ([] if args.quick else [32_000, 64_000])
    queries = pipe.embedder.encode([q.question for q in rag_eval.load_questions()])
    print(f"\n{'vectors':>8} {'recall@10':>10} {'exact µs':>9} {'HNSW µs':>8} {'exact/HNSW':>11} {'build s':>8}")
    for p in store.measure_scaling(pipe.vectors, queries, sizes, k=10):
        print(f"{p.n:>8,} {p.recall:>10.3f} {p.exact_s * 1e6:>9.0f} {p.approx_s * 1e6:>8.0f} "
              f"{p.exact_s / p.approx_s:>11.1f} {p.build_s:>8.2f}")


if __name__ == "__main__":
    main()
