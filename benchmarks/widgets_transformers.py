"""How long the transformers explorers take to recompute and redraw after a control changes.

The target is under 100 ms per change (issue 3). For each explorer this prints the median and worst
wall time over several changes, and the same for a trivial one-line ``Explorer`` as a baseline: the
part every explorer pays (``tight_layout`` and the PNG encoding), which a busy machine inflates. No
assertion, since timings depend on the machine.

    python benchmarks/widgets_transformers.py
"""

from __future__ import annotations

from widget_timing import report

from techpm.widgets.transformers import memory_explorer, scaling_explorer

CHANGES = {
    "memory_explorer": (memory_explorer, "batch_size", [2, 4, 8, 16, 32, 1, 3, 5, 7, 9]),
    "scaling_explorer": (scaling_explorer, "compute_flops", [1e20, 1e21, 1e22, 1e23, 1e24, 1e25, 1e26, 3e21,
                                                             3e22, 3e23]),
}


def main() -> None:
    report(CHANGES)


if __name__ == "__main__":
    main()
