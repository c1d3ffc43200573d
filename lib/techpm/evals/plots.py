"""The evals lesson's figure, drawn without pyplot (quicker to import and draw) and shown as a PNG."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from techpm.plotting import DPI

__all__ = ["SYSTEM_COLOURS", "human_vs_judge_png", "human_vs_judge"]

SYSTEM_COLOURS = {"A": "#2b8cbe", "B": "#7bccc4", "C": "#bdbdbd", "D": "#d94801"}


def human_vs_judge_png(answers: Sequence[Any], judge_totals: Sequence[float], systems: dict[str, str],
                       max_total: int, figsize: tuple[float, float] = (6.4, 3.2)) -> bytes:
    """Scatter of each graded answer, human total vs. judge total, coloured by system, sized by length."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=DPI)
    ax = fig.add_subplot()
    for answer, total in zip(answers, judge_totals, strict=True):
        ax.scatter(answer.human_total, total, s=12 + answer.words / 6,
                   color=SYSTEM_COLOURS.get(answer.system, "k"), alpha=0.8)
    for system, colour in SYSTEM_COLOURS.items():
        if system in systems:
            ax.scatter([], [], color=colour, label=f"{system}: {systems[system].split(':')[0]}")
    ax.plot([0, max_total], [0, max_total], color="k", linestyle=":", linewidth=1, label="judge = human")
    ax.set_xlim(-0.5, max_total + 0.5)
    ax.set_ylim(-0.5, max_total + 0.5)
    ax.set_xlabel(f"human total (0-{max_total})")
    ax.set_ylabel(f"judge total (0-{max_total})")
    ax.set_title("each answer: human vs. judge (dot size = length)", fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="upper left", frameon=False)
    fig.subplots_adjust(left=0.11, right=0.98, bottom=0.15, top=0.9)  # fixed margins: no layout solving
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})  # fast encoding
    return buffer.getvalue()


def human_vs_judge(answers: Sequence[Any], judge_totals: Sequence[float], systems: dict[str, str],
                   max_total: int) -> Any:
    """The same figure as an IPython ``Image``, for display in a notebook."""
    from IPython.display import Image

    return Image(data=human_vs_judge_png(answers, judge_totals, systems, max_total), format="png")
