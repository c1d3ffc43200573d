"""How long the safety explorer takes to recompute and redraw after a control changes.

The target is under 100 ms per change. The explorer runs on the course classifier's scores for the
held-out prompts (computed once, before timing). Prints the median and worst wall time over several
changes against a trivial ``Explorer``; no assertion, since timings depend on the machine.

    python benchmarks/widgets_safety.py
"""

from __future__ import annotations

from widget_timing import report

from techpm.safety import classifier, prompts
from techpm.widgets.safety import threshold_explorer

TEST = prompts.split("test")
SCORES = classifier.course_classifier().score([p.text for p in TEST])
HARMFUL = [p.harmful for p in TEST]


def _explorer():
    return threshold_explorer(SCORES, HARMFUL)


CHANGES = {
    "threshold_explorer (threshold)": (_explorer, "threshold", [0.1, 0.3, 0.5, 0.7, 0.9, 0.2, 0.4, 0.6, 0.8, 0.5]),
    "threshold_explorer (costs)": (_explorer, "usd_per_violation", [1.0, 5.0, 50.0, 500.0, 5000.0, 20.0, 200.0, 2.0,
                                                                     2000.0, 50.0]),
}


def main() -> None:
    report(CHANGES)


if __name__ == "__main__":
    main()
