"""A saved notebook's widgets as static HTML: what the explorer showed when the notebook was executed.

Jupyter stores every live widget's state in the notebook's metadata (the
``application/vnd.jupyter.widget-state+json`` entry; binary values such as an ``Image``'s PNG as base64
buffers). Without a kernel or the widget manager, an output that points at a widget shows nothing useful,
so for the static site and the projector decks each such output becomes HTML built from that state: the
controls' values as text, the HTML read-outs, and the figure. Spec: https://github.com/jupyter-widgets/
ipywidgets/blob/main/packages/schema/messages.md (widget state and buffers).
"""

from __future__ import annotations

import html
from typing import Any

VIEW = "application/vnd.jupyter.widget-view+json"
STATE = "application/vnd.jupyter.widget-state+json"
_CONTROLS = ("SliderModel", "DropdownModel", "CheckboxModel", "ToggleButtonsModel", "RadioButtonsModel",
             "TextModel", "BoundedFloatTextModel", "BoundedIntTextModel", "SelectionSliderModel")


def _ref(value: Any) -> str | None:
    return value[len("IPY_MODEL_"):] if isinstance(value, str) and value.startswith("IPY_MODEL_") else None


def _render(models: dict[str, Any], model_id: str, depth: int = 0) -> tuple[list[str], list[str]]:
    """(control lines, visual HTML) for a model and its children."""
    model = models.get(model_id)
    if model is None or depth > 20:
        return [], []
    name, state = model.get("model_name", ""), model.get("state", {})
    if name == "ImageModel":
        data = next((b["data"] for b in model.get("buffers", []) if b.get("path") == ["value"]), None)
        fmt = state.get("format", "png")
        return [], [f'<img alt="figure" src="data:image/{html.escape(fmt)};base64,{data}">'] if data else []
    if name == "HTMLModel" or name == "LabelModel":
        value = str(state.get("value", ""))
        return [], [value if name == "HTMLModel" else f"<p>{html.escape(value)}</p>"]
    if name.endswith(_CONTROLS):
        value = state.get("value")
        options = state.get("_options_labels")
        if isinstance(value, int) and options and name == "DropdownModel" and "index" in state:
            value = options[state["index"]]
        elif options and state.get("index") is not None:
            value = options[state["index"]]
        if isinstance(value, float):
            value = f"{value:,.0f}" if value.is_integer() else f"{value:,.4g}"
        return [f"{html.escape(str(state.get('description', '')).rstrip(':'))}: {html.escape(str(value))}"], []
    controls, visuals = [], []
    for child in state.get("children", []):
        c, v = _render(models, _ref(child) or "", depth + 1)
        controls += c
        visuals += v
    return controls, visuals


def widget_html(nb: dict[str, Any], model_id: str) -> str | None:
    """The static snapshot of the widget ``model_id``, or None when the notebook kept no state for it."""
    models = nb.get("metadata", {}).get("widgets", {}).get(STATE, {}).get("state", {})
    if model_id not in models:
        return None
    controls, visuals = _render(models, model_id)
    if not controls and not visuals:
        return None
    settings = (f'<div class="controls">Settings when this page was made: {"; ".join(controls)}. '
                "Run the notebook to move them.</div>") if controls else ""
    return f'<div class="techpm-widget">{settings}{"".join(visuals)}</div>'


def static_widgets(nb: dict[str, Any]) -> int:
    """Replace each widget output with its snapshot (or a one-line note), in place; drop the widget state.
    Returns how many outputs were replaced."""
    replaced = 0
    for cell in nb.get("cells", []):
        for i, output in enumerate(cell.get("outputs", [])):
            view = output.get("data", {}).get(VIEW)
            if view is None:
                continue
            snapshot = widget_html(nb, view.get("model_id", ""))
            data = {"text/html": snapshot} if snapshot else {
                "text/plain": "(an interactive explorer: run the notebook to use it)"}
            cell["outputs"][i] = {"output_type": "display_data", "metadata": {}, "data": data}
            replaced += 1
    nb.get("metadata", {}).pop("widgets", None)
    return replaced
