"""How long the agents explorer takes to recompute and redraw after a control changes.

The target is under 100 ms per change. The agent-loop explorer prices every call of the loop and runs
the roofline latency per step, so long loops cost the most: the values below sweep the steps slider
up to its maximum. No assertion, since timings depend on the machine.

    python benchmarks/widgets_agents.py
"""

from __future__ import annotations

from widget_timing import report

from techpm.widgets.agents import agent_loop_explorer

CHANGES = {
    "agent_loop_explorer (steps)": (agent_loop_explorer, "steps", [5, 10, 20, 40, 1, 30, 15, 40, 8, 25]),
    "agent_loop_explorer (caching)": (agent_loop_explorer, "caching", ["on", "off"] * 5),
}


def main() -> None:
    report(CHANGES)


if __name__ == "__main__":
    main()
