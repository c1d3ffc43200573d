"""How long the evals explorers take to recompute and redraw after a control changes.

The target is under 100 ms per change (the brief). For each explorer this prints the median and worst
wall time over several changes, and the same for a trivial one-line ``Explorer`` as a baseline: the
part every explorer pays (``tight_layout`` and the PNG encoding), which a busy machine inflates. No
assertion, since timings depend on the machine.

    python benchmarks/widgets_evals.py
"""

from __future__ import annotations

import statistics
import time

from techpm.widgets import Explorer, slider
from techpm.widgets.evals import ab_test_planner, eval_size_planner


def _baseline() -> Explorer:
    return Explorer({"x": slider("x", 1, 0, 10)}, lambda x: x, str, lambda r, ax: ax.plot([0, 1], [0, r]))


CHANGES = {
    "baseline (trivial)": (_baseline, "x", [1, 2, 3, 4, 5, 6, 7, 8, 9, 2]),
    "eval_size_planner": (eval_size_planner, "margin", [0.01, 0.02, 0.05, 0.1, 0.005, 0.03, 0.04, 0.015, 0.08, 0.2]),
    "ab_test_planner": (ab_test_planner, "minimum_detectable_effect", [0.005, 0.01, 0.03, 0.05, 0.1, 0.002, 0.004,
                                                                      0.02, 0.015, 0.08]),
}


def main() -> None:
    for name, (factory, control, values) in CHANGES.items():
        explorer = factory()
        wall, cpu = [], []
        for value in values:
            t0, c0 = time.perf_counter(), time.process_time()
            explorer.controls[control].value = value
            wall.append((time.perf_counter() - t0) * 1e3)
            cpu.append((time.process_time() - c0) * 1e3)
        print(f"{name:19s} recompute+redraw: median {statistics.median(wall):5.1f} ms wall "
              f"({statistics.median(cpu):5.1f} ms CPU), worst {max(wall):5.1f} ms, {len(wall)} changes "
              "(target < 100 ms)")


if __name__ == "__main__":
    main()
