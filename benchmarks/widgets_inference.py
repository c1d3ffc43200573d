"""How long the inference explorers take to recompute and redraw after a control changes.

The target is under 100 ms per change (issue 3). For each explorer this prints the median and worst wall
time and the median CPU time over several changes, next to a trivial one-line ``Explorer`` measured in
the same run: the part every explorer pays (``tight_layout`` and the PNG encoding), which a busy machine
inflates. The ratio to that baseline is the figure to compare between machines. No assertion.

    python benchmarks/widgets_inference.py
"""

from __future__ import annotations

import statistics
import time

from techpm.widgets import Explorer, slider
from techpm.widgets.inference import api_cost_explorer, serving_explorer


def _baseline() -> Explorer:
    return Explorer({"x": slider("x", 1, 0, 10)}, lambda x: x, str, lambda r, ax: ax.plot([0, 1], [0, r]))


CHANGES = {
    "baseline (trivial)": (_baseline, "x", [1, 2, 3, 4, 5, 6, 7, 8, 9, 2]),
    "serving_explorer": (serving_explorer, "batch_size", [1, 2, 4, 8, 16, 64, 128, 3, 24, 48]),
    "serving (precision)": (serving_explorer, "precision", ["fp8", "int4-awq", "int8", "int4-gptq", "bf16"] * 2),
    "api_cost_explorer": (api_cost_explorer, "cache_hit_rate", [0.0, 0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0, 0.2]),
}


def main() -> None:
    medians: dict[str, float] = {}
    for name, (factory, control, values) in CHANGES.items():
        explorer = factory()
        wall, cpu = [], []
        for value in values:
            t0, c0 = time.perf_counter(), time.process_time()
            explorer.controls[control].value = value
            wall.append((time.perf_counter() - t0) * 1e3)
            cpu.append((time.process_time() - c0) * 1e3)
            assert explorer.error is None, explorer.error
        medians[name] = statistics.median(cpu)
        ratio = medians[name] / medians["baseline (trivial)"]
        print(f"{name:20s} recompute+redraw: median {statistics.median(wall):6.1f} ms wall "
              f"({medians[name]:5.1f} ms CPU, {ratio:.1f}x the trivial baseline), worst {max(wall):6.1f} ms, "
              f"{len(wall)} changes (target < 100 ms)")


if __name__ == "__main__":
    main()
