"""How long the RLHF explorers take to recompute and redraw after a control changes.

The target is under 100 ms per change. For each explorer this prints the median and worst wall time over
several changes, and the same for a trivial one-line ``Explorer`` as a baseline (the ``tight_layout`` and
PNG encoding every explorer pays, which a busy machine inflates). No assertion: timings depend on the machine.

    python benchmarks/widgets_rlhf.py
"""

from __future__ import annotations

import statistics
import time

from techpm.widgets import Explorer, slider
from techpm.widgets.rlhf import beta_explorer, budget_explorer


def _baseline() -> Explorer:
    return Explorer({"x": slider("x", 1, 0, 10)}, lambda x: x, str, lambda r, ax: ax.plot([0, 1], [0, r]))


CHANGES = {
    "baseline (trivial)": (_baseline, "x", [1, 2, 3, 4, 5, 6, 7, 8, 9, 2]),
    "beta_explorer": (beta_explorer, "beta", [0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 0.3, 0.03]),
    "budget_explorer": (budget_explorer, "params_b", [1, 3, 8, 13, 34, 70, 180, 405, 7, 20]),
}


def main() -> None:
    for name, (factory, control, values) in CHANGES.items():
        explorer = factory()
        wall = []
        for value in values:
            t0 = time.perf_counter()
            explorer.controls[control].value = value
            wall.append((time.perf_counter() - t0) * 1e3)
        print(f"{name:19s} recompute+redraw: median {statistics.median(wall):5.1f} ms, worst {max(wall):5.1f} ms, "
              f"{len(wall)} changes (target < 100 ms)")


if __name__ == "__main__":
    main()
