"""The shared harness of the ``widgets_*.py`` benchmarks: time an explorer's recompute+redraw.

Each benchmark lists, per explorer, a factory, the control to move and the values to set; ``report``
prints the median and worst wall time, the median CPU time and its ratio to a trivial one-line
``Explorer`` (the part every explorer pays: PNG encoding, which a busy machine inflates). Target: under
100 ms per change. Figures, not assertions: timings depend on the machine.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence

from techpm.widgets import Explorer, slider

Changes = dict[str, tuple[Callable[[], Explorer], str, Sequence[object]]]
BASELINE = "baseline (trivial)"


def trivial_explorer() -> Explorer:
    return Explorer({"x": slider("x", 1, 0, 10)}, lambda x: x, str, lambda r, ax: ax.plot([0, 1], [0, r]))


def report(changes: Changes) -> None:
    """Time every explorer in ``changes`` (after the trivial baseline) and print one line each."""
    rows: Changes = {BASELINE: (trivial_explorer, "x", [1, 2, 3, 4, 5, 6, 7, 8, 9, 2]), **changes}
    width = max(map(len, rows))
    baseline_cpu = None
    for name, (factory, control, values) in rows.items():
        explorer = factory()
        wall, cpu = [], []
        for value in values:
            t0, c0 = time.perf_counter(), time.process_time()
            explorer.controls[control].value = value
            wall.append((time.perf_counter() - t0) * 1e3)
            cpu.append((time.process_time() - c0) * 1e3)
            assert explorer.error is None, f"{name}: {explorer.error}"
        median_cpu = statistics.median(cpu)
        baseline_cpu = baseline_cpu or median_cpu
        print(f"{name:{width}s}  recompute+redraw: median {statistics.median(wall):6.1f} ms wall "
              f"({median_cpu:5.1f} ms CPU, {median_cpu / baseline_cpu:.1f}x the trivial baseline), "
              f"worst {max(wall):6.1f} ms, {len(wall)} changes (target < 100 ms)")
