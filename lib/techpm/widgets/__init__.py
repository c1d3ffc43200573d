"""Thin widget front-ends: controls that call a calculator and redraw one figure in place.

Every explorer in the course is an ``Explorer``: a few ipywidgets controls, a ``compute`` function that
calls the calculators (no arithmetic here), a ``describe`` function that turns the result into a line of
HTML, and a ``draw`` function that paints the result onto one matplotlib ``Axes``. The figure is rendered
to PNG into an ``ipywidgets.Image``, which works the same in JupyterLab, Notebook 7, Colab (ipywidgets
7.7) and Voila, and can be tested headless: set ``control.value`` and read ``explorer.html.value``.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any


class Explorer:
    """Controls -> compute(**values) -> describe(result) as HTML + draw(result, ax) as one figure."""

    def __init__(
        self,
        controls: Mapping[str, Any],
        compute: Callable[..., Any],
        describe: Callable[[Any], str],
        draw: Callable[[Any, Any], None] | None = None,
        *,
        title: str = "",
        figsize: tuple[float, float] = (6.4, 3.4),
    ) -> None:
        import ipywidgets as w

        self.controls = dict(controls)
        self._compute, self._describe, self._draw = compute, describe, draw
        self.result: Any = None
        self.error: str | None = None
        self.html = w.HTML()
        width_px = int(figsize[0] * 80)
        self.image = w.Image(format="png", layout=w.Layout(width=f"{width_px}px")) if draw else None
        self._figure = None
        self._margins: dict[str, float] | None = None
        if draw:
            from matplotlib.figure import Figure

            self._figure = Figure(figsize=figsize, dpi=80)
        parts = [w.HTML(f"<b>{title}</b>")] if title else []
        parts += [*self.controls.values(), self.html]
        if self.image is not None:
            parts.append(self.image)
        self.box = w.VBox(parts)
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.update()

    def values(self) -> dict[str, Any]:
        """The controls' current values, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def _on_change(self, _change: Any) -> None:
        self.update()

    def update(self) -> None:
        """Recompute from the controls and redraw; a bad combination shows its message, not a traceback."""
        try:
            self.result = self._compute(**self.values())
            self.error = None
        except ValueError as exc:  # TechpmError: an impossible setting, explained
            self.result, self.error = None, str(exc)
            self.html.value = f"<span style='color:#b00'>⚠ {exc}</span>"
            return
        self.html.value = self._describe(self.result)
        if self._draw is not None and self._figure is not None and self.image is not None:
            self._figure.clear()
            ax = self._figure.add_subplot()
            self._draw(self.result, ax)
            # Solve the layout once (tight_layout doubles a redraw's time), then keep those margins.
            if self._margins is None:
                self._figure.tight_layout()
                sp = self._figure.subplotpars
                self._margins = {"left": sp.left, "right": sp.right, "bottom": sp.bottom, "top": sp.top}
            else:
                self._figure.subplots_adjust(**self._margins)
            buffer = io.BytesIO()
            # Fast PNG compression: the image travels once to the browser; encoding time is what the learner waits for.
            self._figure.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})
            self.image.value = buffer.getvalue()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.box)


def slider(description: str, value: float, lo: float, hi: float, step: float | None = None, *,
           log: bool = False, integer: bool = False, fmt: str | None = None) -> Any:
    """A labelled slider that works in ipywidgets 7.7 and 8 (log scale optional)."""
    import ipywidgets as w

    style = {"description_width": "initial"}
    layout = w.Layout(width="420px")
    if log:
        return w.FloatLogSlider(value=value, base=10, min=math.log10(lo), max=math.log10(hi),
                                step=step or 0.05, description=description, style=style, layout=layout,
                                readout_format=fmt or ".3g")
    if integer:
        return w.IntSlider(value=int(value), min=int(lo), max=int(hi), step=int(step or 1),
                           description=description, style=style, layout=layout)
    return w.FloatSlider(value=value, min=lo, max=hi, step=step or (hi - lo) / 100,
                         description=description, style=style, layout=layout, readout_format=fmt or ".3g")


def log10s(values: Iterable[float], floor: float | None = None) -> list[float]:
    """``log10`` of each value (raised to ``floor`` first, if given), for a log axis drawn on a linear one.

    The widgets draw log-scaled data as log10 values on linear axes, labelled with ``log_ticks``: the same
    picture as ``ax.set_xscale("log")``, but much faster to redraw while a slider moves.

    >>> log10s([1, 100, 0.0], floor=0.01)
    [0.0, 2.0, -2.0]
    """
    return [math.log10(v if floor is None else max(v, floor)) for v in values]


def log_ticks(ax: Any, axis: str, ticks: Sequence[float], labels: Sequence[str] | None = None) -> None:
    """Put ticks at the data values ``ticks`` on a log10-valued ``axis`` ("x" or "y") of ``ax``, labelled
    with ``labels`` (default: the values with thousands separators)."""
    positions = log10s(ticks)
    text = list(labels) if labels is not None else [f"{t:,g}" for t in ticks]
    (ax.set_xticks if axis == "x" else ax.set_yticks)(positions, labels=text)


def dropdown(description: str, options: list[Any], value: Any = None) -> Any:
    """A labelled dropdown that works in ipywidgets 7.7 and 8."""
    import ipywidgets as w

    return w.Dropdown(options=options, value=value if value is not None else options[0],
                      description=description, style={"description_width": "initial"})
