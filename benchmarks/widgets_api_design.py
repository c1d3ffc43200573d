"""How long the API design explorers take to recompute and redraw after a control changes.

The target is under 100 ms per change. Prints the median and worst wall time over several changes for
each explorer, beside a trivial one-line ``Explorer`` as the baseline every explorer pays (layout and PNG
encoding), which a busy machine inflates. No assertion: timings depend on the machine.

    python benchmarks/widgets_api_design.py
"""

from __future__ import annotations

import statistics
import time

from techpm.widgets import Explorer, slider
from techpm.widgets.api_design import pricing_explorer, rate_limit_explorer


def _baseline() -> Explorer:
    return Explorer({"x": slider("x", 1, 0, 10)}, lambda x: x, str, lambda r, ax: ax.plot([0, 1], [0, r]))


CHANGES = {
    "baseline (trivial)": (_baseline, "x", [1, 2, 3, 4, 5, 6, 7, 8, 9, 2]),
    "rate_limit_explorer": (rate_limit_explorer, "burst", [10, 20, 40, 60, 80, 100, 150, 200, 5, 30]),
    "pricing_explorer": (pricing_explorer, "kind", ["seat", "per_request", "tiered", "per_token"] * 2 + ["seat", "tiered"]),
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
        print(f"{name:20s} recompute+redraw: median {statistics.median(wall):5.1f} ms wall "
              f"({statistics.median(cpu):5.1f} ms CPU), worst {max(wall):5.1f} ms, {len(wall)} changes "
              "(target < 100 ms)")


if __name__ == "__main__":
    main()
