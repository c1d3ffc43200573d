"""Explorer for the multimodal lesson: resolution, frames per second and duration -> tokens, list-price
cost, and what resizing does to the legibility of on-screen text."""

from __future__ import annotations

from typing import Any

from techpm import calc
from techpm.widgets import Explorer, dropdown, slider

RESOLUTIONS = [("640x360", (640, 360)), ("1280x720 (720p)", (1280, 720)), ("1920x1080 (1080p)", (1920, 1080)),
               ("2560x1440", (2560, 1440)), ("3840x2160 (4K)", (3840, 2160))]


def _compute(resolution: tuple[int, int], provider: str, frames_per_s: float, duration_min: float, resize: float,
             font_px: float, model: str) -> dict[str, Any]:
    from techpm.multimodal.plots import rendered_text

    width, height = resolution
    sent = calc.image_token_detail(width * resize, height * resize, provider)
    received_scale = resize * sent.resized_width_px / sent.width_px  # your resize, then the provider's
    frames = calc.video_frames(duration_min * 60, frames_per_s)
    tokens = calc.video_tokens(duration_min * 60, frames_per_s, width * resize, height * resize, provider)
    x_height = calc.x_height_px(font_px, received_scale)
    return {"frames": frames, "tokens_per_frame": sent.tokens, "tokens": tokens,
            "usd": calc.media_cost_usd(tokens, model), "model": model, "provider": provider,
            "received": (sent.resized_width_px, sent.resized_height_px), "scale": received_scale,
            "x_height": x_height, "legibility": calc.legibility(x_height),
            "pixels": rendered_text(font_px, received_scale)}


def _describe(r: dict[str, Any]) -> str:
    w, h = r["received"]
    rule = "" if r["provider"] == "anthropic" else " (OpenAI's token rule, priced at this model's rate to compare rules)"
    return (f"<b>{r['frames']:,}</b> frames × <b>{r['tokens_per_frame']:,}</b> tokens = <b>{r['tokens']:,}</b> "
            f"input tokens · <b>${r['usd']:,.2f}</b> at {r['model']}'s list price{rule} · the model sees "
            f"{w:,.0f}x{h:,.0f} px ({r['scale']:.0%} of the original) · text x-height "
            f"<b>{r['x_height']:.1f} px</b> (for OCR: {r['legibility']})")


def _draw(r: dict[str, Any], ax: Any) -> None:
    ax.imshow(r["pixels"], cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    ax.set_title(f"{r['tokens']:,} tokens, ${r['usd']:,.2f} · on-screen text as {r['provider']}'s model "
                 f"receives it ({r['scale']:.0%})", fontsize=9)
    ax.set_axis_off()


def media_explorer(resolution: tuple[int, int] = (1920, 1080), provider: str = "anthropic",
                   frames_per_s: float = 1.0, duration_min: float = 10.0, resize: float = 1.0,
                   font_px: float = 16.0, model: str = "claude-haiku-5-5") -> Explorer:
    """Resolution, frame rate, clip length and your own resize -> tokens, cost and text legibility."""
    controls = {
        "resolution": dropdown("resolution", RESOLUTIONS, tuple(resolution)),
        "provider": dropdown("token rule", list(calc.IMAGE_PROVIDERS), provider),
        "frames_per_s": slider("frames per second sampled", frames_per_s, 0.1, 5, log=True),
        "duration_min": slider("clip length (minutes)", duration_min, 0.1, 120, log=True),
        "resize": slider("your resize before sending", resize, 0.2, 1.0, 0.05, fmt=".0%"),
        "font_px": slider("text size on screen (px)", font_px, 8, 32, 1),
        "model": dropdown("model", calc.api_model_ids("chat"), model),
    }
    return Explorer(controls, _compute, _describe, _draw, title="Images and video: tokens, cost and legibility",
                    figsize=(6.4, 1.6))
