"""How long the inference explorers take to recompute and redraw after a control changes.

The target is under 100 ms per change (issue 3). For each explorer this prints the median and worst wall
time and the median CPU time over several changes, next to a trivial one-line ``Explorer`` measured in
the same run: the part every explorer pays (``tight_layout`` and the PNG encoding), which a busy machine
inflates. The ratio to that baseline is the figure to compare between machines. No assertion.

    python benchmarks/widgets_inference.py
"""

from __future__ import annotations

from widget_timing import report

from techpm.widgets.inference import api_cost_explorer, serving_explorer

CHANGES = {
    "serving_explorer": (serving_explorer, "batch_size", [1, 2, 4, 8, 16, 64, 128, 3, 24, 48]),
    "serving (precision)": (serving_explorer, "precision", ["fp8", "int4-awq", "int8", "int4-gptq", "bf16"] * 2),
    "api_cost_explorer": (api_cost_explorer, "cache_hit_rate", [0.0, 0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0, 0.2]),
}


def main() -> None:
    report(CHANGES)


if __name__ == "__main__":
    main()
