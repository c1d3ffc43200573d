"""How long the evals explorers take to recompute and redraw after a control changes.

The target is under 100 ms per change (the brief). For each explorer this prints the median and worst
wall time over several changes, and the same for a trivial one-line ``Explorer`` as a baseline: the
part every explorer pays (``tight_layout`` and the PNG encoding), which a busy machine inflates. No
assertion, since timings depend on the machine.

    python benchmarks/widgets_evals.py
"""

from __future__ import annotations

from widget_timing import report

from techpm.widgets.evals import ab_test_planner, eval_size_planner

CHANGES = {
    "eval_size_planner": (eval_size_planner, "margin", [0.01, 0.02, 0.05, 0.1, 0.005, 0.03, 0.04, 0.015, 0.08, 0.2]),
    "ab_test_planner": (ab_test_planner, "minimum_detectable_effect", [0.005, 0.01, 0.03, 0.05, 0.1, 0.002, 0.004,
                                                                      0.02, 0.015, 0.08]),
}


def main() -> None:
    report(CHANGES)


if __name__ == "__main__":
    main()
