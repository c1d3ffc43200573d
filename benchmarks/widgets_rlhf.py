"""How long the RLHF explorers take to recompute and redraw after a control changes.

The target is under 100 ms per change. For each explorer this prints the median and worst wall time over
several changes, and the same for a trivial one-line ``Explorer`` as a baseline (the ``tight_layout`` and
PNG encoding every explorer pays, which a busy machine inflates). No assertion: timings depend on the machine.

    python benchmarks/widgets_rlhf.py
"""

from __future__ import annotations

from widget_timing import report

from techpm.widgets.rlhf import beta_explorer, budget_explorer

CHANGES = {
    "beta_explorer": (beta_explorer, "beta", [0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 0.3, 0.03]),
    "budget_explorer": (budget_explorer, "params_b", [1, 3, 8, 13, 34, 70, 180, 405, 7, 20]),
}


def main() -> None:
    report(CHANGES)


if __name__ == "__main__":
    main()
