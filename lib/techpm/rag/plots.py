"""The lesson's figures: each takes computed results, draws one matplotlib figure (fixed size) and shows
it with ``plt.show()`` (pass ``show=False`` to get the figure back instead)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from techpm.plotting import finish as _finish


def _figure(ncols: int = 1) -> tuple[Any, Any]:
    import matplotlib.pyplot as plt

    return plt.subplots(1, ncols, figsize=(9.6 if ncols > 1 else 6.4, 3.4))


def _log(ax: Any, axis: str, ticks: Sequence[float] | None = None) -> None:
    """A log axis with plain numbers (1,000 not 10^3) and no crowded minor labels."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    target = ax.xaxis if axis == "x" else ax.yaxis
    (ax.set_xscale if axis == "x" else ax.set_yscale)("log")
    if ticks is not None:
        target.set_ticks(list(ticks))
    else:
        target.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    target.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    target.set_minor_formatter(NullFormatter())


def chunk_sweep(rows: Sequence[Any], k: int, show: bool = True) -> Any:
    """Recall and prompt tokens against chunk size (the measured trade-off).

    Left: recall with the top ``k`` chunks and, when the rows carry it, with a fixed token budget (as many
    chunks as fit). Right: the prompt tokens the top ``k`` cost.
    """
    fig, (a, b) = _figure(2)
    sizes = [r.size_chars for r in rows]
    a.plot(sizes, [r.recall for r in rows], marker="o", label=f"top {k} chunks")
    budgeted = [r for r in rows if getattr(r, "budget_tokens", 0)]
    if budgeted:
        a.plot([r.size_chars for r in budgeted], [r.recall_at_budget for r in budgeted], marker="s",
               label=f"{budgeted[0].budget_tokens:,}-token budget")
        a.legend(fontsize=8, loc="lower left")
    a.set(ylim=(0, 1), xlabel="chunk size (characters)", ylabel="recall of relevant sections")
    b.plot(sizes, [r.context_tokens for r in rows], marker="o", color="tab:orange")
    b.set(xlabel="chunk size (characters)", ylabel=f"prompt tokens for top {k}")
    for ax in (a, b):
        _log(ax, "x", sizes)
    _log(b, "y")
    return _finish(fig, show)


def evaluation(table: dict[str, dict[str, float]], show: bool = True,
               intervals: dict[str, dict[str, tuple[float, float]]] | None = None) -> Any:
    """Grouped bars: every metric for every retrieval variant, with error bars when ``intervals`` are given
    (``rag.eval.metric_intervals``: each mean's bootstrap interval over the questions)."""
    fig, ax = _figure()
    names, metrics = list(table), list(next(iter(table.values())))
    width = 0.8 / len(names)
    for i, name in enumerate(names):
        xs = [j + (i - (len(names) - 1) / 2) * width for j in range(len(metrics))]
        heights = [table[name][m] for m in metrics]
        yerr = None
        if intervals is not None:
            yerr = [[h - intervals[name][m][0] for h, m in zip(heights, metrics, strict=True)],
                    [intervals[name][m][1] - h for h, m in zip(heights, metrics, strict=True)]]
        ax.bar(xs, heights, width, label=name, yerr=yerr, capsize=2 if yerr else 0)
    ax.set_xticks(range(len(metrics)), metrics)
    ax.set(ylim=(0, 1), ylabel="mean over the question set" + (" (95% bootstrap bars)" if intervals else ""))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, 1.14), ncol=len(names), fontsize=8, frameon=False)
    return _finish(fig, show)


def scaling(points: Sequence[Any], show: bool = True) -> Any:
    """Exact vs. HNSW: recall and time per query against corpus size."""
    fig, (a, b) = _figure(2)
    ns = [p.n for p in points]
    a.plot(ns, [p.recall for p in points], marker="o")
    a.set(ylim=(0, 1.02), xlabel="vectors in the index", ylabel="HNSW recall@10 vs. exact")
    b.plot(ns, [p.exact_s * 1e6 for p in points], marker="o", label="exact (scan)")
    b.plot(ns, [p.approx_s * 1e6 for p in points], marker="o", label="HNSW")
    b.set(xlabel="vectors in the index", ylabel="µs per query")
    for ax in (a, b):
        _log(ax, "x", ns)
    _log(b, "y")
    b.legend()
    return _finish(fig, show)
