"""The course's figure style: fixed sizes and fonts, so every figure looks the same on every machine."""

from __future__ import annotations

from typing import Any

FIGSIZE_IN = (6.4, 3.6)
DPI = 100


def use_course_style() -> None:
    """Apply the course's matplotlib settings (idempotent)."""
    import matplotlib as mpl

    mpl.rcParams.update({
        "figure.figsize": FIGSIZE_IN,
        "figure.dpi": DPI,
        "savefig.dpi": DPI,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "font.size": 10,
        "svg.hashsalt": "techpm",
    })


def finish(fig: Any, show: bool) -> Any:
    """Lay out a lesson figure; show it (returning None) or, with ``show=False``, hand it back."""
    import matplotlib.pyplot as plt

    fig.tight_layout()
    if show:
        plt.show()
        return None
    return fig
