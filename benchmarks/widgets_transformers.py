"""How long the transformers explorers take to recompute and redraw after a control changes.

The target is under 100 ms per change (issue 3). Prints the median and worst of several changes per
explorer; no assertion, since timings depend on the machine.

    python benchmarks/widgets_transformers.py
"""

from __future__ import annotations

import statistics
import time

from techpm.widgets.transformers import memory_explorer, scaling_explorer

CHANGES = {
    "memory_explorer": (memory_explorer, "batch_size", [2, 4, 8, 16, 32, 1, 3, 5]),
    "scaling_explorer": (scaling_explorer, "compute_flops", [1e20, 1e21, 1e22, 1e23, 1e24, 1e25, 1e26, 3e21]),
}


def main() -> None:
    for name, (factory, control, values) in CHANGES.items():
        explorer = factory()
        times = []
        for value in values:
            t0 = time.perf_counter()
            explorer.controls[control].value = value
            times.append((time.perf_counter() - t0) * 1e3)
        print(f"{name:17s} recompute+redraw: median {statistics.median(times):5.1f} ms, "
              f"worst {max(times):5.1f} ms over {len(times)} changes (target < 100 ms)")


if __name__ == "__main__":
    main()
