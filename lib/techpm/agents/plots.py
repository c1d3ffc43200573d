"""The agents lesson's figures: computed results in, one fixed-size figure out (``show=False`` returns it)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from techpm import calc
from techpm.rag.plots import _figure, _finish, _log


def reliability_and_tokens(model: str, step_successes: Sequence[float] = (0.9, 0.95, 0.99), max_steps: int = 30,
                           system_tokens: int = 3_000, tokens_per_step: int = 800, output_tokens_per_step: int = 150,
                           show: bool = True) -> Any:
    """Left: task success vs. steps (with and without one retry). Right: cost per task vs. steps, cached or not."""
    fig, (left, right) = _figure(2)
    steps = list(range(1, max_steps + 1))
    for p in step_successes:
        line, = left.plot(steps, [calc.agent_success_probability(p, n) for n in steps], label=f"{p:.0%} per step")
        left.plot(steps, [calc.agent_success_probability(p, n, 1) for n in steps], "--", color=line.get_color())
    left.set_xlabel("steps")
    left.set_ylabel("task success (dashed: 1 retry per step)")
    left.set_ylim(0, 1.02)
    left.legend(loc="lower left")
    for caching, style in ((False, "-"), (True, "--")):
        right.plot(steps, [calc.agent_loop_cost(model, n, system_tokens, tokens_per_step, output_tokens_per_step,
                                                caching=caching).total_usd for n in steps], style,
                   label=f"caching {'on' if caching else 'off'}")
    right.set_xlabel("steps")
    right.set_ylabel(f"US$ per task ({model})")
    right.legend(loc="upper left")
    return _finish(fig, show)


def memory_tradeoff(rows: Sequence[Any], show: bool = True) -> Any:
    """Facts recalled against mean prompt tokens per turn, one point per strategy."""
    fig, ax = _figure()
    for r in rows:
        ax.plot([r.mean_tokens_per_turn], [r.recall], "o", markersize=8)
        ax.annotate(r.strategy, (r.mean_tokens_per_turn, r.recall), textcoords="offset points", xytext=(6, 4))
    _log(ax, "x")
    ax.set_xlabel("mean prompt tokens per turn (log)")
    ax.set_ylabel("facts recalled at the end")
    ax.set_ylim(0, 1.1)
    return _finish(fig, show)


def lost_in_middle(points: Sequence[tuple[int, float]], n_chunks: int, show: bool = True) -> Any:
    """Reader accuracy by the relevant chunk's position in the prompt."""
    fig, ax = _figure()
    ax.plot([p + 1 for p, _ in points], [a for _, a in points], marker="o")
    ax.set_xlabel(f"position of the relevant chunk among {n_chunks}")
    ax.set_ylabel("answers citing it")
    ax.set_ylim(0, 1)
    return _finish(fig, show)
