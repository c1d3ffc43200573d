"""How the offline answer writes numbers, and the ``Figure``: one computed number of the deep dive with
the formula that produced it, the calculator that computed it and the assumptions behind it.

The figures themselves are computed by the facets (``techpm.generator.facets``), each from the
question's quantities with the course's calculators; this module only formats them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

__all__ = ["Figure", "Figures", "count", "duration", "num", "pct", "sci", "size", "usd"]

SECONDS_PER_DAY = 86_400


def usd(x: float) -> str:
    """US dollars, rounded to what matters: $12,345 / $12.35 / $0.0123 / $0.000123."""
    if not math.isfinite(x):
        return "an unbounded amount"
    if x == 0:
        return "$0"
    if x >= 1e15:
        return "$" + sci(x)
    if x >= 1e12:
        return f"${x / 1e12:,.3g} trillion"
    if x >= 1_000:
        return f"${x:,.0f}"
    if x >= 1:
        return f"${x:,.2f}"
    if x >= 0.01:
        return f"${x:.3f}"
    return f"${x:.2g}" if x >= 1e-4 else f"${x:.1e}"


def sci(x: float) -> str:
    """Scientific notation as people write it: 2.5e19, 1e24 (three significant digits at most)."""
    mantissa, exponent = f"{x:.2e}".split("e")
    return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"


def num(x: float) -> str:
    """A count with thousands separators (one decimal below 100, two significant digits below 1);
    a trillion or more in words ("1.5 trillion"), never in scientific notation."""
    if not math.isfinite(x):
        return "unbounded"
    if abs(x) >= 1e15:
        return sci(x)
    if abs(x) >= 1e12:
        return f"{x / 1e12:,.3g} trillion"
    if abs(x) >= 100 or float(x).is_integer():
        return f"{x:,.0f}"
    if abs(x) >= 1:
        return f"{x:,.1f}"
    return f"{x:.2g}"


def size(n_bytes: float) -> str:
    """Bytes as GB or TB (decimal, as GPU datasheets print them)."""
    if n_bytes >= 1e12:
        return f"{n_bytes / 1e12:,.2f} TB"
    if n_bytes >= 1e9:
        return f"{n_bytes / 1e9:,.1f} GB"
    return f"{n_bytes / 1e6:,.1f} MB"


def duration(seconds: float) -> str:
    """Seconds as ms, s, hours, days or years."""
    if not math.isfinite(seconds):
        return "forever"
    if seconds >= 365 * SECONDS_PER_DAY:
        return f"{seconds / (365 * SECONDS_PER_DAY):,.3g} years"
    if seconds < 1:
        return f"{seconds * 1000:,.0f} ms"
    if seconds < 120:
        return f"{seconds:,.1f} s"
    if seconds < 2 * 3600:
        return f"{seconds / 60:,.0f} min"
    if seconds < 3 * SECONDS_PER_DAY:
        return f"{seconds / 3600:,.1f} h"
    return f"{seconds / SECONDS_PER_DAY:,.1f} days"


def count(n: float, noun: str) -> str:
    """'1 replica', '3 replicas'."""
    return f"{num(n)} {noun}{'' if n == 1 else 's'}"


def pct(x: float) -> str:
    return f"{x:.0%}" if abs(x) >= 0.1 else f"{x:.1%}"


@dataclass(frozen=True)
class Figure:
    """One computed number of the deep dive (see the module docstring)."""

    key: str
    label: str
    value: float
    shown: str
    formula: str
    calculator: str
    assumptions: str = ""

    def markdown(self) -> str:
        text = f"- **{self.label}: {self.shown}.** `{self.formula}` ({self.calculator}"
        return text + (f"; {self.assumptions})" if self.assumptions else ")")


@dataclass
class Figures:
    """The figures of one answer, in the order they were computed, and named values the text reuses."""

    items: list[Figure] = field(default_factory=list)
    notes: dict[str, object] = field(default_factory=dict)

    def add(self, key: str, label: str, value: float, shown: str, formula: str, calculator: str,
            assumptions: str = "") -> Figure:
        figure = Figure(key, label, float(value), shown, formula, calculator, assumptions)
        self.items.append(figure)
        return figure

    def __getitem__(self, key: str) -> Figure:
        for figure in self.items:
            if figure.key == key:
                return figure
        raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        return any(f.key == key for f in self.items)

    def markdown(self) -> str:
        return "\n".join(f.markdown() for f in self.items)
