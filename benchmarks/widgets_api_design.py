"""How long the API design explorers take to recompute and redraw after a control changes.

The target is under 100 ms per change. Prints the median and worst wall time over several changes for
each explorer, beside a trivial one-line ``Explorer`` as the baseline every explorer pays (layout and PNG
encoding), which a busy machine inflates. No assertion: timings depend on the machine.

    python benchmarks/widgets_api_design.py
"""

from __future__ import annotations

from widget_timing import report

from techpm.widgets.api_design import pricing_explorer, rate_limit_explorer

CHANGES = {
    "rate_limit_explorer": (rate_limit_explorer, "burst", [10, 20, 40, 60, 80, 100, 150, 200, 5, 30]),
    "pricing_explorer": (pricing_explorer, "kind", ["seat", "per_request", "tiered", "per_token"] * 2 + ["seat", "tiered"]),
}


def main() -> None:
    report(CHANGES)


if __name__ == "__main__":
    main()
