"""The multimodal lesson's figures: each takes computed results, draws one matplotlib figure (fixed size)
and shows it with ``plt.show()`` (pass ``show=False`` to get the figure back instead)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from techpm import calc
from techpm.plotting import finish as _finish

PATCH_PX = 28  # Claude's vision page describes each visual token as a 28x28-pixel patch
SAMPLE_TEXT = "Invoice 4711 - total due 1,280.00 EUR"


def sample_photo() -> np.ndarray:
    """A real photograph that ships with scikit-learn (``china.jpg``, 427 x 640 px, RGB)."""
    from sklearn.datasets import load_sample_image

    return load_sample_image("china.jpg")


def patches(image: np.ndarray, patch_px: int = PATCH_PX, show: bool = True) -> Any:
    """The image cut into ``patch_px`` patches (each one visual token), with both providers' token counts."""
    import matplotlib.pyplot as plt

    h, w = image.shape[:2]
    fig, ax = plt.subplots(figsize=(6.4, 4.6))
    ax.imshow(image)
    for x in range(0, w + 1, patch_px):
        ax.axvline(x - 0.5, color="white", lw=0.5, alpha=0.8)
    for y in range(0, h + 1, patch_px):
        ax.axhline(y - 0.5, color="white", lw=0.5, alpha=0.8)
    grid = -(-w // patch_px) * -(-h // patch_px)
    ax.set_title(f"{w}x{h} px: {grid} patches of {patch_px} px · Anthropic ≈ {calc.image_tokens(w, h):,} tokens "
                 f"(w·h/750) · OpenAI {calc.image_tokens(w, h, 'openai'):,} (tiles)", fontsize=9)
    ax.set_axis_off()
    return _finish(fig, show)


def shared_space(space: Any, pairs: Any, show: bool = True) -> Any:
    """Test images (dots, coloured by digit) and the ten test captions (numbers) on the first two axes."""
    import matplotlib.pyplot as plt

    from techpm.multimodal.retrieval import TEST_TEMPLATE, caption

    img = space.embed_images(pairs.test_images)[:, :2]
    txt = space.embed_texts([caption(d, TEST_TEMPLATE) for d in range(10)])[:, :2]
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    colours = plt.get_cmap("tab10")
    ax.scatter(img[:, 0], img[:, 1], c=[colours(int(y)) for y in pairs.test_labels], s=8, alpha=0.5)
    for d, (x, y) in enumerate(txt):
        ax.scatter([x], [y], s=260, color=colours(d), edgecolors="black", zorder=3)
        ax.annotate(str(d), (x, y), ha="center", va="center", fontsize=9, weight="bold", zorder=4)
    ax.set(xlabel="shared axis 1", ylabel="shared axis 2",
           title=f"{space.method}: images (dots) and captions (circles) in one space")
    return _finish(fig, show)


def nearest(pairs: Any, indices: Sequence[int], query: str, show: bool = True) -> Any:
    """The test images a text query retrieved, in rank order."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(indices), figsize=(6.4, 1.2))
    for ax, i in zip(np.atleast_1d(axes), indices, strict=True):
        ax.imshow(pairs.test_images[i].reshape(8, 8), cmap="gray_r")
        ax.set_axis_off()
    fig.suptitle(f"top {len(indices)} for {query!r}", fontsize=9)
    return _finish(fig, show)


def latency(budgets: Sequence[Any], labels: Sequence[str], show: bool = True) -> Any:
    """Stacked bars of voice latency budgets, stage by stage, against their target."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 0.6 + 0.55 * len(budgets)))
    colours = {"endpointing": "tab:gray", "asr": "tab:blue", "llm_ttft": "tab:orange",
               "tts_first_audio": "tab:green", "network": "tab:purple"}
    seen: set[str] = set()
    for row, b in enumerate(budgets):
        left = 0.0
        for stage, ms in b.stages_ms().items():
            ax.barh(row, ms, left=left, color=colours[stage], label=None if stage in seen else stage.replace("_", " "))
            seen.add(stage)
            left += ms
    ax.axvline(budgets[0].target_ms, color="black", ls="--", lw=1)
    ax.set_yticks(range(len(budgets)), list(labels))
    ax.invert_yaxis()
    ax.set_xlabel(f"ms from end of speech to first audio (dashed: {budgets[0].target_ms:.0f} ms target)")
    ax.legend(fontsize=7, ncol=5, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    return _finish(fig, show)


def rendered_text(font_px: float, scale: float, text: str = SAMPLE_TEXT) -> np.ndarray:
    """``text`` rendered at ``font_px`` (as a screenshot would hold it), then resized by ``scale``: grey
    levels 0..1 at the resolution the model receives."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    calc.x_height_px(font_px, scale)  # validates both
    width_px, height_px = int(font_px * 0.62 * len(text)) + 8, int(font_px * 1.6)
    fig = Figure(figsize=(width_px / 100, height_px / 100), dpi=100)
    FigureCanvasAgg(fig)
    fig.text(0.02, 0.5, text, fontsize=font_px * 72 / 100, va="center", family="DejaVu Sans")
    fig.canvas.draw()
    grey = np.asarray(fig.canvas.buffer_rgba())[..., :3].mean(axis=2) / 255.0
    if scale >= 1:
        return grey
    from PIL import Image

    img = Image.fromarray((grey * 255).astype(np.uint8))
    size = (max(1, round(img.width * scale)), max(1, round(img.height * scale)))
    return np.asarray(img.resize(size, Image.Resampling.BOX), dtype=float) / 255.0


def legibility_strip(font_px: float, scales: Sequence[float], show: bool = True) -> Any:
    """The same line of text at several resize factors, as the model would receive it."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(scales), 1, figsize=(6.4, 0.75 * len(scales)))
    for ax, s in zip(np.atleast_1d(axes), scales, strict=True):
        ax.imshow(rendered_text(font_px, s), cmap="gray", vmin=0, vmax=1, interpolation="nearest", aspect="auto")
        xh = calc.x_height_px(font_px, s)
        ax.set_title(f"resized to {s:.0%}: x-height {xh:.1f} px (for OCR: {calc.legibility(xh)})", fontsize=8, loc="left")
        ax.set_axis_off()
    return _finish(fig, show)
