"""How long the transformers explorers take to recompute and redraw after a control changes.

The target is under 100 ms per change (issue 3). For each explorer this prints the median and worst
wall time over several changes, and the same for a trivial one-line ``Explorer`` as a baseline: the
part every explorer pays (``tight_layout`` and the PNG encoding), which a busy machine inflates. No
assertion, since timings depend on the machine.

    python benchmarks/widgets_transformers.py
"""

from __future__ import annotations

import statistics
import time

from techpm.widgets import Explorer, slider
from techpm.widgets.transformers import memory_explorer, scaling_explorer


def _baseline() -> Explorer:
    return Explorer({"x": slider("x", 1, 0, 10)}, lambda x: x, str, lambda r, ax: ax.plot([0, 1], [0, r]))


CHANGES = {
    "baseline (trivial)": (_baseline, "x", [1, 2, 3, 4, 5, 6, 7, 8, 9, 2]),
    "memory_explorer": (memory_explorer, "batch_size", [2, 4, 8, 16, 32, 1, 3, 5, 7, 9]),
    "scaling_explorer": (scaling_explorer, "compute_flops", [1e20, 1e21, 1e22, 1e23, 1e24, 1e25, 1e26, 3e21,
                                                             3e22, 3e23]),
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
